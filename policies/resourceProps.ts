// Reading resource properties the same way whoever runs the policies delivers them.
//
// Under the Pulumi CLI, @pulumi/policy hands props over wrapped in its unknown-checking proxy: reading
// a value that is not known yet (preview) throws. In-process (src/offline/policyResults.ts) props are plain
// data, with the engine's unknown sentinel where a value is not known. Policies read every prop
// through `peek`, so both callers see the same thing, and decide for themselves what an unknown means.
//
// This module must stay free of @pulumi/policy *values*: importing that package loads gRPC.

export { UNKNOWN_SENTINEL } from "../src/facts/engineValues.js";
import { UNKNOWN_SENTINEL } from "../src/facts/engineValues.js";

/** Stands for a value that is not known during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Peeked = unknown | typeof UNKNOWN;

/** @pulumi/policy's UnknownValueError is internal; it is recognised by its shape. */
export function isUnknownValueError(e: unknown): boolean {
  return e instanceof Error && "unknownTypeSentinel" in e && Array.isArray((e as { props?: unknown }).props);
}

/**
 * What @pulumi/policy's proxy knows (pulumi/pulumi-policy sdk/nodejs/policy/proxy.ts): the key it
 * answers with the object it wraps, and the sentinels it throws on (`isUnknown`). The engine sends
 * only the first; the proxy checks all seven.
 */
export const PROXY_TARGET = "__getSpecialProxyTarget";
export const PROXY_UNKNOWNS: ReadonlySet<unknown> = new Set<unknown>([
  UNKNOWN_SENTINEL,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** `obj[key]`, or UNKNOWN when that value is not known yet. */
export function peek(obj: unknown, key: string | number): Peeked {
  if (obj === null || typeof obj !== "object") return undefined;
  // Under the CLI, look at the wrapped value first: the proxy's throw builds an Error with a stack
  // trace, and a preview reads thousands of unknowns. A known value is still read through the proxy,
  // so what a policy walks further keeps throwing where @pulumi/policy expects it to.
  const target = (obj as Record<string, unknown>)[PROXY_TARGET] as Record<string | number, unknown> | undefined;
  if (target !== undefined && typeof target === "object" && PROXY_UNKNOWNS.has(target[key])) return UNKNOWN;
  let value: unknown;
  try {
    value = (obj as Record<string | number, unknown>)[key];
  } catch (e) {
    if (isUnknownValueError(e)) return UNKNOWN;
    throw e;
  }
  return value === UNKNOWN_SENTINEL ? UNKNOWN : value;
}

/** `peek` along a path. */
export function peekPath(obj: unknown, path: readonly (string | number)[]): Peeked {
  let v: Peeked = obj;
  for (const k of path) {
    if (v === UNKNOWN) return UNKNOWN;
    v = peek(v, k);
  }
  return v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Array elements through `peek`; a proxied array throws on an unknown element otherwise. */
export function elements(v: Peeked): Peeked[] {
  if (!Array.isArray(v)) return [];
  const out: Peeked[] = [];
  for (let i = 0; i < v.length; i++) out.push(peek(v, i));
  return out;
}

/**
 * Thrown in-process when a policy can't decide during preview. Under the CLI the policy first reads
 * the unknown value through the proxy, whose UnknownValueError makes @pulumi/policy report an
 * advisory "can't run policy during preview"; runPolicies reports this one the same way.
 */
export class UndecidedDuringPreview extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UndecidedDuringPreview";
  }
}

/** Gives up on the whole policy run because the value at `path` is not known yet. Never returns. */
export function undecided(obj: unknown, path: readonly (string | number)[], what: string): never {
  // Under the CLI this walk throws @pulumi/policy's own error at the unknown value, which it turns into an advisory.
  let v = obj as Record<string | number, unknown> | undefined;
  for (const k of path) v = v?.[k] as Record<string | number, unknown> | undefined;
  throw new UndecidedDuringPreview(`${what} can't be known during preview`);
}

export type Difference = { path: string; kind: "differs" | "missing" | "extra" | "unknown" };

const child = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/**
 * Engines and providers deliver numbers where a schema says string (and back); a threshold of 10 and
 * one of "10" are the same threshold.
 */
export function sameScalar(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (typeof expected === "number" && typeof actual === "string") return actual.trim() !== "" && String(expected) === actual;
  if (typeof expected === "string" && typeof actual === "number") return expected.trim() !== "" && expected === String(actual);
  return false;
}

/** An engine never sends `undefined`; `null` means "not set" just the same. */
export const absent = (v: Peeked) => v === undefined || v === null;

/** A key only the actual object has: `key` inside `parent`, at `path`. */
export interface ExtraKey {
  path: string;
  key: string;
  value: Peeked;
  parent: Record<string, unknown>;
}

/**
 * The first place where `actual` is not exactly `expected`, in `expected`'s key order, then any
 * key only `actual` has (sorted). `tolerate` may excuse such an extra key (e.g. one a provider
 * filled in); a key `expected` sets is always compared.
 */
export function firstDifference(
  expected: unknown,
  actual: Peeked,
  tolerate: (extra: ExtraKey) => boolean = () => false,
  path = "",
): Difference | undefined {
  if (actual === UNKNOWN) return { path, kind: "unknown" };
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return { path, kind: "differs" };
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      const a = i < actual.length ? peek(actual, i) : undefined;
      if (i >= expected.length) {
        if (a === UNKNOWN) return { path: child(path, i), kind: "unknown" };
        return { path: child(path, i), kind: "extra" };
      }
      if (i >= actual.length) return { path: child(path, i), kind: "missing" };
      const d = firstDifference(expected[i], a, tolerate, child(path, i));
      if (d) return d;
    }
    return undefined;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return { path, kind: "differs" };
    for (const key of Object.keys(expected)) {
      if (expected[key] === undefined) continue;
      const a = peek(actual, key);
      if (absent(a)) return { path: child(path, key), kind: "missing" };
      const d = firstDifference(expected[key], a, tolerate, child(path, key));
      if (d) return d;
    }
    for (const key of Object.keys(actual).sort()) {
      // No exception for "__" keys: the engine drops them before a pack sees them, so one that arrives was put there.
      if (expected[key] !== undefined) continue;
      const a = peek(actual, key);
      if (a !== UNKNOWN && absent(a)) continue;
      if (tolerate({ path: child(path, key), key, value: a, parent: actual })) continue;
      return { path: child(path, key), kind: a === UNKNOWN ? "unknown" : "extra" };
    }
    return undefined;
  }
  return sameScalar(expected, actual) ? undefined : { path, kind: "differs" };
}

/** Top-level property name of a path such as `webhookReceivers[0].serviceUri`. */
export const topLevel = (path: string) => /^[^.[]*/.exec(path)![0];
