/**
 * Runs the policy pack's own policy objects in-process over a list of resources, and reports per
 * policy whether it passed: what `pico-monitoring preview --json` (key `policies`) and `audit` print.
 *
 * It does what @pulumi/policy's analyzer does, without gRPC and without constructing a PolicyPack:
 * resource policies once per resource, stack policies once over all of them (with parents and
 * dependencies linked), config reconciled from the schema defaults, enforcement levels applied.
 * A policy may be asynchronous, as under @pulumi/policy; what the CLI would tell the pack about the
 * stack (its name, phase and configuration) is given as `stack` (see policies/stackContext.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  EnforcementLevel,
  Policy,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { ValidateFunction } from "ajv";
import { PACK_NAME, type Pack } from "../../policies/pack.js";
import { isPromise, promiseLevel, type ViolationReport } from "../../policies/promise.js";
import { isUnknownValueError, UNKNOWN_SENTINEL, UndecidedDuringPreview } from "../../policies/resourceProps.js";
import { withStackContext, type StackContext } from "../../policies/stackContext.js";
import { projectRoot } from "../facts/paths.js";

/** Put this where a value is not known yet (preview): policies treat it as the CLI's unknowns. */
export const UNKNOWN_VALUE = UNKNOWN_SENTINEL;

export type { PolicyInputResource } from "../facts/analyzedResource.js";
import type { PolicyInputResource } from "../facts/analyzedResource.js";

/** Like a `--policy-pack-config` entry: a level, or properties with an optional level. `all` sets every level. */
export type PolicyConfigInput = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

export interface RunPoliciesOptions {
  /** The pack whose policies run (policies/pack.ts `createPack`). */
  pack: Pack;
  config?: Record<string, PolicyConfigInput>;
  stackTags?: Record<string, string>;
  /** What the CLI tells the pack's process about the stack; without it the policies read this process's environment. */
  stack?: StackContext;
}

export interface PolicyViolation {
  /** The resource concerned; absent when the violation is about the whole stack. */
  urn?: string;
  message: string;
}

export interface PolicyResult {
  policy: string;
  description: string;
  severity?: Severity;
  enforcementLevel: EnforcementLevel;
  status: "pass" | "fail";
  violations: PolicyViolation[];
  /**
   * Where the policy could not decide because a value is not known yet; the CLI reports these as
   * advisory "can't run policy during preview" and does not fail on them.
   */
  undecided: PolicyViolation[];
}

export interface PolicyReport {
  pack: string;
  version: string;
  results: PolicyResult[];
}

// Thrown by `notApplicable` and caught right here: not an Error, so no stack is captured for the
// many resources a resource policy passes over.
class NotApplicable {
  constructor(readonly reason?: string) {}
}

const isStackPolicy = (p: Policy): p is StackValidationPolicy => "validateStack" in p;

let version: string | undefined;
/** The pack's version (policies/package.json), read once per process: every customer's report carries it. */
export function packVersion(): string {
  version ??= (JSON.parse(readFileSync(join(projectRoot(), "policies", "package.json"), "utf8")) as { version: string }).version;
  return version;
}

export function runPolicies(resources: readonly PolicyInputResource[], opts: RunPoliciesOptions): Promise<PolicyReport> {
  // Without a stack context, the policies read the process environment, as the pack's process does.
  return opts.stack ? withStackContext(opts.stack, () => runAll(resources, opts)) : runAll(resources, opts);
}

