/**
 * The GitHub workflows can't run here, so this checks them as far as we can offline: against
 * GitHub's workflow schema (@action-validator/core), and for the properties the pull-request
 * report and the deployment depend on.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { commentMarker } from "../src/diff/markdown.js";
import { diffReport } from "../src/diff/report.js";
import { customerIdsIn } from "../src/customer/customerFiles.js";
import { githubMatrixLimit } from "../src/customer/fleet.js";
import { defaultRolloutSettings, planRollout } from "../src/plan/rollout.js";
import { runCli } from "./support/cli.js";
import { requiredVariables } from "../src/verify/credentials.js";

const root = join(__dirname, "..");
const source = (name: string) => readFileSync(join(root, ".github", "workflows", name), "utf8");

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  if?: string;
  environment?: string | { name: string };
  outputs?: Record<string, string>;
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown>; "max-parallel"?: number };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const workflow = (name: string) => parse(source(name)) as Workflow;
const step = (job: Job, match: (s: Step) => boolean | undefined) => {
  const found = job.steps.find((s) => match(s));
  expect(found, "step").toBeDefined();
  return found!;
};

const cloudSecrets = [
  "PULUMI_ACCESS_TOKEN",
  "DATADOG_API_KEY",
  "DATADOG_APP_KEY",
  "PAGERDUTY_TOKEN",
  "ARM_CLIENT_ID",
  "ARM_CLIENT_SECRET",
  "ARM_TENANT_ID",
];

/** The steps that run `pico-monitoring fleet run`: every Pulumi preview and update goes through one. */
const fleetRuns = (job: Job) => job.steps.filter((s) => s.run?.includes("dist/src/cli/main.js fleet run"));
const cloudJobs = (wf: Workflow) => Object.values(wf.jobs).filter((j) => fleetRuns(j).length > 0);

/**
 * The majors that run on Node 24 (Node 20 actions are forced onto Node 24 and then removed:
 * github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners; upload-sarif v3
 * is deprecated, GitHub changelog 2025-10-28; pulumi/actions v7 is its Node 24 release, pulumi/actions#1407).
 */
const currentMajors: Record<string, number> = {
  "actions/checkout": 6,
  "actions/setup-node": 6,
  "actions/upload-artifact": 7,
  "actions/cache/restore": 5,
  "actions/cache/save": 5,
  "actions/github-script": 8,
  "github/codeql-action/upload-sarif": 4,
  "pulumi/actions": 7,
};

