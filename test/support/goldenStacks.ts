// Fixture builders over the golden stacks (src/offline/goldenStacks.ts): test/golden/<customer>.<phase>.json,
// what the real components register for each example customer, through the CLI-view model
// (src/offline/cliView.ts, whose header cites the pulumi/pulumi sources of each rule), as the pack's
// analyzer receives it. `npm run generate` writes them and test/generated.test.ts fails when they are
// stale. A test starts from one, applies a named mutation, and judges it with the whole pack through
// the one runner.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadCatalog } from "../../src/catalog/load.js";
import { renderAlert, type RenderedAlert } from "../../src/catalog/render.js";
import { stackResourceTypes } from "../../src/facts/alertingResources.js";
import type { AnalyzedResource, CliPhase } from "../../src/offline/cliView.js";
import { runPolicies, type PolicyConfigInput, type PolicyReport, type PolicyViolation } from "../../src/offline/policyResults.js";
import { alertProvenances } from "../../src/plan/alerts.js";
import { loadCustomer } from "../../src/plan/loadCustomer.js";
import { judgedStack } from "../../src/preview/customer.js";
import { goldenAsOf, goldenStackFile } from "../../src/offline/goldenStacks.js";
import { pack } from "./pack.js";

export { stackResourceTypes as T };
export type { AnalyzedResource };

/** The as-of the golden stacks were planned at; the pack is told the same. */
export const asOf = goldenAsOf;

const read = new Map<string, AnalyzedResource[]>();

/** A fresh copy of the golden stack of `customer` in `phase` (an update by default: ids and keys known). */
export function golden(customer = "nordlys", phase: CliPhase = "update"): AnalyzedResource[] {
  const file = goldenStackFile(customer, phase);
  let resources = read.get(file);
  if (!resources) {
    resources = (JSON.parse(readFileSync(file, "utf8")) as { resources: AnalyzedResource[] }).resources;
    read.set(file, resources);
  }
  return structuredClone(resources);
}

export interface JudgeOptions {
  customer?: string;
  phase?: CliPhase;
  /** Like `--policy-pack-config`. */
  config?: Record<string, PolicyConfigInput>;
  /** Stack configuration beyond the as-of (PULUMI_CONFIG under the CLI); "none": the pack is told no configuration at all. */
  stackConfig?: Record<string, string> | "none";
}

/** The whole pack's report on `view`, told about the customer's stack as the CLI would tell it: the one call of the runner. */
export function judge(view: readonly AnalyzedResource[], o: JudgeOptions = {}): Promise<PolicyReport> {
  const { config, ...stack } = judgedStack(o.customer ?? "nordlys", asOf, o.phase ?? "update");
  return runPolicies(view, {
    pack,
    stack: o.stackConfig === "none" ? stack : { ...stack, config: { ...config, ...o.stackConfig } },
    ...(o.config ? { config: o.config } : {}),
  });
}

/** One policy's violations in a report. */
export function violationsOf(report: PolicyReport, policy: string): PolicyViolation[] {
  const r = report.results.find((x) => x.policy === policy);
  if (!r) throw new Error(`no policy ${policy} in the report`);
  return r.violations;
}

/** One policy's violation messages in a report. */
export const messagesOf = (report: PolicyReport, policy: string) => violationsOf(report, policy).map((v) => v.message);

/** The policies that failed, in pack order. */
export const failedPolicies = (report: PolicyReport) => report.results.filter((r) => r.status === "fail").map((r) => r.policy);

/** The policies whose violations name `urn`. */
export const policiesFlagging = (report: PolicyReport, urn: string) =>
  report.results.filter((r) => r.violations.some((v) => v.urn === urn)).map((r) => r.policy);

// ---------------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------------

/** The first resource of `type` (whose name matches `name`) in the view. */
export function find(view: readonly AnalyzedResource[], type: string, name?: RegExp | string): AnalyzedResource {
  const r = view.find((x) => x.type === type && (name === undefined || (typeof name === "string" ? x.name === name : name.test(x.name))));
  if (!r) throw new Error(`fixture: no ${type} ${name ?? ""}`);
  return r;
}

type Values = Record<string, any>;

/**
 * The view with one resource replaced by a copy whose checked inputs (what Analyze gets) and outputs
 * (what AnalyzeStack gets) `change` edits alike; `change` also gets the copy itself.
 */
export function changed(
  view: readonly AnalyzedResource[],
  type: string,
  change: (values: Values, r: AnalyzedResource) => void,
  name?: RegExp | string,
): AnalyzedResource[] {
  const r = find(view, type, name);
  const copy = structuredClone(r);
  change(copy.props, copy);
  change(copy.outputs, copy);
  return view.map((x) => (x === r ? copy : x));
}

/** The view with every resource of `type` changed as `changed` changes one. */
export function changedAll(view: readonly AnalyzedResource[], type: string, change: (values: Values, r: AnalyzedResource) => void) {
  return view.map((r) => {
    if (r.type !== type) return r;
    const copy = structuredClone(r);
    change(copy.props, copy);
    change(copy.outputs, copy);
    return copy;
  });
}

/** The view without the resource of `type` (named `name`). */
export function without(view: readonly AnalyzedResource[], type: string, name?: RegExp | string): AnalyzedResource[] {
  const r = find(view, type, name);
  return view.filter((x) => x !== r);
}

/**
 * A resource of `type` added beside the components' ones: under the parent of `beside` (default
 * the first Datadog monitor), the way another program in the same stack would register it.
 */
export function extra(
  view: readonly AnalyzedResource[],
  type: string,
  name: string,
  props: Values = {},
  beside: AnalyzedResource = find(view, stackResourceTypes.datadogMonitor),
): AnalyzedResource {
  return {
    ...structuredClone(beside),
    type,
    name,
    urn: beside.urn.replace(/\$[^$]*$/, `$${type}::${name}`),
    custom: true,
    props: structuredClone(props),
    outputs: structuredClone(props),
    secretPaths: [],
    outputSecretPaths: [],
    dependencies: [],
    propertyDependencies: {},
    additionalSecretOutputs: [],
    declaredOnly: [],
  };
}

/** A copy of a resource of the view under another name (and URN). */
export function copyOf(r: AnalyzedResource, name: string): AnalyzedResource {
  return { ...structuredClone(r), name, urn: r.urn.replace(/::[^:]+$/, `::${name}`) };
}

/** An explicit provider resource at the stack's root, as the program would register one. */
export function provider(view: readonly AnalyzedResource[], pkg: string, name: string, props: Values): AnalyzedResource {
  const root = find(view, stackResourceTypes.customerMonitoring);
  return {
    ...extra(view, `pulumi:providers:${pkg}`, name, props, root),
    urn: `${root.urn.split("::").slice(0, 2).join("::")}::pulumi:providers:${pkg}::${name}`,
  };
}

/** Stand-in for a secret key: 32 hex digits, like the real ones. */
export const fakeKey = (seed: string) => createHash("md5").update(seed).digest("hex");

/** The alerts the catalogue renders for an example customer, before any provider sees them. */
export function renderedAlerts(customer = "nordlys"): RenderedAlert[] {
  const { spec } = loadCustomer(customer);
  const catalog = loadCatalog();
  return alertProvenances(spec, catalog).map((p) => renderAlert(catalog, p));
}