async function runAll(resources: readonly PolicyInputResource[], opts: RunPoliciesOptions): Promise<PolicyReport> {
  const { pack } = opts;
  const config = reconcileConfig(pack, opts.config ?? {});
  const stackTags: ReadonlyMap<string, string> = new Map(Object.entries(opts.stackTags ?? {}));
  const results: PolicyResult[] = [];

  for (const policy of pack.policies) {
    const settings = config[policy.name]!;
    const configured = settings.enforcementLevel === "remediate" ? "mandatory" : settings.enforcementLevel;
    // A promise reports its violations mandatory whatever the configuration says; only `disabled` skips it (policies/promise.ts).
    const level = configured !== "disabled" && isPromise(policy) ? promiseLevel : configured;
    const result: PolicyResult = {
      policy: policy.name,
      description: policy.description,
      ...(policy.severity ? { severity: policy.severity } : {}),
      enforcementLevel: level,
      status: "pass",
      violations: [],
      undecided: [],
    };
    results.push(result);
    if (level === "disabled") continue;
    const getConfig = <T extends object>() => ({ ...settings.properties }) as T;
    const notApplicable = (reason?: string): never => {
      throw new NotApplicable(reason);
    };

    const caught = (urn: string | undefined, e: unknown): void => {
      if (e instanceof NotApplicable) return;
      if (e instanceof UndecidedDuringPreview || isUnknownValueError(e)) {
        const message = `can't run policy '${policy.name}' during preview: ${(e as Error).message}`;
        result.undecided.push(urn ? { urn, message } : { message });
        return;
      }
      throw e;
    };
    // A synchronous policy (most are) is judged without a promise per resource; an asynchronous one is awaited.
    const run = (urn: string | undefined, validate: (report: ReportViolation) => unknown): Promise<void> | undefined => {
      // Both forms @pulumi/policy takes: (message, urn), and the object a promise sends, whose message
      // starts with the description as the CLI shows it (server.js makeReportViolationFun).
      const report = ((violation: string | ViolationReport, violationUrn?: string) => {
        const message = typeof violation === "string" ? violation : violation.message.slice(violation.message.indexOf("\n") + 1);
        const at = (typeof violation === "string" ? violationUrn : violation.urn) || urn;
        result.violations.push(at ? { urn: at, message } : { message });
      }) as ReportViolation;
      let outcome: unknown;
      try {
        outcome = validate(report);
      } catch (e) {
        caught(urn, e);
        return undefined;
      }
      return outcome instanceof Promise
        ? outcome.then(
            () => undefined,
            (e: unknown) => caught(urn, e),
          )
        : undefined;
    };

    if (isStackPolicy(policy)) {
      const args: StackValidationArgs = { resources: linkResources(resources), getConfig, stackTags, notApplicable };
      await run(undefined, (report) => policy.validateStack(args, report));
    } else {
      const validations = [(policy as ResourceValidationPolicy).validateResource ?? []].flat();
      for (const r of resources) {
        const args: ResourceValidationArgs = {
          type: r.type,
          props: r.props,
          urn: r.urn,
          name: r.name,
          opts: resourceOptions(r),
          stackTags,
          isType: (cls) => isTypeOf(r.type, cls),
          asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? r.props : undefined)) as ResourceValidationArgs["asType"],
          getConfig,
          notApplicable,
          ...(r.provider ? { provider: r.provider } : {}),
        };
        for (const validate of validations) {
          const pending = run(r.urn, (report) => validate(args, report));
          if (pending) await pending;
        }
      }
    }
    result.status = result.violations.length > 0 ? "fail" : "pass";
  }
  return { pack: PACK_NAME, version: packVersion(), results };
}

/** The resource options a policy sees, as the engine sends them for a resource without explicit options. */
export function resourceOptions(r: Pick<PolicyInputResource, "parent" | "additionalSecretOutputs">): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: r.additionalSecretOutputs ?? [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

/** SDK resource classes carry their type token; that is all `isType`/`asType` compare. */
function isTypeOf(type: string, cls: unknown): boolean {
  return type === (cls as { __pulumiType?: unknown } | undefined)?.__pulumiType;
}

/** PolicyResources with parent and dependencies linked to each other, as the analyzer links them. */
function linkResources(resources: readonly PolicyInputResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const linked = resources.map((r) => {
    const props = r.outputs ?? r.props;
    const pr: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: resourceOptions(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
    };
    byUrn.set(r.urn, pr);
    return pr;
  });
  const resolve = (urns: readonly string[] | undefined) =>
    (urns ?? []).map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
  resources.forEach((r, i) => {
    const pr = linked[i]!;
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) pr.parent = parent;
    pr.dependencies = resolve(r.dependencies);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) pr.propertyDependencies[k] = resolve(urns);
  });
  return linked;
}

