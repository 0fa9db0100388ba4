// The comparison behind stack-matches-customer-file: the actual stack against the planned one
// (./plannedStack), nothing more, nothing less, nothing different. Pure and synchronous.
//
// - Resources are matched by type and logical name along their parent chain (the URN's own parts;
//   the stack resource the CLI adds as the root is not part of the chain).
// - AnalyzeStack is given outputs (src/cliView.ts rule 5): every prop the plan sets (the checked inputs
//   and what the mock provider answered) must be there, exactly as planned. Unknown only where the
//   plan is unknown for the same phase; known only where the plan is known. An output key the plan
//   doesn't set is tolerated only when the installed SDK declares it an output of the type
//   (src/providerOutputs.ts): the provider computes it, whatever value it holds. Any other key, and
//   any key nested below the top level, is extra. That an INPUT the program could set stays exact is
//   resource-matches-plan's job (./stackMatchesCustomerFile.ts), which Analyze feeds with inputs.
// - A value the mock engine made up (an id, an integration key, a data source's id) is a placeholder:
//   bound to the actual value on first use, and then that value, and only it, everywhere the plan
//   reuses it; two placeholders never bind the same value.
// - References are compared through propertyDependencies: the resources a planned property was
//   computed from must be, exactly, the counterparts of those the actual property was computed from.
// Messages name paths and resources, never values: a value may be a key.
import type { PolicyResource } from "@pulumi/policy";
import type { AnalyzedResource } from "../src/facts/analyzedResource.js";
import type { Placeholder } from "./plannedStack.js";
import { declaredOutputs } from "../src/facts/providerOutputs.js";
import { isBridged, outputSets } from "../src/facts/providerCheck.js";
import { armKind, describe } from "./resourceKinds.js";
import { absent, elements, isPlainObject, peek, sameScalar, UNKNOWN, UNKNOWN_SENTINEL, type Peeked } from "./resourceProps.js";

export interface Mismatch {
  urn?: string;
  message: string;
}

/** Resources the CLI adds to every stack that a plan under mocks doesn't hold. */
export function addedByTheCli(r: { type: string; name: string }): boolean {
  return r.type === "pulumi:pulumi:Stack" || (r.type.startsWith("pulumi:providers:") && /^default(_|$)/.test(r.name));
}

function chainKey(
  r: { type: string; name: string },
  parentOf: (r: { type: string; name: string }) => { type: string; name: string } | string | undefined,
): string {
  const parts: string[] = [];
  let at: { type: string; name: string } | string | undefined = r;
  for (let depth = 0; at !== undefined && depth < 64; depth++) {
    if (typeof at === "string") {
      // The stack resource the CLI adds is the root; any other parent that isn't in the stack is named.
      if (!at.includes("::pulumi:pulumi:Stack::")) parts.push(`?${at}`);
      break;
    }
    if (at.type === "pulumi:pulumi:Stack") break;
    parts.push(`${at.type}::${at.name}`);
    at = parentOf(at);
  }
  return parts.reverse().join(" > ");
}

const child = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A placeholder set's keys, longest first, and one pattern finding any of them; kept per set, as every resource's comparison asks. */
interface PlaceholderIndex {
  sorted: string[];
  any: RegExp | undefined;
  /** Per planned string holding placeholders: its pieces (placeholders among them) and the placeholders in order. */
  shapes: Map<string, { parts: string[]; order: string[] }>;
}
const indexes = new WeakMap<ReadonlyMap<string, Placeholder>, PlaceholderIndex>();
function indexOf(placeholders: ReadonlyMap<string, Placeholder>): PlaceholderIndex {
  let index = indexes.get(placeholders);
  if (!index) {
    const sorted = [...placeholders.keys()].sort((a, b) => b.length - a.length);
    index = { sorted, any: sorted.length === 0 ? undefined : new RegExp(sorted.map(escapeRegExp).join("|")), shapes: new Map() };
    indexes.set(placeholders, index);
  }
  return index;
}

