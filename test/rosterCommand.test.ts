import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { UsageError } from "../src/facts/problems.js";
import { registerRoster, type LoadCustomer } from "../src/cli/roster.js";
import { formatProblem, InputError } from "../src/facts/problems.js";
import { customerSpecSchema } from "../src/customer/schema.js";

const spec = customerSpecSchema().parse({
  customer: "nordlys",
  name: "Nordlys Retail A/S",
  package: "extended",
  azure: {
    subscriptionId: "00000000-0000-0000-0000-000000000000",
    resourceGroups: ["rg-nordlys-prod"],
    monitoringResourceGroup: "rg-nordlys-monitoring",
    applicationInsights: "appi-nordlys",
  },
  systems: [{ id: "pim", kind: "pim" }],
  alerts: [],
  roster: { backend: ["ana@pico.dk", "bo@pico.dk"], frontend: ["cem@pico.dk"], pim: ["dina@pico.dk", "eik@pico.dk"] },
  standingSupport: { schedule: "Pico standing support" },
});

// A fixed spec, so these tests don't follow edits to stacks/.
const fixture: LoadCustomer = (id) => {
  if (id === "nordlys") return { ok: true, spec, file: "stacks/nordlys.yaml", warnings: [] } as unknown as ReturnType<LoadCustomer>;
  throw new UsageError(`unknown customer '${id}'`);
};

