/**
 * Output of the offline preview: a text table for people and a stable JSON document for machines.
 * Both are deterministic: the same resources give byte-identical output.
 */
import Table from "cli-table3";
import { countAlerts, isAlertingResourceType } from "../alertingResources.js";
import type { RegisteredResource } from "./mockEngine.js";

export { countAlerts };

export interface TableOptions {
  maxAlerts: number;
  /** Defaults to `countAlerts(resources)`. */
  alertCount?: number;
  /** Width of the Title column before it is cut (default 48). */
  titleWidth?: number;
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
    .find((v) => typeof v === "string" && v !== "");
  if (typeof candidate !== "string") return "";
  const oneLine = candidate.replace(/\s+/g, " ");
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}

/**
 * A readable table of what `pulumi up` would create, grouped by component (each component's
 * children indented under it), followed by a summary with the alert count against the limit.
 */
export function formatPreviewTable(resources: readonly RegisteredResource[], opts: TableOptions): string {
  const alertCount = opts.alertCount ?? countAlerts(resources);
  const titleWidth = opts.titleWidth ?? 48;
  const table = new Table({
    head: ["", "Type", "Name", "Title", "Alert"],
    chars: {
      top: "", "top-mid": "", "top-left": "", "top-right": "",
      bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
      left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "", middle: "  ",
    },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
  });

  const walk = (nodes: ForestNode[], prefix: string, depth: number) => {
    nodes.forEach((n, i) => {
      const last = i === nodes.length - 1;
      const branch = depth === 0 ? "" : last ? "└─ " : "├─ ";
      const alert = isAlertingResourceType(n.r.type);
      table.push([n.r.read ? ">" : "+", prefix + branch + n.r.type, n.r.name, title(n.r, titleWidth), alert ? "yes" : ""]);
      walk(n.children, depth === 0 ? "" : prefix + (last ? "   " : "│  "), depth + 1);
    });
  };
  walk(resourceForest(resources), "", 0);

  const created = resources.filter((r) => !r.read);
  const components = created.filter((r) => !r.custom).length;
  const reads = resources.length - created.length;
  const secrets = resources.reduce((n, r) => n + (r.secretPaths?.length ?? 0), 0);
  const over = alertCount > opts.maxAlerts;
  const lines = [
    table.toString().replace(/[ \t]+$/gm, ""),
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
  resources: readonly RegisteredResource[];
  summary: { alerts: number; maxAlerts: number } & Record<string, unknown>;
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
      props: sortKeysDeep(r.props),
    }));
  const out = {
    customer: doc.customer,
    asOf: doc.asOf instanceof Date ? doc.asOf.toISOString() : doc.asOf,
    summary: sortKeysDeep({ resources: resources.length, ...doc.summary }),
    resources,
  };
  return JSON.stringify(out, null, 2) + "\n";
}