describe.each(["pull-request.yml", "deploy.yml", "scheduled.yml"])("%s", (name) => {
  it("is a valid GitHub workflow", () => {
    const { errors } = validateWorkflow(source(name));
    expect(errors).toEqual([]);
  });

  it("lists the secrets it needs in its opening comment, and hands each to every job that runs Pulumi", () => {
    const header = source(name)
      .split("\n")
      .filter((l) => l.startsWith("#"))
      .join("\n");
    for (const s of cloudSecrets) expect(header).toContain(s);
    const cloud = cloudJobs(workflow(name));
    expect(cloud.length).toBeGreaterThan(0);
    for (const job of cloud) for (const s of cloudSecrets) expect(job.env?.[s], `${job.name}: ${s}`).toBe(`\${{ secrets.${s} }}`);
  });

  it("gives the cloud jobs the Datadog site as a variable, so an EU org reaches its own API", () => {
    expect(
      source(name)
        .split("\n")
        .filter((l) => l.startsWith("#"))
        .join("\n"),
    ).toContain("DATADOG_HOST");
    for (const job of cloudJobs(workflow(name))) expect(job.env?.DATADOG_HOST).toBe("${{ vars.DATADOG_HOST }}");
  });

  it("runs every preview and update through `fleet run` (refresh and the pack in policies/), never through pulumi/actions commands", () => {
    // The runner refreshes before every preview and up and always runs the pack (src/rollout/runner.ts,
    // shown against the real engine by test/engine/fleetRunner.engine.test.ts); pulumi/actions only installs the CLI.
    expect(existsSync(join(root, "policies", "PulumiPolicy.yaml"))).toBe(true);
    for (const job of Object.values(workflow(name).jobs)) {
      for (const s of job.steps.filter((x) => x.uses?.startsWith("pulumi/actions@"))) expect(s.with?.command, job.name).toBeUndefined();
      const runs = fleetRuns(job);
      if (runs.length === 0) continue;
      const install = job.steps.findIndex((x) => x.uses?.startsWith("pulumi/actions@"));
      expect(install, `${job.name} installs the Pulumi CLI`).toBeGreaterThanOrEqual(0);
      for (const r of runs) {
        expect(job.steps.indexOf(r)).toBeGreaterThan(install);
        expect(r.run).not.toMatch(/--policy-pack\b/);
      }
    }
  });

  it("passes the pack no policy configuration: it runs at its own levels, and no promise can be disabled", () => {
    // A `disabled` policy is never run and no pack can prevent it (policies/README.md); a configuration
    // for CI must first pass `pico-monitoring audit --policy-config`, which refuses one that disables a promise.
    for (const [id, job] of Object.entries(workflow(name).jobs)) {
      for (const s of job.steps) {
        expect(Object.keys(s.with ?? {}), `${id}: ${s.name ?? s.uses}`).not.toContain("policyPackConfigs");
        expect(s.run ?? "", `${id}: ${s.name ?? s.run}`).not.toMatch(/--policy-pack-config/);
      }
    }
  });

  it("uses the current majors of its actions and Node.js 24, a maintained LTS", () => {
    for (const job of Object.values(workflow(name).jobs)) {
      for (const s of job.steps.filter((x) => x.uses)) {
        const [action, version] = s.uses!.split("@") as [string, string];
        expect(currentMajors[action], `${action}: which major is current?`).toBeDefined();
        expect(Number(/^v(\d+)$/.exec(version)?.[1]), s.uses).toBeGreaterThanOrEqual(currentMajors[action]!);
        if (action === "actions/setup-node") expect(s.with?.["node-version"], job.name).toBe(24);
      }
    }
  });

  it("runs every matrix over shards of the plan, each job taking its shard's customers, and waits for nobody per job", () => {
    for (const [id, job] of Object.entries(workflow(name).jobs)) {
      const matrix = job.strategy?.matrix;
      if (!matrix) continue;
      expect(Object.keys(matrix), id).toEqual(["shard"]);
      expect(String(matrix.shard), id).toMatch(/^\$\{\{ fromJSON\(needs\.\w+\.outputs\.\w+\) \}\}$/);
      const [run] = fleetRuns(job);
      expect(run?.env?.CUSTOMERS, id).toBe("${{ join(matrix.shard.customers, ',') }}");
      expect(run?.run, id).toContain('--customers "$CUSTOMERS"');
      // A reviewer-protected environment on a matrix would ask for an approval per job.
      expect(job.environment, id).not.toBe("production");
    }
  });
});