export class Binder {
  private bound = new Map<string, string>();
  private boundTo = new Map<string, string>();
  private readonly index: PlaceholderIndex;
  constructor(private readonly placeholders: ReadonlyMap<string, Placeholder>) {
    this.index = indexOf(placeholders);
  }

  static of(placeholders: ReadonlyMap<string, Placeholder>): Binder {
    return new Binder(placeholders);
  }

  /** The placeholders inside `expected`, or none. */
  within(expected: string): string[] {
    // Most strings hold none: one search says so without testing every placeholder.
    if (!this.index.any?.test(expected)) return [];
    return this.index.sorted.filter((p) => expected.includes(p));
  }

  /** `expected` cut at its placeholders; depends on the string and the set only, so kept in the index. */
  private shape(expected: string, inside: string[]): { parts: string[]; order: string[] } {
    let shape = this.index.shapes.get(expected);
    if (!shape) {
      const alternatives = inside.map(escapeRegExp).join("|");
      shape = {
        parts: expected.split(new RegExp(`(${alternatives})`)),
        order: [...expected.matchAll(new RegExp(alternatives, "g"))].map((x) => x[0]),
      };
      this.index.shapes.set(expected, shape);
    }
    return shape;
  }

  /** undefined when `actual` is `expected` with its placeholders bound; else what is wrong. */
  match(expected: string, actual: string): string | undefined {
    const inside = this.within(expected);
    if (inside.length === 0) return expected === actual ? undefined : "differs";
    const { parts, order } = this.shape(expected, inside);
    // Every placeholder bound already: the pattern below would match exactly this one string.
    if (order.every((p) => this.bound.has(p))) {
      if (parts.map((part) => (this.placeholders.has(part) ? this.bound.get(part)! : part)).join("") === actual) return undefined;
    }
    const pattern = new RegExp(
      `^${parts
        .map((part) => {
          if (!this.placeholders.has(part)) return escapeRegExp(part);
          const b = this.bound.get(part);
          return b !== undefined ? `(${escapeRegExp(b)})` : "(.+?)";
        })
        .join("")}$`,
      "s",
    );
    const m = pattern.exec(actual);
    if (!m) {
      const p = order.find((x) => this.bound.has(x)) ?? order[0]!;
      return `is not ${this.placeholders.get(p)!.origin}`;
    }
    for (let i = 0; i < order.length; i++) {
      const p = order[i]!;
      const v = m[i + 1]!;
      const prev = this.bound.get(p);
      if (prev !== undefined) continue;
      const other = this.boundTo.get(v);
      if (other !== undefined && other !== p) return `is ${this.placeholders.get(other)!.origin}, not ${this.placeholders.get(p)!.origin}`;
      this.bound.set(p, v);
      this.boundTo.set(v, p);
    }
    return undefined;
  }
}

const tolerateUnknownsBelow: Tolerance = Object.freeze({ unknowns: true });
const tolerateNothingBelow: Tolerance = Object.freeze({});
const tolerateBridgedBelow: Tolerance = Object.freeze({ bridgedOutputs: true });

interface Tolerance {
  /** Top-level keys the actual value may hold though the plan doesn't set them. */
  outputs?: Readonly<Record<string, unknown>>;
  /** An unknown on either side matches anything (the stack policy judges unknowns). */
  unknowns?: boolean;
  /**
   * A bridged provider's outputs (AnalyzeStack): below the top level, a block holds every field of its schema,
   * zero-valued where unset, and its computed `id` (pulumi-terraform-bridge; test/recordings/*.update.json).
   * Its inputs, which resource-matches-plan holds exact in Analyze, can't carry either.
   */
  bridgedOutputs?: boolean;
}

const isZero = (v: Peeked): boolean =>
  v === "" || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);

