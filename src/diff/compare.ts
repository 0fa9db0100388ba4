/**
 * What changes for one customer between two offline previews (`preview --json`) of its stack:
 * resources added, removed or changed by URN, the properties that differ, the alert count and
 * the preparedness roster days. Pure: the previews come in as parsed JSON.
 *
 * The two previews may come from different revisions of this tool, so everything read from them
 * is read defensively: a base older than a field must not break the comparison.
 */
import { readRosterChanges } from "./rosterChanges.js";
import { alertingTypes } from "../facts/alertingResources.js";
import { secretValue } from "../facts/engineValues.js";
import type { PreviewDoc, PreviewPolicies, PreviewPolicyResult, PreviewResource } from "../preview/document.js";

export interface PropChange {
  /** Dotted path, e.g. `monitorThresholds.critical`, `layers["2027-07-12 Summer holiday"].users[0]`. */
  path: string;
  /**
   * Absent when the property is not set on that side. A change at or below a secret keeps both sides
   * as secrets (src/facts/engineValues.ts), whatever they hold; the printers mask them.
   */
  before?: unknown;
  after?: unknown;
}

export interface ResourceRef {
  urn: string;
  type: string;
  name: string;
  alert: boolean;
}

export interface ResourceChange extends ResourceRef {
  /** Changed properties that make the provider replace the resource instead of updating it. */
  replaces?: string[];
  props: PropChange[];
}

