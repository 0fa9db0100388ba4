// max-ten-alerts: the Extended package promises up to ten alerts per customer, and one customer is one
// stack. Every alerting resource counts, standard or not: a custom alert is a violation of its own,
// and must not also hide one of the ten.
import type { StackValidationPolicy } from "@pulumi/policy";
import { isAlertingResourceType } from "../src/facts/alertingResources.js";
import { maxAlerts } from "../src/facts/extended.js";

export interface MaxTenAlertsConfig {
  maxAlerts?: number;
}

export const maxTenAlerts: StackValidationPolicy = {
  name: "max-ten-alerts",
  description: `A customer's stack holds at most ${maxAlerts} alerts (the Extended package's limit); every alerting resource counts.`,
  enforcementLevel: "mandatory",
  severity: "high",
  // Static text, while a policy configuration may lower the limit: it names no number the violation could contradict.
  remediationSteps:
    "Remove alerts from the customer file's `alerts:` list until no more remain than the limit the violation states " +
    `(the Extended package's ${maxAlerts}, or fewer where the policy configuration sets \`maxAlerts\`), and make sure no other ` +
    "program or component in the stack creates alerts. A customer who needs more is outside the Extended package.",
  // Config may tighten the limit for a stack, never loosen it: more than the package's limit is
  // not the Extended package, whoever configures the pack.
  configSchema: {
    properties: {
      maxAlerts: { type: "integer", minimum: 1, maximum: maxAlerts, default: maxAlerts },
    },
  },
  validateStack: (args, reportViolation) => {
    // The CLI fills in the schema default before Configure; other callers may not.
    // Callers that skip schema validation must not loosen it either.
    const limit = Math.min(args.getConfig<MaxTenAlertsConfig>().maxAlerts ?? maxAlerts, maxAlerts);
    const alerts = args.resources.filter((r) => isAlertingResourceType(r.type));
    if (alerts.length > limit) {
      reportViolation(
        `this stack has ${alerts.length} alerts; the Extended package allows at most ${limit}: ` + alerts.map((r) => r.name).join(", "),
      );
    }
  },
};
