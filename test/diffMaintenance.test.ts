/**
 * `pico-monitoring diff` and approved maintenance windows (issue 22): the pull-request comment flags
 * an added or widened window at its very top, per customer file, before everything else; removed and
 * narrowed windows, and edits of the approval alone, are listed in the customer's section. As
 * test/diffCommand.test.ts does it: a throw-away git repository holding a copy of this project with
 * the skagen fixture (base commit), a change in its working tree, and the built CLI run against it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { commentMarker, reportMarkdown } from "../src/diff/markdown.js";
import { diffMaintenance } from "../src/diff/maintenanceChanges.js";

const projectRoot = join(__dirname, "..");
const asOf = "2027-01-10T12:00:00Z";
const fixture = readFileSync(join(projectRoot, "test", "fixtures", "maintenance", "skagen.yaml"), "utf8");

/** A third window in the base, for the pull request to narrow. */
const march = `  - id: mar-db-patch
    start: "2027-03-02 20:00"
    duration: 3h
    systems: [pim]
    approvedBy: mette.skov@skagen-moebler.dk
    change: CHG-1070
    reason: Database engine update
`;
const feb = `  - id: feb-portal-patch
    start: "2027-02-02 21:00"
    duration: 90m
    systems: [portal]
    approvedBy: mette.skov@skagen-moebler.dk
    change: CHG-1050
    reason: "Portal <b>patch</b> | *now*"
`;

let dir: string;
let repo: string;
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

