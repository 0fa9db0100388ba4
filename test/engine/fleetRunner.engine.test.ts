// Issue 24: one shard's job, `pico-monitoring fleet run`, driving the real `pulumi` through the Automation
// API against the API stand-ins. Three customers in the shard; one has a PagerDuty token the API refuses.
// The others are previewed with the pack and updated, the failure is recorded and the run carries on; a
// second run of the same roll-out, after the token is fixed, skips the two done and completes the third. Then
// the monthly drift check (`--mode drift`) finds the one customer whose monitor was edited by hand.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustomerResult, ResultsFile } from "../../src/rollout/results.js";
import { runCliAsync } from "../support/cli.js";
import { engineEnv, pulumi, recordingAsOf, repoRoot, scratchProject, type RunResult } from "./harness.js";
import { datadogKeys, stackConfig, startStandIns, type StandIns } from "./standIns.js";

const explain = (r: { code: number | null; stdout: string; stderr: string }) =>
  `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
const shard = ["nordlys", "baltic-freight", "havblik"];
const broken = "baltic-freight";

describe("fleet run: one shard through the Automation API and the real engine", () => {
  let apis: StandIns;
  let project: string;
  let results: string;
  let summary: string;
  let first: ResultsFile;
  const run = (args: string[]) => pulumi(args, { cwd: project, env: apis.env });
  const fleetRun = () =>
    runCliAsync(
      [
        "fleet",
        "run",
        "--customers",
        shard.join(","),
        "--rollout-id",
        "engine-rollout",
        "--commit",
        "c0ffee",
        "--results",
        results,
        "--policy-pack",
        join(repoRoot, "policies"),
      ],
      { cwd: project, env: { ...engineEnv(project), ...apis.env, GITHUB_STEP_SUMMARY: summary } },
    );
  const setToken = async (customer: string, token: string) => {
    const r: RunResult = await run(["config", "set", "--secret", "-s", customer, "pagerduty:token", token]);
    expect(r.code, explain(r)).toBe(0);
  };

  beforeAll(async () => {
    apis = await startStandIns();
    project = scratchProject();
    results = join(project, "results", "rest-0.json");
    summary = join(project, "summary.md");
    for (const customer of shard) {
      const init = await run(["stack", "init", customer]);
      expect(init.code, explain(init)).toBe(0);
      const settings = stackConfig(apis, recordingAsOf).flatMap(([k, v, secret]) => [secret ? "--secret" : "--plaintext", `${k}=${v}`]);
      const set = await run(["config", "set-all", "-s", customer, ...settings]);
      expect(set.code, explain(set)).toBe(0);
    }
    await setToken(broken, "a-token-pagerduty-refuses");
  }, 300_000);
  afterAll(async () => {
    await apis?.close();
  });

  it("updates the customers whose preview passes, records the one that fails, and carries on past it", async () => {
    const r = await fleetRun();
    expect(r.code, explain(r)).toBe(1);
    expect(r.stdout).toContain("fleet run: 3 customers: 2 succeeded, 0 skipped, failed: baltic-freight");
    first = JSON.parse(readFileSync(results, "utf8")) as ResultsFile;
    const by = first.customers;
    expect(Object.keys(by).sort()).toEqual([...shard].sort());
    for (const c of ["nordlys", "havblik"]) {
      expect(by[c], c).toMatchObject({ status: "succeeded", phase: "up", rolloutId: "engine-rollout", commit: "c0ffee", mode: "up" });
      expect(by[c]!.changes?.create, c).toBeGreaterThan(30);
    }
    // The failure stopped at the preview: the update never started, so nothing of it reached the APIs.
    expect(by[broken]).toMatchObject({ status: "failed", phase: "preview" });
    expect(by[broken]!.error).toMatch(/error:/);
    expect(apis.created().some((x) => x.includes(broken))).toBe(false);
    expect(apis.created().some((x) => x.includes("havblik"))).toBe(true);
    // havblik ran after the failure: the run carried on.
    expect(r.stderr.indexOf("havblik: succeeded")).toBeGreaterThan(r.stderr.indexOf(`${broken}: failed`));
    const md = readFileSync(summary, "utf8");
    expect(md).toContain("2 succeeded, 0 skipped, 0 with drift, 1 failed");
    expect(md).toMatch(/\| baltic-freight \| ❌ failed \| preview \|/);
    // The README's per-customer figure: one customer's preview with the pack and update, measured here.
    process.stderr.write(
      `fleet run per-customer seconds (preview + up): ${["nordlys", "havblik"].map((c) => `${c} ${by[c]!.seconds.toFixed(1)}`).join(", ")}\n`,
    );
  });

  it("a second run of the same roll-out skips the customers done and completes the one that failed", async () => {
    await setToken(broken, stackConfig(apis, recordingAsOf).find(([k]) => k === "pagerduty:token")![1]);
    const r = await fleetRun();
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toContain("fleet run: 3 customers: 1 succeeded, 2 skipped");
    const by = (JSON.parse(readFileSync(results, "utf8")) as ResultsFile).customers;
    // The skipped customers keep the record of the update that happened, untouched.
    for (const c of ["nordlys", "havblik"]) expect(by[c]).toEqual(first.customers[c] as CustomerResult);
    expect(by[broken]).toMatchObject({ status: "succeeded", phase: "up" });
    expect(apis.created().some((x) => x.includes(broken))).toBe(true);
    expect(readFileSync(summary, "utf8")).toContain("| nordlys | ⏭️ skipped (succeeded earlier in this roll-out) |");
  });

  it("--mode drift: a monitor edited by hand in Datadog is drift for its customer only, and the job fails", async () => {
    const monitor = apis.datadog.state().monitors.find((m) => (m.tags as string[]).includes("customer:havblik"))!;
    // What someone does in the Datadog UI: PUT /api/v1/monitor/{id} with another message.
    const put = await fetch(`${apis.datadog.url}/api/v1/monitor/${String(monitor.id)}`, {
      method: "PUT",
      headers: { "DD-API-KEY": datadogKeys.apiKey, "DD-APPLICATION-KEY": datadogKeys.appKey, "content-type": "application/json" },
      body: JSON.stringify({ message: "edited by hand" }),
    });
    expect(put.status).toBe(200);
    const driftResults = join(project, "results", "drift-0.json");
    const r = await runCliAsync(
      ["fleet", "run", "--mode", "drift", "--customers", "nordlys,havblik", "--rollout-id", "drift-1", "--commit", "c0ffee"].concat([
        "--results",
        driftResults,
        "--policy-pack",
        join(repoRoot, "policies"),
      ]),
      { cwd: project, env: { ...engineEnv(project), ...apis.env, GITHUB_STEP_SUMMARY: summary } },
    );
    expect(r.code, explain(r)).toBe(1);
    expect(r.stdout).toContain("drift in havblik");
    const by = (JSON.parse(readFileSync(driftResults, "utf8")) as ResultsFile).customers;
    expect(by.nordlys).toMatchObject({ status: "succeeded", phase: "preview", mode: "drift" });
    expect(by.havblik).toMatchObject({ status: "drift", phase: "preview" });
    expect(by.havblik!.error).toMatch(/no changes were expected/);
  });
});
