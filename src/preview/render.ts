/**
 * Output of the offline preview: a text table for people and a stable JSON document for machines.
 * Both are deterministic: the same resources give byte-identical output.
 */
import { countAlerts, isAlertingResourceType } from "../facts/alertingResources.js";
import { fromAzureTags, fromDatadogTags } from "../catalog/provenance.js";
import { masked } from "../facts/engineValues.js";
import type { RegisteredResource } from "../offline/mockEngine.js";
import type { PreviewDoc, PreviewPolicies, PreviewPolicyResult } from "./document.js";

export { countAlerts };

export interface TableOptions {
  maxAlerts: number;
  /** Defaults to `countAlerts(resources)`. */
  alertCount?: number;
  /** Longest title before it is cut (default: what fits the width). */
  titleWidth?: number;
  /** Columns to fit (default 80). */
  width?: number;
}

export interface ForestNode {
  r: RegisteredResource;
  children: ForestNode[];
}

/** Code-unit order: the same on every machine, whatever its locale. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function bySiblingOrder(a: ForestNode, b: ForestNode): number {
  // Components first, then by type and name: stable, and groups like resources together.
  if (a.r.custom !== b.r.custom) return a.r.custom ? 1 : -1;
  return cmp(a.r.type, b.r.type) || cmp(a.r.name, b.r.name) || cmp(a.r.urn, b.r.urn);
}

/** Builds the parent/child forest. A resource whose parent was not registered is a root. */
export function resourceForest(resources: readonly RegisteredResource[]): ForestNode[] {
  const nodes = new Map<string, ForestNode>();
  for (const r of resources) nodes.set(r.urn, { r, children: [] });
  const roots: ForestNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.r.parent ? nodes.get(n.r.parent) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  const sort = (list: ForestNode[]) => {
    list.sort(bySiblingOrder);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

function title(r: RegisteredResource, width: number): string {
  const p = r.props;
  // Azure resources name themselves in a type-specific field.
  const candidate = [p.name, p.ruleName, p.activityLogAlertName, p.webTestName, p.actionGroupName, p.serviceName, p.displayName, p.title]
    .map(masked)
    .find((v) => typeof v === "string" && v !== "");
  if (typeof candidate !== "string") return "";
  const oneLine = candidate.replace(/\s+/g, " ");
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}

/** `datadog:index/monitor:Monitor` → `datadog:Monitor`: the package and the class; the JSON keeps the full token. */
const shortType = (type: string) => {
  const parts = type.split(":");
  return parts.length < 3 ? type : `${parts[0]}:${parts[parts.length - 1]}`;
};

/** An alert's tunables as its provenance tags carry them: what the customer file set, or the entry's defaults. */
function tunablesOf(r: RegisteredResource): string | undefined {
  const tags = masked(r.props.tags);
  const provenance = Array.isArray(tags) ? fromDatadogTags(tags) : fromAzureTags(tags);
  if (typeof provenance === "string") return undefined;
  const entries = Object.entries(provenance.tunables);
  return `${provenance.entry} v${provenance.version}; tunables: ${entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(", ") : "none"}`;
}

/** Lines of at most `room` characters, broken after `, ` or `; ` (continuations get 2 fewer for their indent). */
function wrap(text: string, room: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const piece of text.split(/(?<=[,;] )/)) {
    const limit = lines.length ? room - 2 : room;
    if (line && (line + piece).trimEnd().length > limit) {
      lines.push(line.trimEnd());
      line = piece;
    } else line += piece;
  }
  if (line) lines.push(line.trimEnd());
  return lines;
}

/**
 * What `pulumi up` would create, as a tree grouped by component (each component's children
 * indented under it), in at most `width` columns (default 80): a line per resource with its type
 * and name, and under an alert its title, catalogue entry and tunables. A name that doesn't fit
 * moves to the next line instead of being cut. A summary with the alert count against the limit
 * follows.
 */
export function formatPreviewTable(resources: readonly RegisteredResource[], opts: TableOptions): string {
  const alertCount = opts.alertCount ?? countAlerts(resources);
  const width = Math.max(40, opts.width ?? 80);
  const out: string[] = [];
  const fit = (text: string, room: number) => (text.length > room ? `${text.slice(0, Math.max(1, room - 1))}…` : text);

  const walk = (nodes: ForestNode[], prefix: string, depth: number) => {
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
      const childPrefix = depth === 0 ? "" : prefix + (last ? "   " : "│  ");
      // Lines under this resource keep the tree's rail for its children.
      const under = `  ${childPrefix}${n.children.length ? "│  " : "   "}`;
      const alert = isAlertingResourceType(n.r.type);
      const head = `${n.r.read ? ">" : "+"} ${prefix}${branch}${shortType(n.r.type)}`;
      const name = `${n.r.name}${alert ? "  (alert)" : ""}`;
      if (head.length + 2 + name.length <= width) out.push(`${head}  ${name}`);
      else out.push(head, `${under}${name}`);
      const t = title(n.r, opts.titleWidth ?? width);
      if (t && t !== n.r.name) out.push(`${under}${fit(t, width - under.length)}`);
      const tunables = alert ? tunablesOf(n.r) : undefined;
      if (tunables) out.push(...wrap(tunables, width - under.length).map((l, k) => `${under}${k ? "  " : ""}${l}`));
      walk(n.children, childPrefix, depth + 1);
    });
  };
  walk(resourceForest(resources), "", 0);

  const created = resources.filter((r) => !r.read);
  const components = created.filter((r) => !r.custom).length;
  const reads = resources.length - created.length;
  const secrets = resources.reduce((n, r) => n + (r.secretPaths?.length ?? 0), 0);
  const over = alertCount > opts.maxAlerts;
  const lines = [
    ...out.map((l) => l.replace(/[ \t]+$/, "")),
    "",
    `Resources: ${created.length} to create (${components} components, ${created.length - components} cloud resources)` +
      (reads > 0 ? `, ${reads} to read` : ""),
    `Alerts:    ${alertCount} of ${opts.maxAlerts} allowed${over ? `, ${alertCount - opts.maxAlerts} OVER THE LIMIT` : ""}`,
    `Secrets:   ${secrets} ${secrets === 1 ? "value" : "values"} hidden`,
  ];
  return lines.join("\n") + "\n";
}

