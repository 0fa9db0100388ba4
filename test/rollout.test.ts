/**
 * Issue 24: a fleet of a thousand customers. The roll-out plan (src/plan/rollout.ts) fits GitHub's
 * 256 jobs per matrix, balances the shards by resources to preview and sends canaries first; the
 * shard runner resumes from its results file. The runner against the real engine is
 * test/engine/fleetRunner.engine.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { githubMatrixLimit } from "../src/customer/fleet.js";
import { planRollout, planShards, type RolloutCustomer } from "../src/plan/rollout.js";
import { alreadyDone, type CustomerResult, type ResultsFile, summaryMarkdown } from "../src/rollout/results.js";
import { failureLines } from "../src/rollout/runner.js";
import { runCli } from "./support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "pico-rollout-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** n customers with the example customers' costs (33, 37, 38 resources) round robin, as bench/generate-customers.mjs makes them. */
function fleet(n: number, ownFilesOnly = false): RolloutCustomer[] {
  const costs = [33, 38, 37];
  return Array.from({ length: n }, (_, i) => ({ customer: `c-${String(i).padStart(5, "0")}`, cost: costs[i % 3]!, ownFilesOnly }));
}

const pack = ["--policy-pack", join(__dirname, "..", "policies")];
const allIn = (shards: { customers: string[] }[]) => shards.flatMap((s) => s.customers);

describe("shards: within GitHub's matrix limit, every customer exactly once, balanced", () => {
  it.each([1_000, 10_000])("%i customers: at most 256 shards per wave, each customer in one shard of one wave", (n) => {
    const customers = fleet(n);
    const plan = planRollout(customers);
    expect(plan.kind).toBe("waves");
    for (const wave of plan.waves) {
      expect(wave.shards.length).toBeLessThanOrEqual(githubMatrixLimit);
      // The matrix is the shard indices: 0..n-1, no gaps, so `fromJSON` gives GitHub exactly these jobs.
      expect(wave.shards.map((s) => s.index)).toEqual(wave.shards.map((_, i) => i));
    }
    expect(plan.waves[1].shards).toHaveLength(githubMatrixLimit);
    // The pull request's previews: every customer in one matrix, within the limit too.
    expect(plan.all).toHaveLength(githubMatrixLimit);
    expect(allIn(plan.all).sort()).toEqual(customers.map((c) => c.customer));
    const everyone = plan.waves.flatMap((w) => allIn(w.shards)).sort();
    expect(everyone).toEqual(customers.map((c) => c.customer));
  });

  it.each([1_000, 10_000])("%i customers: no shard costs more than the lightest plus one customer", (n) => {
    const shards = planShards(fleet(n), githubMatrixLimit);
    const costs = shards.map((s) => s.cost);
    // Largest first, each to the lightest shard: the spread is at most the largest single cost.
    expect(Math.max(...costs) - Math.min(...costs)).toBeLessThanOrEqual(38);
    for (const s of shards) expect(s.cost).toBe(s.customers.reduce((t, c) => t + [33, 38, 37][Number(c.slice(2)) % 3]!, 0));
  });

  it("a configured limit below 256 is kept, and a limit above GitHub's is refused", () => {
    expect(planShards(fleet(1_000), 40)).toHaveLength(40);
    expect(planShards(fleet(3), 40)).toHaveLength(3);
    expect(() => planShards(fleet(10), 257)).toThrow(/from 1 to 256/);
    expect(() => planShards(fleet(10), 0)).toThrow(/from 1 to 256/);
  });

  it("is deterministic: a re-run job finds the same customers in its shard", () => {
    const a = planRollout([...fleet(1_000)].reverse());
    const b = planRollout(fleet(1_000));
    expect(a).toEqual(b);
  });
});