/** Runs the command the way src/cli/main.ts does, including its mapping of errors to exit codes. */
async function run(args: string[], loadCustomer: LoadCustomer | "stacks" = fixture) {
  let stdout = "";
  let stderr = "";
  const program = new Command("pico-monitoring")
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerRoster(program, {
    loadCustomer: loadCustomer === "stacks" ? undefined : loadCustomer,
    now: () => new Date("2027-02-01T12:00:00Z"),
  });
  let exitCode = 0;
  try {
    await program.parseAsync(["roster", ...args], { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) exitCode = err.exitCode === 0 ? 0 : 2;
    else if (err instanceof UsageError) [exitCode, stderr] = [2, stderr + err.message];
    else if (err instanceof InputError) [exitCode, stderr] = [1, stderr + err.problems.map((p) => `${formatProblem(p)}\n`).join("")];
    else throw err;
  }
  return { stdout, stderr, exitCode };
}

describe("roster command", () => {
  it("prints the as-of year's days as JSON", async () => {
    const { stdout, exitCode } = await run(["nordlys", "--json"]);
    expect(exitCode).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(["customer", "timezone", "days"]);
    expect(json.customer).toBe("nordlys");
    expect(json.timezone).toBe("Europe/Copenhagen");
    expect(json.days).toHaveLength(23);
    expect(json.days[0]).toEqual({
      date: "2027-03-22",
      kind: "easter",
      start: "2027-03-22T08:00:00+01:00",
      end: "2027-03-22T16:00:00+01:00",
      // Weekday 14,925 since Monday 1970-01-05 is odd: the second of two people.
      onDuty: { backend: "bo@pico.dk", frontend: "cem@pico.dk", pim: "eik@pico.dk" },
    });
    expect(json.days[1].onDuty).toEqual({ backend: "ana@pico.dk", frontend: "cem@pico.dk", pim: "dina@pico.dk" });
    expect(json.days[3]).toMatchObject({ date: "2027-05-07", start: "2027-05-07T08:00:00+02:00" });
  });

  it("--year picks the year, and --at never changes who is on duty", async () => {
    const a = await run(["nordlys", "--json", "--year", "2026"]);
    const b = await run(["nordlys", "--json", "--year", "2026", "--at", "2026-07-10T12:00"]);
    expect(JSON.parse(a.stdout).days[0].date).toBe("2026-03-30");
    expect(JSON.parse(a.stdout).days).toEqual(JSON.parse(b.stdout).days);
    const c = await run(["nordlys", "--json", "--at", "2028-01-15"]);
    expect(JSON.parse(c.stdout).days[0].date).toBe("2028-04-10");
  });

  it("--at shows who a page reaches inside a window: the day's person, then standing support", async () => {
    const { stdout, exitCode } = await run(["nordlys", "--at", "2027-03-22T10:00"]);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(
      "nordlys: a page at Mon 2027-03-22 10:00 +01:00 (Europe/Copenhagen), inside the Holy Week window 08:00–16:00, reaches:",
    );
    expect(stdout).toContain(
      '  Backend developer: bo@pico.dk, then standing support (schedule "Pico standing support") if unacknowledged after 15 min',
    );
    expect(stdout).toContain("  PIM consultant: eik@pico.dk, then");
  });

  it("--at outside the windows (an ordinary weekday, or 16:00 when the window has closed) reaches standing support at once", async () => {
    for (const at of ["2027-02-03T10:00", "2027-03-22T16:00"]) {
      const { stdout } = await run(["nordlys", "--at", at, "--role", "frontend"]);
      expect(stdout).toContain("outside the preparedness windows, reaches:");
      expect(stdout).toContain('  Frontend developer: standing support (schedule "Pico standing support")\n');
      expect(stdout).not.toContain("Backend developer: ");
    }
  });

  it("--at --json gives each role's steps", async () => {
    const json = JSON.parse((await run(["nordlys", "--json", "--at", "2027-05-07T09:30", "--role", "pim"])).stdout);
    expect(json.pagedAt).toEqual({
      at: "2027-05-07T09:30:00+02:00",
      window: { date: "2027-05-07", kind: "ascension", start: "2027-05-07T08:00:00+02:00", end: "2027-05-07T16:00:00+02:00" },
      roles: {
        pim: [
          { afterMinutes: 0, who: json.days.find((d: { date: string }) => d.date === "2027-05-07").onDuty.pim, via: "preparedness" },
          { afterMinutes: 15, who: "Pico standing support", via: "standing-support" },
        ],
      },
    });
    expect(Object.keys(JSON.parse((await run(["nordlys", "--json"])).stdout))).not.toContain("pagedAt");
  });

  it("prints a table by default", async () => {
    const { stdout } = await run(["nordlys", "--year", "2027"]);
    expect(stdout).toContain("nordlys: 23 preparedness days in 2027 (Europe/Copenhagen)");
    expect(stdout).toMatch(/Mon 2027-03-22 │ Holy Week +│ 08:00–16:00 \+01:00 │ bo@pico\.dk +│ cem@pico\.dk +│ eik@pico\.dk/);
    expect(stdout).toMatch(/Fri 2027-05-07 │ Day after Ascension +│ 08:00–16:00 \+02:00/);
  });

  it("--ics writes one event per day with stable UIDs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "roster-"));
    await run(["nordlys", "--year", "2027", "--ics", join(dir, "a.ics"), "--at", "2027-01-01T00:00:00Z"]);
    await run(["nordlys", "--year", "2027", "--ics", join(dir, "b.ics"), "--at", "2027-06-01T00:00:00Z"]);
    const a = readFileSync(join(dir, "a.ics"), "utf8");
    const b = readFileSync(join(dir, "b.ics"), "utf8");
    expect(a.match(/BEGIN:VEVENT/g)).toHaveLength(23);
    expect(a).toContain("UID:preparedness-nordlys-2027-03-22@pico-monitoring");
    expect(a).toContain("DTSTART:20270322T070000Z");
    expect(a).toContain("DTEND:20270507T140000Z");
    expect(a).toContain("Backend developer: ana@pico.dk");
    const uids = (s: string) => s.match(/^UID:.*$/gm);
    expect(uids(a)).toEqual(uids(b));
  });

  it("--ics without --year covers this year and the next, as the PagerDuty schedules do", async () => {
    const dir = mkdtempSync(join(tmpdir(), "roster-"));
    await run(["nordlys", "--ics", join(dir, "c.ics"), "--at", "2027-12-01T00:00:00Z"]);
    const c = readFileSync(join(dir, "c.ics"), "utf8");
    expect(c).toContain("UID:preparedness-nordlys-2027-12-27@pico-monitoring");
    // Holy Week 2028: Easter Sunday is 2028-04-16, so Monday of Holy Week is 2028-04-10.
    expect(c).toContain("UID:preparedness-nordlys-2028-04-10@pico-monitoring");
    expect(c).not.toMatch(/UID:preparedness-nordlys-2029-/);
  });

  it("exits 2 on usage errors and unknown customers", async () => {
    expect((await run(["nordlys", "--year", "27"])).exitCode).toBe(2);
    expect((await run(["nordlys", "--at", "yesterday"])).exitCode).toBe(2);
    expect((await run(["nordlys", "--at", "2027-03-22T10:00", "--role", "designer"])).exitCode).toBe(2);
    expect((await run(["nordlys", "--role", "pim"])).exitCode).toBe(2);
    expect((await run([])).exitCode).toBe(2);
    const unknown = await run(["nosuch"], "stacks");
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown customer 'nosuch'");
  });

  it("loads the customer from stacks/ by default", async () => {
    const { exitCode, stdout } = await run(["nordlys", "--json", "--year", "2027"], "stacks");
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout).customer).toBe("nordlys");
  });

  it("exits 1 with file:line:col lines on invalid input", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "roster-")), "nordlys.yaml");
    const yaml = readFileSync(join(__dirname, "..", "stacks", "nordlys.yaml"), "utf8");
    writeFileSync(file, yaml.replace(/^  frontend: \[.*\]$/m, "  frontend: []"));
    const { exitCode, stderr, stdout } = await run([file, "--json"], "stacks");
    expect(exitCode).toBe(1);
    expect(stderr.startsWith(`${file}:`)).toBe(true);
    expect(stderr).toMatch(/^\S+:\d+:\d+: .*frontend/);
    expect(stdout).toBe("");
  });
});

