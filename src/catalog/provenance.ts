/**
 * Provenance: which catalogue entry an alert was rendered from, for which target, with which
 * bindings and tunables. It travels in the alert's tags, so that the policy pack can re-render
 * the alert and compare.
 */
import { packageName, roles, type Role } from "../facts/extended.js";

export interface Provenance {
  customer: string;
  entry: string;
  version: number;
  role: Role;
  /** Id of the resource, endpoint or system in the customer file. */
  target: string;
  bindings: Record<string, string>;
  tunables: Record<string, number>;
}

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const sortedKeys = (o: Record<string, unknown>) => Object.keys(o).sort();

/** Datadog tags: `key:value`, lower-case. */
export function toDatadogTags(p: Provenance): string[] {
  return [
    `customer:${p.customer}`,
    `package:${packageName}`,
    `catalog:${p.entry}`,
    `catalog-version:${p.version}`,
    `role:${p.role}`,
    `target:${p.target}`,
    ...sortedKeys(p.bindings).map((k) => `bind-${kebab(k)}:${p.bindings[k]}`),
    ...sortedKeys(p.tunables).map((k) => `tunable-${kebab(k)}:${p.tunables[k]}`),
  ];
}

export function fromDatadogTags(tags: readonly unknown[]): Provenance | string {
  const pairs: [string, string][] = [];
  for (const t of tags) {
    if (typeof t !== "string") continue;
    const i = t.indexOf(":");
    if (i > 0) pairs.push([t.slice(0, i), t.slice(i + 1)]);
  }
  return decode(pairs);
}

/** Azure tags: a map; names carry the `pico-` prefix. */
export function toAzureTags(p: Provenance): Record<string, string> {
  const tags: Record<string, string> = {
    "pico-customer": p.customer,
    "pico-package": packageName,
    "pico-catalog": p.entry,
    "pico-catalog-version": String(p.version),
    "pico-role": p.role,
    "pico-target": p.target,
  };
  for (const k of sortedKeys(p.bindings)) tags[`pico-bind-${kebab(k)}`] = p.bindings[k]!;
  for (const k of sortedKeys(p.tunables)) tags[`pico-tunable-${kebab(k)}`] = String(p.tunables[k]);
  return tags;
}

export function fromAzureTags(tags: unknown): Provenance | string {
  if (!tags || typeof tags !== "object") return "it has no tags";
  const pairs = Object.entries(tags as Record<string, unknown>)
    .filter(([k, v]) => k.startsWith("pico-") && typeof v === "string")
    .map(([k, v]) => [k.slice(5), v as string] as [string, string]);
  return decode(pairs);
}

/** Returns the provenance, or a sentence saying why there is none. */
function decode(pairs: [string, string][]): Provenance | string {
  const one = new Map<string, string>();
  const bindings: Record<string, string> = {};
  const tunables: Record<string, number> = {};
  for (const [k, v] of pairs) {
    if (k.startsWith("bind-")) bindings[camel(k.slice(5))] = v;
    else if (k.startsWith("tunable-")) {
      const n = Number(v);
      if (v.trim() === "" || !Number.isFinite(n)) return `tag tunable ${k.slice(8)} is not a number: '${v}'`;
      tunables[camel(k.slice(8))] = n;
    } else if (one.has(k) && one.get(k) !== v) return `tag '${k}' appears twice with different values`;
    else one.set(k, v);
  }
  const entry = one.get("catalog");
  if (!entry) return "it has no catalogue provenance (no catalog tag)";
  const version = Number(one.get("catalog-version"));
  if (!Number.isInteger(version)) return `its catalog-version tag is missing or not a whole number`;
  const role = one.get("role") as Role | undefined;
  if (!role || !roles.includes(role)) return `its role tag must be one of ${roles.join(", ")}`;
  const customer = one.get("customer");
  const target = one.get("target");
  if (!customer || !target) return "it lacks the customer or target tag";
  if (one.get("package") !== packageName) return `its package tag must be '${packageName}'`;
  return { customer, entry, version, role, target, bindings, tunables };
}
