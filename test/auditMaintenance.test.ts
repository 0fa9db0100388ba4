/**
 * `pico-monitoring audit` lists each customer's approved maintenance windows (issue 22): when each
 * runs in the customer's zone, what it silences, who approved it on which change, whether it
 * overlaps holiday preparedness and why it may, and whether it is upcoming, running or over at the
 * audit's instant. End to end through the built command, on a stacks directory holding the skagen
 * fixture and a third window, over Christmas, written in by the test.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditedMaintenanceWindow, AuditReport } from "../src/audit/model.js";
import { repoRoot, runCli } from "./support/cli.js";

const at = "2027-01-10T12:00:00Z";
/** Inside jan-pim-patches: 20:30 in Copenhagen. */
const during = "2027-01-12T19:30:00Z";

const xmas = `  # Over Christmas, with the reason the file gives for it.
  - id: xmas-db-patch
    start: "2027-12-27 10:00"
    duration: 1h30m
    systems: [pim, portal]
    approvedBy: mette.skov@skagen-moebler.dk
    change: CHG-1100
    reason: "Database patch <b>now</b> | *quiet* week"
    duringPreparedness: "Agreed with Mette: the PIM is idle that week"
`;

let tmp: string;
let stacks: string;
let file: string;
let run: ReturnType<typeof runCli>;
let report: AuditReport;

