/**
 * Issue 22, approved maintenance windows as people use them: `maintenance plan` writes a window into
 * a copy of the example stacks (plus the skagen fixture), keeping every other byte, and refuses what
 * `validate` refuses at its line; `maintenance list` shows the windows not yet over across the fleet.
 * Through the built command, as an engineer types it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultWindowId, withWindow } from "../src/cli/maintenance.js";
import type { MaintenanceWindowSpec } from "../src/customer/schema.js";
import { repoRoot, runCli } from "./support/cli.js";

const at = "2027-01-10T12:00:00Z";
const fixture = readFileSync(join(repoRoot, "test", "fixtures", "maintenance", "skagen.yaml"), "utf8");
const havblikOriginal = readFileSync(join(repoRoot, "stacks", "havblik.yaml"), "utf8");
const approver = "mette.skov@skagen-moebler.dk";

let dir: string;
let stacks: string;
const skagen = () => join(stacks, "skagen.yaml");
const havblik = () => join(stacks, "havblik.yaml");

/** A fresh copy of the example stacks with the skagen fixture beside them. */
function freshStacks(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = mkdtempSync(join(tmpdir(), "pico-maintenance-"));
  stacks = join(dir, "stacks");
  cpSync(join(repoRoot, "stacks"), stacks, { recursive: true });
  writeFileSync(skagen(), fixture);
}

const plan = (customer: string, extra: string[], base: Record<string, string> = {}) => {
  const flags: Record<string, string> = {
    "--start": "2027-02-03 21:00",
    "--for": "90m",
    "--systems": "portal",
    "--approved-by": approver,
    "--change": "CHG-1100",
    "--reason": "Portal framework upgrade",
    ...base,
  };
  return runCli(["maintenance", "plan", customer, ...Object.entries(flags).flat(), "--stacks", stacks, ...extra]);
};

const portalEntry = [
  "  - id: chg-1100",
  '    start: "2027-02-03 21:00"',
  "    duration: 90m",
  "    systems: [portal]",
  `    approvedBy: ${approver}`,
  "    change: CHG-1100",
  "    reason: Portal framework upgrade",
].join("\n");

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("maintenance plan, end to end", () => {
  let first: ReturnType<typeof runCli>;
  beforeAll(() => {
    freshStacks();
    first = plan("skagen", []);
  }, 60_000);

  it("appends the window to maintenance:, keeps every other byte, and prints the change ready for a pull request", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(readFileSync(skagen(), "utf8")).toBe(`${fixture}${portalEntry}\n`);
    const lines = first.stdout.split("\n");
    expect(lines[0]).toBe(
      `${skagen()}: added maintenance window chg-1100 for skagen: Wed 2027-02-03 21:00–22:30 +01:00 (Europe/Copenhagen), 1h30m, ` +
        `systems portal; CHG-1100, approved by ${approver}`,
    );
    expect(first.stdout).toContain(`@@ -51,0 +52,7 @@\n${portalEntry.replace(/^/gm, "+")}\n`);
  });

  it("says what the window silences, by which Datadog downtime and Azure processing rule, and who is still paged for the other systems", () => {
    expect(first.stdout).toContain(
      "It silences 2 alerts with 1 Datadog downtime and 1 Azure alert processing rule (a monitor still alerting at the end notifies then):\n" +
        "  skagen-app-service-5xx-web-app (Frontend developer)        by Datadog downtime skagen-maintenance-chg-1100-web-app\n" +
        "  skagen-endpoint-availability-webshop (Frontend developer)  by Azure alert processing rule skagen-maintenance-chg-1100\n",
    );
    // 21:00 on an ordinary Wednesday: outside the preparedness windows, standing support gets the pim system's pages.
    expect(first.stdout).toContain(
      "Still paged meanwhile (at the window's start):\n" +
        '  Backend developer: standing support (schedule "Pico standing support")\n' +
        "    skagen-resource-health-pim (pim)\n" +
        '  Frontend developer: standing support (schedule "Pico standing support")\n' +
        "    skagen-app-service-5xx-pim-app (pim)\n" +
        '  PIM consultant: standing support (schedule "Pico standing support")\n' +
        "    skagen-sql-failed-connections-pim-db (pim)\n",
    );
  });

  it("the written file passes validate, and the preview renders the window's silences", () => {
    const v = runCli(["validate", "skagen", "--stacks", stacks]);
    expect(v.code, v.stderr).toBe(0);
    const doc = JSON.parse(runCli(["preview", skagen(), "--json", "--at", at]).stdout);
    const names = doc.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(["skagen-maintenance-chg-1100-web-app", "skagen-maintenance-chg-1100"]));
  });

  it("a second window on the same change gets an id of its own; --id and --during-preparedness are written as given", () => {
    const again = plan("skagen", [], { "--start": "2027-02-04 21:00" });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/added maintenance window chg-1100-2 for skagen/);
    // Holy Week Monday, 2027-03-22, is a preparedness day from 08:00 to 16:00.
    const during = plan("skagen", ["--id", "easter-hotfix", "--during-preparedness", "the hotfix cannot wait"], {
      "--start": "2027-03-22 10:00",
      "--for": "1h",
      "--systems": "pim,portal",
      "--change": "CHG-1200",
    });
    expect(during.code, during.stderr).toBe(0);
    const text = readFileSync(skagen(), "utf8");
    expect(text).toContain(
      '  - id: easter-hotfix\n    start: "2027-03-22 10:00"\n    duration: 1h\n    systems: [pim, portal]\n' +
        `    approvedBy: ${approver}\n    change: CHG-1200\n    reason: Portal framework upgrade\n    duringPreparedness: the hotfix cannot wait\n`,
    );
    // Every alert is silenced, and inside the preparedness window the message says so.
    expect(during.stdout).toContain("It silences 5 alerts with 3 Datadog downtimes and 1 Azure alert processing rule");
    expect(during.stdout).toContain("Still paged meanwhile (at the window's start):\n  nobody: every chosen alert is silenced\n");
  });

  it("--dry-run prints the change and writes nothing", () => {
    const before = readFileSync(skagen(), "utf8");
    const dry = plan("skagen", ["--dry-run"], { "--start": "2027-02-10 21:00", "--change": "CHG-1300" });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^.*skagen\.yaml: would add \(dry run, nothing written\) maintenance window chg-1300 for skagen:/);
    expect(dry.stdout).toContain("+  - id: chg-1300\n");
    expect(readFileSync(skagen(), "utf8")).toBe(before);
  });
});