/** The first difference between a planned value and the actual one, as `[path, what]`. */
export function difference(
  expected: unknown,
  actual: Peeked,
  binder: Binder,
  phase: string,
  path: string,
  tolerate: Tolerance = {},
): [string, string] | undefined {
  if (tolerate.unknowns && (expected === UNKNOWN_SENTINEL || actual === UNKNOWN)) return undefined;
  // Below the top level only `unknowns` and `bridgedOutputs` carry over; shared, as this runs for every planned value.
  const deeper = tolerate.bridgedOutputs ? tolerateBridgedBelow : tolerate.unknowns ? tolerateUnknownsBelow : tolerateNothingBelow;
  if (expected === UNKNOWN_SENTINEL) {
    return actual === UNKNOWN ? undefined : [path, `is known, but in a ${phase} of the plan it is not known yet`];
  }
  if (actual === UNKNOWN) return [path, `is unknown, but the plan knows it in a ${phase}`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [path, "is not a list as planned"];
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= actual.length) return [child(path, i), "is missing"];
      if (i >= expected.length) return [child(path, i), "is not planned"];
      const d = difference(expected[i], peek(actual, i), binder, phase, child(path, i), deeper);
      if (d) return d;
    }
    return undefined;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [path, "is not an object as planned"];
    for (const key of Object.keys(expected)) {
      if (expected[key] === undefined || expected[key] === null) continue;
      const a = peek(actual, key);
      const at = child(path, key);
      if (a !== UNKNOWN && absent(a)) return [at, "is missing"];
      const d = difference(expected[key], a, binder, phase, at, deeper);
      if (d) return d;
    }
    // The least unplanned key (where sorting would put it first), without sorting every object's keys.
    let unplanned: string | undefined;
    for (const key of Object.keys(actual)) {
      if (expected[key] !== undefined && expected[key] !== null) continue;
      const a = peek(actual, key);
      if (a !== UNKNOWN && absent(a)) continue;
      if (tolerate.outputs && Object.hasOwn(tolerate.outputs, key)) continue;
      if (tolerate.bridgedOutputs && path !== "" && (isZero(a) || (key === "id" && (typeof a === "string" || a === UNKNOWN)))) continue;
      if (unplanned === undefined || key < unplanned) unplanned = key;
    }
    return unplanned === undefined ? undefined : [child(path, unplanned), "is not planned"];
  }
  if (typeof expected === "string" && typeof actual === "string") {
    const wrong = binder.match(expected, actual);
    return wrong === undefined ? undefined : [path, wrong === "differs" ? "differs from the plan" : wrong];
  }
  return sameScalar(expected, actual) ? undefined : [path, "differs from the plan"];
}

/** Set-typed fields (src/facts/providerCheck.ts `outputSets`) in one order on both sides: the provider keeps its own. */
function asSets(type: string, props: Record<string, unknown>): Record<string, unknown> {
  const fields = outputSets[type];
  if (!fields?.some((f) => Object.hasOwn(props, f))) return props;
  // Only the set fields are read, through `peek` (under the CLI `props` is @pulumi/policy's proxy, which
  // throws on an unknown); every other key keeps its own value and is read later as the comparison reads it.
  const sorted: Record<string, unknown> = {};
  for (const f of fields) {
    const v = elements(peek(props, f));
    if (v.length > 0 && v.every((e) => typeof e === "string")) sorted[f] = (v as string[]).sort();
  }
  return new Proxy(props, {
    get: (target, key, receiver) =>
      typeof key === "string" && Object.hasOwn(sorted, key) ? sorted[key] : Reflect.get(target, key, receiver),
  });
}

/** What the plan sets in a resource's outputs: not the keys only the SDK's declarations put there. */
function plannedOutputs(p: AnalyzedResource): Record<string, unknown> {
  const only = new Set(p.declaredOnly ?? []);
  return Object.fromEntries(Object.entries(p.outputs).filter(([k]) => !only.has(k)));
}