describe("roster --at inside an approved maintenance window (issue 22)", () => {
  const skagen = join(__dirname, "fixtures", "maintenance", "skagen.yaml");

  it("names the window, its change, approver and end, the alerts it silences, and who is still paged for the rest", async () => {
    const { stdout, exitCode } = await run([skagen, "--at", "2027-01-12T20:30"], "stacks");
    expect(exitCode).toBe(0);
    // The roster's own answer first, unchanged: 20:30 on a Tuesday is outside the preparedness windows.
    expect(stdout).toContain(
      "skagen: a page at Tue 2027-01-12 20:30 +01:00 (Europe/Copenhagen), outside the preparedness windows, reaches:",
    );
    expect(stdout).toContain(
      "\nskagen: inside approved maintenance window jan-pim-patches until 22:00 +01:00 " +
        "(CHG-1042, approved by mette.skov@skagen-moebler.dk: January security patches for the PIM); systems pim. Silenced until then, so they page nobody:\n" +
        "  skagen-app-service-5xx-pim-app (Frontend developer)    by Datadog downtime skagen-maintenance-jan-pim-patches-pim-app\n" +
        "  skagen-sql-failed-connections-pim-db (PIM consultant)  by Datadog downtime skagen-maintenance-jan-pim-patches-pim-db\n" +
        "  skagen-resource-health-pim (Backend developer)         by Azure alert processing rule skagen-maintenance-jan-pim-patches\n" +
        "Still paged for the rest of the alerts:\n" +
        '  Frontend developer: standing support (schedule "Pico standing support")\n' +
        "    skagen-app-service-5xx-web-app (portal)\n" +
        "    skagen-endpoint-availability-webshop (portal)\n",
    );
  });

  it("--json adds the window and the alerts still paged, by role; --role narrows both", async () => {
    const json = JSON.parse((await run([skagen, "--json", "--at", "2027-01-12T20:30"], "stacks")).stdout);
    expect(json.pagedAt.maintenance).toEqual({
      windows: [
        {
          id: "jan-pim-patches",
          change: "CHG-1042",
          approvedBy: "mette.skov@skagen-moebler.dk",
          reason: "January security patches for the PIM",
          systems: ["pim"],
          start: "2027-01-12T20:00:00+01:00",
          end: "2027-01-12T22:00:00+01:00",
          silenced: [
            { alert: "skagen-app-service-5xx-pim-app", role: "frontend", silencedBy: "skagen-maintenance-jan-pim-patches-pim-app" },
            { alert: "skagen-sql-failed-connections-pim-db", role: "pim", silencedBy: "skagen-maintenance-jan-pim-patches-pim-db" },
            { alert: "skagen-resource-health-pim", role: "backend", silencedBy: "skagen-maintenance-jan-pim-patches" },
          ],
        },
      ],
      stillPaged: { frontend: ["skagen-app-service-5xx-web-app", "skagen-endpoint-availability-webshop"] },
    });
    const pim = await run([skagen, "--at", "2027-01-12T20:30", "--role", "pim"], "stacks");
    expect(pim.stdout).toContain("  skagen-sql-failed-connections-pim-db (PIM consultant)  by Datadog downtime");
    expect(pim.stdout).not.toContain("skagen-app-service-5xx-pim-app");
    expect(pim.stdout).toContain("Still paged for the rest of the alerts:\n  nobody: every PIM consultant's alert is silenced\n");
  });

  it("says nothing of maintenance before the window, at its end, or after a window that has ended", async () => {
    for (const at of ["2027-01-12T19:59", "2027-01-12T22:00", "2027-01-05T21:30:00+01:00"]) {
      const { stdout, exitCode } = await run([skagen, "--at", at], "stacks");
      expect(exitCode).toBe(0);
      if (at.startsWith("2027-01-05")) {
        // dec-portal-restart ran then: an ended window is still a window at its own instant.
        expect(stdout).toContain("inside approved maintenance window dec-portal-restart until 22:00 +01:00");
      } else expect(stdout).not.toContain("maintenance");
    }
    expect(JSON.parse((await run([skagen, "--json", "--at", "2027-01-12T19:59"], "stacks")).stdout).pagedAt).not.toHaveProperty(
      "maintenance",
    );
  });

  it("inside a preparedness window, the rest of the alerts reach the day's person first", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "roster-")), "skagen.yaml");
    const text = readFileSync(skagen, "utf8").replace(
      'start: "2027-01-12 20:00"\n    duration: 2h',
      'start: "2027-03-22 10:00"\n    duration: 2h\n    duringPreparedness: the PIM vendor patches only on Mondays',
    );
    writeFileSync(file, text);
    const { stdout, exitCode, stderr } = await run([file, "--at", "2027-03-22T10:30"], "stacks");
    expect(exitCode, stderr).toBe(0);
    expect(stdout).toContain("inside approved maintenance window jan-pim-patches until 12:00 +01:00");
    expect(stdout).toMatch(
      /Still paged for the rest of the alerts:\n {2}Frontend developer: (tor\.lind|una\.friis)@pico\.dk, then standing support \(schedule "Pico standing support"\) if unacknowledged after 15 min\n/,
    );
  });
});