describe("waves: canaries first, then the rest", () => {
  const settings = { canaries: ["c-00007", "c-00500", "not-affected"], canaryShare: 0.05, directUpTo: 3, maxShards: 256 };

  it("the affected canaries named in the fleet file form the first wave; nobody is in both", () => {
    const plan = planRollout(fleet(1_000), settings);
    expect(plan.kind).toBe("waves");
    const [canary, rest] = plan.waves;
    expect(canary.name).toBe("canary");
    expect(canary.customers).toEqual(["c-00007", "c-00500"]);
    expect(rest.name).toBe("rest");
    expect(rest.customers).toHaveLength(998);
    expect(rest.customers).not.toContain("c-00007");
    expect(plan.why).toContain("c-00007, c-00500");
  });

  it("with no named canary affected, a fixed share goes first, spread over the names", () => {
    const plan = planRollout(fleet(1_000), { ...settings, canaries: [] });
    const [canary, rest] = plan.waves;
    expect(canary.customers).toHaveLength(50);
    expect(rest.customers).toHaveLength(950);
    // Not simply the first fifty ids.
    expect(canary.customers.some((c) => Number(c.slice(2)) >= 50)).toBe(true);
    // At least one canary even for a tiny share.
    expect(planRollout(fleet(10), { ...settings, canaries: [], canaryShare: 0.001 }).waves[0].customers).toHaveLength(1);
  });

  it("a change to customers' own files deploys directly, in one wave, however many", () => {
    const plan = planRollout(fleet(1_000, true), settings);
    expect(plan.kind).toBe("direct");
    expect(plan.waves[0].customers).toEqual([]);
    expect(plan.waves[0].shards).toEqual([]);
    expect(plan.waves[1].customers).toHaveLength(1_000);
  });

  it("a catalogue change touching at most `directUpTo` customers deploys directly", () => {
    expect(planRollout(fleet(3), settings).kind).toBe("direct");
    expect(planRollout(fleet(4), settings).kind).toBe("waves");
  });
});

