/**
 * The Pulumi engine's forms for values that are not plain data, kept as they are everywhere inside
 * this program: a value not known yet (preview) is the unknown sentinel, and a secret is wrapped in
 * the engine's secret signature at the exact place it occurs (`specialSigKey` / `specialSecretSig` /
 * `unknownValue` in pulumi/pulumi sdk/nodejs/runtime/rpc.ts). Only printers turn them into text, with
 * `masked`: "[secret]" and "[unknown]". A secret keeps its mark wherever its value travels (a
 * sub-tree, a diff), so a printer needs no list of paths to withhold it.
 */

/** How the engine marshals any unknown value (`UnknownStringValue` in the engine's plugin package). */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const specialSigKey = "4dabf18193072939515e22adb298388d";
export const specialSecretSig = "1b47061264138c4ac30d75fd1eb44270";

/** A secret as the engine marshals it. */
export interface SecretValue {
  readonly [specialSigKey]: typeof specialSecretSig;
  readonly value: unknown;
}

export function secretValue(value: unknown): SecretValue {
  return { [specialSigKey]: specialSecretSig, value };
}

export function isSecretValue(v: unknown): v is SecretValue {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** What a printer shows instead of a secret, and instead of a value not known yet. */
export const SECRET_TEXT = "[secret]";
export const UNKNOWN_TEXT = "[unknown]";

/** The value as printers show it: every secret "[secret]", every unknown "[unknown]". */
export function masked(v: unknown): unknown {
  if (v === UNKNOWN_SENTINEL) return UNKNOWN_TEXT;
  if (v === null || typeof v !== "object") return v;
  if (isSecretValue(v)) return SECRET_TEXT;
  if (Array.isArray(v)) return v.map(masked);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = masked(x);
  return out;
}

/** The value with every secret replaced by what it holds: what the engine hands a policy pack. */
export function revealed(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (isSecretValue(v)) return revealed(v.value);
  if (Array.isArray(v)) return v.map(revealed);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = revealed(x);
  return out;
}
