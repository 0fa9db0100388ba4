// The Analyzer gRPC interface's encoding, as the Pulumi CLI speaks it: property values marshalled the way
// the engine's MarshalProperties does with KeepSecrets and KeepUnknowns (pulumi/pulumi
// sdk/go/common/resource/plugin/rpc.go), the `@pulumi/pulumi/runtime/rpc` signature constants, resource
// options as pkg/resource/plugin/analyzer_plugin.go fills AnalyzerResourceOptions, and the replies
// (AnalyzeResponse, GetAnalyzerInfo) decoded the way that file reads them.
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import * as structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { specialSecretSig, specialSigKey, UNKNOWN_SENTINEL } from "../../../src/facts/engineValues.js";

// ---------------------------------------------------------------------------------------------------------
// Property values: plain JS plus two markers.
// ---------------------------------------------------------------------------------------------------------

class SecretValue {
  constructor(readonly value: PropertyValue) {}
}
class UnknownValue {}

/** Marks a value as a Pulumi secret: sent as `{ [specialSigKey]: specialSecretSig, value }` (src/facts/engineValues.ts). */
export function secret(value: PropertyValue): PropertyValue {
  return new SecretValue(value);
}
/** A value not known yet (preview): sent as the unknown sentinel string. */
export const unknown: PropertyValue = new UnknownValue();

export type PropertyValue =
  | null
  | boolean
  | number
  | string
  | PropertyValue[]
  | { [key: string]: PropertyValue | undefined }
  | SecretValue
  | UnknownValue;
