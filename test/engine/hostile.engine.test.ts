// What a customer file can never say, registered by a test-only program (./programs/hostile.cjs) and run by
// the real CLI: only the policy pack stands between it and the stand-ins, and it must refuse.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumi, recordingAsOf, repoRoot, scratchProject, type RunResult } from "./harness.js";
import { stackConfig, startStandIns, type StandIns } from "./standIns.js";

const policyPack = join(repoRoot, "policies");
const hostile = join(__dirname, "programs", "hostile.cjs");
const explain = (r: RunResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

async function stack(customer: string, mode: string, apis: StandIns): Promise<string> {
  const project = scratchProject(hostile);
  const run = (args: string[]) => pulumi(args, { cwd: project, env: apis.env });
  expect((await run(["stack", "init", customer])).code).toBe(0);
  for (const [key, value, secret] of [...stackConfig(apis, recordingAsOf), ["hostile", mode, false] as [string, string, boolean]]) {
    const set = await run(["config", "set", ...(secret ? ["--secret"] : []), "-s", customer, key, value]);
    expect(set.code, explain(set)).toBe(0);
  }
  return project;
}

describe("the real CLI refuses what the pack forbids", () => {
  let apis: StandIns;
  beforeAll(async () => {
    apis = await startStandIns();
  });
  afterAll(async () => {
    await apis?.close();
  });

  it("a custom Datadog monitor: the preview fails, naming no-custom-alerts", async () => {
    const project = await stack("nordlys", "custom-monitor", apis);
    const r = await pulumi(["preview", "-s", "nordlys", "--policy-pack", policyPack], { cwd: project, env: apis.env });
    expect(r.code, explain(r)).not.toBe(0);
    expect(r.stdout).toMatch(/\[mandatory\].*no-custom-alerts/);
  });

  it("eleven alerts: the preview fails, naming max-ten-alerts", async () => {
    const project = await stack("havblik", "eleven-alerts", apis);
    const r = await pulumi(["preview", "-s", "havblik", "--policy-pack", policyPack], { cwd: project, env: apis.env });
    expect(r.code, explain(r)).not.toBe(0);
    expect(r.stdout).toMatch(/\[mandatory\].*max-ten-alerts/);
  });

  it("eleven alerts, `pulumi up --skip-preview` (the Automation API's up): fails, and the eleventh monitor is never created", async () => {
    const project = await stack("havblik", "eleven-alerts", apis);
    const r = await pulumi(["up", "--yes", "--skip-preview", "-s", "havblik", "--policy-pack", policyPack], {
      cwd: project,
      env: apis.env,
    });
    expect(r.code, explain(r)).not.toBe(0);
    expect(r.stdout).toMatch(/\[mandatory\]/);
    // The eleventh is a copy of a planned monitor under another logical name: in Datadog it would be a
    // second monitor of the same name for this customer.
    const names = apis.datadog
      .state()
      .monitors.filter((m) => (m.tags as string[]).includes("customer:havblik"))
      .map((m) => String(m.name));
    expect(new Set(names).size).toBe(names.length);
  });
});