describe("diff --base and maintenance windows", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pico-diff-maintenance-"));
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
    cpSync(join(projectRoot, "dist"), join(repo, "dist"), { recursive: true });
    writeFileSync(join(repo, ".gitignore"), "node_modules\ndist\n");
    writeFileSync(join(repo, "README.md"), "# Pico monitoring\n");
    writeFileSync(join(repo, "stacks", "skagen.yaml"), fixture + march);
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

  it("added and widened windows head the comment, per customer file; removed and narrowed ones sit in the section", () => {
    edit("stacks/skagen.yaml", (s) =>
      s
        // Widened: an hour longer, an hour earlier, and the portal too.
        .replace(
          'start: "2027-01-12 20:00"\n    duration: 2h\n    systems: [pim]',
          'start: "2027-01-12 19:00"\n    duration: 3h\n    systems: [pim, portal]',
        )
        // Narrowed: three hours to one, on a new change reference.
        .replace(
          "duration: 3h\n    systems: [pim]\n    approvedBy: mette.skov@skagen-moebler.dk\n    change: CHG-1070",
          "duration: 1h\n    systems: [pim]\n    approvedBy: mette.skov@skagen-moebler.dk\n    change: CHG-1071",
        )
        // Removed: the ended December window.
        .replace(/ {2}# Ended before[^\n]*\n {2}- id: dec-portal-restart\n(?: {4}.*\n)+/, "")
        // Added.
        .concat(feb),
    );
    // A second file: a window over a customer with no approvers is rejected by validate, and the comment still flags it.
    edit("stacks/havblik.yaml", (s) =>
      s.concat(
        'maintenance:\n  - id: night-restart\n    start: "2027-01-20 02:00"\n    duration: 2h\n    systems: [portal]\n' +
          "    approvedBy: someone@havblik.no\n    change: CHG-9\n    reason: Restart\n",
      ),
    );

    const r = diff("--base", "main", "--format", "json");
    expect(r.code, r.stderr).toBe(1);
    const report = json(r);
    expect(report.affected).toEqual(["havblik", "skagen"]);
    expect(r.stderr).toContain(
      "diff: skagen: maintenance windows added or widened (the comment flags them first): jan-pim-patches, feb-portal-patch\n",
    );
    const skagen = report.customers.find((c: { customer: string }) => c.customer === "skagen");
    expect(skagen.result, JSON.stringify(skagen.failures)).toBe("pass");
    expect(skagen.maintenance.file).toBe("stacks/skagen.yaml");
    expect(skagen.maintenance.widened.map((w: { id: string; change: string }) => [w.id, w.change])).toEqual([
      ["jan-pim-patches", "widened"],
      ["feb-portal-patch", "added"],
    ]);
    expect(skagen.maintenance.widened[0].details).toEqual([
      "longer: 2h → 3h",
      "starts earlier: 2027-01-12 20:00 → 2027-01-12 19:00",
      "covers more systems: +portal",
    ]);
    expect(skagen.maintenance.widened[1].after).toMatchObject({
      start: "2027-02-02 21:00",
      end: "2027-02-02 22:30",
      timezone: "Europe/Copenhagen",
      startUtc: "2027-02-02T20:00:00Z",
      endUtc: "2027-02-02T21:30:00Z",
      systems: ["portal"],
      approvedBy: "mette.skov@skagen-moebler.dk",
      change: "CHG-1050",
    });
    expect(skagen.maintenance.other.map((w: { id: string; change: string; details: string[] }) => [w.id, w.change, w.details])).toEqual([
      ["mar-db-patch", "narrowed", ["shorter: 3h → 1h", "ends earlier: 2027-03-02 23:00 → 2027-03-02 21:00", "change CHG-1070 → CHG-1071"]],
      ["dec-portal-restart", "removed", []],
    ]);
    const havblik = report.customers.find((c: { customer: string }) => c.customer === "havblik");
    expect(havblik.head.status).toBe("invalid");
    expect(havblik.maintenance.widened.map((w: { id: string }) => w.id)).toEqual(["night-restart"]);

    const md = reportMarkdown(report);
    // The marker, then the warning: before the heading, the table and every section.
    const [top, rest] = md.split("### Monitoring changes");
    expect(
      top!.startsWith(
        `${commentMarker}\n> [!WARNING]\n> **Maintenance windows added or widened** (3): each silences alerts that page without this change.`,
      ),
    ).toBe(true);
    expect(top).toContain(
      "> - `stacks/havblik.yaml`:\n" +
        ">   - **added** `night-restart`: 2027-01-20 02:00–04:00 Europe/Copenhagen (2h), systems `portal`, approved by someone@havblik.no on `CHG-9`: Restart\n" +
        "> - `stacks/skagen.yaml`:\n" +
        ">   - **widened** `jan-pim-patches`: now 2027-01-12 19:00–22:00 Europe/Copenhagen (3h), systems `pim`, `portal`, approved by mette.skov@skagen-moebler.dk on `CHG-1042`: January security patches for the PIM; longer: 2h → 3h; starts earlier: 2027-01-12 20:00 → 2027-01-12 19:00; covers more systems: +portal\n" +
        ">   - **added** `feb-portal-patch`: 2027-02-02 21:00–22:30 Europe/Copenhagen (90m), systems `portal`, approved by mette.skov@skagen-moebler.dk on `CHG-1050`: Portal &lt;b&gt;patch&lt;/b&gt; \\| \\*now\\*\n",
    );
    // Removed and narrowed windows are not flagged at the top.
    expect(top).not.toContain("mar-db-patch");
    expect(top).not.toContain("dec-portal-restart");
    const section = rest!.split("<b>skagen</b>")[1]!.split("</details>")[0]!;
    expect(section).toContain("- **Maintenance windows:**\n");
    expect(section).toContain("  - **widened** `jan-pim-patches`: now 2027-01-12 19:00–22:00");
    expect(section).toContain(
      "  - **narrowed** `mar-db-patch`: now 2027-03-02 20:00–21:00 Europe/Copenhagen (1h), systems `pim`, approved by mette.skov@skagen-moebler.dk on `CHG-1071`: Database engine update; shorter: 3h → 1h; ends earlier: 2027-03-02 23:00 → 2027-03-02 21:00; change CHG-1070 → CHG-1071\n",
    );
    expect(section).toContain(
      "  - **removed** `dec-portal-restart`: was 2027-01-05 21:00–22:00 Europe/Copenhagen (1h), systems `portal`, approved by mette.skov@skagen-moebler.dk on `CHG-1001`: Portal restart after the December patch\n",
    );
    expect(md).not.toContain("<b>patch</b>");
  }, 240_000);

  it("only narrowing or removing windows: nothing is flagged at the top", () => {
    edit("stacks/skagen.yaml", (s) =>
      s.replace("duration: 3h", "duration: 2h").replace(/ {2}# Ended before[^\n]*\n {2}- id: dec-portal-restart\n(?: {4}.*\n)+/, ""),
    );
    const out = join(dir, "comment.md");
    const r = diff("--base", "main", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(out, "utf8");
    expect(md.startsWith(`${commentMarker}\n### Monitoring changes: 1 customer affected`)).toBe(true);
    expect(md).not.toContain("[!WARNING]");
    expect(md).toContain("  - **narrowed** `mar-db-patch`: now 2027-03-02 20:00–22:00 Europe/Copenhagen (2h)");
    expect(md).toContain("  - **removed** `dec-portal-restart`: was ");
  }, 240_000);
});

describe("comparing two sides' windows", () => {
  const base = fixture + march;
  const compare = (head: string | undefined, from: string | undefined = base) => diffMaintenance("stacks/skagen.yaml", from, head, asOf);

  it("a window moved later silences time nobody approved before: widened, and it says both ends moved", () => {
    const moved = compare(base.replace('start: "2027-03-02 20:00"', 'start: "2027-03-02 21:00"'))!;
    expect(moved.widened).toEqual([
      expect.objectContaining({
        id: "mar-db-patch",
        change: "widened",
        details: ["ends later: 2027-03-02 23:00 → 2027-03-03 00:00", "starts later: 2027-03-02 20:00 → 2027-03-02 21:00"],
      }),
    ]);
  });

  it("a new time zone moves every window: compared as instants, the zones named", () => {
    const zoned = compare(base.replace("package: extended\n", "package: extended\ntimezone: Europe/London\n"))!;
    // 20:00 in London is 21:00 in Copenhagen: each window starts and ends an hour later.
    expect(zoned.widened.map((w) => w.id)).toEqual(["jan-pim-patches", "dec-portal-restart", "mar-db-patch"]);
    expect(zoned.widened[0]!.details).toEqual([
      "ends later: 2027-01-12 22:00 Europe/Copenhagen → 2027-01-12 22:00 Europe/London",
      "starts later: 2027-01-12 20:00 Europe/Copenhagen → 2027-01-12 20:00 Europe/London",
    ]);
    // An added window that already ended renders nothing; the comment says so.
    expect(zoned.widened[1]!.ended).toBe(true);
  });

  it("an approval edit alone is listed, not flagged; no change is nothing", () => {
    const approval = compare(base.replace("reason: Database engine update", "reason: Database engine update 12.1"))!;
    expect(approval.widened).toEqual([]);
    expect(approval.other).toEqual([
      expect.objectContaining({
        id: "mar-db-patch",
        change: "approval",
        details: ["reason: Database engine update → Database engine update 12.1"],
      }),
    ]);
    expect(compare(base)).toEqual({ file: "stacks/skagen.yaml", widened: [], other: [] });
  });

  it("an added customer file's windows are all added; a removed file's all removed; unreadable YAML compares nothing", () => {
    expect(diffMaintenance("stacks/skagen.yaml", undefined, base, asOf)!.widened.map((w) => [w.id, w.change])).toEqual([
      ["jan-pim-patches", "added"],
      ["dec-portal-restart", "added"],
      ["mar-db-patch", "added"],
    ]);
    expect(compare(undefined)!.other.map((w) => w.change)).toEqual(["removed", "removed", "removed"]);
    expect(compare("maintenance: [\n")).toBeUndefined();
  });

  it("a start that names no one instant can't be shown to silence less: a changed one counts as widened", () => {
    const skipped = compare(base.replace('start: "2027-03-02 20:00"', 'start: "2027-03-28 02:30"'))!;
    expect(skipped.widened).toEqual([
      expect.objectContaining({ id: "mar-db-patch", change: "widened", details: ["start: 2027-03-02 20:00 → 2027-03-28 02:30"] }),
    ]);
    expect(skipped.widened[0]!.after!.end).toBeUndefined();
  });
});
