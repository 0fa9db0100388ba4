// The README's "Always `pulumi up --refresh`", shown with the real engine and the PagerDuty plugin (the real
// bridge over the transcribed terraform-provider-pagerduty v2.4.0): the provider matches a schedule's layers
// by position and only its Read drops a layer that has ended, by its own clock. A layer that ends a minute
// after `up` then shifts every later layer onto its neighbour unless the update refreshes first.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulumi, scratchProject, type RunResult } from "./harness.js";
import { stackConfig, startStandIns, type StandIns } from "./standIns.js";

const explain = (r: RunResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The layer indices a preview's JSON says the schedule's update changes. */
function changedLayers(r: RunResult): number[] {
  const steps = (JSON.parse(r.stdout) as { steps?: { op: string; urn: string; detailedDiff?: Record<string, unknown> }[] }).steps ?? [];
  const schedule = steps.find((s) => s.urn.endsWith("::shift-test"));
  if (!schedule || schedule.op === "same") return [];
  return [
    ...new Set(
      Object.keys(schedule.detailedDiff ?? {})
        .flatMap((k) => /^layers\[(\d+)\]/.exec(k)?.[1] ?? [])
        .map(Number),
    ),
  ].sort();
}

describe("pulumi up --refresh and the schedule's positional layers (real CLI)", () => {
  let apis: StandIns;
  let project: string;
  const run = (args: string[]) => pulumi(args, { cwd: project, env: apis.env });
  const t0 = Date.now();
  const soon = t0 + 75_000;
  const day = 86_400_000;
  const windows = [
    { name: "ends in a minute", start: iso(soon - 3_600_000), end: iso(soon) },
    { name: "tomorrow", start: iso(t0 + day), end: iso(t0 + day + 3_600_000) },
    { name: "in two days", start: iso(t0 + 2 * day), end: iso(t0 + 2 * day + 3_600_000) },
  ];

  beforeAll(async () => {
    apis = await startStandIns();
    project = scratchProject(join(__dirname, "programs", "layers.cjs"));
    expect((await run(["stack", "init", "shift"])).code).toBe(0);
    const settings: [string, string, boolean][] = [
      ...stackConfig(apis, iso(t0)).filter(([k]) => k.startsWith("pagerduty:")),
      ["notBefore", iso(t0), false],
      ["windows", JSON.stringify(windows), false],
      ["user", "standing@pico.dk", false],
    ];
    for (const [key, value, secret] of settings) {
      const set = await run(["config", "set", ...(secret ? ["--secret"] : []), "-s", "shift", key, value]);
      expect(set.code, explain(set)).toBe(0);
    }
    const up = await run(["up", "--yes", "-s", "shift"]);
    expect(up.code, explain(up)).toBe(0);
    // The first window ends; the program, moved to a later as-of, leaves it out.
    await new Promise((r) => setTimeout(r, Math.max(0, soon + 5_000 - Date.now())));
    expect((await run(["config", "set", "-s", "shift", "notBefore", iso(Date.now())])).code).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await apis?.close();
  });

  it("without a refresh, the ended layer's removal shifts every later layer: all of them change", async () => {
    const r = await run(["preview", "-s", "shift", "--json", "--diff"]);
    expect(r.code, explain(r)).toBe(0);
    expect(changedLayers(r)).toEqual([0, 1, 2]);
  });

  it("with --refresh, the provider's Read has dropped the ended layer and nothing changes", async () => {
    const r = await run(["preview", "--refresh", "-s", "shift", "--json", "--diff"]);
    expect(r.code, explain(r)).toBe(0);
    expect(changedLayers(r)).toEqual([]);
  });
});