const lineOf = (text: string) => readFileSync(file, "utf8").split("\n").indexOf(text) + 1;
const windows = (r: AuditReport) => r.customers[0]!.maintenance!;
const byId = (r: AuditReport, id: string) => windows(r).find((w) => w.id === id)!;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "pico-audit-maintenance-"));
  stacks = join(tmp, "stacks");
  mkdirSync(stacks);
  copyFileSync(join(repoRoot, "stacks", "_fleet.yaml"), join(stacks, "_fleet.yaml"));
  file = join(stacks, "skagen.yaml");
  writeFileSync(file, readFileSync(join(repoRoot, "test", "fixtures", "maintenance", "skagen.yaml"), "utf8") + xmas);
  run = runCli(["audit", "--stacks", stacks, "--at", at, "--out", join(tmp, "out"), "--format", "all"]);
  report = JSON.parse(readFileSync(join(tmp, "out", "audit.json"), "utf8")) as AuditReport;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the audit's maintenance windows", () => {
  it("records each window with its approval, local and UTC times, and its line", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(windows(report).map((w) => [w.id, w.state])).toEqual([
      ["jan-pim-patches", "upcoming"],
      ["dec-portal-restart", "ended"],
      ["xmas-db-patch", "upcoming"],
    ]);
    expect(byId(report, "jan-pim-patches")).toEqual({
      id: "jan-pim-patches",
      start: "2027-01-12 20:00",
      end: "2027-01-12 22:00",
      timezone: "Europe/Copenhagen",
      startUtc: "2027-01-12T19:00:00Z",
      endUtc: "2027-01-12T21:00:00Z",
      duration: "2h",
      minutes: 120,
      systems: ["pim"],
      approvedBy: { name: "Mette Skov", email: "mette.skov@skagen-moebler.dk" },
      change: "CHG-1042",
      reason: "January security patches for the PIM",
      state: "upcoming",
      at: { line: lineOf("  - id: jan-pim-patches"), col: 5 },
    } satisfies AuditedMaintenanceWindow);
    // Ended before the as-of: it renders nothing now, and the audit still shows it was approved.
    expect(byId(report, "dec-portal-restart")).toMatchObject({ start: "2027-01-05 21:00", end: "2027-01-05 22:00", change: "CHG-1001" });
    expect(byId(report, "jan-pim-patches").preparedness).toBeUndefined();
  });

  it("says which preparedness window a window overlaps, and the reason the file gives", () => {
    expect(byId(report, "xmas-db-patch")).toMatchObject({
      duration: "1h30m",
      minutes: 90,
      systems: ["pim", "portal"],
      preparedness: {
        date: "2027-12-27",
        kind: "christmas",
        title: "Christmas to New Year",
        start: "2027-12-27 08:00",
        end: "2027-12-27 16:00",
        reason: "Agreed with Mette: the PIM is idle that week",
      },
    });
  });

  it("Markdown: a table per customer, values escaped", () => {
    const md = readFileSync(join(tmp, "out", "audit.md"), "utf8");
    const section = md.split("### Maintenance windows (3)\n")[1]!.split("\n\n")[0]!;
    expect(section.split("\n")).toEqual([
      "",
      "| Window | Local time | Duration | Systems | Approved by | Change | Reason | Preparedness | At as-of | Line |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      `| jan-pim-patches | 2027-01-12 20:00–22:00 Europe/Copenhagen | 2h | pim | Mette Skov (mette.skov@skagen-moebler.dk) | CHG-1042 | January security patches for the PIM | no overlap | upcoming | ${lineOf("  - id: jan-pim-patches")} |`,
      `| dec-portal-restart | 2027-01-05 21:00–22:00 Europe/Copenhagen | 1h | portal | Mette Skov (mette.skov@skagen-moebler.dk) | CHG-1001 | Portal restart after the December patch | no overlap | ended | ${lineOf("  - id: dec-portal-restart")} |`,
      `| xmas-db-patch | 2027-12-27 10:00–11:30 Europe/Copenhagen | 1h30m | pim, portal | Mette Skov (mette.skov@skagen-moebler.dk) | CHG-1100 | Database patch &lt;b&gt;now&lt;/b&gt; \\| \\*quiet\\* week | **overlaps** 2027-12-27 (Christmas to New Year, 2027-12-27 08:00–16:00): Agreed with Mette: the PIM is idle that week | upcoming | ${lineOf("  - id: xmas-db-patch")} |`,
    ]);
    // After the alerts, before the policy results.
    expect(md.indexOf("### Alerts")).toBeLessThan(md.indexOf("### Maintenance windows"));
    expect(md.indexOf("### Maintenance windows")).toBeLessThan(md.indexOf("### Policy results"));
  });

  it("HTML: the table scrolls in its own box on a phone, as every wide table does; values escaped", () => {
    const html = readFileSync(join(tmp, "out", "audit.html"), "utf8");
    const table = html.split("<h3>Maintenance windows (3)</h3>\n")[1]!.split("</table></div>")[0]!;
    expect(table).toMatch(/^<div class="wide"><table>\n<thead><tr><th>Window<\/th>/);
    expect(table).toContain('<td>2027-01-12 20:00–22:00<br><span class="muted">Europe/Copenhagen</span></td>');
    expect(table).toContain('<td>Mette Skov<br><span class="mono">mette.skov@skagen-moebler.dk</span></td>');
    expect(table).toContain("Database patch &lt;b&gt;now&lt;/b&gt; | *quiet* week");
    expect(table).not.toContain("<b>now</b>");
    expect(table).toContain('<td class="na">ended</td>');
    expect(table).toContain("overlaps 2027-12-27 (Christmas to New Year, 2027-12-27 08:00–16:00)");
  });

  it("SARIF: no finding per window (code scanning would raise each); the windows ride in the run's properties", () => {
    const sarif = JSON.parse(readFileSync(join(tmp, "out", "audit.sarif"), "utf8"));
    expect(sarif.runs[0].results).toEqual([]);
    expect(sarif.runs[0].properties.maintenance).toEqual([
      { customer: "skagen", file: report.customers[0]!.file, windows: windows(report) },
    ]);
  });

  it("at an instant inside a window, that window is running; after it, ended", () => {
    const inside = runCli(["audit", "--stacks", stacks, "--at", during, "--format", "json"]);
    expect(inside.code, inside.stderr).toBe(0);
    expect(windows(JSON.parse(inside.stdout)).map((w) => [w.id, w.state])).toEqual([
      ["jan-pim-patches", "running"],
      ["dec-portal-restart", "ended"],
      ["xmas-db-patch", "upcoming"],
    ]);
    const md = runCli(["audit", "--stacks", stacks, "--at", during]);
    expect(md.stdout).toMatch(/^\| jan-pim-patches \| .* \| \*\*running now\*\* \| \d+ \|$/m);
    const after = runCli(["audit", "--stacks", stacks, "--at", "2027-01-12T21:00:00Z", "--format", "json"]);
    expect(byId(JSON.parse(after.stdout), "jan-pim-patches").state).toBe("ended");
  });

  it("a customer file without windows has no maintenance record", () => {
    const r = runCli(["audit", "havblik", "--at", at, "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    const audit = (JSON.parse(r.stdout) as AuditReport).customers[0]!;
    expect(audit.customer).toBe("havblik");
    expect(audit).not.toHaveProperty("maintenance");
    expect(runCli(["audit", "havblik", "--at", at]).stdout).not.toContain("Maintenance windows");
  });
});