/** Recursively sorts object keys (arrays keep their order), for byte-identical JSON. */
export function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeysDeep(o[k]);
  return out;
}

export interface PreviewDocument {
  customer: string;
  asOf: string | Date;
  /** Which view of the CLI the policies judged (src/offline/cliView.ts); absent in older documents. */
  phase?: string;
  resources: readonly RegisteredResource[];
  summary: { alerts: number; maxAlerts: number } & Record<string, unknown>;
  policies?: PreviewPolicies;
  /** Who covers each role on each day of the schedules (see CustomerPreview.roster). */
  roster?: readonly { date: string; layer: string; onDuty: Record<string, string> }[];
  /** The customer file's roster changes (see CustomerPreview.rosterChanges). */
  rosterChanges?: readonly RosterChangeEntry[];
}

/** One `roster.changes` entry as documents carry it. */
export interface RosterChangeEntry {
  day: string;
  role: string;
  from: string;
  to: string;
  reason: string;
}

/** Failed policies whose enforcement level blocks `pulumi up`. */
export function mandatoryFailures(policies: PreviewPolicies): PreviewPolicyResult[] {
  return policies.results.filter((r) => r.status === "fail" && r.enforcementLevel === "mandatory");
}

/**
 * A few lines for under the preview table: the verdict, then each failed policy with its first
 * violations (the JSON output has all of them).
 */
export function formatPolicySummary(policies: PreviewPolicies, maxViolations = 3): string {
  const failed = policies.results.filter((r) => r.status === "fail");
  const blocking = mandatoryFailures(policies).length;
  const passed = policies.results.length - failed.length;
  const lines = [
    `Policies:  ${policies.pack} ${policies.version}: ${passed} of ${policies.results.length} passed` +
      (blocking > 0 ? `, ${blocking} mandatory ${blocking === 1 ? "policy" : "policies"} FAILED` : ""),
  ];
  for (const r of failed) {
    const n = r.violations.length;
    lines.push(
      `  ${r.enforcementLevel === "mandatory" ? "FAIL" : "warn"} ${r.policy} (${r.enforcementLevel}): ${n} ${n === 1 ? "violation" : "violations"}`,
    );
    for (const v of r.violations.slice(0, maxViolations)) lines.push(`       - ${v.message.replace(/\s+/g, " ")}`);
    if (n > maxViolations) lines.push(`       … and ${n - maxViolations} more (--json lists all)`);
  }
  return lines.join("\n") + "\n";
}

/** Stable JSON: fixed field order per resource, sorted keys inside props, 2-space indent, final newline. */
export function previewJson(doc: PreviewDocument): string {
  const resources = [...doc.resources]
    .sort((a, b) => cmp(a.urn, b.urn))
    .map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      custom: r.custom,
      provider: r.provider,
      read: r.read,
      alert: isAlertingResourceType(r.type),
      secretPaths: r.secretPaths,
      props: sortKeysDeep(masked(r.props)) as Record<string, unknown>,
    }));
  const out: PreviewDoc = {
    customer: doc.customer,
    asOf: doc.asOf instanceof Date ? doc.asOf.toISOString() : doc.asOf,
    ...(doc.phase ? { phase: doc.phase } : {}),
    summary: sortKeysDeep({ resources: resources.length, ...doc.summary }) as PreviewDoc["summary"],
    // Fixed field order, as the resources have; absent when the caller ran no policies.
    policies: doc.policies && {
      pack: doc.policies.pack,
      version: doc.policies.version,
      results: doc.policies.results.map((r) => ({
        policy: r.policy,
        enforcementLevel: r.enforcementLevel,
        status: r.status,
        violations: r.violations.map((v) => ({ urn: v.urn, message: v.message })),
      })),
    },
    roster: doc.roster?.map((d) => ({ date: d.date, layer: d.layer, onDuty: sortKeysDeep(d.onDuty) as Record<string, string> })),
    // Only when the file has any: documents of customers without changes read as before.
    ...(doc.rosterChanges?.length
      ? { rosterChanges: doc.rosterChanges.map((c) => ({ day: c.day, role: c.role, from: c.from, to: c.to, reason: c.reason })) }
      : {}),
    resources,
  };
  return JSON.stringify(out, null, 2) + "\n";
}
