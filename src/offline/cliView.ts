/**
 * The Pulumi CLI's view of a stack: from what the components registered under the mock engine
 * (./preview/mockEngine), exactly what `pulumi preview --policy-pack` / `pulumi up --policy-pack`
 * hands the policy pack's analyzer. The offline preview, audit and diff judge this view, and the
 * gRPC tests send it, so a stack that passes offline passes under the CLI.
 *
 * The rules, and where they come from:
 * 1. Check output, not registered inputs: the engine analyzes the inputs the provider's Check
 *    returned (pulumi/pulumi pkg/resource/deploy/step_generator.go). What Check adds per type is in
 *    ./providerCheck (Terraform schema defaults; azure-native's `azureApiVersion`).
 * 2. Internal keys: props are marshalled with `SkipInternalKeys`, so every key starting with `__`
 *    (the bridge's `__defaults` included) is dropped at every depth (pulumi/pulumi
 *    pkg/resource/plugin/analyzer_plugin.go `Analyze`/`AnalyzeStack`; rpc_test.go
 *    `TestSkipInternalKeys` shows the nested case).
 * 3. Phase: on a first preview, outputs of resources not created yet (ids, integration keys, and
 *    everything computed from them) are unknown; the SDK sends them as the unknown sentinel. On a
 *    later update they are known. Either way, known secrets reach the pack decrypted (the analyzer
 *    marshals with KeepSecrets and @pulumi/policy unwraps them); `secretPaths` says where they were.
 *    We model the unknowns the way the engine makes them, by running the real program with mocks
 *    that answer like a provider's preview Create (no id; computed outputs unknown).
 * 4. The pack's process environment (`constructEnv` in analyzer_plugin.go): see `packProcessEnv`.
 * 5. Analyze is given each resource's checked inputs, AnalyzeStack its outputs: pulumi/pulumi
 *    pkg/resource/deploy/step_generator.go `AnalyzeResources` builds each resource with
 *    `Properties: v.Outputs` ("AnalyzeStack is called on the final outputs of each resource"; the
 *    harness in test/support/analyzer/fakeEngine.ts reads the same from analyzer_plugin.go). Bridged and
 *    azure-native resources return EVERY output property their schema has, so outputs are the
 *    checked inputs, plus what the (mock) provider computed (a service integration's key), plus every
 *    other output the installed SDK class declares (../src/providerOutputs): unknown on a first
 *    preview of a create; on an update, read from state, a stand-in of the declared shape (a string
 *    naming the key, 0, false, [], {}). Kept simple: computed fields nested inside an input the
 *    program set (e.g. an escalation rule's id) are not added, and an optional output the provider
 *    leaves null on update gets a stand-in too (the stricter case for the pack to tolerate).
 *
 * Not confirmed here (see the README's "first real run" checklist): on an update a provider's
 * state may drop inputs this model keeps (azure-native returns the ARM `name` and may not echo
 * `actionGroupName`; the policies read both), and normalize values the program set. A type with no entry in ./providerCheck is
 * assumed to gain nothing in Check.
 */
import type * as pulumi from "@pulumi/pulumi";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import {
  azureApiVersionKey,
  azureApiVersions,
  azureNameProperty,
  azureResourcePath,
  checkDefaults,
  marksNestedDefaults,
  previewIdOutput,
  type CheckDefault,
} from "../facts/providerCheck.js";
import { revealed } from "../facts/engineValues.js";
import { previewMocks, providerOutputs, type RegisteredResource } from "./mockEngine.js";
import { declaredOutputs, type OutputKind } from "../facts/providerOutputs.js";

/** A first `pulumi preview` of a stack that does not exist yet, or a later `pulumi up` of it. */
import { cliPhases, type AnalyzedResource, type CliPhase } from "../facts/analyzedResource.js";
export { cliPhases, type AnalyzedResource, type CliPhase };

