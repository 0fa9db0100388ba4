/**
 * Turns one customer's registered resources and policy report into its audit record. Pure: the
 * provenance is read back from the resources' tags (what would really be deployed), never from the
 * customer file; the file is only used to say *where* to look.
 */
import { isAlertingResourceType } from "../facts/alertingResources.js";
import { masked } from "../facts/engineValues.js";
import type { Catalog } from "../catalog/entry.js";
import { fromAzureTags, fromDatadogTags, type Provenance } from "../catalog/provenance.js";
import { RenderError, renderAlert } from "../catalog/render.js";
import { looksLikeKey } from "../../policies/noPlaintextSecrets.js";
import { roles } from "../facts/extended.js";
import type { PolicyReport } from "../offline/policyResults.js";
import type { CustomerSpec } from "../customer/schema.js";
import type { Path } from "../facts/yamlSource.js";
import type { AlertProvenance, AuditedAlert, AuditedPolicyResult, AuditedViolation, CustomerAudit, SourcePosition } from "./model.js";

export interface AuditedResource {
  urn: string;
  type: string;
  name: string;
  /** In the engine's form (src/facts/engineValues.ts): secrets wrapped, unknowns the sentinel. */
  props: Record<string, unknown>;
  /** Paths the engine holds as secrets; their values never reach a report. */
  secretPaths?: readonly string[];
}

export interface AssessInput {
  customer: string;
  file: string;
  sha256?: string;
  spec: CustomerSpec;
  /** `locate` of the customer file's YAML source. */
  locate: (path: Path, at?: "key" | "value") => SourcePosition;
  /** Whether the file has a top-level key, so a missing section is not "located" at its neighbour. */
  hasKey: (key: string) => boolean;
  resources: readonly AuditedResource[];
  report: PolicyReport;
  /** The catalogue the policies judge by: titles and defaults come from it. */
  catalog: Catalog;
}

/** Provenance from a resource's tags, whichever tag style its provider uses; or why there is none. */
export function provenanceOf(r: AuditedResource): Provenance | string {
  const tags = r.props.tags;
  if (Array.isArray(tags)) return fromDatadogTags(tags);
  if (tags && typeof tags === "object") return fromAzureTags(tags);
  return "it has no tags";
}

// The roster component's resources page people; a finding on one belongs with that role's roster.
const pagingTypes = /^(pagerduty:|datadog:pagerduty\/|azure-native:(monitor|insights)(\/v[0-9a-z]+)?:ActionGroup$)/;

/** `a.b[0].c` of a value; undefined where it doesn't lead anywhere. */
function valueAtPath(v: unknown, path: string): unknown {
  for (const seg of path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== "")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

/** A value as the report prints it: where the audit turns values into text, so it masks them. */
const shown = (v: unknown) => {
  const text = v === undefined ? "(not set)" : JSON.stringify(masked(v));
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
};

/**
 * For no-custom-alerts' "field 'x' differs from catalogue entry e vN": the value the entry renders
 * and the value deployed, re-rendered here from the resource's own provenance as the policy does.
 */
export function differenceOf(message: string, r: AuditedResource | undefined, catalog: Catalog): AuditedViolation["difference"] {
  const field = /field '([^']+)' differs from catalogue entry /.exec(message)?.[1];
  if (!field || !r) return undefined;
  const p = provenanceOf(r);
  if (typeof p === "string") return undefined;
  let rendered: Record<string, unknown>;
  try {
    rendered = renderAlert(catalog, p) as unknown as Record<string, unknown>;
  } catch (e) {
    if (e instanceof RenderError) return undefined;
    throw e;
  }
  // The rendered alert holds its resource's props under one key (`monitor`, `metricAlert`, …).
  const expected = Object.values(rendered)
    .filter((v) => v !== null && typeof v === "object")
    .map((v) => valueAtPath(v, field))
    .find((v) => v !== undefined);
  const actual = valueAtPath(r.props, field);
  const secret =
    (r.secretPaths ?? []).some((s) => s === field || field.startsWith(`${s}.`)) || [expected, actual].some((v) => looksLikeKey(shown(v)));
  if (secret) return { field, withheld: true };
  return { field, expected: shown(expected), actual: shown(actual) };
}

