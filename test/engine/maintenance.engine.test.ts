// Approved maintenance windows (issue 22) under the real Pulumi CLI: the test-only customer
// test/fixtures/maintenance/skagen.yaml (one window still to come, jan-pim-patches, 2027-01-12 20:00
// Europe/Copenhagen for 2h on the PIM; one that ended on 2027-01-05) run by the real program against the
// stand-ins, then moved to an as-of after the window, and a test-only program (./programs/maintenanceHostile.cjs)
// that registers silences no declared window renders.
//
// The program and the pack read customer files from the repository's stacks/ (src/facts/paths.ts,
// policies/stackContext.ts); the fixture is copied there as stacks/skagen.yaml for this file's run only.
//
// The pack's silence policy (`silences-match-approved-windows`) is written on another branch; until
// policies/silencesMatchApprovedWindows.ts exists, the runs that need the pack to pass go without it and the
// hostile programs are only required to be refused (by any mandatory policy), not refused by that one.
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCustomer } from "../../src/plan/loadCustomer.js";
import { planCustomer } from "../../src/plan/plan.js";
import type { RenderedSilence } from "../../src/plan/maintenance.js";
import { pulumi, recordingAsOf, repoRoot, scratchProject, type RunResult } from "./harness.js";
import { stackConfig, startStandIns, type StandIns } from "./standIns.js";

const customer = "skagen";
const fixture = join(repoRoot, "test", "fixtures", "maintenance", "skagen.yaml");
const stackFile = join(repoRoot, "stacks", `${customer}.yaml`);
const policyPack = join(repoRoot, "policies");
const packKnowsSilences = existsSync(join(repoRoot, "policies", "silencesMatchApprovedWindows.ts"));
const packArgs = packKnowsSilences ? ["--policy-pack", policyPack] : [];
const withPack = packKnowsSilences ? "with the pack" : "without the pack (its silence policy is not merged yet)";
/** After jan-pim-patches (2027-01-12 19:00-21:00 UTC) has ended. */
const laterAsOf = "2027-01-13T12:00:00.000Z";