/** What a PagerDuty ServiceIntegration computes: its integration key (resource_pagerduty_service_integration.go). */
const computedOutputs: Readonly<Record<string, readonly string[]>> = {
  "pagerduty:index/serviceIntegration:ServiceIntegration": ["integrationKey"],
};

/**
 * Mocks that answer like the providers on a first preview: a resource to be created has no id yet
 * (the SDK then treats the id as unknown), and its computed outputs are unknown.
 */
const firstPreviewMocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const state: Record<string, unknown> = { ...args.inputs };
    for (const k of computedOutputs[args.type] ?? []) if (state[k] === undefined) state[k] = UNKNOWN_SENTINEL;
    return { id: undefined, state };
  },
  call: (args) => previewMocks.call(args),
};

/** How to run the program under the mock engine for a phase (`runUnderMocks` options). */
export function mockRunFor(phase: CliPhase): { preview: boolean; mocks: pulumi.runtime.Mocks } {
  // An update is `pulumi up` of an existing stack: not a dry run, outputs known.
  return phase === "first-preview" ? { preview: true, mocks: firstPreviewMocks } : { preview: false, mocks: previewMocks };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Fills `d` where `path` leads (`*`: every element), telling `filled` each concrete place it filled. */
function fillAt(value: unknown, path: readonly string[], d: CheckDefault, filled: (at: string) => void, at = ""): unknown {
  if (path.length === 0) {
    if (!isObject(value)) return value;
    if (value[d.key] !== undefined && value[d.key] !== null) return value;
    if (d.unlessSet?.some((k) => value[k] !== undefined && value[k] !== null)) return value;
    filled(at);
    return { ...value, [d.key]: d.value };
  }
  const [head, ...rest] = path;
  if (head === "*") return Array.isArray(value) ? value.map((e, i) => fillAt(e, rest, d, filled, `${at}[${i}]`)) : value;
  if (!isObject(value) || value[head!] === undefined) return value;
  return { ...value, [head!]: fillAt(value[head!], rest, d, filled, at ? `${at}.${head}` : head!) };
}

/**
 * The inputs after the provider's Check (rule 1). `type` is the registered token. An azure-native
 * type we have no version for keeps no `azureApiVersion`: the real Check would add its own version,
 * which the pack then rejects as not one of ours.
 */
export function checkOutput(type: string, props: Record<string, unknown>, providerVersion?: string): Record<string, unknown> {
  let out: unknown = props;
  const filledAt = new Map<string, string[]>();
  for (const d of checkDefaults[type] ?? []) out = fillAt(out, d.path, d, (at) => filledAt.set(at, [...(filledAt.get(at) ?? []), d.key]));
  if (marksNestedDefaults(type)) out = markNestedDefaults(out, (path) => filledAt.get(path) ?? []);
  const checked = out as Record<string, unknown>;
  // Rule 6: the engine adds the provider package's version to every provider resource it registers.
  if (type.startsWith("pulumi:providers:") && providerVersion) return { ...checked, version: providerVersion };
  const version = azureApiVersions[type];
  return version !== undefined && checked[azureApiVersionKey] === undefined ? { ...checked, [azureApiVersionKey]: version } : checked;
}

/** Rule 2: `__` keys dropped at the top level only; nested ones reach the pack. */
export function skipInternalKeys(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    // Plain assignment is Object.fromEntries here: the one inherited setter, "__proto__", is filtered out.
    if (!k.startsWith("__")) out[k] = value[k];
  }
  return out;
}

/**
 * Rule 1b: a bridged provider's Check gives every nested block (an object in a list or a one-item block)
 * a `__defaults` list naming the keys Check filled in it (pulumi-terraform-bridge pkg/tfbridge/schema.go
 * `MakeTerraformInputs`/`applyDefaults`, seen in every recording under test/recordings/: `[]` where the
 * program set everything). Scalars' lists (tags) and the top level are not blocks.
 */