interface PolicySettings {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

const levels: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * The level each of the pack's policies runs at under `config` (as `--policy-pack-config` gives it);
 * throws when the configuration is invalid, as runPolicies does.
 */
export function enforcementLevels(pack: Pack, config: Record<string, PolicyConfigInput> = {}): Map<string, EnforcementLevel> {
  const settings = reconcileConfig(pack, config);
  return new Map(
    pack.policies.map((p) => {
      const level = settings[p.name]!.enforcementLevel;
      if (level !== "disabled" && isPromise(p)) return [p.name, promiseLevel];
      return [p.name, level === "remediate" ? "mandatory" : level];
    }),
  );
}

/** The promises `config` disables: the one setting no pack can override (policies/promise.ts). */
export function disabledPromises(pack: Pack, config: Record<string, PolicyConfigInput> = {}): string[] {
  const levels = enforcementLevels(pack, config);
  return pack.policies.filter((p) => isPromise(p) && levels.get(p.name) === "disabled").map((p) => p.name);
}

/** Schema defaults, then the given config (levels and properties), validated like the CLI validates it. */
function reconcileConfig(pack: Pack, given: Record<string, PolicyConfigInput>): Record<string, PolicySettings> {
  const settings: Record<string, PolicySettings> = {};
  for (const p of pack.policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
      if (s && typeof s === "object" && "default" in s) properties[k] = s.default;
    }
    settings[p.name] = { enforcementLevel: p.enforcementLevel ?? pack.enforcementLevel ?? "advisory", properties };
  }
  const problems: string[] = [];
  const levelOf = (name: string, v: unknown): EnforcementLevel | undefined => {
    if (v === undefined) return undefined;
    if (levels.includes(v as EnforcementLevel)) return v as EnforcementLevel;
    problems.push(`${name}: '${String(v)}' is not an enforcement level (${levels.join(", ")})`);
    return undefined;
  };
  const split = (v: PolicyConfigInput) =>
    typeof v === "string"
      ? { level: v as unknown, props: {} }
      : (({ enforcementLevel, ...props }) => ({ level: enforcementLevel as unknown, props }))(v);

  if (given["all"] !== undefined) {
    const level = levelOf("all", split(given["all"]).level);
    if (level) for (const s of Object.values(settings)) s.enforcementLevel = level;
  }
  for (const [name, v] of Object.entries(given)) {
    if (name === "all") continue;
    const target = settings[name];
    if (!target) {
      problems.push(`${name}: no such policy in ${PACK_NAME}`);
      continue;
    }
    const { level, props } = split(v);
    const l = levelOf(name, level);
    if (l) target.enforcementLevel = l;
    Object.assign(target.properties, props);
  }
  for (const p of pack.policies) {
    // Only given settings can be invalid: the schema's own defaults are what the pack ships.
    if (given[p.name] === undefined) continue;
    const validate = configValidator(p);
    if (!validate(settings[p.name]!.properties)) {
      for (const e of validate.errors ?? []) problems.push(`${p.name}${e.instancePath.replace(/\//g, ".")}: ${e.message}`);
    }
  }
  if (problems.length > 0) throw new Error(`policy configuration is invalid:\n  ${problems.join("\n  ")}`);
  return settings;
}

// Compiling a schema costs milliseconds; an audit checks the same schemas for every customer, with a
// pack built per customer (src/preview/customer.ts), so a validator is kept per schema object.
// ajv itself loads only when a run gives policy settings (a preview without them never does).
let ajv: import("ajv").default | undefined;
const noSchema = {};
const validators = new WeakMap<object, ValidateFunction>();
function configValidator(p: Policy): ValidateFunction {
  const schema = p.configSchema ?? noSchema;
  let validate = validators.get(schema);
  if (!validate) {
    ajv ??= new (require("ajv") as typeof import("ajv")).default({ strict: false, allErrors: true });
    validate = ajv.compile({ type: "object", properties: p.configSchema?.properties ?? {}, required: p.configSchema?.required ?? [] });
    validators.set(schema, validate);
  }
  return validate;
}