export function assessCustomer(input: AssessInput): CustomerAudit {
  const { spec, locate } = input;
  const firstLine = { line: 1, col: 1 };
  const section = (key: string) => (input.hasKey(key) ? locate([key], "key") : firstLine);
  const byUrn = new Map(input.resources.map((r) => [r.urn, r]));

  const alertIndexOf = (p: Provenance) => spec.alerts.findIndex((a) => a.use === p.entry && a.on === p.target);

  /** Where in the customer file a finding on this resource should be shown. */
  const positionOf = (urn: string | undefined): SourcePosition => {
    const r = urn ? byUrn.get(urn) : undefined;
    if (!r) return section("alerts");
    const p = provenanceOf(r);
    if (typeof p !== "string") {
      const i = alertIndexOf(p);
      if (i >= 0) return locate(["alerts", i]);
    }
    if (pagingTypes.test(r.type) && input.hasKey("roster")) {
      const role = roles.find((role) => r.name.includes(`-${role}`));
      return role ? locate(["roster", role], "key") : locate(["roster"], "key");
    }
    return section("alerts");
  };

  const policies: AuditedPolicyResult[] = input.report.results.map((r) => ({
    policy: r.policy,
    enforcementLevel: r.enforcementLevel,
    status: r.status,
    violations: r.violations.map((v) => {
      const difference = v.urn ? differenceOf(v.message, byUrn.get(v.urn), input.catalog) : undefined;
      return { ...(v.urn ? { urn: v.urn } : {}), message: v.message, ...(difference ? { difference } : {}), at: positionOf(v.urn) };
    }),
    undecided: r.undecided.map((v) => ({ ...(v.urn ? { urn: v.urn } : {}), message: v.message, at: positionOf(v.urn) })),
  }));

  const alerts: AuditedAlert[] = input.resources
    .filter((r) => isAlertingResourceType(r.type))
    .map((r): AuditedAlert => {
      const p = provenanceOf(r);
      const failedPolicies = policies.filter((pr) => pr.violations.some((v) => v.urn === r.urn)).map((pr) => pr.policy);
      const base = { urn: r.urn, type: r.type, name: r.name };
      if (typeof p === "string") return { ...base, noProvenance: p, at: positionOf(r.urn), failedPolicies };
      const i = alertIndexOf(p);
      return {
        ...base,
        provenance: describeProvenance(p, input.catalog, i >= 0 ? Object.keys(spec.alerts[i]!.tunables) : []),
        ...(i >= 0 ? { alertIndex: i } : {}),
        at: positionOf(r.urn),
        failedPolicies,
      };
    })
    // File order first, so the table reads like the customer file; the URN keeps it total.
    .sort((a, b) => (a.alertIndex ?? Infinity) - (b.alertIndex ?? Infinity) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));

  const blocking = policies.some((p) => p.status === "fail" && p.enforcementLevel === "mandatory");
  return {
    customer: input.customer,
    name: spec.name,
    file: input.file,
    ...(input.sha256 ? { sha256: input.sha256 } : {}),
    status: blocking ? "fail" : "pass",
    resources: input.resources.length,
    alerts,
    policies,
  };
}

function describeProvenance(p: Provenance, catalog: Catalog, setInFile: string[]): AlertProvenance {
  const entry = catalog.entries.get(p.entry);
  return {
    entry: p.entry,
    version: p.version,
    ...(entry ? { title: entry.title } : {}),
    role: p.role,
    target: p.target,
    tunables: Object.keys(p.tunables)
      .sort()
      .map((name) => {
        const d = entry?.tunables[name]?.default;
        return { name, value: p.tunables[name]!, ...(d !== undefined ? { default: d } : {}), setInFile: setInFile.includes(name) };
      }),
  };
}
