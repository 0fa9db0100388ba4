// The stack a customer's file renders, as the CLI would hand it to the pack: the REAL components run
// through the mock engine for the phase the CLI is in, then passed through the CLI-view model. The
// closed-world policy (policies/stackMatchesCustomerFile.ts) compares the actual stack with it; the
// pack gets this planner from whoever constructs it (policies/pack.ts `createPack`).
//
// What the mock engine makes up (resource ids, a service integration's key, the ids PagerDuty's data
// sources return) is recorded as a *placeholder*: the real stack holds real values there, which the
// comparison binds once and then requires everywhere the plan reuses them.
import { basename } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { asOfConfigKey, type Placeholder, type PlannedStack, type PlanOutcome, type PlanRequest } from "../../policies/plannedStack.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { pulumiProject, type AnalyzedResource, type CliPhase } from "../facts/analyzedResource.js";
import type { CustomerPlan } from "../plan/plan.js";
import { analyzerView, mockRunFor } from "./cliView.js";
import { runUnderMocks, type RegisteredResource } from "./mockEngine.js";

function recordingMocks(base: pulumi.runtime.Mocks, placeholders: Map<string, Placeholder>): pulumi.runtime.Mocks {
  const note = (value: unknown, origin: string) => {
    if (typeof value === "string" && value !== "" && value !== UNKNOWN_SENTINEL && !placeholders.has(value))
      placeholders.set(value, { origin });
  };
  return {
    async newResource(args) {
      const r = await base.newResource(args);
      note(r.id, `the id of '${args.name}'`);
      for (const [k, v] of Object.entries(r.state ?? {})) if (!(k in args.inputs)) note(v, `the ${k} of '${args.name}'`);
      return r;
    },
    async call(args) {
      const r = (await base.call(args)) as Record<string, unknown>;
      const what = Object.values(args.inputs ?? {})
        .filter((v) => typeof v === "string")
        .join(", ");
      note(r?.["id"], `the id ${args.token.split(":").pop()} returns for ${what}`);
      return r;
    },
  };
}

export interface CustomerRegistrations {
  /** Every resource the components registered, sorted by URN (see runUnderMocks). */
  resources: RegisteredResource[];
  /** What the mock engine made up during the run (see the top of this file). */
  placeholders: Map<string, Placeholder>;
}

/**
 * The one way a customer is run offline: the real `CustomerMonitoring` for `plan`, under the mock
 * engine as the CLI's `phase` constructs it, placeholders recorded. The preview and the planner both
 * call it, which is what lets a preview's own run stand in for the re-plan (src/preview/customer.ts).
 */
export async function registerCustomer(
  stack: string,
  customer: string,
  plan: CustomerPlan,
  phase: CliPhase,
): Promise<CustomerRegistrations> {
  const placeholders = new Map<string, Placeholder>();
  const run = mockRunFor(phase);
  const resources = await runUnderMocks(
    async () => {
      // Loaded here, after the mocks are installed, as the mock engine requires.
      const { CustomerMonitoring } = await import("../../components/customerMonitoring.js");
      new CustomerMonitoring(customer, { plan });
    },
    { project: pulumiProject, stack, preview: run.preview, mocks: recordingMocks(run.mocks, placeholders) },
  );
  return { resources, placeholders };
}

/** Per resource, the explicit provider a run gave it: the plan's providers (resources without one use the default provider). */
export function providersOf(resources: readonly RegisteredResource[]): Map<string, string> {
  return new Map(resources.filter((r) => r.provider !== undefined).map((r) => [r.urn, r.provider!]));
}

/** The plan the pack compares with: the CLI's view of a run's registrations, for `phase`. */
export function plannedStackOf(
  customer: string,
  file: string,
  phase: CliPhase,
  asOf: Date,
  view: AnalyzedResource[],
  placeholders: Map<string, Placeholder>,
  providers: ReadonlyMap<string, string>,
): PlannedStack {
  return { customer, file: `stacks/${basename(file)}`, phase, asOf, resources: view, placeholders, providers };
}

// The mock engine's runtime state is process-global: plans run one at a time.
let queue: Promise<unknown> = Promise.resolve();

/** Re-plans the customer from its file in `stacksDir` with the pack's catalogue (a StackPlanner). */
export function planStack(request: PlanRequest): Promise<PlanOutcome> {
  const result = queue.then(() => replan(request));
  queue = result.catch(() => undefined);
  return result;
}

async function replan({ catalog, customer, stacksDir, phase, asOfText }: PlanRequest): Promise<PlanOutcome> {
  // Loaded lazily: the pack's other policies need none of this.
  const { loadCustomerFile } = await import("../plan/load.js");
  const { customerIdOfName, filesForId } = await import("../customer/customerFiles.js");
  const { formatProblem } = await import("../facts/problems.js");
  const { readAsOf } = await import("../facts/asOf.js");
  const { planCustomer } = await import("../plan/plan.js");

  // The same rule as every command's (src/customer/customerFiles.ts): `<id>.yaml` or `<id>.yml`, never both.
  const files = customerIdOfName(`${customer}.yaml`) === customer ? filesForId(stacksDir, customer) : [];
  if (files.length !== 1) {
    const why = files.length === 0 ? "has no customer file" : "has two customer files";
    return { ok: false, problem: `stack '${customer}' ${why} stacks/${customer}.yaml or .yml (the stack name is the customer id)` };
  }
  const file = files[0]!;
  // Held against the other customer files beside it too (src/plan/fleetCheck.ts): an overlap fails the re-plan.
  const loaded = loadCustomerFile(file, catalog, stacksDir);
  if (!loaded.ok)
    return { ok: false, problem: `stacks/${basename(file)} is invalid, so nothing can match it: ${formatProblem(loaded.problems[0]!)}` };
  const asOf = asOfText === undefined ? new Date() : readAsOf(asOfText, loaded.spec.timezone);
  if (typeof asOf === "string") return { ok: false, problem: `stack configuration ${asOfConfigKey}: ${asOf}` };

  const run = await registerCustomer(customer, loaded.spec.customer, planCustomer(loaded.spec, catalog, asOf), phase);
  return {
    ok: true,
    plan: plannedStackOf(customer, file, phase, asOf, analyzerView(run.resources, phase), run.placeholders, providersOf(run.resources)),
  };
}
