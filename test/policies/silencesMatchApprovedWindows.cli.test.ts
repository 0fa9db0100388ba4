// silences-match-approved-windows over the CLI's view: on the example customers (no windows) through the
// uniform suite, and on a customer with a declared window (test/fixtures/maintenance/skagen.yaml), whose
// exact silences pass and whose widened, moved or altered ones don't, in-process and over gRPC.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { silencingTypes } from "../../src/facts/alertingResources.js";
import type { AnalyzedResource } from "../../src/facts/analyzedResource.js";
import { stacksDir } from "../../src/facts/paths.js";
import { planStack } from "../../src/offline/stackPlanner.js";
import { runPolicies } from "../../src/offline/policyResults.js";
import { judgedStack } from "../../src/preview/customer.js";
import { asOfConfigKey } from "../../policies/plannedStack.js";
import { silencesMatchMessages } from "../../policies/silencesMatchApprovedWindows.js";
import { asOf, clone, overGrpc, packs, policySuite } from "../support/closedWorld.js";
import { catalog, pack } from "../support/pack.js";
import { hostileStacks } from "../support/hostileStacks.js";

const POLICY = "silences-match-approved-windows";
const onExamples = ["never-rendered", "no-window", "other-customer", "too-long", "no-stack"] as const;

policySuite(POLICY, onExamples, hostileStacks);