export function markNestedDefaults(value: unknown, filled: (path: string) => readonly string[] = () => [], path = ""): unknown {
  if (Array.isArray(value)) return value.map((e, i) => markNestedDefaults(e, filled, `${path}[${i}]`));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = markNestedDefaults(v, filled, path ? `${path}.${k}` : k);
  if (path !== "" && out.__defaults === undefined) out.__defaults = [...filled(path)];
  return out;
}

/** Rule 8: the resource's id among its outputs (src/facts/providerCheck.ts `previewIdOutput`). */
function idOutput(r: RegisteredResource, phase: CliPhase, subscriptionOf: (provider?: string) => unknown): Record<string, unknown> {
  if (r.type.startsWith("pulumi:providers:")) return {};
  // azure-native's id is the ARM id it PUT the resource at (the recordings; test/engine/apis/azure.ts echoes the path).
  const path = azureResourcePath[r.type];
  const name = r.props[azureNameProperty[r.type] ?? ""];
  const sub = subscriptionOf(r.provider);
  if (phase === "update" && path && typeof sub === "string" && typeof r.props.resourceGroupName === "string" && typeof name === "string") {
    return { id: `/subscriptions/${sub}/resourceGroups/${r.props.resourceGroupName}/providers/${path}/${name}` };
  }
  if (phase === "update") return r.id === undefined ? {} : { id: r.id };
  const preview = previewIdOutput[r.type.split(":")[0]!];
  return preview === "empty" ? { id: "" } : preview === "unknown" ? { id: UNKNOWN_SENTINEL } : {};
}

