// Offline judging reuses the preview's own run as the closed-world re-plan (src/preview/customer.ts
// `previewForJudging`). This holds the shortcut to the real re-plan (src/offline/stackPlanner.ts
// `planStack`, what the CLI's pack runs) for every example customer and phase, so the two can't drift.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { asOfConfigKey, type PlanOutcome, type PlanRequest } from "../policies/plannedStack.js";
import { loadCatalog } from "../src/catalog/load.js";
import { customerIdOfName, filesForId } from "../src/customer/customerFiles.js";
import { stacksDir } from "../src/facts/paths.js";
import { cliPhases } from "../src/offline/cliView.js";
import { planStack } from "../src/offline/stackPlanner.js";
import { loadCustomerFile } from "../src/plan/load.js";
import { judgedStack, previewForJudging } from "../src/preview/customer.js";

const catalog = loadCatalog();
const asOf = new Date("2027-01-10T12:00:00Z");
const customers = [...new Set(readdirSync(stacksDir()).flatMap((f) => customerIdOfName(f) ?? []))].sort();

async function setUp(customer: string, phase: (typeof cliPhases)[number]) {
  const [file] = filesForId(stacksDir(), customer);
  const loaded = loadCustomerFile(file!, catalog);
  if (!loaded.ok) throw new Error(`${customer}: example invalid`);
  const judged = await previewForJudging(loaded.spec, catalog, asOf, { phase, file: file! });
  // What the pack asks its planner for, from what it is told about the stack.
  const told = judgedStack(customer, asOf, phase, dirname(file!));
  const request: PlanRequest = { catalog, customer, stacksDir: told.stacksDir!, phase, asOfText: told.config![asOfConfigKey] };
  return { judged, request };
}

const planOf = (o: PlanOutcome) => {
  if (!o.ok) throw new Error(o.problem);
  return o.plan;
};

describe("offline plan reuse", () => {
  it("has example customers to check", () => {
    expect(customers.length).toBeGreaterThan(2);
  });

  describe.each(customers)("%s", (customer) => {
    it.each(cliPhases)("%s: the preview's run is the plan re-planning gives", async (phase) => {
      const { judged, request } = await setUp(customer, phase);
      const reused = planOf(await judged.planner(request));
      // The shortcut was taken: the plan is the very view being judged, not a second run.
      expect(reused.resources).toBe(judged.view);
      const replanned = planOf(await planStack(request));
      expect(reused).toEqual(replanned);
      expect(reused.placeholders.size).toBeGreaterThan(0);
    });
  });

  it("re-plans whatever the preview did not run: another phase, directory, catalogue or customer", async () => {
    const { judged, request } = await setUp("nordlys", "first-preview");
    const other = (o: PlanOutcome) => (o.ok ? o.plan.resources : o.problem);
    const update: PlanRequest = { ...request, phase: "update" };
    expect(other(await judged.planner(update))).not.toBe(judged.view);
    expect(planOf(await judged.planner(update))).toEqual(planOf(await planStack(update)));
    const elsewhere: PlanRequest = { ...request, stacksDir: join(request.stacksDir, "nowhere") };
    expect(await judged.planner(elsewhere)).toEqual({ ok: false, problem: expect.stringMatching(/has no customer file/) });
    const copy = { ...catalog };
    expect(other(await judged.planner({ ...request, catalog: copy }))).not.toBe(judged.view);
    expect(other(await judged.planner({ ...request, asOfText: "2027-01-11T12:00:00Z" }))).not.toBe(judged.view);
    expect(other(await judged.planner({ ...request, customer: "havblik" }))).not.toBe(judged.view);
  });
});