const explain = (r: RunResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** What src/plan/maintenance.ts renders for the fixture at an as-of: the silences the stack must hold. */
function silencesAt(asOf: string): RenderedSilence[] {
  const loaded = loadCustomer(fixture);
  return planCustomer(loaded.spec, loaded.catalog, new Date(asOf)).silences;
}

/** The stack's resources of a type, from `pulumi stack export`. */
async function stackResources(project: string, env: Record<string, string>, type: string): Promise<{ urn: string; id: string }[]> {
  const r = await pulumi(["stack", "export", "-s", customer], { cwd: project, env });
  expect(r.code, explain(r)).toBe(0);
  const resources = (JSON.parse(r.stdout) as { deployment: { resources?: { urn: string; id: string; type: string }[] } }).deployment
    .resources;
  return (resources ?? []).filter((x) => x.type === type).map(({ urn, id }) => ({ urn, id }));
}

const DOWNTIME = "datadog:index/downtimeSchedule:DowntimeSchedule";
const RULE = "azure-native:alertsmanagement:AlertProcessingRuleByName";

beforeAll(() => {
  if (existsSync(stackFile) && readFileSync(stackFile, "utf8") !== readFileSync(fixture, "utf8")) {
    throw new Error(`${stackFile} exists and is not the test fixture; this test will not overwrite it`);
  }
  copyFileSync(fixture, stackFile);
});
afterAll(() => {
  rmSync(stackFile, { force: true });
});

describe("an approved maintenance window under the real Pulumi CLI", () => {
  let apis: StandIns;
  let project: string;
  const run = (args: string[]) => pulumi(args, { cwd: project, env: apis.env });

  beforeAll(async () => {
    apis = await startStandIns([customer]);
    // The Datadog API's clock (a downtime's status follows it) starts at the as-of.
    apis.datadog.setNow(recordingAsOf);
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

  it.runIf(packKnowsSilences)("a first preview with the pack passes every mandatory policy", async () => {
    const r = await run(["preview", "-s", customer, "--policy-pack", policyPack]);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).not.toMatch(/mandatory/i);
  });

  it(`\`pulumi up\` ${withPack} creates exactly the window's two downtimes and its processing rule, with its scope and interval`, async () => {
    const expected = silencesAt(recordingAsOf);
    expect(expected.map((s) => s.name)).toEqual([
      "skagen-maintenance-jan-pim-patches-pim-app",
      "skagen-maintenance-jan-pim-patches-pim-db",
      "skagen-maintenance-jan-pim-patches",
    ]);
    const r = await run(["up", "--yes", "-s", customer, ...packArgs]);
    expect(r.code, explain(r)).toBe(0);
    expect(apis.unhandled()).toEqual([]);

    // Datadog: one downtime per silenced target, scoped by the monitors' provenance tags, for the window.
    const downtimes = apis.datadog.state().downtimes.map((d) => d.attributes as Record<string, unknown>);
    const wanted = expected.flatMap((s) => (s.kind === "datadog-downtime" ? [s.downtime] : []));
    expect(downtimes).toEqual(
      wanted.map((w) =>
        expect.objectContaining({
          scope: "*",
          monitor_identifier: { monitor_tags: w.monitorIdentifier.monitorTags },
          schedule: { start: "2027-01-12T19:00:00+00:00", end: "2027-01-12T21:00:00+00:00" },
          display_timezone: "Europe/Copenhagen",
          message: w.message,
          notify_end_states: ["alert", "no data", "warn"],
          notify_end_types: ["canceled", "expired"],
          mute_first_recovery_notification: false,
          status: "scheduled",
        }),
      ),
    );
    // Each downtime's tags pick exactly one of the customer's monitors: the silenced target's.
    const monitors = apis.datadog.state().monitors;
    for (const w of wanted) {
      const hit = monitors.filter((m) => w.monitorIdentifier.monitorTags.every((t) => (m.tags as string[]).includes(t)));
      expect(hit.map((m) => String(m.name))).toHaveLength(1);
    }

    // Azure: the one rule, on exactly the affected alert rules and resources, for the same interval.
    const rule = expected.find((s) => s.kind === "azure-processing-rule");
    if (rule?.kind !== "azure-processing-rule") throw new Error("no processing rule rendered");
    const rules = Object.values(apis.azure.state().resources).filter((x) => x.type === "Microsoft.AlertsManagement/actionRules");
    expect(rules).toEqual([
      expect.objectContaining({
        name: "pico-skagen-maintenance-jan-pim-patches",
        location: "Global",
        tags: rule.rule.tags,
        properties: rule.rule.properties,
      }),
    ]);
    expect((rules[0]!.properties as { schedule: unknown }).schedule).toEqual({
      effectiveFrom: "2027-01-12T19:00:00",
      effectiveUntil: "2027-01-12T21:00:00",
      timeZone: "UTC",
    });
    // Nothing for the window that ended before the as-of (dec-portal-restart).
    expect(JSON.stringify(apis.datadog.state().downtimes)).not.toContain("dec-portal-restart");
  });

  it("a preview right after changes nothing, and still nothing after `pulumi refresh`", async () => {
    const r = await run(["preview", "-s", customer, ...packArgs, "--expect-no-changes"]);
    expect(r.code, explain(r)).toBe(0);
    const refresh = await run(["refresh", "--yes", "-s", customer]);
    expect(refresh.code, explain(refresh)).toBe(0);
    const again = await run(["preview", "-s", customer, ...packArgs, "--expect-no-changes"]);
    expect(again.code, explain(again)).toBe(0);
  });

  it(`after the window ended, \`pulumi up --refresh\` ${withPack} at the later as-of deletes the downtimes and the rule, and succeeds`, async () => {
    expect(silencesAt(laterAsOf)).toEqual([]);
    apis.datadog.setNow(laterAsOf);
    expect(apis.datadog.state().downtimes.map((d) => (d.attributes as { status: string }).status)).toEqual(["ended", "ended"]);
    const set = await run(["config", "set", "-s", customer, "asOf", laterAsOf]);
    expect(set.code, explain(set)).toBe(0);
    const before = apis.datadog.state().requests.length;
    const r = await run(["up", "--yes", "--refresh", "-s", customer, ...packArgs]);
    expect(r.code, explain(r)).toBe(0);
    expect(apis.unhandled()).toEqual([]);
    // The provider's Delete sent DELETE /api/v2/downtime/{id} for each; the API answered 404 (ended), which
    // the pinned provider counts as deleted (test/engine/providers/datadog/README.md).
    const deletes = apis.datadog
      .state()
      .requests.slice(before)
      .filter((q) => q.startsWith("DELETE /api/v2/downtime/"));
    expect(deletes).toHaveLength(2);
    expect(await stackResources(project, apis.env, DOWNTIME)).toEqual([]);
    expect(await stackResources(project, apis.env, RULE)).toEqual([]);
    expect(Object.values(apis.azure.state().resources).filter((x) => x.type === "Microsoft.AlertsManagement/actionRules")).toEqual([]);
    // And the next preview is quiet: nothing was left behind that a later `up` would trip on.
    const quiet = await run(["preview", "--refresh", "-s", customer, ...packArgs, "--expect-no-changes"]);
    expect(quiet.code, explain(quiet)).toBe(0);
  });
});

describe("the real CLI refuses silences no approved window renders", () => {
  let apis: StandIns;
  beforeAll(async () => {
    apis = await startStandIns([customer]);
    apis.datadog.setNow(recordingAsOf);
  });
  afterAll(async () => {
    await apis?.close();
  });

  async function hostileStack(mode: string): Promise<string> {
    const project = scratchProject(join(__dirname, "programs", "maintenanceHostile.cjs"));
    const run = (args: string[]) => pulumi(args, { cwd: project, env: apis.env });
    expect((await run(["stack", "init", customer])).code).toBe(0);
    for (const [key, value, secret] of [...stackConfig(apis, recordingAsOf), ["hostile", mode, false] as [string, string, boolean]]) {
      const set = await run(["config", "set", ...(secret ? ["--secret"] : []), "-s", customer, key, value]);
      expect(set.code, explain(set)).toBe(0);
    }
    return project;
  }

  it.each([
    ["widened", "a downtime ending an hour after its window", "DowntimeSchedule: skagen-maintenance-jan-pim-patches-pim-app"],
    ["undeclared", "a downtime on a target no window affects", "DowntimeSchedule: skagen-maintenance-jan-pim-patches-web-app"],
    ["wider-rule", "the processing rule scoped to a whole resource group", "AlertProcessingRuleByName: skagen-maintenance-jan-pim-patches"],
  ])("%s (%s): the preview fails with a mandatory violation on that silence, and nothing is created", async (mode, _what, silence) => {
    const project = await hostileStack(mode);
    const r = await pulumi(["preview", "-s", customer, "--policy-pack", policyPack], { cwd: project, env: apis.env });
    expect(r.code, explain(r)).not.toBe(0);
    // The closed-world policy already re-plans the customer file, silences included, and names the one that differs.
    expect(r.stdout).toContain(
      `[mandatory] [severity: critical]  stack-matches-customer-file  (${silence.startsWith("Alert") ? "azure-native:alertsmanagement:" : "datadog:index/downtimeSchedule:"}${silence})`,
    );
    if (packKnowsSilences) expect(r.stdout).toMatch(/\[mandatory\].*silences-match-approved-windows/);
    expect(apis.datadog.state().downtimes).toEqual([]);
  });

  it("widened, `pulumi up --skip-preview` (the Automation API's up): fails, and no widened downtime is left in Datadog", async () => {
    const project = await hostileStack("widened");
    const r = await pulumi(["up", "--yes", "--skip-preview", "-s", customer, "--policy-pack", policyPack], { cwd: project, env: apis.env });
    expect(r.code, explain(r)).not.toBe(0);
    expect(r.stdout).toMatch(/\[mandatory\]/);
    if (packKnowsSilences) expect(r.stdout).toMatch(/silences-match-approved-windows/);
    const ends = apis.datadog.state().downtimes.map((d) => (d.attributes as { schedule: { end: string } }).schedule.end);
    expect(ends).not.toContain("2027-01-12T22:00:00+00:00");
  });
});
