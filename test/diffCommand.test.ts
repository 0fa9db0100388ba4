/**
 * `pico-monitoring diff` end to end: a throw-away git repository holding a copy of this project
 * (base commit), a change in its working tree, and the built CLI run against it as CI runs it.
 *
 * Data-only changes reuse the working tree's build for the base (same code); one scenario changes
 * code, so the base is transpiled from its own sources there. That is the slow one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { affectedCustomers, lockEntriesChanged } from "../src/diff/affected.js";
import { customerDiff, diffReport } from "../src/diff/report.js";
import { customerIdsIn } from "../src/customer/customerFiles.js";
import { pack } from "./support/pack.js";
import type { PreviewDoc } from "../src/preview/document.js";
import { commentMarker, reportMarkdown } from "../src/diff/markdown.js";
import { runCli } from "./support/cli.js";

const projectRoot = join(__dirname, "..");
const asOf = "2027-01-10T12:00:00Z";

let dir: string;
let repo: string;
/** TMPDIR of the diff runs: empty again after each run, or the base tree leaked. */
let scratch: string;

function git(...args: string[]): string {
  return execFileSync("git", args, {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@pico.dk", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@pico.dk" },
  });
}

function diff(...args: string[]) {
  const r = spawnSync(process.execPath, [join(repo, "dist", "src", "cli", "main.js"), "diff", "--at", asOf, ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, TMPDIR: scratch },
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(readdirSync(scratch), "the base tree is cleaned up").toEqual([]);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(r: { stdout: string; stderr: string }) {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON; stderr:\n${r.stderr}`);
  }
}

const file = (p: string) => join(repo, p);
const edit = (p: string, f: (s: string) => string) => {
  const before = readFileSync(file(p), "utf8");
  const after = f(before);
  expect(after, `edit of ${p} matched`).not.toBe(before);
  writeFileSync(file(p), after);
};

const customers = () => customerIdsIn(file("stacks")).sort();

describe("diff --base", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pico-diff-test-"));
    repo = join(dir, "repo");
    scratch = join(dir, "tmp");
    mkdirSync(scratch);
    mkdirSync(repo);
    for (const p of [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "Pulumi.yaml",
      "src",
      "components",
      "policies",
      "catalog",
      "stacks",
    ]) {
      if (existsSync(join(projectRoot, p)))
        cpSync(join(projectRoot, p), join(repo, p), { recursive: true, filter: (s) => !s.includes("node_modules") });
    }
    symlinkSync(join(projectRoot, "node_modules"), join(repo, "node_modules"), "dir");
    // The built CLI, as `npm test` leaves it; the scenario that changes code patches it like tsc would.
    cpSync(join(projectRoot, "dist"), join(repo, "dist"), { recursive: true });
    writeFileSync(join(repo, ".gitignore"), "node_modules\ndist\n");
    writeFileSync(join(repo, "README.md"), "# Pico monitoring\n");
    // A second customer on sql-cpu, so "every customer using the entry" means more than one.
    writeFileSync(
      join(repo, "stacks", "fjord.yaml"),
      readFileSync(join(repo, "stacks", "nordlys.yaml"), "utf8")
        .replace("customer: nordlys", "customer: fjord")
        .replace(/nordlys/g, "fjord"),
    );
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
  }, 60_000);

  afterEach(() => {
    git("reset", "-q", "--hard");
    git("clean", "-q", "-fd");
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a catalogue threshold change affects every customer using the entry, and only them", () => {
    const users = customers().filter((c) => /use: sql-cpu\b/.test(readFileSync(file(`stacks/${c}.yaml`), "utf8")));
    expect(users).toEqual(["fjord", "nordlys"]);
    // A changed entry is a new version: the version lock rejects it otherwise. Until that version is
    // released in the lock (a reviewed change of its own), the pack rejects its alerts (issue 11).
    edit("catalog/entries/sql-cpu.yaml", (s) =>
      s.replace(/(threshold:\n(?:.*\n)*?\s+default: )70/, "$180").replace(/^version: 1$/m, "version: 2"),
    );

    const r = diff("--base", "main", "--format", "json");
    expect(r.code, r.stderr).toBe(1);
    const report = json(r);
    expect(report.affected).toEqual(users);
    expect(report.stacks).toEqual(users);
    // Only data changed: the base's code is the working tree's, so its build is reused.
    expect(report.baseBuild).toEqual({ method: "reused" });
    expect(report.asOf).toBe("2027-01-10T12:00:00.000Z");
    for (const c of report.customers) {
      expect(c.reason).toBe("catalogue entry sql-cpu changed (catalog/entries/sql-cpu.yaml)");
      expect(c.changes.added).toEqual([]);
      expect(c.changes.removed).toEqual([]);
      expect(c.changes.changed.map((x: { name: string }) => x.name)).toEqual([`${c.customer}-sql-cpu-pim-db`]);
      const props = Object.fromEntries(c.changes.changed[0].props.map((p: { path: string }) => [p.path, p]));
      const critical = props["monitorThresholds.critical"];
      expect([String(critical.before), String(critical.after)]).toEqual(["70", "80"]);
      expect(props["query"].before).toMatch(/cpu_percent\{.*\} > 70$/);
      expect(props["query"].after).toMatch(/cpu_percent\{.*\} > 80$/);
      expect(c.alerts).toEqual({ before: 9, after: 9, max: 10 });
      expect(c.roster).toEqual({ added: [], removed: [], reassigned: [] });
      expect(c.result).toBe("fail");
      expect(c.policies.results.filter((p: { status: string }) => p.status === "fail").map((p: { policy: string }) => p.policy)).toEqual([
        "released-catalog-versions",
      ]);
    }
    expect(r.stderr).toMatch(/\[2\/2\]/);
    // The comment flags the catalogue change at the top, with the customers it touches.
    const md = reportMarkdown(report);
    const flag = md.indexOf("**Catalogue change**: 1 entry changed");
    expect(flag).toBeGreaterThan(0);
    expect(flag).toBeLessThan(md.indexOf("| Customer |"));
    expect(md).toContain("> - `sql-cpu` (`catalog/entries/sql-cpu.yaml`): `fjord`, `nordlys`");
  });

  it("--json plans the roll-out: the fleet file's canaries first, the rest in shards balanced by their previews' resources", () => {
    // A fleet-file change touches every customer, so it goes in waves (issue 24).
    edit("stacks/_fleet.yaml", (s) =>
      s.replace(/^rollout:\n(?: .*\n)*/m, "rollout:\n  canaries: [havblik]\n  directUpTo: 1\n  maxShards: 2\n"),
    );
    const r = diff("--base", "main", "--json");
    expect(r.code, r.stderr).toBe(0);
    const { rollout, stacks } = json(r);
    expect(stacks).toEqual(customers());
    expect(rollout.kind).toBe("waves");
    expect(rollout.waves[0].customers).toEqual(["havblik"]);
    expect(rollout.waves[1].customers).toEqual(customers().filter((c) => c !== "havblik"));
    expect(rollout.waves[1].shards).toHaveLength(2);
    // Each customer costs the resources its head preview holds (fjord is a copy of nordlys).
    const resources = (c: string) => JSON.parse(runCli(["preview", c, "--json", "--at", asOf]).stdout).resources.length as number;
    const cost = (shards: { cost: number }[]) => shards.reduce((t, x) => t + x.cost, 0);
    expect(cost(rollout.waves[0].shards)).toBe(resources("havblik"));
    expect(cost(rollout.waves[1].shards)).toBe(resources("baltic-freight") + 2 * resources("nordlys"));
    expect(cost(rollout.all)).toBe(cost(rollout.waves[0].shards) + cost(rollout.waves[1].shards));
    expect(diff("--base", "main", "--json", "--shards", "0")).toMatchObject({ code: 2 });
  });

  it("a version-lock record touches the customers of its entry only, not every customer", () => {
    const users = customers().filter((c) => /use: sql-cpu\b/.test(readFileSync(file(`stacks/${c}.yaml`), "utf8")));
    // Versions the catalogue has moved past stay in the lock as evidence, so a new record alone is valid.
    edit("catalog/versions.lock.json", (s) => s.replace(/^\{\n/, `{\n  "sql-cpu@0": "sha256:${"0".repeat(64)}",\n`));
    const r = diff("--base", "main", "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.affected).toEqual(users);
    for (const c of report.customers) expect(c.reason).toBe("catalogue entry sql-cpu changed (catalog/versions.lock.json)");
  });

  it("a new person in a rotation: one summary line of people and dates, the days folded beneath it", () => {
    edit("stacks/nordlys.yaml", (s) => s.replace("  frontend: [cem.ozturk@pico.dk]", "  frontend: [cem.ozturk@pico.dk, dina.new@pico.dk]"));
    const r = diff("--base", "main");
    expect(r.code, r.stderr).toBe(0);
    const md = r.stdout;
    const summary = /<details><summary>dina\.new joins the frontend rotation: (\d+) days from (\S+) to (\S+)<\/summary>/.exec(md);
    expect(summary, md).not.toBeNull();
    const days = [...md.matchAll(/^ {4}- `(\d{4}-\d{2}-\d{2})` frontend: cem\.ozturk → dina\.new$/gm)].map((m) => m[1]);
    expect(days.length).toBe(Number(summary![1]));
    expect([days[0], days.at(-1)]).toEqual([summary![2], summary![3]]);
    // People and dates, not PagerDuty ids inside layer JSON, in the summary.
    expect(md.split("**Who is on duty changes:**")[1]!.split("</details>")[0]).not.toMatch(/\bP[0-9A-F]{6}\b/);
  });

  it("a roster swap: the comment lists it under roster changes with its reason, and one schedule changes", () => {
    const swap = runCli(
      ["roster", "swap", "nordlys", "2027-07-14", "--role", "backend", "--to", "ana.berg@pico.dk", "--reason", "Bo is ill"],
      {
        cwd: repo,
        cli: join(repo, "dist", "src", "cli", "main.js"),
      },
    );
    expect(swap.code, swap.stderr).toBe(0);
    // One run: the comment is this report rendered (the Markdown path of `diff` itself is covered above).
    const report = json(diff("--base", "main", "--json"));
    const nordlys = report.customers.find((c: { customer: string }) => c.customer === "nordlys");
    expect(nordlys.rosterChanges).toEqual({
      added: [{ day: "2027-07-14", role: "backend", from: "bo.holm@pico.dk", to: "ana.berg@pico.dk", reason: "Bo is ill" }],
      removed: [],
    });
    expect(nordlys.changes.changed.map((c: { name: string }) => c.name)).toEqual(["pico-nordlys-backend-schedule"]);
    const md = reportMarkdown(report);
    expect(md).toMatch(/\| `nordlys` \| file modified \| ~1 \|/);
    expect(md).toContain("- **Roster changes:**\n  - added: `2027-07-14` backend: bo.holm → ana.berg (Bo is ill)\n");
    expect(md).toContain("1 day change who is on duty (`2027-07-14`)");
    expect(md).not.toContain("fjord");
  }, 180_000);

  it("a customer file change affects that customer: a Markdown comment with the roster days it adds", () => {
    edit("stacks/nordlys.yaml", (s) => s.replace("extraDays: [2027-02-15]", "extraDays: [2027-02-15, 2027-02-16]"));
    const out = join(dir, "comment.md");

    const r = diff("--base", "HEAD", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    // The report went to a file: stdout carries only the summary.
    expect(r.stdout).toBe("diff: 1 affected; all pass after the change\n");
    const md = readFileSync(out, "utf8");
    expect(md.startsWith("<!-- pico-monitoring-diff -->\n")).toBe(true);
    expect(md).toContain("1 customer affected");
    // The rotation follows the date, so one more day reassigns no other day.
    expect(md).toMatch(
      new RegExp(`\\| \x60nordlys\x60 \\| file modified \\| ~3 \\| 9 → 9 / 10 \\| ✅ ${pack.policies.length} pass \\| \\+1 \\|`),
    );
    expect(md).toContain("added `2027-02-16`");
    expect(md).not.toMatch(/reassigned/);
    expect(md).toContain('`layers["2027-02-16 Extra day"]`: (not set) →');
    expect(md).not.toContain("havblik");
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md.match(/<\/details>/g)).toHaveLength(1);
  });

  it("an eleventh alert in a customer file: the rejected file is reported with positions, exit 1", () => {
    expect(readFileSync(file("stacks/havblik.yaml"), "utf8").match(/^ {2}- \{ use: /gm)).toHaveLength(10);
    edit("stacks/havblik.yaml", (s) =>
      s.replace(/(\n {2}- \{ use: service-bus-dead-letters, on: feed-bus \}\n)/, "$1  - { use: sql-cpu, on: pim-db }\n"),
    );

    const r = diff("--base", "main", "--format", "json");
    expect(r.code, r.stderr).toBe(1);
    const [c] = json(r).customers;
    expect(c.customer).toBe("havblik");
    expect(c.result).toBe("fail");
    expect(c.head.status).toBe("invalid");
    expect(c.failures).toEqual([
      expect.stringMatching(/^stacks\/havblik\.yaml:\d+:\d+: alerts: 11 alerts; the Extended package allows at most 10/),
    ]);
    expect(r.stderr).toContain("failing after the change: havblik");
  });

  it("a code change affects every customer, previews the base with its own code, and reports a failed policy", () => {
    // The validator lets an eleventh alert through: the policy pack is what still stops it.
    const patches: [string, RegExp, string][] = [
      ["src/plan/load.ts", /(spec\.alerts\.length > )maxAlerts\b/, "$1maxAlerts + 1"],
      ["dist/src/plan/load.js", /(spec\.alerts\.length > )(\w+\.maxAlerts)\b/, "$1$2 + 1"],
      ["src/facts/extended.ts", /"Backend developer"/, '"Backend engineer"'],
      ["dist/src/facts/extended.js", /"Backend developer"/, '"Backend engineer"'],
    ];
    const saved = new Map(patches.map(([p]) => [p, readFileSync(file(p), "utf8")]));
    try {
      for (const [p, from, to] of patches) edit(p, (s) => s.replace(from, to));
      edit("stacks/havblik.yaml", (s) =>
        s.replace(/(\n {2}- \{ use: service-bus-dead-letters, on: feed-bus \}\n)/, "$1  - { use: sql-cpu, on: pim-db }\n"),
      );

      // One run for both: the comment and the JSON the CI matrix reads.
      const jsonFile = join(dir, "diff.json");
      const r = diff("--base", "main", "--json-out", jsonFile);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/building base main \(\w+\) with its own code/);
      // The comment is written even though a policy fails.
      expect(r.stdout).toMatch(/\| `havblik` \| file modified, code \| \+1 ~2 \| 10 → 11 \/ 10 ❌ \| ❌ max-ten-alerts \|/);
      expect(r.stdout).toMatch(
        new RegExp(`\\| \x60nordlys\x60 \\| code \\| ~2 \\| 9 → 9 / 10 \\| ✅ ${pack.policies.length} pass \\| — \\|`),
      );
      const report = JSON.parse(readFileSync(jsonFile, "utf8"));
      expect(report.baseBuild).toMatchObject({ method: "compiled" });
      expect(report.affected).toEqual(customers());
      for (const c of report.customers) {
        expect(c.reason).toContain("code changed (src/facts/extended.ts, src/plan/load.ts)");
        // Only the base's own build still says "developer".
        const schedule = c.changes.changed.find((x: { name: string }) => x.name === `pico-${c.customer}-backend-schedule`);
        expect(schedule.props).toContainEqual({
          path: "description",
          before: `Backend developer on holiday preparedness duty for ${c.customer}`,
          after: `Backend engineer on holiday preparedness duty for ${c.customer}`,
        });
      }
      const havblik = report.customers.find((c: { customer: string }) => c.customer === "havblik");
      expect(havblik.alerts).toEqual({ before: 10, after: 11, max: 10 });
      expect(havblik.changes.added.map((x: { name: string }) => x.name)).toEqual(["havblik-sql-cpu-pim-db"]);
      const maxTen = havblik.policies.results.find((p: { policy: string }) => p.policy === "max-ten-alerts");
      expect(maxTen).toMatchObject({ status: "fail", enforcementLevel: "mandatory" });
      expect(havblik.failures[0]).toMatch(/^max-ten-alerts: /);
      expect(report.customers.filter((c: { result: string }) => c.result === "fail").map((c: { customer: string }) => c.customer)).toEqual([
        "havblik",
      ]);
    } finally {
      for (const [p, s] of saved) writeFileSync(file(p), s);
      // As a rebuild would leave it: the restored build is newer than the restored sources, so diff runs.
      const later = new Date(Date.now() + 60_000);
      for (const [p] of saved) if (p.startsWith("dist/")) utimesSync(file(p), later, later);
    }
  }, 240_000);

  it("a README change affects no customer", () => {
    writeFileSync(file("README.md"), "# Pico monitoring\n\nNow with more words.\n");
    const r = diff("--base", "main", "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.affected).toEqual([]);
    expect(report.customers).toEqual([]);
    const md = diff("--base", "main");
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("No customer is affected");
  });

  it("a new customer file over another customer's resources: reported at the added file, in the JSON and the PR comment", () => {
    // Issue 20: a copy of havblik under a new id passed diff (✅) while a full validate failed.
    writeFileSync(
      file("stacks/acme2.yaml"),
      readFileSync(file("stacks/havblik.yaml"), "utf8").replace("customer: havblik", "customer: acme2"),
    );
    const r = diff("--base", "main", "--format", "json");
    expect(r.code, r.stderr).toBe(1);
    const report = json(r);
    // The unchanged file is not blamed: only the file the change adds is affected and failing.
    expect(report.affected).toEqual(["acme2"]);
    const [c] = report.customers;
    expect(c).toMatchObject({ customer: "acme2", reason: "stacks/acme2.yaml added", result: "fail", head: { status: "invalid" } });
    expect(c.failures[0]).toMatch(
      /^stacks\/acme2\.yaml:16:9: systems\[0\]\.resources\[0\]: customer 'havblik' already monitors this Azure resource in subscription c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f \(stacks\/havblik\.yaml:16:9\); one customer file per solution$/,
    );
    const md = diff("--base", "main", "--format", "md");
    expect(md.code).toBe(1);
    expect(md.stdout).not.toContain("✅");
    expect(md.stdout).toMatch(/acme2.*❌/);
    expect(md.stdout).toContain("customer 'havblik' already monitors this Azure resource");
  });

  it("an added and a removed customer: one side is empty", () => {
    unlinkSync(file("stacks/fjord.yaml"));
    writeFileSync(
      file("stacks/skagen.yaml"),
      readFileSync(file("stacks/nordlys.yaml"), "utf8")
        .replace("customer: nordlys", "customer: skagen")
        .replace(/nordlys/g, "skagen"),
    );
    const r = diff("--base", "main", "--format", "json");
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.affected).toEqual(["fjord", "skagen"]);
    expect(report.stacks).toEqual(["skagen"]);
    expect(report.removed).toEqual(["fjord"]);
    const [fjord, skagen] = report.customers;
    expect(fjord).toMatchObject({
      change: "removed",
      reason: "stacks/fjord.yaml removed",
      base: { status: "ok" },
      head: { status: "absent" },
      alerts: { before: 9, after: 0 },
      result: "pass",
    });
    expect(fjord.changes.added).toEqual([]);
    expect(fjord.changes.removed.length).toBeGreaterThan(20);
    expect(fjord.roster.removed).toContain("2027-07-12");
    expect(skagen).toMatchObject({
      change: "added",
      reason: "stacks/skagen.yaml added",
      base: { status: "absent" },
      alerts: { before: 0, after: 9 },
    });
    expect(skagen.changes.added.filter((x: { alert: boolean }) => x.alert)).toHaveLength(9);
    expect(skagen.roster.added).toContain("2027-02-15");
  });

  it("usage errors exit 2: an unknown revision, a base that can't be built", () => {
    const bad = diff("--base", "no-such-branch");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--base 'no-such-branch' is not a commit");

    // A revision without a build configuration: the transpiler has no options, unlike with broken sources.
    git("checkout", "-q", "-b", "broken");
    git("rm", "-q", "tsconfig.json");
    git("commit", "-q", "-m", "no build");
    git("checkout", "-q", "main");
    try {
      const r = diff("--base", "broken", "--format", "json");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/base broken \(\w+\) can't be built with the current TypeScript:\n.*tsconfig\.json/);
      expect(r.stdout).toBe("");
    } finally {
      git("branch", "-q", "-D", "broken");
    }
  }, 120_000);
});

describe("the pull-request comment", () => {
  const doc = (value: string): PreviewDoc => ({
    customer: "x",
    asOf: "2027-01-10T12:00:00.000Z",
    summary: { alerts: 10, maxAlerts: 10 },
    resources: Array.from({ length: 60 }, (_, i) => ({
      urn: `urn:pulumi:x::pico-monitoring::datadog:index/monitor:Monitor::m${i}`,
      type: "datadog:index/monitor:Monitor",
      name: `m${i}`,
      alert: true,
      props: { message: value.repeat(200), query: `avg(last_5m):x > ${value}`, monitorThresholds: { critical: value } },
    })),
    policies: {
      pack: "pico-extended",
      version: "0.1.0",
      results: [{ policy: "max-ten-alerts", enforcementLevel: "mandatory", status: "pass", violations: [] }],
    },
  });
  const report = (n: number) =>
    diffReport({
      base: "origin/main",
      baseCommit: "0123456789abcdef0123456789abcdef01234567",
      asOf: "2027-01-10T12:00:00.000Z",
      customers: Array.from({ length: n }, (_, i) =>
        customerDiff(
          `c${String(i).padStart(2, "0")}`,
          [{ kind: "program", paths: ["components/datadogMonitors.ts"] }],
          { status: "ok", doc: doc("1") },
          { status: "ok", doc: doc("2") },
        ),
      ),
    });

  it("fits one comment: keeps the marker and every summary row, and says what it cut", () => {
    const r = report(40);
    const md = reportMarkdown(r);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md.startsWith(`${commentMarker}\n`)).toBe(true);
    for (const c of r.customers) expect(md).toContain(`| \`${c.customer}\` | code | ~60 |`);
    expect(md).toMatch(/> Cut to fit one comment \(60,000 characters\): .*(values left out|resource details left out|no section) for /);
    expect(md.split("<details>").length).toBe(md.split("</details>").length);
  });

  it("cuts nothing when it fits", () => {
    const md = reportMarkdown(report(1), { maxChars: 1_000_000 });
    expect(md).not.toContain("Cut to fit");
    expect(md).toContain('  - `monitorThresholds.critical`: `"1"` → `"2"`');
  });
});

