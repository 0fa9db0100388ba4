/**
 * The offline preview of one customer: the real `CustomerMonitoring` component through Pulumi's
 * mock engine, exactly as `pulumi preview` (or, for an update, `pulumi up`) would construct it; and
 * the pack's judgement of what the CLI would hand it (../cliView).
 */
import type { Catalog } from "../catalog/entry.js";
import { analyzerView, mockRunFor, type AnalyzedResource, type CliPhase } from "../offline/cliView.js";
import { runPolicies, type PolicyReport, type RunPoliciesOptions } from "../offline/policyResults.js";
import { asOfConfigKey } from "../../policies/plannedStack.js";
import { defaultStacksDir, type StackContext } from "../../policies/stackContext.js";
import { maxAlerts, roles, type Role } from "../facts/extended.js";
import { planCustomer } from "../plan/plan.js";
import type { CustomerSpec } from "../customer/schema.js";
import { countAlerts } from "./render.js";
import { runUnderMocks, type RegisteredResource } from "../offline/mockEngine.js";

export { pulumiProject } from "../facts/analyzedResource.js";
import { pulumiProject } from "../facts/analyzedResource.js";

/** One preparedness day of the schedules, by person: what reviewers read instead of PagerDuty ids. */
export interface PreviewRosterDay {
  date: string;
  /** The layer's name in every role's schedule. */
  layer: string;
  onDuty: Record<Role, string>;
}

export interface CustomerPreview {
  customer: string;
  asOf: Date;
  phase: CliPhase;
  resources: RegisteredResource[];
  summary: { alerts: number; maxAlerts: number };
  roster: PreviewRosterDay[];
}

/** The plan's layers, one entry per day: the same e-mails the component resolves to PagerDuty users. */
export function rosterByPerson(
  layers: Record<Role, readonly { name: string; start: string; users: readonly string[] }[]>,
): PreviewRosterDay[] {
  const days = new Map<string, PreviewRosterDay>();
  for (const role of roles) {
    for (const l of layers[role]) {
      const day = days.get(l.name) ?? { date: l.start.slice(0, 10), layer: l.name, onDuty: {} as Record<Role, string> };
      day.onDuty[role] = l.users.join(", ");
      days.set(l.name, day);
    }
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** A first preview unless told otherwise: what a customer's first `pulumi preview --policy-pack` sees. */
export async function previewCustomer(
  spec: CustomerSpec,
  catalog: Catalog,
  asOf: Date,
  phase: CliPhase = "first-preview",
): Promise<CustomerPreview> {
  const plan = planCustomer(spec, catalog, asOf);
  const resources = await runUnderMocks(
    async () => {
      // Loaded here, after the mocks are installed, as the mock engine requires.
      const { CustomerMonitoring } = await import("../../components/customerMonitoring.js");
      new CustomerMonitoring(spec.customer, { plan });
    },
    { project: pulumiProject, stack: spec.customer, ...mockRunFor(phase) },
  );
  return {
    customer: spec.customer,
    asOf,
    phase,
    resources,
    summary: { alerts: countAlerts(resources), maxAlerts },
    roster: rosterByPerson(plan.layers),
  };
}

export interface JudgedCustomer {
  preview: CustomerPreview;
  /** What the analyzer is handed for this phase. */
  view: AnalyzedResource[];
  report: PolicyReport;
}

/** Preview, then judge the CLI's view of it with the pack: what `preview`, `audit` and `diff` report. */
export async function judgeCustomer(
  spec: CustomerSpec,
  catalog: Catalog,
  asOf: Date,
  opts: RunPoliciesOptions & { phase?: CliPhase; stacksDir?: string } = {},
): Promise<JudgedCustomer> {
  const { phase, stacksDir, ...policyOptions } = opts;
  const preview = await previewCustomer(spec, catalog, asOf, phase);
  const view = analyzerView(preview.resources, preview.phase);
  return {
    preview,
    view,
    report: await runPolicies(view, { stack: judgedStack(spec.customer, asOf, preview.phase, stacksDir), ...policyOptions }),
  };
}

/**
 * What the CLI would tell the pack about this customer's stack: its name, phase and the program's
 * as-of; `stacksDir` is where the pack finds the customer's file (default: the repository's stacks/).
 */
export function judgedStack(customer: string, asOf: Date, phase: CliPhase, stacksDir = defaultStacksDir()): StackContext {
  return { stack: customer, dryRun: phase === "first-preview", config: { [asOfConfigKey]: asOf.toISOString() }, stacksDir };
}
