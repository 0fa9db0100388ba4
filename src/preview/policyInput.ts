/**
 * What the offline preview registered, in the form the policy pack is given by the engine, so that
 * `runPolicies` judges the same thing `pulumi preview` would send to the analyzer.
 */
import { UNKNOWN_SENTINEL as unknownSentinel } from "../../policies/resourceProps";
import type { PolicyInputResource } from "../policyResults";
import { UNKNOWN, type RegisteredResource } from "./mockEngine";

// The preview shows unknowns as "[unknown]" for people; policies must see the engine's sentinel,
// or they would judge a placeholder string as if it were the deployed value.
function restoreUnknowns(v: unknown): unknown {
  if (v === UNKNOWN) return unknownSentinel;
  if (Array.isArray(v)) return v.map(restoreUnknowns);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, restoreUnknowns(x)]));
}

export function policyInput(resources: readonly RegisteredResource[]): PolicyInputResource[] {
  return resources.map((r) => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    ...(r.parent ? { parent: r.parent } : {}),
    props: restoreUnknowns(r.props) as Record<string, unknown>,
    dependencies: r.dependencies ?? [],
    propertyDependencies: r.propertyDependencies ?? {},
    additionalSecretOutputs: r.additionalSecretOutputs ?? [],
  }));
}