describe(`${POLICY} on a customer with a declared window`, () => {
  const dir = mkdtempSync(join(tmpdir(), "pico-pack-maintenance-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(stacksDir(), "_fleet.yaml"), join(dir, "_fleet.yaml"));
  copyFileSync(join(__dirname, "..", "fixtures", "maintenance", "skagen.yaml"), join(dir, "skagen.yaml"));

  async function view(phase: "first-preview" | "update", at = asOf): Promise<AnalyzedResource[]> {
    const outcome = await planStack({ catalog, customer: "skagen", stacksDir: dir, phase, asOfText: at.toISOString() });
    if (!outcome.ok) throw new Error(outcome.problem);
    return clone(outcome.plan.resources);
  }
  async function judged(resources: readonly AnalyzedResource[], phase: "first-preview" | "update" = "first-preview") {
    const report = await runPolicies(resources, { pack, stack: judgedStack("skagen", asOf, phase, dir) });
    return report.results.flatMap((r) => r.violations.map((v) => ({ policy: r.policy, ...v })));
  }
  const silences = (v: AnalyzedResource[]) => v.filter((r) => Object.values(silencingTypes).includes(r.type as never));
  const downtime = (v: AnalyzedResource[]) => v.find((r) => r.name === "skagen-maintenance-jan-pim-patches-pim-app")!;
  const rule = (v: AnalyzedResource[]) => v.find((r) => r.name === "skagen-maintenance-jan-pim-patches")!;
  const mine = (found: { policy: string; message: string }[]) => found.filter((v) => v.policy === POLICY).map((v) => v.message);

  it("the window's exact silences pass every policy, in both phases", async () => {
    for (const phase of ["first-preview", "update"] as const) {
      const v = await view(phase);
      expect(
        silences(v)
          .map((r) => r.name)
          .sort(),
      ).toEqual([
        "skagen-maintenance-jan-pim-patches",
        "skagen-maintenance-jan-pim-patches-pim-app",
        "skagen-maintenance-jan-pim-patches-pim-db",
      ]);
      expect(await judged(v, phase)).toEqual([]);
    }
  });

  it("lists a message for every kind it reports, and the suites trigger them all", () => {
    expect([...silencesMatchMessages].sort()).toEqual(
      [...onExamples, "scope", "interval", "differs", "no-repository", "customer-file"].sort(),
    );
  });

  it("rejects a widened scope: the downtime on every monitor of the customer", async () => {
    const v = await view("first-preview");
    (downtime(v).props as { monitorIdentifier: { monitorTags: string[] } }).monitorIdentifier.monitorTags = [
      "customer:skagen",
      "package:extended",
    ];
    expect(mine(await judged(v))).toEqual([
      expect.stringMatching(
        /^'skagen-maintenance-jan-pim-patches-pim-app' \(datadog:index\/downtimeSchedule:DowntimeSchedule\): its scope is not what window 'jan-pim-patches' renders \(monitorIdentifier\.monitorTags\[2\]: missing\)/,
      ),
    ]);
  });

  it("rejects a processing rule on the whole resource group", async () => {
    const v = await view("first-preview");
    (rule(v).props as { properties: { scopes: string[] } }).properties.scopes = [
      "/subscriptions/d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70/resourceGroups/rg-skagen-pim",
    ];
    expect(mine(await judged(v))).toEqual([
      expect.stringMatching(/: its scope is not what window 'jan-pim-patches' renders \(properties\.scopes\[0\]: differs\)/),
    ]);
  });

  it("rejects a moved or lengthened interval, within the maximum", async () => {
    const v = await view("first-preview");
    (downtime(v).props as { oneTimeSchedule: { end: string } }).oneTimeSchedule.end = "2027-01-12T22:00:00Z";
    (rule(v).props as { properties: { schedule: { effectiveFrom: string } } }).properties.schedule.effectiveFrom = "2027-01-12T18:00:00";
    const found = mine(await judged(v));
    expect(found).toHaveLength(2);
    for (const m of found) expect(m).toMatch(/its interval is not what window 'jan-pim-patches' renders/);
  });

  it("rejects a changed setting: no notification when the window ends", async () => {
    const v = await view("first-preview");
    (downtime(v).props as { notifyEndTypes: string[] }).notifyEndTypes = [];
    expect(mine(await judged(v))).toEqual([
      expect.stringMatching(/its setting is not what window 'jan-pim-patches' renders \(notifyEndTypes\[0\]: missing\)/),
    ]);
  });

  it("rejects the silences of a window that has ended", async () => {
    const ended = await view("update");
    const later = new Date("2027-01-13T12:00:00Z");
    const report = await runPolicies(ended, {
      pack,
      stack: { ...judgedStack("skagen", later, "update", dir), clock: later },
    });
    const found = report.results.find((r) => r.policy === POLICY)!.violations.map((v) => v.message);
    expect(found).toHaveLength(3);
    for (const m of found) expect(m).toMatch(/no approved maintenance window of stacks\/skagen renders it \(or its window has ended\)/);
  });

  it("lets an ended window's silences leave: the stack policy tolerates them, and only them, while the update deletes them", async () => {
    // What the real engine hands AnalyzeStack previewing that update: the old silences, not registered again.
    const v = await view("update");
    const stackPolicy = async (at: Date) => {
      const report = await runPolicies(v, { pack, stack: { ...judgedStack("skagen", at, "update", dir), clock: at } });
      return report.results.find((r) => r.policy === "stack-matches-customer-file")!.violations.map((x) => x.message);
    };
    expect(await stackPolicy(new Date("2027-01-13T12:00:00Z"))).toEqual([]);
    // One still running past that instant is no leftover: it and its component stay violations.
    // AnalyzeStack reads outputs.
    (downtime(v).outputs as { oneTimeSchedule: { end: string } }).oneTimeSchedule.end = "2027-01-14T00:00:00Z";
    expect(await stackPolicy(new Date("2027-01-13T12:00:00Z"))).toEqual([
      expect.stringMatching(
        /^'skagen-maintenance-jan-pim-patches-pim-app' \(datadog:index\/downtimeSchedule:DowntimeSchedule\) is not something/,
      ),
      expect.stringMatching(/^'skagen-maintenance' \(pico:monitoring:MaintenanceWindows\) is not something/),
    ]);
  });

  it("rejects every silence when the customer file is invalid, and in a published pack", async () => {
    const v = await view("first-preview");
    const broken = await runPolicies(v, { pack, stack: judgedStack("skagen", asOf, "first-preview", join(dir, "missing")) });
    expect(broken.results.find((r) => r.policy === POLICY)!.violations.map((x) => x.message)).toContainEqual(
      expect.stringMatching(/stacks\/skagen\.yaml: no customer file names this stack/),
    );
    const published = await runPolicies(v, { pack, stack: { ...judgedStack("skagen", asOf, "first-preview", dir), stacksDir: undefined } });
    expect(published.results.find((r) => r.policy === POLICY)!.violations.map((x) => x.message)).toContainEqual(
      expect.stringMatching(/a published pack can't read the customer's approved windows/),
    );
  });

  it("over gRPC: the exact silences pass, a widened downtime is rejected before it exists (Analyze)", async () => {
    const grpc = await packs.get("skagen", "first-preview", { [asOfConfigKey]: asOf.toISOString() }, { PICO_PACK_STACKS_DIR: dir });
    const v = await view("first-preview");
    expect((await overGrpc(grpc, v, "Analyze")).filter((x) => x.policy === POLICY)).toEqual([]);
    (downtime(v).props as { oneTimeSchedule: { end: string } }).oneTimeSchedule.end = "2027-01-13T02:00:00Z";
    const found = (await overGrpc(grpc, v, "Analyze")).filter((x) => x.policy === POLICY).map((x) => x.message);
    expect(found).toContainEqual(expect.stringMatching(/pim-app.*its interval is not what window 'jan-pim-patches' renders/));
  });
});