/** Runs a step's `{ echo "k=$(jq …)" … } >> "$GITHUB_OUTPUT"` lines against a JSON file; returns the outputs. */
function outputsOf(run: string, file: string, json: unknown): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "pico-wf-"));
  try {
    writeFileSync(join(dir, file), JSON.stringify(json));
    const lines = run.split("\n").filter((l) => /^\s*echo "\w+=\$\(jq /.test(l));
    expect(lines.length).toBeGreaterThan(0);
    const out = execFileSync("bash", ["-c", lines.join("\n")], { cwd: dir, encoding: "utf8" });
    return Object.fromEntries(
      out
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** n affected customers of a catalogue change, as `diff --json` reports them. */
function rolloutReport(n: number, canaries: string[] = []) {
  const customers = Array.from({ length: n }, (_, i) => ({
    customer: `c-${String(i).padStart(4, "0")}`,
    cost: 30 + (i % 9),
    ownFilesOnly: false,
  }));
  const rollout = planRollout(customers, { ...defaultRolloutSettings, canaries });
  return { stacks: customers.map((c) => c.customer), rollout };
}

describe("pull-request.yml", () => {
  const wf = workflow("pull-request.yml");
  const check = wf.jobs.check!;

  it("tests, validates and diffs against the base branch with full history", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(step(check, (s) => s.uses?.startsWith("actions/checkout@")).with).toMatchObject({ "fetch-depth": 0 });
    const runs = check.steps.map((s) => s.run ?? "");
    const at = (cmd: string) => runs.findIndex((r) => r.includes(cmd));
    expect(at("npm ci")).toBeGreaterThanOrEqual(0);
    expect(at("npm ci")).toBeLessThan(at("npm test"));
    expect(at("npm test")).toBeLessThan(at("npx pico-monitoring validate"));
    expect(at("npx pico-monitoring validate")).toBeLessThan(at("npx pico-monitoring diff"));
    const diff = step(check, (s) => s.run?.includes("pico-monitoring diff"));
    expect(diff.run).toContain('--base "origin/$BASE_REF" --format md --out diff.md --json-out diff.json');
    expect(diff.env?.BASE_REF).toBe("${{ github.base_ref }}");
  });

  it("uploads the audit's SARIF to code scanning, even when a policy fails", () => {
    const audit = step(check, (s) => s.run?.includes("pico-monitoring audit"));
    const out = /--format sarif --out (\S+?)\/?$/.exec(audit.run!.trim())?.[1];
    expect(out, audit.run).toBeDefined();
    const upload = step(check, (s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(upload.with?.sarif_file).toBe(`${out}/audit.sarif`);
    expect(upload.if).toMatch(/\balways\(\)/);
    expect(check.permissions?.["security-events"]).toBe("write");
  });

  it("posts or updates one comment, found by the report's marker, even when a policy fails", () => {
    const comment = step(check, (s) => s.uses?.startsWith("actions/github-script@"));
    expect(comment.if).toMatch(/\balways\(\)/);
    const script = String(comment.with?.script);
    expect(script).toContain(commentMarker);
    expect(script).toContain("diff.md");
    expect(script).toMatch(/updateComment/);
    expect(script).toMatch(/createComment/);
    expect(check.permissions).toMatchObject({ "pull-requests": "write" });
    // The diff itself must not be skipped by an earlier failure either.
    expect(step(check, (s) => s.run?.includes("pico-monitoring diff")).if).toMatch(/!cancelled\(\)|always\(\)/);
  });

  it("feeds the affected customers from the diff's JSON, in shards, into a preview matrix", () => {
    const affected = step(check, (s) => s.id === "affected");
    expect(affected.if).toMatch(/\balways\(\)/);
    expect(Object.keys(diffReport({ base: "b", baseCommit: "c", asOf: "a", customers: [] }))).toEqual(
      expect.arrayContaining(["stacks", "rollout"]),
    );
    expect(check.outputs?.shards).toBe("${{ steps.affected.outputs.shards }}");
    // 600 affected customers: the step's own jq gives at most 256 shards holding every one of them.
    const out = outputsOf(affected.run!, "diff.json", rolloutReport(600));
    const shards = JSON.parse(out.shards!) as { customers: string[] }[];
    expect(shards.length).toBeLessThanOrEqual(githubMatrixLimit);
    expect(shards.flatMap((x) => x.customers)).toHaveLength(600);

    const preview = wf.jobs.preview!;
    expect(preview.needs).toBe("check");
    expect(preview.strategy?.matrix?.shard).toBe("${{ fromJSON(needs.check.outputs.shards) }}");
    // An empty matrix is an error in GitHub Actions, and a failed policy must not hide the previews.
    expect(preview.if).toContain("needs.check.outputs.shards != '[]'");
    expect(preview.if).toContain("!cancelled()");
    const [run] = fleetRuns(preview);
    expect(run!.run).toContain("--mode preview");
    expect(preview.environment).toBeUndefined();
  });
});

describe("deploy.yml", () => {
  const wf = workflow("deploy.yml");
  const { affected, canary, verify, approve, rest } = wf.jobs as Record<string, Job>;

  it("runs on pushes to main, diffs against the commit before the push, and never cancels a roll-out", () => {
    expect(Object.keys(wf.on)).toEqual(["push", "workflow_dispatch"]);
    expect(wf.on.push).toEqual({ branches: ["main"] });
    // By hand, after a stopped roll-out's fix: the base is the last commit every customer got.
    expect((wf.on.workflow_dispatch as { inputs: Record<string, { required: boolean }> }).inputs.base?.required).toBe(true);
    expect(step(affected!, (s) => s.uses?.startsWith("actions/checkout@")).with).toMatchObject({ "fetch-depth": 0 });
    const diff = step(affected!, (s) => s.id === "diff");
    expect(diff.env?.BEFORE).toBe("${{ inputs.base || github.event.before }}");
    expect(diff.run).toMatch(/npx pico-monitoring diff --base "\$base" .*--json-out diff\.json/);
    expect((parse(source("deploy.yml")) as { concurrency: unknown }).concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
    // Secrets only where a job needs them: the diff job reads none.
    expect(JSON.stringify(affected)).not.toContain("secrets.");
  });

  it("plans the waves with the diff's own jq: canaries first, the rest in at most 256 shards", () => {
    const diff = step(affected!, (s) => s.id === "diff");
    for (const k of ["stacks", "kind", "canary", "canaries", "rest"])
      expect(affected!.outputs?.[k]).toBe(`\${{ steps.diff.outputs.${k} }}`);
    const out = outputsOf(diff.run!, "diff.json", rolloutReport(1_000, ["c-0007", "c-0500"]));
    expect(out.kind).toBe("waves");
    expect(out.canaries).toBe("c-0007 c-0500");
    const canaryShards = JSON.parse(out.canary!) as { index: number; customers: string[] }[];
    const restShards = JSON.parse(out.rest!) as { index: number; customers: string[] }[];
    expect(canaryShards.flatMap((x) => x.customers).sort()).toEqual(["c-0007", "c-0500"]);
    expect(restShards.length).toBeLessThanOrEqual(githubMatrixLimit);
    expect(restShards.flatMap((x) => x.customers)).toHaveLength(998);
    // A customer-file change: no canary wave, one direct wave.
    const direct = outputsOf(diff.run!, "diff.json", {
      ...rolloutReport(0),
      rollout: planRollout([{ customer: "a", cost: 30, ownFilesOnly: true }]),
    });
    expect(direct).toMatchObject({ kind: "direct", canary: "[]", canaries: "" });
  });

  it("wave 1, the canaries: a shard matrix, then their verify", () => {
    expect(canary!.needs).toBe("affected");
    expect(canary!.strategy?.matrix?.shard).toBe("${{ fromJSON(needs.affected.outputs.canary) }}");
    expect(canary!.if).toContain("needs.affected.outputs.canary != '[]'");
    expect(verify!.needs).toEqual(["affected", "canary"]);
    expect(verify!.if).toContain("needs.canary.result == 'success'");
    const v = step(verify!, (s) => s.run?.includes(" verify "));
    expect(v.run).toBe('node dist/src/cli/main.js verify $CANARIES --summary "$GITHUB_STEP_SUMMARY"');
    expect(v.env?.CANARIES).toBe("${{ needs.affected.outputs.canaries }}");
  });

  it("one approval per roll-out: after the canaries' verify, or first for a direct roll-out; then the rest", () => {
    const protectedJobs = Object.entries(wf.jobs).filter(([, j]) => j.environment === "production");
    expect(protectedJobs.map(([id]) => id)).toEqual(["approve"]);
    expect(approve!.strategy).toBeUndefined();
    expect(JSON.stringify(approve)).not.toContain("secrets.");
    expect(approve!.needs).toEqual(["affected", "canary", "verify"]);
    expect(approve!.if).toContain("!cancelled()");
    expect(approve!.if).toContain("needs.affected.outputs.kind == 'direct'");
    expect(approve!.if).toContain("needs.verify.result == 'success'");
    expect(approve!.if).toContain("needs.canary.result == 'success'");
    expect(rest!.needs).toEqual(["affected", "approve"]);
    expect(rest!.if).toContain("needs.approve.result == 'success'");
    expect(rest!.strategy?.matrix?.shard).toBe("${{ fromJSON(needs.affected.outputs.rest) }}");
    // No max-parallel: the plan's concurrency limit, not the workflow, caps the jobs at once.
    expect(rest!.strategy?.["max-parallel"]).toBeUndefined();
    for (const job of [canary!, verify!, rest!]) expect(job.environment).toBe("fleet");
  });
});

describe.each([
  ["deploy.yml", "canary"],
  ["deploy.yml", "rest"],
  ["scheduled.yml", "up"],
])("%s %s: resumable, with a result per customer", (name, jobId) => {
  const job = workflow(name).jobs[jobId]!;

  it("restores the shard's earlier results, runs `fleet run` (preview with the pack, then up), and keeps the results", () => {
    const restore = step(job, (s) => s.uses?.startsWith("actions/cache/restore@"));
    const save = step(job, (s) => s.uses?.startsWith("actions/cache/save@"));
    const [run] = fleetRuns(job);
    // The update mode is the default: no `--mode`, so the runner previews with the pack before each up.
    expect(run!.run).not.toMatch(/--mode|--skip-preview/);
    const results = /--results "([^"]+)"/.exec(run!.run!)?.[1];
    expect(results).toMatch(/^results\//);
    expect(restore.with?.path).toBe("results");
    // Every attempt saves its own key; a re-run restores the latest attempt's by the shared prefix.
    expect(String(save.with?.key)).toMatch(/-\$\{\{ github\.run_attempt \}\}$/);
    expect(restore.with?.key).toBe(save.with?.key);
    expect(String(save.with?.key).startsWith(String(restore.with?.["restore-keys"]))).toBe(true);
    expect(save.if).toMatch(/\balways\(\)/);
    const steps = job.steps;
    expect(steps.indexOf(restore)).toBeLessThan(steps.indexOf(run!));
    expect(steps.indexOf(run!)).toBeLessThan(steps.indexOf(save));
    expect(step(job, (s) => s.uses?.startsWith("actions/upload-artifact@")).if).toMatch(/\balways\(\)/);
  });
});

describe.each([
  ["deploy.yml", "verify", "CANARIES", "${{ needs.affected.outputs.canaries }}"],
  ["deploy.yml", "rest", "CUSTOMERS", "${{ join(matrix.shard.customers, ' ') }}"],
  ["scheduled.yml", "drift", "CUSTOMERS", "${{ join(matrix.shard.customers, ' ') }}"],
])("%s, job %s: verify", (name, jobId, variable, customers) => {
  const job = workflow(name).jobs[jobId]!;

  it("runs `verify` for the job's customers after their Pulumi run, with the providers' credentials, its failures in the job summary", () => {
    const verify = step(job, (s) => s.run?.includes("main.js verify"));
    expect(verify.run).toBe(`node dist/src/cli/main.js verify $${variable} --summary "$GITHUB_STEP_SUMMARY"`);
    expect(verify.env?.[variable]).toBe(customers);
    // After the shard's `fleet run` (the canaries' in the job it needs), and only steps that keep results follow it.
    const run = job.steps.findIndex((s) => s.run?.includes("fleet run"));
    if (jobId === "verify") expect(job.needs).toContain("canary");
    else expect(run).toBeGreaterThanOrEqual(0);
    expect(run).toBeLessThan(job.steps.indexOf(verify));
    for (const after of job.steps.slice(job.steps.indexOf(verify) + 1)) expect(after.if ?? "").toMatch(/\balways\(\)/);
    // Every variable verify reads is in the job's environment.
    for (const v of [...requiredVariables, "DATADOG_HOST"]) expect(job.env?.[v], v).toBeDefined();
    // After a deploy it needs a successful update; the monthly one runs after a failed drift check too.
    if (jobId === "drift") expect(verify.if).toBe("${{ !cancelled() }}");
    else expect(verify.if).toBeUndefined();
  });
});

describe("scheduled.yml", () => {
  const wf = workflow("scheduled.yml");

  it("runs monthly (and by hand), over shards of every customer file and nothing else in stacks/", () => {
    const on = wf.on as { schedule: { cron: string }[]; workflow_dispatch?: unknown };
    expect(on.schedule).toHaveLength(1);
    // minute hour day-of-month month day-of-week: one fixed day of every month.
    expect(on.schedule[0]!.cron).toMatch(/^\d+ \d+ ([1-9]|1\d|2[0-8]) \* \*$/);
    expect(Object.keys(wf.on)).toContain("workflow_dispatch");
    const plan = step(wf.jobs.customers!, (s) => s.id === "plan");
    expect(wf.jobs.customers!.outputs?.shards).toBe("${{ steps.plan.outputs.shards }}");
    expect(plan.run).toContain("npx pico-monitoring fleet plan --json --out fleet.json");
    expect(plan.run).toContain("jq -c .shards fleet.json");
    // The plan names exactly the customers the CLI validates.
    const r = runCli(["fleet", "plan", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const listed = (JSON.parse(r.stdout).shards as { customers: string[] }[]).flatMap((x) => x.customers).sort();
    expect(listed).toEqual(customerIdsIn(join(root, "stacks")).sort());
    expect(listed).not.toContain("_fleet");
    // fleet plan lists customers as `customers --json` does, by the one rule every command reads stacks/ with
    // (issue 20: a grep for `\.yaml$` never saw a `.yml` customer, so it got no drift check and no roster roll-over).
    const args = ["customers", "--json"];
    const ids = runCli(args);
    expect(ids.code, ids.stderr).toBe(0);
    expect(JSON.parse(ids.stdout)).toEqual(listed);
    // A `.yml` customer is listed; Pulumi's stack settings and the fleet settings are not.
    const dir = mkdtempSync(join(tmpdir(), "pico-scheduled-"));
    try {
      for (const f of ["havblik.yml", "nordlys.yaml", "Pulumi.nordlys.yaml", "_fleet.yaml", "notes.txt"])
        writeFileSync(join(dir, f), "x: 1\n");
      const fleet = runCli([...args, "--stacks", dir]);
      expect(fleet.code, fleet.stderr).toBe(0);
      expect(JSON.parse(fleet.stdout)).toEqual(["havblik", "nordlys"]);
      // Two files for one id stop the run, as in every other command.
      writeFileSync(join(dir, "havblik.yaml"), "x: 1\n");
      expect(runCli([...args, "--stacks", dir]).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("checks drift with `fleet run --mode drift`, with no approval, and says so when it fails", () => {
    const drift = wf.jobs.drift!;
    expect(drift.needs).toBe("customers");
    expect(drift.environment).toBeUndefined();
    expect(drift.strategy?.matrix?.shard).toBe("${{ fromJSON(needs.customers.outputs.shards) }}");
    expect(fleetRuns(drift)[0]!.run).toContain("--mode drift");
    const report = step(drift, (s) => s.if?.includes("failure()"));
    expect(report.run).toContain("::error");
  });

  it("asks for one approval only when drift was found, then runs the update over the same shards", () => {
    const { approve, up } = wf.jobs as Record<string, Job>;
    expect(
      Object.entries(wf.jobs)
        .filter(([, j]) => j.environment === "production")
        .map(([id]) => id),
    ).toEqual(["approve"]);
    expect(approve!.needs).toEqual(["customers", "drift"]);
    expect(approve!.if).toContain("needs.drift.result == 'failure'");
    expect(approve!.strategy).toBeUndefined();
    expect(up!.needs).toEqual(["customers", "approve"]);
    expect(up!.if).toContain("needs.approve.result == 'success'");
    expect(up!.environment).toBe("fleet");
    expect(up!.strategy?.matrix?.shard).toBe("${{ fromJSON(needs.customers.outputs.shards) }}");
    expect((parse(source("scheduled.yml")) as { concurrency: unknown }).concurrency).toEqual({
      group: "scheduled",
      "cancel-in-progress": false,
    });
  });
});