describe("affected customers", () => {
  const base = new Map([
    ["nordlys", ["sql-cpu", "app-service-5xx"]],
    ["havblik", ["sql-storage"]],
    ["gone", ["sql-cpu"]],
  ]);
  const head = new Map([
    ["nordlys", ["app-service-5xx"]],
    ["havblik", ["sql-storage", "sql-cpu"]],
    ["new", []],
  ]);
  const affected = (...changed: string[]) => {
    const a = affectedCustomers({ changed, base, head });
    return { customers: [...a.customers.keys()], codeChanged: a.codeChanged };
  };

  it("an entry touches its users before and after the change", () => {
    expect(affected("catalog/entries/sql-cpu.yaml")).toEqual({ customers: ["gone", "havblik", "nordlys"], codeChanged: false });
    expect(affected("catalog/entries/redis-memory.yaml").customers).toEqual([]);
  });

  it("a customer's own file and stack settings touch only that customer", () => {
    expect(affected("stacks/new.yaml", "stacks/Pulumi.havblik.yaml").customers).toEqual(["havblik", "new"]);
    expect(affected("stacks/customer.schema.json", "stacks/Pulumi.unknown.yaml").customers).toEqual([]);
  });

  it("a changed version-lock record touches the users of that entry; an unreadable lock, every customer", () => {
    expect(lockEntriesChanged('{"sql-cpu@1":"a","redis-memory@1":"b"}', '{"sql-cpu@1":"a","sql-cpu@2":"c","redis-memory@1":"b"}')).toEqual([
      "sql-cpu",
    ]);
    expect(lockEntriesChanged("{", "{}")).toBeUndefined();
    const lock = "catalog/versions.lock.json";
    expect([...affectedCustomers({ changed: [lock], base, head, lockEntries: ["sql-storage"] }).customers.keys()]).toEqual(["havblik"]);
    expect([...affectedCustomers({ changed: [lock], base, head }).customers.keys()]).toEqual(["gone", "havblik", "new", "nordlys"]);
  });

  it("code and shared settings touch every customer on either side; documentation and tests none", () => {
    for (const p of [
      "src/plan/plan.ts",
      "components/datadogMonitors.ts",
      "policies/PulumiPolicy.yaml",
      "package-lock.json",
      "Pulumi.yaml",
      "catalog/catalog.schema.json",
      "stacks/_fleet.yaml",
    ]) {
      expect(affected(p).customers, p).toEqual(["gone", "havblik", "new", "nordlys"]);
    }
    expect(affected("Pulumi.yaml").codeChanged).toBe(false);
    expect(affected("src/plan/plan.ts").codeChanged).toBe(true);
    expect(affected("README.md", "policies/README.md", "catalog/README.md", "test/x.test.ts", ".github/workflows/deploy.yml")).toEqual({
      customers: [],
      codeChanged: false,
    });
  });
});