export interface ResourceChanges {
  added: ResourceRef[];
  removed: ResourceRef[];
  changed: ResourceChange[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Properties the provider can't update in place. Only facts we have checked: a Datadog monitor's
 * `type` can't change after creation, and an Azure resource lives in its resource group.
 */
const replaceOnChange: Record<string, readonly string[]> = {
  [alertingTypes.datadogMonitor]: ["type"],
};
function replacingProps(type: string): readonly string[] {
  if (type.startsWith("azure-native:")) return ["resourceGroupName"];
  return replaceOnChange[type] ?? [];
}

/** Resources by URN: an absent side (customer added or removed) is an empty list. */
export function compareResources(base: readonly PreviewResource[], head: readonly PreviewResource[]): ResourceChanges {
  const before = new Map(base.map((r) => [r.urn, r]));
  const after = new Map(head.map((r) => [r.urn, r]));
  const ref = (r: PreviewResource): ResourceRef => ({ urn: r.urn, type: r.type, name: r.name, alert: isAlert(r) });
  const added = head.filter((r) => !before.has(r.urn)).map(ref);
  const removed = base.filter((r) => !after.has(r.urn)).map(ref);
  const changed: ResourceChange[] = [];
  for (const h of head) {
    const b = before.get(h.urn);
    if (!b) continue;
    const secrets = new Set([...(b.secretPaths ?? []), ...(h.secretPaths ?? [])]);
    const props = diffValues(b.props ?? {}, h.props ?? {}, secrets);
    if (props.length === 0) continue;
    const immutable = replacingProps(h.type);
    const replaces = props.map((p) => topLevel(p.path)).filter((k, i, all) => immutable.includes(k) && all.indexOf(k) === i);
    changed.push({ ...ref(h), ...(replaces.length ? { replaces } : {}), props });
  }
  const byUrn = (a: ResourceRef, b: ResourceRef) => cmp(a.urn, b.urn);
  return { added: added.sort(byUrn), removed: removed.sort(byUrn), changed: changed.sort(byUrn) };
}

function isAlert(r: PreviewResource): boolean {
  return r.alert === true;
}

function topLevel(path: string): string {
  const m = /^([^.[]+)/.exec(path);
  return m ? m[1]! : path;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

const plainKey = /^[A-Za-z_$][\w$-]*$/;
function child(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (plainKey.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** The secretPaths of the mock engine use `a.b[0].c`; a change at or below one is masked. */
function isSecretPath(path: string, secrets: ReadonlySet<string>): boolean {
  for (const s of secrets) if (path === s || path.startsWith(`${s}.`) || path.startsWith(`${s}[`)) return true;
  return false;
}

/**
 * Elements of a list that name themselves (PagerDuty layers by `name`, web test locations by
 * `location`): matching by that name keeps one inserted roster day from shifting every later layer.
 */
const identityKeys = ["name", "id", "location"] as const;
function identityKey(a: readonly unknown[], b: readonly unknown[]): string | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  for (const key of identityKeys) {
    const unique = (list: readonly unknown[]) => {
      const seen = new Set<string>();
      for (const e of list) {
        if (!isObject(e) || typeof e[key] !== "string" || seen.has(e[key] as string)) return false;
        seen.add(e[key] as string);
      }
      return true;
    };
    if (unique(a) && unique(b)) return key;
  }
  return undefined;
}

/** Differences between two property trees as dotted paths with before/after values. */
export function diffValues(before: unknown, after: unknown, secrets: ReadonlySet<string> = new Set(), path = ""): PropChange[] {
  const out: PropChange[] = [];
  const walk = (a: unknown, b: unknown, p: string) => {
    if (deepEqual(a, b)) return;
    if (isSecretPath(p, secrets)) {
      out.push({ path: p, ...(a === undefined ? {} : { before: secretValue(a) }), ...(b === undefined ? {} : { after: secretValue(b) }) });
      return;
    }
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(cmp);
      for (const k of keys) walk(a[k], b[k], child(p, k));
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const key = identityKey(a, b);
      if (key) {
        const index = (list: unknown[]) => new Map(list.map((e) => [(e as Obj)[key] as string, e]));
        const ia = index(a);
        const ib = index(b);
        const names = [...new Set([...ia.keys(), ...ib.keys()])].sort(cmp);
        for (const n of names) walk(ia.get(n), ib.get(n), `${p}[${JSON.stringify(n)}]`);
        return;
      }
      if (a.length === b.length) {
        for (const [i, x] of a.entries()) walk(x, b[i], child(p, i));
        return;
      }
    }
    out.push({ path: p, ...(a === undefined ? {} : { before: a }), ...(b === undefined ? {} : { after: b }) });
  };
  walk(before, after, path);
  return out;
}

/**
 * The local dates with a preparedness layer, from the PagerDuty schedules of a preview. A layer is
 * one day and its `start` carries the customer's local offset, so its first ten characters are the
 * local date. Both previews use the same as-of, so a day that ended before it is missing on both.
 */
export function rosterDays(resources: readonly PreviewResource[]): Set<string> {
  const days = new Set<string>();
  for (const r of resources) {
    if (!/^pagerduty:index\/schedule:Schedule$/.test(r.type)) continue;
    const layers = r.props?.layers;
    if (!Array.isArray(layers)) continue;
    for (const l of layers) {
      const start = isObject(l) ? l.start : undefined;
      if (typeof start === "string" && /^\d{4}-\d{2}-\d{2}/.test(start)) days.add(start.slice(0, 10));
    }
  }
  return days;
}

/** Who is on duty per local date and schedule: `date → schedule name → users`. */
function dutyByDate(resources: readonly PreviewResource[]): Map<string, Map<string, string>> {
  const byDate = new Map<string, Map<string, string>>();
  for (const r of resources) {
    if (!/^pagerduty:index\/schedule:Schedule$/.test(r.type) || !Array.isArray(r.props?.layers)) continue;
    for (const l of r.props.layers as unknown[]) {
      if (!isObject(l) || typeof l.start !== "string") continue;
      const date = l.start.slice(0, 10);
      const duty = byDate.get(date) ?? new Map<string, string>();
      duty.set(r.name, JSON.stringify(l.users ?? null));
      byDate.set(date, duty);
    }
  }
  return byDate;
}

export interface RosterChange {
  added: string[];
  removed: string[];
  /** Days on both sides whose person on duty changes, e.g. after a roster's people changed. */
  reassigned: string[];
  /** The reassignments by person, when there are any and both previews list the roster by person. */
  people?: { date: string; role: string; before: string; after: string }[];
}

type RosterByPerson = NonNullable<PreviewDoc["roster"]>;

/** Per day on both sides and role: who covered it before and who covers it after, where that differs. */
export function rosterPeopleChanges(base: RosterByPerson, head: RosterByPerson): NonNullable<RosterChange["people"]> {
  const before = new Map(base.map((d) => [d.date, d.onDuty]));
  const out: NonNullable<RosterChange["people"]> = [];
  for (const d of head) {
    const b = before.get(d.date);
    if (!b) continue;
    for (const role of Object.keys(d.onDuty).sort()) {
      if (b[role] !== undefined && b[role] !== d.onDuty[role]) out.push({ date: d.date, role, before: b[role]!, after: d.onDuty[role]! });
    }
  }
  return out.sort((x, y) => cmp(x.date, y.date) || cmp(x.role, y.role));
}

export function rosterChange(
  base: readonly PreviewResource[],
  head: readonly PreviewResource[],
  byPerson?: { base?: RosterByPerson; head?: RosterByPerson },
): RosterChange {
  const b = rosterDays(base);
  const h = rosterDays(head);
  const people = byPerson?.base && byPerson.head ? rosterPeopleChanges(byPerson.base, byPerson.head) : undefined;
  const dutyBefore = dutyByDate(base);
  const dutyAfter = dutyByDate(head);
  const reassigned = [...h].filter((d) => {
    if (!b.has(d)) return false;
    const before = dutyBefore.get(d)!;
    const after = dutyAfter.get(d)!;
    return before.size !== after.size || [...after].some(([schedule, users]) => before.get(schedule) !== users);
  });
  return {
    added: [...h].filter((d) => !b.has(d)).sort(cmp),
    removed: [...b].filter((d) => !h.has(d)).sort(cmp),
    reassigned: reassigned.sort(cmp),
    ...(people?.length ? { people } : {}),
  };
}

/** Reads a `preview --json` document; undefined when it is not one. */
export function parsePreview(text: string): PreviewDoc | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(doc) || !Array.isArray(doc.resources) || !isObject(doc.summary)) return undefined;
  const summary = doc.summary;
  const resources = (doc.resources as unknown[])
    .filter((r): r is PreviewResource => isObject(r) && typeof r.urn === "string" && typeof r.type === "string")
    .map((r) => ({ ...r, name: typeof r.name === "string" ? r.name : r.urn, props: isObject(r.props) ? r.props : {} }));
  const policies = parsePolicies(doc.policies);
  const roster = Array.isArray(doc.roster)
    ? (doc.roster as unknown[])
        .filter(isObject)
        .flatMap((d) =>
          typeof d.date === "string" && isObject(d.onDuty)
            ? [{ date: d.date, onDuty: Object.fromEntries(Object.entries(d.onDuty).map(([k, v]) => [k, String(v)])) }]
            : [],
        )
    : undefined;
  const rosterChanges = readRosterChanges(doc.rosterChanges);
  return {
    customer: String(doc.customer ?? ""),
    asOf: String(doc.asOf ?? ""),
    summary: {
      alerts: typeof summary.alerts === "number" ? summary.alerts : resources.filter(isAlert).length,
      maxAlerts: typeof summary.maxAlerts === "number" ? summary.maxAlerts : NaN,
    },
    resources,
    ...(policies ? { policies } : {}),
    ...(roster ? { roster } : {}),
    ...(rosterChanges?.length ? { rosterChanges } : {}),
  };
}

function parsePolicies(v: unknown): PreviewPolicies | undefined {
  if (!isObject(v) || !Array.isArray(v.results)) return undefined;
  const results = (v.results as unknown[]).filter(isObject).map((r) => ({
    policy: String(r.policy ?? r.name ?? "?"),
    enforcementLevel: String(r.enforcementLevel ?? "advisory"),
    status: r.status === "fail" ? ("fail" as const) : ("pass" as const),
    violations: Array.isArray(r.violations)
      ? (r.violations as unknown[]).filter(isObject).map((x) => ({
          ...(typeof x.urn === "string" ? { urn: x.urn } : {}),
          message: String(x.message ?? ""),
        }))
      : [],
    ...(typeof r.description === "string" ? { description: r.description } : {}),
  }));
  return { pack: String(v.pack ?? ""), version: String(v.version ?? ""), results };
}

/** Mandatory (or remediate) policies that failed: these stop a deployment. */
export function blockingFailures(report: PreviewPolicies | undefined): PreviewPolicyResult[] {
  return (report?.results ?? []).filter(
    (r) => r.status === "fail" && r.enforcementLevel !== "advisory" && r.enforcementLevel !== "disabled",
  );
}
