/**
 * The offline preview of one customer: the real `CustomerMonitoring` component through Pulumi's
 * mock engine, exactly as `pulumi preview` (or, for an update, `pulumi up`) would construct it; and
 * the pack's judgement of what the CLI would hand it (../cliView).
 */
import { resolve } from "node:path";
import type { Catalog } from "../catalog/entry.js";
import { analyzerView, type AnalyzedResource, type CliPhase } from "../offline/cliView.js";
import { runPolicies, type PolicyReport, type RunPoliciesOptions } from "../offline/policyResults.js";
import { planStack, plannedStackOf, providersOf, registerCustomer, type CustomerRegistrations } from "../offline/stackPlanner.js";
import { createPack } from "../../policies/pack.js";
import { asOfConfigKey, type StackPlanner } from "../../policies/plannedStack.js";
import { defaultStacksDir, type StackContext } from "../../policies/stackContext.js";
import type { VersionLock } from "../catalog/versionLock.js";
import { filesForId } from "../customer/customerFiles.js";
import { maxAlerts, roles, type Role } from "../facts/extended.js";
import { planCustomer } from "../plan/plan.js";
import type { CustomerSpec } from "../customer/schema.js";
import { countAlerts } from "./render.js";
import type { RosterChange } from "../calendar/rosterChanges.js";
import type { RegisteredResource } from "../offline/mockEngine.js";

export { pulumiProject } from "../facts/analyzedResource.js";

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
  /** The file's roster changes (`roster.changes`), each already in `roster`'s days it falls on. */
  rosterChanges: RosterChange[];
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
  return (await runPreview(spec, catalog, asOf, phase)).preview;
}

async function runPreview(
  spec: CustomerSpec,
  catalog: Catalog,
  asOf: Date,
  phase: CliPhase,
): Promise<{ preview: CustomerPreview; placeholders: CustomerRegistrations["placeholders"] }> {
  const plan = planCustomer(spec, catalog, asOf);
  const { resources, placeholders } = await registerCustomer(spec.customer, spec.customer, plan, phase);
  const preview = {
    customer: spec.customer,
    asOf,
    phase,
    resources,
    summary: { alerts: countAlerts(resources), maxAlerts },
    roster: rosterByPerson(plan.layers),
    rosterChanges: [...(spec.roster.changes ?? [])],
  };
  return { preview, placeholders };
}

export interface JudgedCustomer {
  preview: CustomerPreview;
  /** What the analyzer is handed for this phase. */
  view: AnalyzedResource[];
  report: PolicyReport;
}

export interface JudgeOptions extends Omit<RunPoliciesOptions, "pack" | "stack"> {
  phase?: CliPhase;
  /** Where the pack finds the customer's file (default: the repository's stacks/). */
  stacksDir?: string;
  /** The file `spec` was read from: when the pack's planner finds this same file, it reuses the preview's run. */
  file?: string;
  /** The catalogue the pack judges by (default: `catalog`, the one the preview renders from). */
  reference?: Catalog;
  /** See PackDependencies.releasedVersions. */
  releasedVersions?: VersionLock;
}

/** Preview, then judge the CLI's view of it with the pack: what `preview`, `audit` and `diff` report. */
export async function judgeCustomer(spec: CustomerSpec, catalog: Catalog, asOf: Date, opts: JudgeOptions = {}): Promise<JudgedCustomer> {
  const { phase, stacksDir, file, reference = catalog, releasedVersions, ...policyOptions } = opts;
  const { preview, view, planner } = await previewForJudging(spec, catalog, asOf, { phase, file, reference });
  const pack = createPack({ catalog: reference, planStack: planner, ...(releasedVersions ? { releasedVersions } : {}) });
  return {
    preview,
    view,
    report: await runPolicies(view, { pack, stack: judgedStack(spec.customer, asOf, preview.phase, stacksDir), ...policyOptions }),
  };
}

/** The preview, its CLI view, and the planner the pack judging it gets (the preview's own run where that is the re-plan). */
export async function previewForJudging(
  spec: CustomerSpec,
  catalog: Catalog,
  asOf: Date,
  opts: Pick<JudgeOptions, "phase" | "file" | "reference"> = {},
): Promise<{ preview: CustomerPreview; view: AnalyzedResource[]; planner: StackPlanner }> {
  const { phase = "first-preview", file, reference = catalog } = opts;
  const { preview, placeholders } = await runPreview(spec, catalog, asOf, phase);
  const view = analyzerView(preview.resources, preview.phase);
  const planner =
    file !== undefined && reference === catalog
      ? reusingPlanner({ file: resolve(file), spec, catalog, asOf, phase, view, placeholders, providers: providersOf(preview.resources) })
      : planStack;
  return { preview, view, planner };
}

interface ReusablePlan {
  file: string;
  spec: CustomerSpec;
  catalog: Catalog;
  asOf: Date;
  phase: CliPhase;
  view: AnalyzedResource[];
  placeholders: CustomerRegistrations["placeholders"];
  providers: ReadonlyMap<string, string>;
}

/**
 * Offline, the re-plan the closed-world policies ask for is the preview's own run: the planner
 * (src/offline/stackPlanner.ts) would load the same file with the same catalogue, plan it for the
 * same as-of, and run the same components through the same mock engine (`registerCustomer`, whose
 * answers are deterministic) for the same phase, then take the same CLI view. So when the request is
 * for exactly that (the file the preview read, its phase and as-of, the catalogue it rendered from),
 * the preview's registrations answer it; anything else is re-planned. Under the CLI the stack comes
 * from the real engine, so src/policyPack.ts always re-plans. test/planReuse.test.ts holds the two equal
 * for every example customer and phase.
 */
function reusingPlanner(reused: ReusablePlan): StackPlanner {
  return (request) => {
    const same =
      request.catalog === reused.catalog &&
      request.customer === reused.spec.customer &&
      request.phase === reused.phase &&
      request.asOfText === reused.asOf.toISOString() &&
      sameFile(filesForId(request.stacksDir, request.customer), reused.file);
    if (!same) return planStack(request);
    return Promise.resolve({
      ok: true,
      plan: plannedStackOf(request.customer, reused.file, reused.phase, reused.asOf, reused.view, reused.placeholders, reused.providers),
    });
  };
}

const sameFile = (found: string[], file: string) => found.length === 1 && resolve(found[0]!) === file;

/**
 * What the CLI would tell the pack about this customer's stack: its name, phase and the program's
 * as-of; `stacksDir` is where the pack finds the customer's file (default: the repository's stacks/).
 */
export function judgedStack(customer: string, asOf: Date, phase: CliPhase, stacksDir = defaultStacksDir()): StackContext {
  return { stack: customer, dryRun: phase === "first-preview", config: { [asOfConfigKey]: asOf.toISOString() }, stacksDir, clock: asOf };
}