export type PropertyMap = { [key: string]: PropertyValue | undefined };

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function toWire(v: PropertyValue): JsonValue {
  if (v instanceof SecretValue) {
    return { [specialSigKey]: specialSecretSig, value: toWire(v.value) };
  }
  if (v instanceof UnknownValue) {
    return UNKNOWN_SENTINEL;
  }
  if (v === null || typeof v === "boolean" || typeof v === "string") {
    return v;
  }
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot marshal non-finite number ${v}`);
    return v;
  }
  if (Array.isArray(v)) {
    // The engine has no `undefined`; inside arrays it is null.
    return v.map((e) => (e === undefined ? null : toWire(e)));
  }
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(`cannot marshal ${proto?.constructor?.name ?? "object"}: use plain data`);
    }
    return toWireMap(v as PropertyMap);
  }
  throw new Error(`cannot marshal ${typeof v}`);
}

function toWireMap(m: PropertyMap): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [k, val] of Object.entries(m)) {
    if (val !== undefined) out[k] = toWire(val); // absent, like a property the program never set
  }
  return out;
}

/** Plain JS props (with `secret()`/`unknown` markers) to the google.protobuf.Struct the engine sends. */
export function marshalProperties(props: PropertyMap = {}): structPb.Struct {
  return structPb.Struct.fromJavaScript(toWireMap(props));
}

/** `webhookReceivers[0].serviceUri` -> ["webhookReceivers", 0, "serviceUri"]. */
function pathKeys(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : m[1]!,
  );
}

function markUnknowns(v: unknown): PropertyValue {
  if (v === UNKNOWN_SENTINEL) return unknown;
  if (Array.isArray(v)) return v.map(markUnknowns);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, markUnknowns(x)]));
  return v as PropertyValue;
}

/**
 * Engine-form props (unknowns as the sentinel) with each secret path wrapped where it occurs, as the
 * analyzer marshals them with KeepSecrets.
 */
export function withSecrets(value: Record<string, unknown>, secretPaths: readonly string[]): PropertyMap {
  const props = markUnknowns(value) as PropertyMap;
  for (const path of [...secretPaths].sort((a, b) => b.length - a.length)) {
    const keys = pathKeys(path);
    let parent: Record<string | number, PropertyValue | undefined> = props;
    for (const k of keys.slice(0, -1)) parent = parent?.[k] as Record<string | number, PropertyValue | undefined>;
    const last = keys[keys.length - 1]!;
    if (parent && parent[last] !== undefined && !(parent[last] instanceof SecretValue)) parent[last] = secret(parent[last]!);
  }
  return props;
}

// ---------------------------------------------------------------------------------------------------------
// Resources and results
// ---------------------------------------------------------------------------------------------------------

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";

export interface ResourceOptionsInput {
  parent?: string;
  protect?: boolean;
  ignoreChanges?: string[];
  /** Leave undefined for "not set" (the engine sends deleteBeforeReplaceDefined = false). */
  deleteBeforeReplace?: boolean;
  aliases?: string[];
  additionalSecretOutputs?: string[];
  customTimeouts?: { create?: number; update?: number; delete?: number };
}

export interface ProviderInput {
  type: string; // e.g. "pulumi:providers:datadog"
  name: string;
  urn?: string;
  props?: PropertyMap;
}

export interface ResourceInput {
  /** Pulumi type token, e.g. "datadog:index/monitor:Monitor". */
  type: string;
  /** Logical name. */
  name: string;
  /** Default: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
  urn?: string;
  props?: PropertyMap;
  options?: ResourceOptionsInput;
  provider?: ProviderInput;
}

export interface StackResourceInput extends ResourceInput {
  /** Parent URN (AnalyzeStack only; the pack links it to `resource.parent`). */
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  message: string;
  /** Empty string when the policy did not name a resource (stack policies usually don't). */
  urn: string;
  enforcementLevel: EnforcementLevel;
  description: string;
  severity?: Severity;
}

export interface NotApplicable {
  policyName: string;
  reason: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: NotApplicable[];
}

export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  type: "resource" | "stack" | "unspecified";
  severity?: Severity;
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface PolicyConfigEntry {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

export interface AnalyzerInfo {
  name: string;
  displayName: string;
  /** As the CLI reports it: PulumiPolicy.yaml `version` if set, else the pack's (package.json) version. */
  version: string;
  /** What the pack itself answered (package.json "version"). */
  packVersion: string;
  supportsConfig: boolean;
  description: string;
  policies: PolicyInfo[];
  initialConfig: Record<string, PolicyConfigEntry>;
}

// ---------------------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------------------

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_CODES: Record<EnforcementLevel, analyzerPb.EnforcementLevel> = {
  advisory: analyzerPb.EnforcementLevel.ADVISORY,
  mandatory: analyzerPb.EnforcementLevel.MANDATORY,
  remediate: analyzerPb.EnforcementLevel.REMEDIATE,
  disabled: analyzerPb.EnforcementLevel.DISABLED,
};
const SEVERITIES: Record<number, Severity | undefined> = {
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

function level(code: number): EnforcementLevel {
  const l = LEVELS[code];
  if (!l) throw new Error(`invalid enforcement level ${code}`); // the CLI rejects it too
  return l;
}

export function isLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && v in LEVEL_CODES;
}

export function marshalOptions(o: ResourceOptionsInput = {}): analyzerPb.AnalyzerResourceOptions {
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(o.protect ?? false);
  opts.setIgnorechangesList(o.ignoreChanges ?? []);
  opts.setDeletebeforereplace(o.deleteBeforeReplace ?? false);
  opts.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
  opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
  opts.setAliasesList(o.aliases ?? []);
  // The CLI always sends custom timeouts (zeros when unset).
  const t = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
  t.setCreate(o.customTimeouts?.create ?? 0);
  t.setUpdate(o.customTimeouts?.update ?? 0);
  t.setDelete(o.customTimeouts?.delete ?? 0);
  opts.setCustomtimeouts(t);
  if (o.parent) opts.setParent(o.parent);
  return opts;
}

export function diagnosticsOf(resp: analyzerPb.AnalyzeResponse, versionOverride: string | undefined): AnalyzeResult {
  return {
    diagnostics: resp.getDiagnosticsList().map((d) => {
      const out: Diagnostic = {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        // The CLI replaces the version with PulumiPolicy.yaml's, if that sets one.
        policyPackVersion: versionOverride ?? d.getPolicypackversion(),
        message: d.getMessage(),
        urn: d.getUrn(),
        enforcementLevel: level(d.getEnforcementlevel()),
        description: d.getDescription(),
      };
      const severity = SEVERITIES[d.getSeverity()];
      if (severity) out.severity = severity;
      return out;
    }),
    notApplicable: resp.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}

/** GetAnalyzerInfo, as the CLI reads it (policies sorted by name). */
export function analyzerInfoOf(ai: analyzerPb.AnalyzerInfo, versionOverride: string | undefined): AnalyzerInfo {
  const policies: PolicyInfo[] = ai.getPoliciesList().map((p) => {
    const info: PolicyInfo = {
      name: p.getName(),
      displayName: p.getDisplayname(),
      description: p.getDescription(),
      enforcementLevel: level(p.getEnforcementlevel()),
      type:
        p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_RESOURCE
          ? "resource"
          : p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_STACK
            ? "stack"
            : "unspecified",
    };
    const sev = SEVERITIES[p.getSeverity()];
    if (sev) info.severity = sev;
    const schema = p.getConfigschema();
    if (schema) {
      info.configSchema = {
        properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
        required: schema.getRequiredList(),
      };
    }
    return info;
  });
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const initialConfig: Record<string, PolicyConfigEntry> = {};
  ai.getInitialconfigMap().forEach((v, k) => {
    initialConfig[k] = {
      enforcementLevel: level(v.getEnforcementlevel()),
      properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
    };
  });
  return {
    name: ai.getName(),
    displayName: ai.getDisplayname(),
    version: versionOverride ?? ai.getVersion(),
    packVersion: ai.getVersion(),
    supportsConfig: ai.getSupportsconfig(),
    description: ai.getDescription(),
    policies,
    initialConfig,
  };
}

/** The Configure request carrying reconciled policy settings. */
export function configureRequest(config: Record<string, PolicyConfigEntry>): analyzerPb.ConfigureAnalyzerRequest {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  for (const [name, entry] of Object.entries(config)) {
    const pc = new analyzerPb.PolicyConfig();
    pc.setEnforcementlevel(LEVEL_CODES[entry.enforcementLevel]);
    pc.setProperties(structPb.Struct.fromJavaScript(entry.properties as { [k: string]: JsonValue }));
    req.getPolicyconfigMap().set(name, pc);
  }
  return req;
}
