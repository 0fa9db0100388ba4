/**
 * Which customers a change touches, from the paths that changed between two revisions. Pure: the
 * caller lists the changed paths and what each customer's file chose, on both sides.
 *
 * A customer is affected by its own file, by its own Pulumi stack settings, by a catalogue entry it
 * uses (before or after the change: dropping an entry from a file and editing the entry in the same
 * change still touches the customer), and by anything that changes what every stack runs.
 */
import { parse } from "yaml";

export type Reason =
  | { kind: "customer-file"; path: string; change: "added" | "removed" | "modified" }
  | { kind: "stack-settings"; path: string }
  | { kind: "catalog-entry"; path: string; entry: string }
  | { kind: "program"; paths: string[] };

export type PathClass =
  | { kind: "customer-file"; customer: string }
  | { kind: "stack-settings"; customer: string }
  | { kind: "catalog-entry"; entry: string }
  | { kind: "version-lock" }
  | { kind: "program" }
  | { kind: "none" };

/** Paths whose change alters what every stack runs: the code, its dependencies, shared settings. */
const programPrefixes = ["src/", "components/", "policies/"];
// The fleet settings (stacks/_fleet.yaml) hold what every customer's routing uses.
const programFiles = new Set([
  "stacks/_fleet.yaml",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "Pulumi.yaml",
  "catalog/catalog.schema.json",
]);
// Read when the catalogue loads; a record that changed touches the customers of its entry only.
const versionLockFile = "catalog/versions.lock.json";
/** The subset the compiler reads: when none of these differ, both revisions compile to the same code. */
const compiledFiles = new Set(["package.json", "package-lock.json", "tsconfig.json"]);

export function classifyPath(path: string): PathClass {
  // Documentation never reaches a stack, wherever it lives.
  if (/\.md$/i.test(path)) return { kind: "none" };
  if (programFiles.has(path)) return { kind: "program" };
  let m = /^stacks\/Pulumi\.([^/]+)\.yaml$/.exec(path);
  if (m) return { kind: "stack-settings", customer: m[1]! };
  m = /^stacks\/([^/]+)\.ya?ml$/.exec(path);
  if (m) return { kind: "customer-file", customer: m[1]! };
  m = /^catalog\/entries\/([^/]+)\.yaml$/.exec(path);
  if (m) return { kind: "catalog-entry", entry: m[1]! };
  if (path === versionLockFile) return { kind: "version-lock" };
  if (programFiles.has(path) || programPrefixes.some((p) => path.startsWith(p))) return { kind: "program" };
  return { kind: "none" };
}

export function isCompiledPath(path: string): boolean {
  if (/\.md$/i.test(path)) return false;
  return compiledFiles.has(path) || programPrefixes.some((p) => path.startsWith(p));
}

/** The catalogue entries a customer file chooses (`alerts[].use`); undefined when it can't be read. */
export function entriesUsed(yamlText: string): string[] | undefined {
  try {
    const data = parse(yamlText) as { alerts?: unknown } | null;
    if (!data || typeof data !== "object" || !Array.isArray(data.alerts)) return data && typeof data === "object" ? [] : undefined;
    return data.alerts
      .map((a) => (a && typeof a === "object" ? (a as { use?: unknown }).use : undefined))
      .filter((u): u is string => typeof u === "string");
  } catch {
    return undefined;
  }
}

export interface AffectedInput {
  /** Paths relative to the project root, `/`-separated. */
  changed: readonly string[];
  /** Customers of each revision, with the catalogue entries their file uses. */
  base: ReadonlyMap<string, readonly string[] | undefined>;
  head: ReadonlyMap<string, readonly string[] | undefined>;
  /** Entries whose records differ between the two version locks; undefined when a lock can't be read. */
  lockEntries?: readonly string[];
}

/** The entry ids whose `id@version` records differ between two `versions.lock.json` texts; undefined if either is not a lock. */
export function lockEntriesChanged(base: string | undefined, head: string | undefined): string[] | undefined {
  const read = (text: string | undefined): Record<string, unknown> | undefined => {
    if (text === undefined) return {};
    try {
      const v: unknown = JSON.parse(text);
      return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const [a, b] = [read(base), read(head)];
  if (!a || !b) return undefined;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => a[k] !== b[k]));
  return [...new Set([...keys].map((k) => k.replace(/@[^@]*$/, "")))].sort();
}

export interface Affected {
  /** Affected customers in id order, each with why. */
  customers: Map<string, Reason[]>;
  /** True when the compiled code differs, so the base must be built from its own sources. */
  codeChanged: boolean;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function affectedCustomers(input: AffectedInput): Affected {
  const reasons = new Map<string, Reason[]>();
  const add = (customer: string, reason: Reason) => {
    const list = reasons.get(customer) ?? [];
    list.push(reason);
    reasons.set(customer, list);
  };
  const programPaths: string[] = [];
  const usersOf = (entry: string) => {
    const users = new Set<string>();
    for (const side of [input.base, input.head]) {
      for (const [customer, uses] of side) if (uses?.includes(entry)) users.add(customer);
    }
    return users;
  };
  const changed = [...new Set(input.changed)].sort(cmp);

  for (const path of changed) {
    const c = classifyPath(path);
    switch (c.kind) {
      case "customer-file": {
        const inBase = input.base.has(c.customer);
        const inHead = input.head.has(c.customer);
        if (!inBase && !inHead) break;
        add(c.customer, { kind: "customer-file", path, change: inBase && inHead ? "modified" : inHead ? "added" : "removed" });
        break;
      }
      case "stack-settings":
        if (input.base.has(c.customer) || input.head.has(c.customer)) add(c.customer, { kind: "stack-settings", path });
        break;
      case "catalog-entry":
        for (const customer of usersOf(c.entry)) add(customer, { kind: "catalog-entry", path, entry: c.entry });
        break;
      case "version-lock":
        if (input.lockEntries === undefined) programPaths.push(path);
        else
          for (const entry of input.lockEntries)
            for (const customer of usersOf(entry)) add(customer, { kind: "catalog-entry", path, entry });
        break;
      case "program":
        programPaths.push(path);
        break;
      case "none":
        break;
    }
  }
  if (programPaths.length > 0) {
    for (const customer of new Set([...input.base.keys(), ...input.head.keys()])) {
      add(customer, { kind: "program", paths: programPaths });
    }
  }
  const customers = new Map([...reasons].sort(([a], [b]) => cmp(a, b)));
  return { customers, codeChanged: changed.some(isCompiledPath) };
}

export function describeReason(r: Reason): string {
  switch (r.kind) {
    case "customer-file":
      return `${r.path} ${r.change}`;
    case "stack-settings":
      return `stack settings ${r.path} changed`;
    case "catalog-entry":
      return `catalogue entry ${r.entry} changed (${r.path})`;
    case "program": {
      const shown = r.paths.slice(0, 3).join(", ");
      return `code changed (${shown}${r.paths.length > 3 ? ` and ${r.paths.length - 3} more` : ""})`;
    }
  }
}

/** A few words for the summary table. */
export function shortReason(r: Reason): string {
  switch (r.kind) {
    case "customer-file":
      return `file ${r.change}`;
    case "stack-settings":
      return "stack settings";
    case "catalog-entry":
      return `catalogue: ${r.entry}`;
    case "program":
      return "code";
  }
}
