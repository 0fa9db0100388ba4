/**
 * Issue 12: what a new engineer trips on. Every case runs the built command, as a user does:
 * arguments are checked before any work, a usage problem is one line with exit 2, and no customer
 * file is silently left out.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./support/cli.js";

const tmp = () => mkdtempSync(join(tmpdir(), "pico-one-tool-"));
const at = "2027-01-10T12:00:00Z";

/** One line on stderr, nothing on stdout, exit 2. */
function expectUsage(r: { code: number | null; stdout: string; stderr: string }, message: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(message);
}

describe("arguments are checked before any work", () => {
  it("validate --catalog <missing dir> is a usage error, not a stack trace", () => {
    expectUsage(
      runCli(["validate", "--catalog", "no/such/catalog"]),
      /^pico-monitoring: --catalog 'no\/such\/catalog' is not a directory$/,
    );
  });

  it("audit --out <an existing file> stops before previewing anyone", () => {
    const file = join(tmp(), "audit.md");
    writeFileSync(file, "keep me\n");
    const r = runCli(["audit", "--at", at, "--out", file]);
    expectUsage(r, /--out '.*audit\.md' is a file; it names the directory the reports go into$/);
    expect(readFileSync(file, "utf8")).toBe("keep me\n");
  });

  it("roster --ics <unwritable path> fails first and prints nothing partial", () => {
    const r = runCli(["roster", "nordlys", "--ics", join(tmp(), "no", "such", "dir", "r.ics")]);
    expectUsage(r, /^pico-monitoring: cannot write .*r\.ics: ENOENT$/);
  });

  it("diff --out <a directory> stops before any git work or preview", () => {
    expectUsage(
      runCli(["diff", "--base", "HEAD", "--out", tmp()]),
      /^pico-monitoring: --out '.*' is a directory; it names the report file$/,
    );
  });

  it("validate takes customer ids like the other commands", () => {
    const r = runCli(["validate", "nordlys", "havblik"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/customers: 2 of 2 valid \(stacks\/nordlys\.yaml, stacks\/havblik\.yaml\)/);
  });

  it.each([
    [["validate", "nordly"], /^pico-monitoring: unknown customer 'nordly': no stacks\/nordly\.yaml \(did you mean 'nordlys'\?\)$/],
    [["validate", "stacks/nordly.yaml"], /^pico-monitoring: no such customer file 'stacks\/nordly\.yaml' \(did you mean 'nordlys'\?\)$/],
    [["preview", "havblk"], /^pico-monitoring: unknown customer 'havblk': .*\(did you mean 'havblik'\?\)$/],
    [["preview", "x.yaml"], /^pico-monitoring: no such customer file 'x\.yaml'; customers: baltic-freight, havblik, nordlys$/],
    [["roster", "nordlis"], /\(did you mean 'nordlys'\?\)$/],
    [["audit", "baltic"], /\(did you mean 'baltic-freight'\?\)$/],
  ])("%j is a usage error that names the nearest customer", (args, message) => {
    expectUsage(runCli(args), message);
  });

  it("a customer's file name means its file in stacks/, from any directory", () => {
    const r = runCli(["validate", "nordlys.yaml"], { cwd: tmp() });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("nothing is silently left out", () => {
  /** A stacks directory holding copies of two customers, one of them as `.yml`. */
  function stacksWithYml(): string {
    const dir = join(tmp(), "stacks");
    mkdirSync(dir);
    copyFileSync(join(repoRoot, "stacks", "nordlys.yaml"), join(dir, "nordlys.yaml"));
    copyFileSync(join(repoRoot, "stacks", "havblik.yaml"), join(dir, "havblik.yml"));
    writeFileSync(join(dir, "Pulumi.havblik.yaml"), "config: {}\n");
    return dir;
  }

  it("validate and audit read stacks/<c>.yml like .yaml", () => {
    const dir = stacksWithYml();
    const v = runCli(["validate", "--stacks", dir]);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/customers: 2 of 2 valid \(.*havblik\.yml, .*nordlys\.yaml\)/);
    const a = runCli(["audit", "--stacks", dir, "--at", at, "--json", "--jobs", "1"]);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).customers.map((c: { customer: string }) => c.customer)).toEqual(["havblik", "nordlys"]);
    expect(runCli(["validate", "--stacks", dir, "havblik"]).code).toBe(0);
  });

  it("a customer with both a .yaml and a .yml file is a usage error, not a guess", () => {
    const dir = stacksWithYml();
    copyFileSync(join(dir, "havblik.yml"), join(dir, "havblik.yaml"));
    expectUsage(runCli(["validate", "--stacks", dir]), /havblik\.yaml and .*havblik\.yml are both customer 'havblik'; keep one$/);
  });

  it("diff, preview and audit refuse to report from a dist/ older than the sources", () => {
    // A project root of its own (package.json + dist/), so touching a source can't disturb other tests.
    const root = tmp();
    cpSync(join(repoRoot, "dist"), join(root, "dist"), { recursive: true });
    copyFileSync(join(repoRoot, "package.json"), join(root, "package.json"));
    symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
    mkdirSync(join(root, "src"));
    writeFileSync(join(root, "src", "plan.ts"), "export {};\n");
    for (const command of [["diff", "--base", "HEAD"], ["preview", "nordlys"], ["audit"]]) {
      const r = runCli(command, { cwd: root, cli: join(root, "dist", "src", "cli", "main.js") });
      expectUsage(r, /^pico-monitoring: src\/plan\.ts changed after the last build of dist\/; run `npm run build` first$/);
    }
  });
});

describe("roster: what it wrote, and the coming windows", () => {
  it("--ics prints one summary line on stdout, of the days the file holds, and no table", () => {
    const file = join(tmp(), "nordlys.ics");
    const r = runCli(["roster", "nordlys", "--ics", file, "--at", "2027-02-01T12:00:00Z"]);
    expect(r.code, r.stderr).toBe(0);
    const events = readFileSync(file, "utf8").match(/BEGIN:VEVENT/g)!.length;
    expect(r.stdout).toBe(`roster nordlys: wrote ${file}: ${events} preparedness days in 2027 and 2028\n`);
    expect(r.stderr).toBe("");
    // The JSON document goes to a file of its own, with its own summary line.
    const json = join(tmp(), "nordlys.json");
    const both = runCli(["roster", "nordlys", "--json", "--out", json, "--ics", file, "--at", "2027-02-01T12:00:00Z"]);
    expect(both.code, both.stderr).toBe(0);
    const days = JSON.parse(readFileSync(json, "utf8")).days.length;
    expect(both.stdout.trimEnd().split("\n")).toEqual([
      `roster nordlys: ${days} preparedness days in 2027; written to ${json}`,
      `roster nordlys: wrote ${file}: ${events} preparedness days in 2027 and 2028`,
    ]);
    expectUsage(runCli(["roster", "nordlys", "--json", "--ics", file]), /--json with --ics: the calendar file is the result/);
  });

  it("--at with --role prints the one-line answer alone, not the year before it", () => {
    const r = runCli(["roster", "nordlys", "--at", "2027-03-22T10:00", "--role", "pim"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split("\n")).toEqual([
      "nordlys: a page at Mon 2027-03-22 10:00 +01:00 (Europe/Copenhagen), inside the Holy Week window 08:00–16:00, reaches:",
      expect.stringMatching(
        /^ {2}PIM consultant: \S+@pico\.dk, then standing support \(schedule "Pico standing support"\) if unacknowledged after 15 min$/,
      ),
    ]);
  });

  it("in December, without --year, shows the days still ahead and the next year", () => {
    const r = runCli(["roster", "nordlys", "--json", "--at", "2026-12-29T12:00"]);
    expect(r.code, r.stderr).toBe(0);
    const dates: string[] = JSON.parse(r.stdout).days.map((d: { date: string }) => d.date);
    // 2026-12-29 16:00 local has not ended yet at 12:00; the 28th has.
    const next: string[] = JSON.parse(runCli(["roster", "nordlys", "--json", "--year", "2027"]).stdout).days.map(
      (d: { date: string }) => d.date,
    );
    expect(dates).toEqual(["2026-12-29", "2026-12-30", ...next]);
    expect(dates.at(-1)).toBe("2027-12-30");
    const table = runCli(["roster", "nordlys", "--at", "2026-12-29T12:00"]);
    expect(table.stdout).toMatch(/^nordlys: \d+ preparedness days from 2026-12-29 to 2027-12-30 \(Europe\/Copenhagen\)$/m);
    // --year still means the whole of that year.
    expect(JSON.parse(runCli(["roster", "nordlys", "--json", "--year", "2026", "--at", "2026-12-29T12:00"]).stdout).days[0].date).toBe(
      "2026-03-30",
    );
  });
});

describe("one set of conventions", () => {
  it("--version prints the package version on stdout", () => {
    const r = runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
  });

  it("audit --at without an offset is local to each customer, as in preview and roster", () => {
    const dir = join(tmp(), "stacks");
    mkdirSync(dir);
    copyFileSync(join(repoRoot, "stacks", "nordlys.yaml"), join(dir, "nordlys.yaml"));
    // The Finnish customer: the same wall-clock time is an hour earlier there.
    const fin = readFileSync(join(repoRoot, "stacks", "nordlys.yaml"), "utf8")
      // Its own resources: a second file over nordlys's would fail the fleet check.
      .replace(/nordlys/g, "suomi")
      .replace("timezone: Europe/Copenhagen", "timezone: Europe/Helsinki")
      .replace("country: DK", "country: FI");
    writeFileSync(join(dir, "suomi.yaml"), fin);
    const r = runCli(["audit", "--stacks", dir, "--at", "2027-03-22T09:00", "--json", "--jobs", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.customers.map((c: { customer: string; asOf: string }) => [c.customer, c.asOf])).toEqual([
      ["nordlys", "2027-03-22T08:00:00.000Z"],
      ["suomi", "2027-03-22T07:00:00.000Z"],
    ]);
    expect(report.evidence.asOf).toBe("2027-03-22T09:00 (local to each customer)");
    // The same flag as --format json, and an offset still names one instant.
    const withOffset = JSON.parse(
      runCli(["audit", "--stacks", dir, "--at", "2027-03-22T09:00+01:00", "--format", "json", "--jobs", "1"]).stdout,
    );
    expect(withOffset.customers.map((c: { asOf: string }) => c.asOf)).toEqual(["2027-03-22T08:00:00.000Z", "2027-03-22T08:00:00.000Z"]);
    expect(withOffset.evidence.asOf).toBe("2027-03-22T08:00:00.000Z");
  });

  it("a mistyped option is one line that suggests the right one", () => {
    expectUsage(
      runCli(["audit", "--formt", "json"]),
      /^error: unknown option '--formt' \(Did you mean --format\?\) \(--help shows the usage\)$/,
    );
    expectUsage(runCli(["roster"]), /^error: missing required argument 'customer'/);
  });

  it("--at naming a day that doesn't exist says so, in every command", () => {
    for (const command of [["roster", "nordlys"], ["preview", "nordlys"], ["audit"]]) {
      expectUsage(
        runCli([...command, "--at", "2027-02-30"]),
        /^pico-monitoring: --at '2027-02-30': 2027-02-30 doesn't exist \(that month has 28 days\)$/,
      );
    }
  });

  it("--at in the hour the clocks skip warns that it was moved, and runs", () => {
    const r = runCli(["roster", "nordlys", "--at", "2027-03-28T02:30", "--role", "pim"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trimEnd()).toBe(
      "warning: --at 2027-03-28 02:30 doesn't exist in Europe/Copenhagen (the clocks go forward then); read as 2027-03-28T03:30:00+02:00",
    );
    expect(r.stdout).toContain("a page at Sun 2027-03-28 03:30 +02:00");
    // A time that exists, or one with its offset written, is taken as it is.
    expect(runCli(["roster", "nordlys", "--at", "2027-03-28T03:30", "--role", "pim"]).stderr).toBe("");
  });

  it("--json and --format that disagree is a usage error", () => {
    expectUsage(runCli(["audit", "--json", "--format", "md"]), /--json and --format md disagree; choose one$/);
  });
});

describe("SARIF for code scanning", () => {
  it("names its base URI and ranks every rule with a security-severity", () => {
    const out = join(tmp(), "reports");
    const r = runCli(["audit", "nordlys", "--at", at, "--format", "sarif", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(readFileSync(join(out, "audit.sarif"), "utf8")).runs[0];
    expect(Object.keys(run.originalUriBaseIds)).toEqual(["%SRCROOT%"]);
    const rules: { id: string; properties: Record<string, string> }[] = run.tool.driver.rules;
    for (const rule of rules) {
      const score = Number(rule.properties["security-severity"]);
      expect(score, rule.id).toBeGreaterThan(0);
      expect(score, rule.id).toBeLessThanOrEqual(10);
    }
    // GitHub's bands: above 9.0 is critical, 7.0 to 8.9 high.
    const score = (id: string) => Number(rules.find((x) => x.id === id)!.properties["security-severity"]);
    expect(score("no-plaintext-secrets")).toBeGreaterThan(9);
    expect(score("no-custom-alerts")).toBeGreaterThanOrEqual(7);
    expect(score("no-custom-alerts")).toBeLessThan(9);
  });
});

describe("--out <file> in every command that prints one result", () => {
  // Each command writes to the file exactly what it prints without --out, and says so on stdout.
  const cases: [name: string, args: string[]][] = [
    ["preview", ["preview", "nordlys", "--json", "--at", at]],
    ["roster", ["roster", "nordlys", "--json", "--at", at]],
    ["validate", ["validate", "--json"]],
  ];
  it.each(cases)("%s --out writes what stdout would carry, and one summary line", (name, args) => {
    const file = join(tmp(), `${name}.json`);
    const plain = runCli(args);
    const out = runCli([...args, "--out", file]);
    expect(out.code, out.stderr).toBe(plain.code);
    expect(readFileSync(file, "utf8")).toBe(plain.stdout);
    expect(out.stdout.trim().split("\n")).toHaveLength(1);
    expect(out.stdout).toContain(`written to ${file}`);
  });

  it("validate --out without --json puts the problems in the file, not on stderr", () => {
    const file = join(tmp(), "problems.txt");
    const r = runCli(["validate", "test/fixtures/invalid/endpoint-port.yaml", "--out", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(readFileSync(file, "utf8")).toBe(
      "test/fixtures/invalid/endpoint-port.yaml:16:26: systems[0].endpoints[0].url: port 70000 is out of range; ports run from 1 to 65535\n",
    );
    expect(r.stdout).toContain("0 of 1 valid");
  });

  it.each(["preview", "roster", "validate"])("%s --out naming a directory is a usage error before any work", (name) => {
    const dir = tmp();
    const r = runCli(name === "validate" ? [name, "--out", dir] : [name, "nordlys", "--out", dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim()).toBe(`pico-monitoring: --out '${dir}' is a directory; it names the file to write`);
  });
});
