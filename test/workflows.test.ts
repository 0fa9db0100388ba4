/**
 * The GitHub workflows can't run here, so this checks them as far as we can offline: against
 * GitHub's workflow schema (@action-validator/core), and for the properties the pull-request
 * report and the deployment depend on.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { commentMarker } from "../src/diff/markdown.js";
import { diffReport } from "../src/diff/report.js";
import { customerIdsIn } from "../src/customer/customerFiles.js";
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
  strategy?: { matrix?: Record<string, unknown> };
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

describe.each(["pull-request.yml", "deploy.yml", "scheduled.yml"])("%s", (name) => {
  it("is a valid GitHub workflow", () => {
    const { errors } = validateWorkflow(source(name));
    expect(errors).toEqual([]);
  });

  it("lists the secrets it needs in its opening comment, and hands each to the cloud jobs", () => {
    const header = source(name)
      .split("\n")
      .filter((l) => l.startsWith("#"))
      .join("\n");
    for (const s of cloudSecrets) expect(header).toContain(s);
    const cloud = Object.values(workflow(name).jobs).find((j) => j.steps.some((s) => s.uses?.startsWith("pulumi/actions@")))!;
    for (const s of cloudSecrets) expect(cloud.env?.[s]).toBe(`\${{ secrets.${s} }}`);
  });

  it("refreshes before every Pulumi command: the provider matches schedule layers by position", () => {
    const pulumi = Object.values(workflow(name).jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith("pulumi/actions@")));
    for (const s of pulumi) expect(s.with?.refresh, s.name ?? String(s.with?.command)).toBe(true);
  });

  it("gives the cloud jobs the Datadog site as a variable, so an EU org reaches its own API", () => {
    expect(
      source(name)
        .split("\n")
        .filter((l) => l.startsWith("#"))
        .join("\n"),
    ).toContain("DATADOG_HOST");
    const cloud = Object.values(workflow(name).jobs).find((j) => j.steps.some((s) => s.uses?.startsWith("pulumi/actions@")))!;
    expect(cloud.env?.DATADOG_HOST).toBe("${{ vars.DATADOG_HOST }}");
  });

  it("runs the policy pack in policies/ with every Pulumi command", () => {
    expect(existsSync(join(root, "policies", "PulumiPolicy.yaml"))).toBe(true);
    const pulumi = Object.values(workflow(name).jobs).flatMap((j) => j.steps.filter((s) => s.uses?.startsWith("pulumi/actions@")));
    expect(pulumi.length).toBeGreaterThan(0);
    for (const s of pulumi) {
      expect(s.with).toMatchObject({ "stack-name": "${{ matrix.customer }}", policyPacks: "policies" });
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
});

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

  it("feeds the affected customers from the diff's JSON into a pulumi preview matrix", () => {
    const affected = step(check, (s) => s.id === "affected");
    expect(affected.if).toMatch(/\balways\(\)/);
    expect(affected.run).toContain("jq -c .stacks diff.json");
    expect(Object.keys(diffReport({ base: "b", baseCommit: "c", asOf: "a", customers: [] }))).toContain("stacks");
    expect(check.outputs?.stacks).toBe("${{ steps.affected.outputs.stacks }}");

    const preview = wf.jobs.preview!;
    expect(preview.needs).toBe("check");
    expect(preview.strategy?.matrix?.customer).toBe("${{ fromJSON(needs.check.outputs.stacks) }}");
    // An empty matrix is an error in GitHub Actions, and a failed policy must not hide the previews.
    expect(preview.if).toContain("needs.check.outputs.stacks != '[]'");
    expect(preview.if).toContain("!cancelled()");
    const pulumi = step(preview, (s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi.with).toMatchObject({ command: "preview", policyPacks: "policies" });
  });
});

describe("deploy.yml", () => {
  const wf = workflow("deploy.yml");

  it("runs on pushes to main and diffs against the commit before the push", () => {
    expect(wf.on).toEqual({ push: { branches: ["main"] } });
    const affected = wf.jobs.affected!;
    expect(step(affected, (s) => s.uses?.startsWith("actions/checkout@")).with).toMatchObject({ "fetch-depth": 0 });
    const diff = step(affected, (s) => s.id === "diff");
    expect(diff.env?.BEFORE).toBe("${{ github.event.before }}");
    expect(diff.run).toMatch(/npx pico-monitoring diff --base "\$base" .*--json-out diff\.json/);
    expect(diff.run).toContain("jq -c .stacks diff.json");
    expect(affected.outputs?.stacks).toBe("${{ steps.diff.outputs.stacks }}");
  });

  it("runs pulumi up per affected customer behind the production environment's approval", () => {
    const deploy = wf.jobs.deploy!;
    expect(deploy.needs).toBe("affected");
    expect(deploy.environment).toBe("production");
    expect(deploy.strategy?.matrix?.customer).toBe("${{ fromJSON(needs.affected.outputs.stacks) }}");
    expect(deploy.if).toContain("needs.affected.outputs.stacks != '[]'");
    const up = step(deploy, (s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up");
    expect(up.with).toMatchObject({ command: "up", policyPacks: "policies" });
    // Secrets only where approval gates them: the job without the environment must not read any.
    expect(JSON.stringify(wf.jobs.affected)).not.toContain("secrets.");
  });
});

describe.each([
  ["deploy.yml", "deploy"],
  ["scheduled.yml", "up"],
])("%s: both gates before the update", (name, jobId) => {
  const job = workflow(name).jobs[jobId]!;

  it("previews with the pack, then updates: `up` skips its own preview, so only the per-resource policies run before creating", () => {
    const pulumi = job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi.map((s) => s.with?.command)).toEqual(["preview", "up"]);
    const [preview, up] = pulumi as [Step, Step];
    for (const key of ["stack-name", "policyPacks", "refresh", "upsert"]) expect(preview.with?.[key], key).toEqual(up.with?.[key]);
    // A failed preview stops the job: nothing lets the update run after it.
    expect(preview).not.toHaveProperty("continue-on-error");
    expect(preview.with).not.toHaveProperty("expect-no-changes");
    expect(up.if).toBeUndefined();
    expect(job.steps.indexOf(preview)).toBeLessThan(job.steps.indexOf(up));
  });
});

describe.each([
  ["deploy.yml", "deploy"],
  ["scheduled.yml", "drift"],
])("%s: verify", (name, jobId) => {
  const job = workflow(name).jobs[jobId]!;

  it("runs `verify` for the job's customer after its Pulumi command, with the providers' credentials, its failures in the job summary", () => {
    const verify = step(job, (s) => s.run?.includes("pico-monitoring verify"));
    expect(verify.run).toBe('npx pico-monitoring verify "$CUSTOMER" --summary "$GITHUB_STEP_SUMMARY"');
    expect(verify.env?.CUSTOMER).toBe("${{ matrix.customer }}");
    // Last, so a failed check fails the job and nothing after it hides that.
    expect(job.steps.at(-1)).toBe(verify);
    const pulumi = job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(job.steps.indexOf(pulumi.at(-1)!)).toBeLessThan(job.steps.indexOf(verify));
    // Every variable verify reads is in the job's environment.
    for (const v of [...requiredVariables, "DATADOG_HOST"]) expect(job.env?.[v], v).toBeDefined();
    // A successful `verify` needs a successful Pulumi step only after a deploy; the monthly one runs after a failed drift check too.
    if (jobId === "drift") expect(verify.if).toBe("${{ !cancelled() }}");
    else expect(verify.if).toBeUndefined();
  });
});

describe("scheduled.yml", () => {
  const wf = workflow("scheduled.yml");

  it("runs monthly (and by hand), for every customer file and nothing else in stacks/", () => {
    const on = wf.on as { schedule: { cron: string }[]; workflow_dispatch?: unknown };
    expect(on.schedule).toHaveLength(1);
    // minute hour day-of-month month day-of-week: one fixed day of every month.
    expect(on.schedule[0]!.cron).toMatch(/^\d+ \d+ ([1-9]|1\d|2[0-8]) \* \*$/);
    expect(Object.keys(wf.on)).toContain("workflow_dispatch");
    const list = step(wf.jobs.customers!, (s) => s.id === "list");
    expect(wf.jobs.customers!.outputs?.stacks).toBe("${{ steps.list.outputs.stacks }}");
    // Run the listing itself against stacks/: it must name exactly the customers the CLI validates.
    const command = list.run!.replace(/^echo "stacks=\$\((.*)\)" >> "\$GITHUB_OUTPUT"$/, "$1");
    expect(command).not.toBe(list.run);
    const listed = JSON.parse(execFileSync("bash", ["-c", command], { cwd: root, encoding: "utf8" }));
    const customers = customerIdsIn(join(root, "stacks")).sort();
    expect(listed).toEqual(customers);
    expect(listed).not.toContain("_fleet");
  });

  it("checks drift with pulumi preview --refresh --expect-no-changes, and says so when it fails", () => {
    const drift = wf.jobs.drift!;
    expect(drift.needs).toBe("customers");
    expect(drift.strategy?.matrix?.customer).toBe("${{ fromJSON(needs.customers.outputs.stacks) }}");
    const preview = step(drift, (s) => s.uses?.startsWith("pulumi/actions@"));
    expect(preview.with).toMatchObject({ command: "preview", refresh: true, "expect-no-changes": true, policyPacks: "policies" });
    const report = step(drift, (s) => s.if?.includes("failure()"));
    expect(report.run).toContain("::error");
    expect(report.run).toContain("GITHUB_STEP_SUMMARY");
  });

  it("then runs pulumi up --refresh per customer behind deploy's approval, even after drift was found", () => {
    const up = wf.jobs.up!;
    expect(up.environment).toBe(workflow("deploy.yml").jobs.deploy!.environment);
    expect(up.needs).toEqual(["customers", "drift"]);
    expect(up.if).toContain("!cancelled()");
    expect(up.strategy?.matrix?.customer).toBe("${{ fromJSON(needs.customers.outputs.stacks) }}");
    expect(step(up, (s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up").with).toMatchObject({
      command: "up",
      refresh: true,
      policyPacks: "policies",
    });
    // One update per stack at a time, whichever workflow starts it.
    expect(up.concurrency?.group).toBe(workflow("deploy.yml").jobs.deploy!.concurrency?.group);
  });
});
