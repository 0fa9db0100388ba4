// The real engine, for each example customer: first preview, up, a no-change preview, refresh, and the same
// preview again, each with the policy pack, against the API stand-ins; what the engine sent the pack is
// recorded (test/recordings/) and must equal the committed recording.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { examples, pulumi, readGrpcLog, recordingAsOf, repoRoot, scratchProject, type RunResult } from "./harness.js";
import { keepRecording, recordingOf } from "./recordings.js";
import { startStandIns, stackConfig, type StandIns } from "./standIns.js";

const policyPack = join(repoRoot, "policies");
const recordingsDir = join(repoRoot, "test", "recordings");

const explain = (r: RunResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe.each(examples)("%s under the real Pulumi CLI", (customer) => {
  let apis: StandIns;
  let project: string;
  const run = async (args: string[], grpcLog?: string) => pulumi(args, { cwd: project, env: apis.env, ...(grpcLog ? { grpcLog } : {}) });

  beforeAll(async () => {
    apis = await startStandIns();
    project = scratchProject();
    const init = await run(["stack", "init", customer]);
    expect(init.code, explain(init)).toBe(0);
    for (const [key, value, secret] of stackConfig(apis, recordingAsOf)) {
      const set = await run(["config", "set", ...(secret ? ["--secret"] : []), "-s", customer, key, value]);
      expect(set.code, explain(set)).toBe(0);
    }
  });
  afterAll(async () => {
    await apis?.close();
  });

  it("a first preview passes every mandatory policy, and the pack saw what the recording holds", async () => {
    const log = join(project, "first-preview.grpc.jsonl");
    const r = await run(["preview", "-s", customer, "--policy-pack", policyPack], log);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).not.toMatch(/mandatory/i);
    const rec = recordingOf(readGrpcLog(log), { customer, phase: "first-preview", asOf: recordingAsOf }, apis.urls);
    expect(rec.analyze.length).toBeGreaterThan(0);
    const kept = keepRecording(join(recordingsDir, `${customer}.first-preview.json`), rec);
    // PICO_RECORD=1 rewrites the recording instead; otherwise it must come out byte-identical.
    if (process.env.PICO_RECORD !== "1")
      expect(kept.same, "the recording differs from test/recordings/ (PICO_RECORD=1 npm run test:engine rewrites it)").toBe(true);
  });

  it("`pulumi up` creates everything in the stand-ins, and the pack saw what the recording holds", async () => {
    const log = join(project, "update.grpc.jsonl");
    const r = await run(["up", "--yes", "-s", customer, "--policy-pack", policyPack], log);
    expect(r.code, explain(r)).toBe(0);
    expect(apis.unhandled()).toEqual([]);
    expect(apis.created().length).toBeGreaterThan(0);
    const rec = recordingOf(readGrpcLog(log), { customer, phase: "update", asOf: recordingAsOf }, apis.urls);
    const kept = keepRecording(join(recordingsDir, `${customer}.update.json`), rec);
    // PICO_RECORD=1 rewrites the recording instead; otherwise it must come out byte-identical.
    if (process.env.PICO_RECORD !== "1")
      expect(kept.same, "the recording differs from test/recordings/ (PICO_RECORD=1 npm run test:engine rewrites it)").toBe(true);
  });

  it("a preview of the update passes and changes nothing (--expect-no-changes)", async () => {
    const r = await run(["preview", "-s", customer, "--policy-pack", policyPack, "--expect-no-changes"]);
    expect(r.code, explain(r)).toBe(0);
  });

  it("after `pulumi refresh`, the same preview still changes nothing", async () => {
    const refresh = await run(["refresh", "--yes", "-s", customer]);
    expect(refresh.code, explain(refresh)).toBe(0);
    const r = await run(["preview", "-s", customer, "--policy-pack", policyPack, "--expect-no-changes"]);
    expect(r.code, explain(r)).toBe(0);
  });
});
