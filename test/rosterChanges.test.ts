/**
 * Issue 21, the roster as people live it: a change written by `roster swap` into a copy of the
 * example stacks, then read back through every entry point a team uses (validate, roster, the
 * calendar file, roster --person, audit, preview), and the provider's layer list shown to move
 * one layer only. The validate fixtures (test/validate.test.ts) cover each refused change at its line.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rosterLayers, type CustomerCalendar, type Roster } from "../src/calendar/index.js";
import { withChange } from "../src/cli/rosterSwap.js";
import { repoRoot, runCli } from "./support/cli.js";
import { ProviderScheduleModel, renderSchedule } from "./support/pagerdutySimulator.js";

const at = "2027-01-10T12:00:00Z";
const swapLine = "    - { day: 2027-07-14, role: backend, from: bo.holm@pico.dk, to: ana.berg@pico.dk, reason: Bo is ill }";
let dir: string;
let stacks: string;
const nordlys = () => join(stacks, "nordlys.yaml");
const original = readFileSync(join(repoRoot, "stacks", "nordlys.yaml"), "utf8");

/** ICS lines unfolded (RFC 5545 folds at 75 octets). */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, "");

function json(r: { code: number | null; stdout: string; stderr: string }) {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

type Day = { date: string; onDuty: Record<string, string>; changes?: Record<string, { from: string; reason: string }> };

describe("roster swap, end to end", () => {
  let swap: ReturnType<typeof runCli>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pico-roster-swap-"));
    stacks = join(dir, "stacks");
    cpSync(join(repoRoot, "stacks"), stacks, { recursive: true });
    // By customer id in a stacks directory, as an engineer types it.
    swap = runCli([
      "roster",
      "swap",
      "nordlys",
      "2027-07-14",
      "--role",
      "backend",
      "--to",
      "ana.berg@pico.dk",
      "--reason",
      "Bo is ill",
      "--stacks",
      stacks,
    ]);
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes one entry under roster, keeps every other byte, and prints the change ready for a pull request", () => {
    expect(swap.code, swap.stderr).toBe(0);
    // The rotation had bo that day (weekday 14,990, the second of two): the tool filled in `from` itself.
    const pim = "  pim: [dina.lund@pico.dk, eik.moller@pico.dk]\n";
    expect(readFileSync(nordlys(), "utf8")).toBe(original.replace(pim, `${pim}  changes:\n${swapLine}\n`));
    expect(swap.stdout).toBe(
      `${nordlys()}: roster change for nordlys: 2027-07-14 backend: bo.holm@pico.dk → ana.berg@pico.dk (Bo is ill)\n` +
        `@@ -47,0 +48,2 @@\n+  changes:\n+${swapLine}\n`,
    );
  });

  it("passes validate, and a second swap lands in date order beside it", () => {
    const v = runCli(["validate", nordlys(), "--stacks", stacks]);
    expect(v.code, v.stderr).toBe(0);
    // Only warnings, if any (the example fleet has one person on three customers some days).
    expect(v.stderr.split("\n").filter((l) => l && !l.includes(": warning: "))).toEqual([]);

    const copy = join(dir, "second");
    cpSync(stacks, copy, { recursive: true });
    const second = runCli([
      "roster",
      "swap",
      join(copy, "nordlys.yaml"),
      "2027-03-22",
      "--role",
      "pim",
      "--to",
      "dina.lund@pico.dk",
      "--reason",
      "swapped with Eik",
    ]);
    expect(second.code, second.stderr).toBe(0);
    const lines = readFileSync(join(copy, "nordlys.yaml"), "utf8").split("\n");
    const at = lines.indexOf("  changes:");
    expect(lines.slice(at + 1, at + 3)).toEqual([
      "    - { day: 2027-03-22, role: pim, from: eik.moller@pico.dk, to: dina.lund@pico.dk, reason: swapped with Eik }",
      swapLine,
    ]);
  });

  it("appears in roster (table and JSON) on that day and role only", () => {
    const before: Day[] = json(runCli(["roster", join(repoRoot, "stacks", "nordlys.yaml"), "--json", "--year", "2027"])).days;
    const after: Day[] = json(runCli(["roster", nordlys(), "--json", "--year", "2027"])).days;
    const day = after.find((d) => d.date === "2027-07-14")!;
    expect(day.onDuty).toEqual({ backend: "ana.berg@pico.dk", frontend: "cem.ozturk@pico.dk", pim: "eik.moller@pico.dk" });
    expect(day.changes).toEqual({ backend: { from: "bo.holm@pico.dk", reason: "Bo is ill" } });
    expect(after.filter((d) => d.date !== "2027-07-14")).toEqual(before.filter((d) => d.date !== "2027-07-14"));

    const table = runCli(["roster", nordlys(), "--year", "2027"]);
    expect(table.stdout).toMatch(/│ Wed 2027-07-14 │ Summer holiday +│ 08:00–16:00 \+02:00 │ ana\.berg@pico\.dk \* +│/);
    expect(table.stdout).toContain("Roster changes:\n  * 2027-07-14 backend: ana.berg@pico.dk covers for bo.holm@pico.dk (Bo is ill)\n");
  });

  it("appears in the calendar file: that day's event names the substitute and why", () => {
    const ics = join(dir, "nordlys.ics");
    const r = runCli(["roster", nordlys(), "--year", "2027", "--ics", ics]);
    expect(r.code, r.stderr).toBe(0);
    const events = unfold(readFileSync(ics, "utf8")).split("BEGIN:VEVENT").slice(1);
    const event = events.find((e) => e.includes("UID:preparedness-nordlys-2027-07-14@pico-monitoring"))!;
    expect(event).toContain("Backend developer: ana.berg@pico.dk (covers for bo.holm@pico.dk: Bo is ill)");
    expect(events.filter((e) => e.includes("covers for"))).toHaveLength(1);
  });

  it("appears in roster --person: the substitute's duty across the fleet says whom she covers for", () => {
    const mine = json(runCli(["roster", "--person", "ana.berg@pico.dk", "--stacks", stacks, "--json", "--year", "2027"]));
    // Cross-checked against each customer's own roster: every day and role she covers, and nothing else.
    const expected: string[] = [];
    for (const id of ["baltic-freight", "havblik", "nordlys"]) {
      for (const d of json(runCli(["roster", join(stacks, `${id}.yaml`), "--json", "--year", "2027"])).days as Day[]) {
        for (const [role, who] of Object.entries(d.onDuty)) if (who === "ana.berg@pico.dk") expected.push(`${d.date} ${id} ${role}`);
      }
    }
    const duties = mine.duties as { date: string; customer: string; role: string; covers?: object }[];
    expect(duties.map((d) => `${d.date} ${d.customer} ${d.role}`).sort()).toEqual(expected.sort());
    expect(new Set(duties.map((d) => d.customer))).toEqual(new Set(["havblik", "nordlys"]));
    expect(duties.filter((d) => d.covers)).toEqual([
      {
        customer: "nordlys",
        date: "2027-07-14",
        kind: "summer",
        role: "backend",
        start: "2027-07-14T08:00:00+02:00",
        end: "2027-07-14T16:00:00+02:00",
        covers: { from: "bo.holm@pico.dk", reason: "Bo is ill" },
      },
    ]);

    const ics = join(dir, "ana.ics");
    const r = runCli(["roster", "--person", "ana.berg@pico.dk", "--stacks", stacks, "--year", "2027", "--ics", ics]);
    expect(r.code, r.stderr).toBe(0);
    const events = unfold(readFileSync(ics, "utf8")).split("BEGIN:VEVENT").slice(1);
    expect(events).toHaveLength(duties.length);
    expect(events.find((e) => e.includes("UID:preparedness-nordlys-2027-07-14-backend@pico-monitoring"))).toContain(
      "Covers for bo.holm@pico.dk: Bo is ill",
    );
  });

  it("appears in the audit: the customer's changes with day, role, from, to and reason", () => {
    const r = runCli(["audit", nordlys(), "--stacks", stacks, "--format", "md", "--at", at]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "### Roster changes (1)\n\n| Day | Role | From | To | Reason |\n| --- | --- | --- | --- | --- |\n| 2027-07-14 | backend | bo.holm@pico.dk | ana.berg@pico.dk | Bo is ill |\n",
    );
    const report = json(runCli(["audit", nordlys(), "--stacks", stacks, "--json", "--at", at]));
    expect(report.customers[0].roster.changes).toEqual([
      { day: "2027-07-14", role: "backend", from: "bo.holm@pico.dk", to: "ana.berg@pico.dk", reason: "Bo is ill" },
    ]);
  });

  it("changes exactly one layer in the preview, and the provider rewrites that one layer id only", () => {
    const before = json(runCli(["preview", join(repoRoot, "stacks", "nordlys.yaml"), "--json", "--at", at]));
    const after = json(runCli(["preview", nordlys(), "--json", "--at", at]));
    expect(after.policies.results.filter((p: { status: string }) => p.status === "fail")).toEqual([]);
    expect(after.rosterChanges).toEqual([
      { day: "2027-07-14", role: "backend", from: "bo.holm@pico.dk", to: "ana.berg@pico.dk", reason: "Bo is ill" },
    ]);
    type Resource = { urn: string; type: string; props: { layers?: { name: string; users: string[] }[] } };
    const byUrn = (doc: { resources: Resource[] }) => new Map(doc.resources.map((r) => [r.urn, r]));
    const b = byUrn(before);
    const a = byUrn(after);
    expect([...a.keys()]).toEqual([...b.keys()]);
    const changed: string[] = [];
    for (const [urn, r] of a) {
      const old = b.get(urn)!;
      if (JSON.stringify(r.props) === JSON.stringify(old.props)) continue;
      // Only a schedule may differ, and only in one layer's users.
      expect(r.type).toBe("pagerduty:index/schedule:Schedule");
      r.props.layers!.forEach((layer, i) => {
        if (JSON.stringify(layer) !== JSON.stringify(old.props.layers![i])) {
          expect({ ...layer, users: [] }).toEqual({ ...old.props.layers![i], users: [] });
          changed.push(`${r.urn.split("::").at(-1)} ${layer.name}`);
        }
      });
    }
    expect(changed).toEqual(["pico-nordlys-backend-schedule 2027-07-14 Summer holiday"]);

    // The provider's positional layer list (terraform-provider-pagerduty resource_pagerduty_schedule.go):
    // deploy the schedule before the swap, then after it, with the refresh every deploy runs.
    const layersOf = (doc: { resources: Resource[] }) =>
      doc.resources.find((r) => r.urn.endsWith("::pico-nordlys-backend-schedule"))!.props.layers as unknown as Parameters<
        ProviderScheduleModel["up"]
      >[0];
    const schedule = new ProviderScheduleModel();
    const now = new Date(at);
    schedule.up(layersOf(before), now);
    schedule.refresh(now);
    const result = schedule.up(layersOf(after), now);
    expect(result.created).toEqual([]);
    expect(result.ended).toEqual([]);
    expect(result.rewritten.map((r) => r.to)).toEqual(["2027-07-14 Summer holiday"]);
  });

  it("a stale change is an error at its line once the rotation moves, and the swap is refused before it is written", () => {
    const copy = join(dir, "stale");
    cpSync(stacks, copy, { recursive: true });
    const file = join(copy, "nordlys.yaml");
    // Someone reorders the backend rotation after the swap was merged: bo no longer has 14 July.
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("backend: [ana.berg@pico.dk, bo.holm@pico.dk]", "backend: [bo.holm@pico.dk, ana.berg@pico.dk]"),
    );
    const v = runCli(["validate", file]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(
      `${file}:49:47: roster.changes[0].from: the rotation puts ana.berg@pico.dk on backend duty on 2027-07-14, not bo.holm@pico.dk: the change is stale`,
    );

    // What validate refuses, swap refuses, and the file keeps its bytes.
    const text = readFileSync(nordlys(), "utf8");
    const busy = runCli(["roster", "swap", nordlys(), "2027-07-15", "--role", "frontend", "--to", "dina.lund@pico.dk", "--reason", "x"]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(
      `${nordlys()}:50:72: roster.changes[1].to: dina.lund@pico.dk is already on pim duty on 2027-07-15; one person covers one role a day (roster swap wrote nothing)`,
    );
    const saturday = runCli(["roster", "swap", nordlys(), "2027-07-17", "--role", "pim", "--to", "dina.lund@pico.dk", "--reason", "x"]);
    expect(saturday.code).toBe(2);
    expect(saturday.stderr).toContain("2027-07-17 is not a preparedness day of nordlys");
    const twice = runCli(["roster", "swap", nordlys(), "2027-07-14", "--role", "backend", "--to", "cem.ozturk@pico.dk", "--reason", "x"]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${nordlys()}:49: 2027-07-14 backend already has a change (to ana.berg@pico.dk)`);
    const role = runCli(["roster", "swap", nordlys(), "2027-07-15", "--role", "ops", "--to", "x@pico.dk", "--reason", "x"]);
    expect(role.code).toBe(2);
    expect(role.stderr).toContain("--role must be one of backend, frontend, pim, not 'ops'");
    expect(readFileSync(nordlys(), "utf8")).toBe(text);
  });
});

describe("one person across the fleet", () => {
  let fleet: string;

  beforeAll(() => {
    fleet = mkdtempSync(join(tmpdir(), "pico-fleet-"));
    for (const id of ["havblik", "nordlys"]) cpSync(join(repoRoot, "stacks", `${id}.yaml`), join(fleet, `${id}.yaml`));
    // A third customer seeded with nordlys's roster: ana and bo now cover three customers on their backend days.
    writeFileSync(
      join(fleet, "fjord.yaml"),
      original
        .replace("customer: nordlys", "customer: fjord")
        .replace(/nordlys/g, "fjord")
        .replace("3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"),
    );
  }, 60_000);

  afterAll(() => {
    if (fleet) rmSync(fleet, { recursive: true, force: true });
  });

  it("warns when one person is on duty for more customers on a day than _fleet.yaml allows, naming customers and days", () => {
    writeFileSync(join(fleet, "_fleet.yaml"), "standingSupport:\n  schedule: Pico standing support\nmaxCustomersPerPersonPerDay: 2\n");
    const r = runCli(["validate", "--stacks", fleet]);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stderr.split("\n").find((l) => l.includes(": warning: roster.backend[0]: ana.berg@pico.dk"));
    expect(line, r.stderr).toBeDefined();
    // At ana's entry in the first of the customers, fjord.yaml (line 45, like nordlys's).
    expect(line).toMatch(new RegExp(`^${join(fleet, "fjord.yaml")}:45:13: warning: `));
    expect(line).toContain(`is on duty for more than 2 customers on`);
    expect(line).toContain(`(maxCustomersPerPersonPerDay: 2 in ${join(fleet, "_fleet.yaml")})`);
    const [, day] = /: (\d{4}-\d{2}-\d{2}) \(fjord, havblik, nordlys\)/.exec(line!) ?? [];
    expect(day, line).toBeDefined();
    // That day is one of ana's in all three rosters.
    for (const id of ["fjord", "havblik", "nordlys"]) {
      const days: Day[] = json(runCli(["roster", join(fleet, `${id}.yaml`), "--json", "--year", day!.slice(0, 4)])).days;
      expect(days.find((d) => d.date === day)?.onDuty.backend, id).toBe("ana.berg@pico.dk");
    }
  });

  it("is quiet when the fleet allows three", () => {
    writeFileSync(join(fleet, "_fleet.yaml"), "standingSupport:\n  schedule: Pico standing support\nmaxCustomersPerPersonPerDay: 3\n");
    const r = runCli(["validate", "--stacks", fleet]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("more than");
  });

  it("roster --person: usage errors exit 2", () => {
    expect(runCli(["roster", "nordlys", "--person", "ana.berg@pico.dk"]).code).toBe(2);
    expect(runCli(["roster", "--person", "not-an-address"]).stderr).toContain("--person must be an e-mail address");
    expect(runCli(["roster", "--person", "ana.berg@pico.dk", "--year", "20x"]).stderr).toContain("--year must be a year from 1900 to 2200");
    expect(runCli(["roster"]).stderr).toBe(
      "error: missing required argument 'customer' (or give --person <e-mail>) (--help shows the usage)\n",
    );
  });
});

describe("the layer model: a change moves its own day's layer and no other", () => {
  const calendar: CustomerCalendar = {
    timezone: "Europe/Copenhagen",
    country: "DK",
    holidays: { summerWeeks: [28, 29, 30], extraDays: [], skipDays: [] },
  };
  const people = { backend: ["ana@pico.dk", "bo@pico.dk"], frontend: ["cem@pico.dk"], pim: ["dina@pico.dk", "eik@pico.dk"] };
  const change = { day: "2027-07-14", role: "backend" as const, from: "bo@pico.dk", to: "fie@pico.dk", reason: "ill" };

  it("over daily deploys with a refresh, the day the change is merged rewrites one layer id, and later days none", () => {
    const schedule = new ProviderScheduleModel();
    const rewrites: { day: string; to: string }[] = [];
    const merged = Date.parse("2027-05-01T00:00:00Z");
    for (let t = Date.parse("2027-01-01T03:00:00Z"); t < Date.parse("2027-09-01T00:00:00Z"); t += 86_400_000) {
      const now = new Date(t);
      const roster: Roster = t >= merged ? { ...people, changes: [change] } : people;
      schedule.refresh(now);
      const result = schedule.up(rosterLayers(calendar, roster, now).backend, now);
      expect(result.ended, now.toISOString()).toEqual([]);
      rewrites.push(...result.rewritten.map((r) => ({ day: now.toISOString().slice(0, 10), to: r.to })));
    }
    expect(rewrites).toEqual([{ day: "2027-05-01", to: "2027-07-14 Summer holiday" }]);
    // And PagerDuty then pages fie on 14 July, the rotation on every other day.
    const shifts = renderSchedule(
      "Europe/Copenhagen",
      schedule.apiLayers(),
      new Date("2027-07-13T00:00:00Z"),
      new Date("2027-07-16T00:00:00Z"),
    );
    expect(shifts.map((s) => s.user)).toEqual(["ana@pico.dk", "fie@pico.dk", "ana@pico.dk"]);
  });
});

describe("roster swap's edit of the text", () => {
  const change = { day: "2027-03-22", role: "pim" as const, from: "a@x.dk", to: "b@x.dk", reason: 'ill: "flu", really' };
  const entry = `{ day: 2027-03-22, role: pim, from: a@x.dk, to: b@x.dk, reason: 'ill: "flu", really' }`;

  it("adds the list after the roster's last line, before a comment that follows it", () => {
    const text = "roster:\n  backend: [a@x.dk]  # lead\n  pim: [a@x.dk]  # only one\n# the holidays\nholidays:\n  skipDays: []\n";
    expect(withChange(text, change)).toBe(
      `roster:\n  backend: [a@x.dk]  # lead\n  pim: [a@x.dk]  # only one\n  changes:\n    - ${entry}\n# the holidays\nholidays:\n  skipDays: []\n`,
    );
  });

  it("turns an empty `changes: []` into a list of one, keeping its comment", () => {
    const text = "roster:\n  backend: [a@x.dk]\n  changes: []   # none yet\n  pim: [a@x.dk]\n";
    expect(withChange(text, change)).toBe(`roster:\n  backend: [a@x.dk]\n  changes:\n    - ${entry}   # none yet\n  pim: [a@x.dk]\n`);
  });

  it("keeps the list's own indentation and date order", () => {
    const text = "roster:\n  pim: [a@x.dk]\n  changes:\n  - { day: 2027-07-14, role: pim, from: a, to: b, reason: r }\n";
    expect(withChange(text, change)).toBe(
      `roster:\n  pim: [a@x.dk]\n  changes:\n  - ${entry}\n  - { day: 2027-07-14, role: pim, from: a, to: b, reason: r }\n`,
    );
  });
});
