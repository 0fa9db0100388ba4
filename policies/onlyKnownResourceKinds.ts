// only-known-resource-kinds: a customer's stack holds what the pico-monitoring components create and
// nothing else. Anything the program doesn't register (a Datadog v1 downtime, an action rule, a PagerDuty
// maintenance window, a PagerDuty event orchestration, a dynamic provider, a command, or one of
// ours under an alias or API-versioned token) can silence, re-route or add alerts unseen by the
// other policies. The list of types lives in src/facts/alertingResources.ts, beside the alerting types.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isStackResourceType } from "../src/facts/alertingResources.js";

/** The kinds of violation this policy reports (the tests trigger each). */
export const onlyKnownResourceKindsMessages = ["unknown-kind"] as const;

export const onlyKnownResourceKinds: ResourceValidationPolicy = {
  name: "only-known-resource-kinds",
  description:
    "A customer's stack holds only the resource types the pico-monitoring components register, their providers and " +
    "Pulumi's stack resource; anything else (other silences, dynamic providers, aliases) is rejected. The silences the " +
    "components do create are held to the approved windows by silences-match-approved-windows.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Remove the resource from the program. Silencing, routing and extra alerting are not part of the Extended " +
    "package; if the components should create a new kind, add it there and to `stackResourceTypes`.",
  validateResource: (args, reportViolation) => {
    if (isStackResourceType(args.type)) return;
    reportViolation(`'${args.name}' is a ${args.type}, which the pico-monitoring components never create`);
  },
};