describe("maintenance plan refuses what validate refuses, at the line it would have written", () => {
  beforeAll(freshStacks);

  const refused = (r: ReturnType<typeof runCli>, line: RegExp) => {
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(line);
    expect(r.stderr).toMatch(/\(maintenance plan wrote nothing\)\n$/);
    expect(readFileSync(skagen(), "utf8")).toBe(fixture);
  };

  it("an approver the file does not list", () => {
    refused(
      plan("skagen", [], { "--approved-by": "boss@skagen-moebler.dk" }),
      /skagen\.yaml:56:17: maintenance\[2\]\.approvedBy: 'boss@skagen-moebler\.dk' is not one of the customer's approvers.*the approvers are mette\.skov@skagen-moebler\.dk/,
    );
  });

  it("a system the file does not have", () => {
    refused(
      plan("skagen", [], { "--systems": "portal,shop" }),
      /skagen\.yaml:55:\d+: maintenance\[2\]\.systems\[1\]: no system has id 'shop'/,
    );
  });

  it("longer than the fleet's maximum", () => {
    refused(
      plan("skagen", [], { "--for": "5h" }),
      /skagen\.yaml:54:\d+: maintenance\[2\]\.duration: 5h is longer than the fleet's maximum of 4h/,
    );
  });

  it("a start the clocks skip, and a preparedness window without a reason", () => {
    refused(
      plan("skagen", [], { "--start": "2027-03-28 02:30" }),
      /skagen\.yaml:53:\d+: maintenance\[2\]\.start: 2027-03-28 02:30 doesn't exist in Europe\/Copenhagen/,
    );
    refused(
      plan("skagen", [], { "--start": "2027-03-22 10:00" }),
      /skagen\.yaml:53:\d+: maintenance\[2\]\.start: the window overlaps the preparedness window of 2027-03-22.*duringPreparedness/,
    );
  });

  it("an id already taken", () => {
    refused(plan("skagen", ["--id", "jan-pim-patches"]), /skagen\.yaml:52:\d+: maintenance\[2\]\.id: 'jan-pim-patches' is already the id/);
  });

  it("a customer file without approvers: the list is created, and the approver is refused because none is listed", () => {
    const r = plan("havblik", [], { "--approved-by": "ingrid.vik@havblik.no", "--systems": "pim" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/havblik\.yaml:57:\d+: maintenance\[0\]\.approvedBy: .*the file lists no `approvers:`/);
    expect(readFileSync(havblik(), "utf8")).toBe(havblikOriginal);
  });

  it("creates maintenance: at the end of a file that has none", () => {
    const withApprovers = `${havblikOriginal}approvers:\n  - { name: Ingrid Vik, email: ingrid.vik@havblik.no }\n`;
    writeFileSync(havblik(), withApprovers);
    const r = plan("havblik", [], { "--approved-by": "ingrid.vik@havblik.no", "--systems": "pim", "--change": "HAV-7" });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(havblik(), "utf8")).toBe(
      `${withApprovers}maintenance:\n  - id: hav-7\n    start: "2027-02-03 21:00"\n    duration: 90m\n    systems: [pim]\n` +
        "    approvedBy: ingrid.vik@havblik.no\n    change: HAV-7\n    reason: Portal framework upgrade\n",
    );
    writeFileSync(havblik(), havblikOriginal);
  });

  it("usage errors exit 2 and write nothing", () => {
    for (const [flags, message] of [
      [{ "--start": "2027-02-03T9:00" }, /--start must be a local date and time/],
      [{ "--for": "2 hours" }, /--for must be a duration/],
      [{ "--for": "0m" }, /--for must be a duration/],
      [{ "--systems": "," }, /--systems must name at least one system/],
      [{ "--approved-by": "mette" }, /--approved-by must be an e-mail address/],
      [{ "--change": "CHG 1" }, /--change must be a change reference/],
      [{ "--reason": " " }, /--reason must say what is being done/],
    ] as const) {
      const r = plan("skagen", [], flags);
      expect(r.code, JSON.stringify(flags)).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(plan("skagen", ["--id", "Jan"]).code).toBe(2);
    const past = plan("skagen", [], { "--start": "2020-02-03 21:00" });
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(
      /--start 2020-02-03 21:00 for 90m ended at 2020-02-03 22:30 \+01:00 \(Europe\/Copenhagen\): a window in the past silences nothing/,
    );
    expect(plan("nosuch", []).stderr).toMatch(/unknown customer 'nosuch'/);
    const missing = runCli(["maintenance", "plan", "skagen", "--stacks", stacks, "--start", "2027-02-03 21:00"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--for <duration>' not specified/);
    expect(readFileSync(skagen(), "utf8")).toBe(fixture);
  });
});

describe("maintenance list", () => {
  beforeAll(() => {
    freshStacks();
    expect(plan("skagen", []).code).toBe(0);
  }, 60_000);

  const list = (args: string[]) => {
    const r = runCli(["maintenance", "list", "--stacks", stacks, ...args]);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };

  it("--json: every customer's windows not over at --at, by start; an ended one is left out", () => {
    const doc = JSON.parse(list(["--at", at, "--json"]).stdout);
    expect(doc.at).toBe("2027-01-10T12:00:00Z");
    expect(doc.windows).toEqual([
      {
        customer: "skagen",
        id: "jan-pim-patches",
        timezone: "Europe/Copenhagen",
        start: "2027-01-12T20:00:00+01:00",
        end: "2027-01-12T22:00:00+01:00",
        duration: "2h",
        systems: ["pim"],
        approvedBy: approver,
        change: "CHG-1042",
        reason: "January security patches for the PIM",
        running: false,
      },
      expect.objectContaining({
        customer: "skagen",
        id: "chg-1100",
        start: "2027-02-03T21:00:00+01:00",
        duration: "1h30m",
        running: false,
      }),
    ]);
  });

  it("a table with local times and zone, approver, change, and whether the window runs now", () => {
    const r = list(["--at", "2027-01-12T20:30:00+01:00"]);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("maintenance windows not over at 2027-01-12T19:30:00Z (4 customers): 2");
    expect(lines[2]).toMatch(/Customer.*Window.*When \(local\).*For.*Systems.*Approved by.*Change.*Now/);
    const row = lines.find((l) => l.includes("jan-pim-patches"))!;
    expect(row).toMatch(/skagen.*Tue 2027-01-12 20:00–22:00 \+01:00.*2h.*pim.*mette\.skov@skagen-moebler\.dk.*CHG-1042.*running/);
    expect(lines.find((l) => l.includes("chg-1100"))).not.toMatch(/running/);
    expect(r.stdout).toContain("Europe/Copenhagen");
    expect(lines.findIndex((l) => l.includes("jan-pim-patches"))).toBeLessThan(lines.findIndex((l) => l.includes("chg-1100")));
  });

  it("--at without an offset is local to each customer, as in preview, roster and audit", () => {
    const doc = JSON.parse(list(["--at", "2027-01-12T20:30", "--json"]).stdout);
    expect(doc.at).toBe("2027-01-12T20:30 (local to each customer)");
    expect(doc.windows.map((w: { id: string; running: boolean }) => [w.id, w.running])).toEqual([
      ["jan-pim-patches", true],
      ["chg-1100", false],
    ]);
    // 22:00 in Copenhagen: the window has just ended there.
    expect(JSON.parse(list(["--at", "2027-01-12T22:00", "--json"]).stdout).windows.map((w: { id: string }) => w.id)).toEqual(["chg-1100"]);
  });

  it("one customer, by id or by path; a customer without windows, and a time after them all, list none", () => {
    const byPath = JSON.parse(
      runCli(["maintenance", "list", join(repoRoot, "test", "fixtures", "maintenance", "skagen.yaml"), "--at", at, "--json"]).stdout,
    );
    expect(byPath.windows.map((w: { id: string }) => w.id)).toEqual(["jan-pim-patches"]);
    expect(JSON.parse(list(["skagen", "--at", at, "--json"]).stdout).windows).toHaveLength(2);
    expect(list(["havblik", "--at", at]).stdout).toBe("maintenance windows not over at 2027-01-10T12:00:00Z (havblik): 0\n");
    expect(JSON.parse(list(["--at", "2027-06-01T00:00:00Z", "--json"]).stdout).windows).toEqual([]);
  });

  it("usage errors exit 2; a broken customer file exits 1 naming it", () => {
    expect(runCli(["maintenance", "list", "--stacks", join(dir, "nowhere")]).code).toBe(2);
    expect(runCli(["maintenance", "list", "--stacks", stacks, "--at", "soon"]).code).toBe(2);
    expect(runCli(["maintenance", "list", "nosuch", "--stacks", stacks]).code).toBe(2);
    writeFileSync(join(stacks, "broken.yaml"), "customer: broken\n");
    const r = runCli(["maintenance", "list", "--stacks", stacks]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:1:1: /);
    rmSync(join(stacks, "broken.yaml"));
  });
});

describe("maintenance plan's edit of the text", () => {
  const entry: MaintenanceWindowSpec = {
    id: "w1",
    start: "2027-02-03 21:00",
    duration: "2h",
    systems: ["pim"],
    approvedBy: "a@b.dk",
    change: "C-1",
    reason: "patches: January",
  };

  it("turns an empty flow list into a block list, and keeps what follows", () => {
    const text = "customer: x\nmaintenance: [] # none yet\nroster: {}\n";
    expect(withWindow(text, entry)).toBe(
      'customer: x\nmaintenance: # none yet\n  - id: w1\n    start: "2027-02-03 21:00"\n    duration: 2h\n    systems: [pim]\n' +
        '    approvedBy: a@b.dk\n    change: C-1\n    reason: "patches: January"\nroster: {}\n',
    );
  });

  it("appends after the last entry, at the list's own indentation, before a comment that follows it", () => {
    const text = "maintenance:\n- id: w0\n  start: '2027-01-01 10:00'\n# next\nroster: {}\n";
    expect(withWindow(text, entry)).toBe(
      "maintenance:\n- id: w0\n  start: '2027-01-01 10:00'\n- id: w1\n  start: \"2027-02-03 21:00\"\n  duration: 2h\n  systems: [pim]\n" +
        '  approvedBy: a@b.dk\n  change: C-1\n  reason: "patches: January"\n# next\nroster: {}\n',
    );
  });

  it("refuses a non-empty flow list", () => {
    expect(() => withWindow("maintenance: [{id: a}]\n", entry)).toThrow(/write it as a block list/);
  });

  it("derives the id from the change reference, unique in the file", () => {
    expect(defaultWindowId("CHG-1042", "2027-01-12 20:00", [])).toBe("chg-1042");
    expect(defaultWindowId("CHG-1042", "2027-01-12 20:00", ["chg-1042", "chg-1042-2"])).toBe("chg-1042-3");
    expect(defaultWindowId("1042", "2027-01-12 20:00", [])).toBe("maintenance-1042");
    expect(defaultWindowId("ops/PATCH_7", "2027-01-12 20:00", [])).toBe("ops-patch-7");
  });
});
