// unknowns-only-where-planned: in a preview, a value the program computes from a resource that doesn't
// exist yet is unknown, and a policy can't judge it. A compliant stack has exactly these unknowns (the
// CLI-view model's first preview of every example customer, src/offline/cliView.ts): PagerDuty ids and keys,
// and what is built from them. Anything else unknown is decidable in preview for a compliant stack,
// so an unknown there is a way past the pack, and rejected, per resource (one unknown value never
// excuses the rest of the stack). In repository mode stack-matches-customer-file also requires every
// one of these to be exactly as the plan has it, known or unknown.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { types } from "./resourceKinds.js";
import { isPlainObject, peek, UNKNOWN, type Peeked } from "./resourceProps.js";

/** Per type token, the paths (array indices as `*`) a compliant stack may leave unknown in preview. */
export const plannedUnknowns: Readonly<Record<string, readonly string[]>> = {
  [types.actionGroup]: ["webhookReceivers[*].serviceUri"],
  [types.serviceObject]: ["serviceKey"],
  [types.pagerdutyService]: ["escalationPolicy"],
  [types.serviceIntegration]: ["service", "integrationKey"],
  "pagerduty:index/escalationPolicy:EscalationPolicy": ["rules[*].targets[*].id"],
};

/** The kinds of violation this policy reports (the tests trigger each). */
export const unknownsMessages = ["unplanned-unknown"] as const;

function* unknownPaths(v: Peeked, path: string): Generator<string> {
  if (v === UNKNOWN) {
    yield path;
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) yield* unknownPaths(peek(v, i), `${path}[*]`);
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) yield* unknownPaths(peek(v, k), path ? `${path}.${k}` : k);
  }
}

export const unknownsOnlyWherePlanned: ResourceValidationPolicy = {
  name: "unknowns-only-where-planned",
  description:
    "In preview, only the values a compliant stack computes from resources not yet created (PagerDuty ids and keys) may be " +
    "unknown; anything else unknown would go unjudged, and is rejected.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Write the value into the program from the customer file and the catalogue, not from another resource's output; " +
    "the components decide everything but PagerDuty ids and keys before any resource exists.",
  validateResource: (args, reportViolation) => {
    const allowed = plannedUnknowns[args.type] ?? [];
    for (const path of unknownPaths(args.props, "")) {
      if (allowed.includes(path)) continue;
      reportViolation(
        `'${args.name}' (${args.type}): '${path || "(all of it)"}' is unknown in preview, where a compliant stack always knows it`,
      );
      return; // one per resource is enough to act on
    }
  },
};