/** The URN of the stack resource the CLI adds as every stack's root: `urn:pulumi:<stack>::<project>::…`. */
export function stackUrnOf(urn: string): string {
  const [, stack, project] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(urn) ?? [];
  return `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
}

/** A provider's outputs carry no Check marks: those are input-side (rule 1b). */
function withoutMarks(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMarks);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "__defaults")
      .map(([k, v]) => [k, withoutMarks(v)]),
  );
}

/**
 * Rule 5, per provider, as the recordings show it (test/recordings/): azure-native returns the ARM resource,
 * so only the properties its SDK class declares as outputs (not the path parameters such as
 * `resourceGroupName` or `actionGroupName`); the 2022 bridge's preview of a create leaves out the
 * top-level inputs that are not known yet.
 */
function returnedOutputs(type: string, outputs: Record<string, unknown>, phase: CliPhase): Record<string, unknown> {
  const out = skipInternalKeys(outputs);
  if (type.startsWith("azure-native:")) {
    const declared = declaredOutputs(type);
    if (declared) for (const k of Object.keys(out)) if (!(k in declared)) delete out[k];
  }
  // terraform-provider-datadog resource_datadog_monitor.go: no_data_timeframe's DiffSuppressFunc hides it while
  // notify_no_data is false, so the planned and the read state hold none (test/recordings/).
  if (type === "datadog:index/monitor:Monitor" && out.notifyNoData !== true) delete out.noDataTimeframe;
  // The 2022 bridge of @pulumi/pagerduty 3.4; the newer one of @pulumi/datadog keeps them, unknown.
  if (type.startsWith("pagerduty:") && phase === "first-preview")
    for (const [k, v] of Object.entries(out)) if (v === UNKNOWN_SENTINEL) delete out[k];
  return out;
}

const standIn: Record<OutputKind, (key: string) => unknown> = {
  string: (key) => `provider-computed ${key}`,
  number: () => 0,
  boolean: () => false,
  list: () => [],
  object: () => ({}),
};

/**
 * The analyzer's view of what a mock run registered (run it with `mockRunFor(phase)`): Check
 * output with internal keys dropped, secrets revealed, unknowns as the engine's sentinel, and the
 * outputs as the provider returns them in `phase` (rule 5).
 */
export function analyzerView(resources: readonly RegisteredResource[], phase: CliPhase): AnalyzedResource[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const subscriptionOf = (provider?: string) => (provider ? byUrn.get(provider)?.props.subscriptionId : undefined);
  return resources.map((r) => {
    // The pack gets secrets decrypted (their places in `secretPaths`), unknowns as the sentinel.
    const registered = revealed(r.props) as Record<string, unknown>;
    const checked = r.custom ? checkOutput(r.type, registered, r.version) : registered;
    const props = skipInternalKeys(checked);
    const answered = revealed(providerOutputs(r) ?? {}) as Record<string, unknown>;
    const computed = Object.fromEntries(Object.entries(answered).filter(([k]) => !(k in registered)));
    // Rule 7: a component's outputs are what it registered with registerOutputs.
    const returned = r.custom
      ? {
          ...returnedOutputs(r.type, { ...(withoutMarks(checked) as Record<string, unknown>), ...computed }, phase),
          ...idOutput(r, phase, subscriptionOf),
        }
      : skipInternalKeys(answered);
    // Inputs a provider leaves out of its outputs (rule 5) stay out: they are not outputs it computes.
    const declared = Object.entries((r.custom && declaredOutputs(r.type)) || {}).filter(([k]) => !(k in returned) && !(k in checked));
    const nameFrom = azureNameProperty[r.type];
    const outputs = {
      ...returned,
      ...Object.fromEntries(declared.map(([k, kind]) => [k, phase === "first-preview" ? UNKNOWN_SENTINEL : standIn[kind](k)])),
      // An update reads the resource back: ARM answers with its name.
      ...(phase === "update" && nameFrom && registered[nameFrom] !== undefined ? { name: registered[nameFrom] } : {}),
    };
    const aso = (r.additionalSecretOutputs ?? []).filter((k) => k in outputs);
    // Rule 9: a secret anywhere in a property makes the engine send the whole property as one secret.
    const secretPaths = [...new Set((r.secretPaths ?? []).map((p) => p.split(/[.[]/)[0]!))].sort();
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      // Rule 10: the engine parents every resource the program left unparented to the stack resource.
      parent: r.parent ?? stackUrnOf(r.urn),
      custom: r.custom,
      ...(declared.length > 0 ? { declaredOnly: declared.map(([k]) => k) } : {}),
      props,
      secretPaths,
      outputs,
      outputSecretPaths: [...new Set([...secretPaths, ...aso])].sort(),
      dependencies: r.dependencies ?? [],
      propertyDependencies: r.propertyDependencies ?? {},
      additionalSecretOutputs: r.additionalSecretOutputs ?? [],
    };
  });
}

export interface PackEnvOptions {
  organization: string;
  project: string;
  stack: string;
  phase: CliPhase;
  /** Stack configuration, `project:key` -> value, secrets decrypted. */
  config?: Record<string, string>;
}

/**
 * Rule 4: what the CLI adds to its own environment for the pack process (`constructEnv` in
 * pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go): organization, project, stack and dry run,
 * plain and with the NODEJS_ prefix, and the stack config as JSON with secrets decrypted. Left out
 * when empty, as the CLI leaves out an empty config (not confirmed: the CLI may send `{}`).
 */
export function packProcessEnv(o: PackEnvOptions): Record<string, string> {
  const dryRun = String(o.phase === "first-preview");
  return {
    PULUMI_NODEJS_ORGANIZATION: o.organization,
    PULUMI_NODEJS_PROJECT: o.project,
    PULUMI_NODEJS_STACK: o.stack,
    PULUMI_NODEJS_DRY_RUN: dryRun,
    PULUMI_ORGANIZATION: o.organization,
    PULUMI_PROJECT: o.project,
    PULUMI_STACK: o.stack,
    PULUMI_DRY_RUN: dryRun,
    ...(o.config && Object.keys(o.config).length > 0 ? { PULUMI_CONFIG: JSON.stringify(o.config) } : {}),
  };
}