describe("resume: a re-run skips what succeeded in the same roll-out", () => {
  const result = (customer: string, over: Partial<CustomerResult> = {}): CustomerResult => ({
    customer,
    rolloutId: "r1",
    commit: "abc",
    mode: "up",
    status: "succeeded",
    phase: "up",
    seconds: 1,
    finishedAt: "2027-01-10T12:00:00Z",
    ...over,
  });
  const previous: ResultsFile = {
    rolloutId: "r1",
    commit: "abc",
    customers: {
      a: result("a"),
      b: result("b", { status: "failed", phase: "preview", error: "error: boom" }),
      c: result("c", { commit: "old" }),
      d: result("d", { rolloutId: "r0" }),
      e: result("e", { mode: "preview" }),
    },
  };

  it("only a success of this roll-out, commit and mode counts as done", () => {
    expect([...alreadyDone(previous, { rolloutId: "r1", commit: "abc", mode: "up" })]).toEqual(["a"]);
    expect([...alreadyDone(undefined, { rolloutId: "r1", commit: "abc", mode: "up" })]).toEqual([]);
  });

  it("`fleet run` over a results file where every customer succeeded skips them all, touching no stack", () => {
    const dir = join(scratch, "resume");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "results.json");
    const summary = join(dir, "summary.md");
    writeFileSync(file, JSON.stringify({ ...previous, customers: { a: result("a"), f: result("f") } }));
    // No pulumi on PATH: a customer that was not skipped would fail to select its stack.
    const r = runCli(
      ["fleet", "run", "--customers", "a,f", "--rollout-id", "r1", "--commit", "abc", "--results", file, "--summary", summary, ...pack],
      {
        cwd: dir,
        env: { PATH: "/nonexistent" },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("fleet run: 2 customers: 0 succeeded, 2 skipped");
    const md = readFileSync(summary, "utf8");
    expect(md).toContain("| a | ⏭️ skipped (succeeded earlier in this roll-out) |");
    expect(md).toContain("0 succeeded, 2 skipped, 0 with drift, 0 failed");
    // The earlier records stay: they are the updates that happened.
    expect(JSON.parse(readFileSync(file, "utf8")).customers.a).toEqual(result("a"));
  });

  it("`fleet run` with another commit runs the customer again: here it fails (no pulumi), is recorded, and the job fails", () => {
    const dir = join(scratch, "rerun");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "results.json");
    writeFileSync(file, JSON.stringify({ ...previous, customers: { a: result("a") } }));
    const r = runCli(["fleet", "run", "--customers", "a", "--rollout-id", "r1", "--commit", "def", "--results", file, ...pack], {
      cwd: dir,
      env: { PATH: "/nonexistent", GITHUB_STEP_SUMMARY: "" },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("failed: a");
    const a = JSON.parse(readFileSync(file, "utf8")).customers.a as CustomerResult;
    expect(a).toMatchObject({ status: "failed", phase: "select", commit: "def" });
  });

  it("refuses a usage problem before touching anything", () => {
    const bad = (args: string[]) => runCli(["fleet", "run", "--rollout-id", "r", "--results", join(scratch, "x.json"), ...args]);
    expect(bad(["--customers", "a", "--mode", "destroy"])).toMatchObject({ code: 2 });
    expect(bad(["--customers", "A;rm"]).stderr).toMatch(/'A;rm' is not a customer id/);
    expect(bad(["--customers", "a,a"]).stderr).toMatch(/twice/);
    // Run outside the repository, the default pack (policies/ here) is missing: refused before any customer.
    const nowhere = runCli(["fleet", "run", "--customers", "a", "--rollout-id", "r", "--results", join(scratch, "y.json")], {
      cwd: scratch,
    });
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/holds no PulumiPolicy\.yaml/);
  });
});

describe("the job summary and failure lines", () => {
  it("one row per customer, failures with the engine's own error lines", () => {
    const md = summaryMarkdown("up: r1 canary shard 0", [
      {
        customer: "nordlys",
        rolloutId: "r1",
        commit: "abc",
        mode: "up",
        status: "succeeded",
        phase: "up",
        changes: { create: 37, same: 0 },
        seconds: 12.34,
        finishedAt: "",
      },
      {
        customer: "havblik",
        rolloutId: "r1",
        commit: "abc",
        mode: "up",
        status: "failed",
        phase: "preview",
        seconds: 3,
        finishedAt: "",
        error: "error: a | b",
      },
    ]);
    expect(md).toContain("### up: r1 canary shard 0");
    expect(md).toContain("1 succeeded, 0 skipped, 0 with drift, 1 failed");
    expect(md).toContain("| nordlys | ✅ succeeded |  | create 37 | 12.3 |  |");
    expect(md).toContain("| havblik | ❌ failed | preview |  | 3.0 | error: a \\| b |");
  });

  it("keeps the errors and mandatory violations of an engine failure, not its progress lines", () => {
    const e = new Error(
      "code: 255\n stdout: Previewing update (nordlys)\n  +  pulumi:pulumi:Stack create\n    [mandatory]  pico-extended v0.1.0  max-ten-alerts (x)\nerror: preview failed\n",
    );
    expect(failureLines(e)).toBe("[mandatory]  pico-extended v0.1.0  max-ten-alerts (x) / error: preview failed");
  });
});

describe("fleet plan and the fleet file's rollout settings", () => {
  it("`fleet plan --json` shards every customer, costed by the resources its preview holds", () => {
    const r = runCli(["fleet", "plan", "--json", "--shards", "2"]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.shards).toHaveLength(2);
    expect(allIn(plan.shards).sort()).toEqual(plan.customers);
    // The plan's count is the offline preview's: each customer's cost is its preview's resources.
    const total = plan.customers
      .map((c: string) => JSON.parse(runCli(["preview", c, "--json", "--at", "2027-01-10T12:00:00Z"]).stdout).resources.length)
      .reduce((a: number, b: number) => a + b, 0);
    expect(plan.shards.reduce((t: number, s: { cost: number }) => t + s.cost, 0)).toBe(total);
    expect(runCli(["fleet", "plan", "--shards", "257"])).toMatchObject({ code: 2 });
  });

  it("validate accepts the rollout keys in the fleet file and points at a bad one", () => {
    const dir = join(scratch, "fleet-file");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "nordlys.yaml"), readFileSync("stacks/nordlys.yaml", "utf8"));
    const fleetFile = (rollout: string) =>
      writeFileSync(join(dir, "_fleet.yaml"), `standingSupport:\n  schedule: Pico standing support\nrollout:\n${rollout}`);
    fleetFile("  canaries: [nordlys]\n  canaryShare: 0.1\n  directUpTo: 5\n  maxShards: 40\n");
    expect(runCli(["validate", "--stacks", dir])).toMatchObject({ code: 0 });
    fleetFile("  canaries: [nordlys]\n  maxShards: 300\n");
    const r = runCli(["validate", "--stacks", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, "_fleet.yaml")}:5:14: rollout.maxShards:`);
  });
});
