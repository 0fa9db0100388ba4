// The stack a customer's file renders, as the CLI would hand it to the pack: the REAL components run
// through the mock engine for the phase the CLI is in, then passed through the CLI-view model. The
// closed-world policy (policies/stackMatchesCustomerFile.ts) compares the actual stack with it; the
// pack gets this planner from whoever constructs it (policies/plannedStack.ts `useStackPlanner`).
//
// What the mock engine makes up (resource ids, a service integration's key, the ids PagerDuty's data
// sources return) is recorded as a *placeholder*: the real stack holds real values there, which the
// comparison binds once and then requires everywhere the plan reuses them.
import type * as pulumi from "@pulumi/pulumi";
import { asOfConfigKey, type Placeholder, type PlanOutcome } from "../../policies/plannedStack.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { pulumiProject, type CliPhase } from "../facts/analyzedResource.js";
import { analyzerView, mockRunFor } from "./cliView.js";
import { runUnderMocks } from "./mockEngine.js";

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

export async function planStack(customer: string, stacksDir: string, phase: CliPhase, asOfText: string | undefined): Promise<PlanOutcome> {
  // Loaded lazily: the pack's other policies need none of this, and the components must load after the mocks.
  const { loadCatalog } = await import("../catalog/load.js");
  const { loadCustomerFile } = await import("../plan/load.js");
  const { customerIdOfName, filesForId } = await import("../customer/customerFiles.js");
  const { formatProblem } = await import("../facts/problems.js");
  const { readAsOf } = await import("../facts/asOf.js");
  const { planCustomer } = await import("../plan/plan.js");

  // The same rule as every command's (src/customerFiles.ts): `<id>.yaml` or `<id>.yml`, never both.
  const files = customerIdOfName(`${customer}.yaml`) === customer ? filesForId(stacksDir, customer) : [];
  if (files.length !== 1) {
    const why = files.length === 0 ? "has no customer file" : "has two customer files";
    return { ok: false, problem: `stack '${customer}' ${why} stacks/${customer}.yaml or .yml (the stack name is the customer id)` };
  }
  const file = files[0]!;
  // The pack's own catalogue, the one no-custom-alerts re-renders from: released-catalog-versions holds it to the lock.
  const catalog = loadCatalog();
  const loaded = loadCustomerFile(file, catalog);
  if (!loaded.ok)
    return { ok: false, problem: `stacks/${customer}.yaml is invalid, so nothing can match it: ${formatProblem(loaded.problems[0]!)}` };
  const asOf = asOfText === undefined ? new Date() : readAsOf(asOfText, loaded.spec.timezone);
  if (typeof asOf === "string") return { ok: false, problem: `stack configuration ${asOfConfigKey}: ${asOf}` };

  const placeholders = new Map<string, Placeholder>();
  const run = mockRunFor(phase);
  const customerPlan = planCustomer(loaded.spec, catalog, asOf);
  const registered = await runUnderMocks(
    async () => {
      const { CustomerMonitoring } = await import("../../components/customerMonitoring.js");
      new CustomerMonitoring(loaded.spec.customer, { plan: customerPlan });
    },
    { project: pulumiProject, stack: customer, preview: run.preview, mocks: recordingMocks(run.mocks, placeholders) },
  );
  return { ok: true, plan: { customer, phase, asOf, resources: analyzerView(registered, phase), placeholders } };
}