/** Planned resources, each after the ones its properties were computed from (sources bind placeholders first). */
function dependencyOrder(planned: readonly AnalyzedResource[]): AnalyzedResource[] {
  const byUrn = new Map(planned.map((r) => [r.urn, r]));
  const done = new Set<string>();
  const out: AnalyzedResource[] = [];
  const visit = (r: AnalyzedResource, depth: number) => {
    if (done.has(r.urn) || depth > 64) return;
    done.add(r.urn);
    for (const urns of Object.values(r.propertyDependencies ?? {}))
      for (const u of urns) {
        const d = byUrn.get(u);
        if (d) visit(d, depth + 1);
      }
    out.push(r);
  };
  for (const r of [...planned].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))) visit(r, 0);
  return out;
}

export function compareWithPlan(
  planned: readonly AnalyzedResource[],
  placeholders: ReadonlyMap<string, Placeholder>,
  actual: readonly PolicyResource[],
  file: string,
  phase: string,
): Mismatch[] {
  const out: Mismatch[] = [];
  const plannedByUrn = new Map(planned.map((r) => [r.urn, r]));
  const plannedKey = new Map<string, string>();
  const keyOfPlanned = (r: AnalyzedResource) =>
    chainKey(r, (x) => {
      const p = (x as AnalyzedResource).parent;
      return p === undefined ? undefined : (plannedByUrn.get(p) ?? p);
    });
  for (const r of planned) plannedKey.set(r.urn, keyOfPlanned(r));

  const keyOfActual = (r: PolicyResource) =>
    chainKey(r, (x) => (x as PolicyResource).parent ?? ((x as PolicyResource).opts?.parent || undefined));
  const actualByKey = new Map<string, PolicyResource>();
  for (const r of actual) {
    if (addedByTheCli(r)) continue;
    const k = keyOfActual(r);
    if (actualByKey.has(k)) out.push({ urn: r.urn, message: `${describe(r)} is registered twice under the same parent` });
    else actualByKey.set(k, r);
  }

  const binder = Binder.of(placeholders);
  const matched = new Set<string>();
  for (const p of dependencyOrder(planned)) {
    const k = plannedKey.get(p.urn)!;
    const a = actualByKey.get(k);
    if (!a) {
      out.push({ message: `${describe(p)} is missing: ${file} renders it` });
      continue;
    }
    matched.add(k);
    const d = difference(asSets(a.type, plannedOutputs(p)), asSets(a.type, a.props), binder, phase, "", {
      outputs: declaredOutputs(armKind(a.type)) ?? {},
      bridgedOutputs: isBridged(a.type),
    });
    if (d) out.push({ urn: a.urn, message: `${describe(a)}: '${d[0]}' ${d[1]} (${file})` });

    const props = new Set([...Object.keys(p.propertyDependencies ?? {}), ...Object.keys(a.propertyDependencies ?? {})]);
    for (const prop of [...props].sort()) {
      const want = [...new Set((p.propertyDependencies?.[prop] ?? []).map((u) => plannedKey.get(u) ?? `?${u}`))].sort();
      const got = [
        ...new Set((a.propertyDependencies?.[prop] ?? []).map((r) => (addedByTheCli(r) ? "" : keyOfActual(r))).filter((x) => x !== "")),
      ].sort();
      if (want.join("\n") === got.join("\n")) continue;
      const names = (keys: string[]) =>
        keys.length === 0 ? "nothing" : keys.map((x) => `'${x.split(" > ").pop()!.split("::").pop()}'`).join(", ");
      out.push({
        urn: a.urn,
        message: `${describe(a)}: '${prop}' is computed from ${names(got)}, but ${file} computes it from ${names(want)}`,
      });
    }
  }
  for (const [k, a] of actualByKey) {
    if (!matched.has(k)) out.push({ urn: a.urn, message: `${describe(a)} is not something ${file} renders` });
  }
  return out;
}
