// max-ten-alerts: the Extended package promises up to ten alerts per customer, and one customer is one
// stack. Every alerting resource counts, standard or not: a custom alert is a violation of its own,
// and must not also hide one of the ten.
import type { StackValidationPolicy } from "@pulumi/policy";
import { isAlertingResourceType } from "../src/facts/alertingResources.js";
import { maxAlerts } from "../src/facts/extended.js";

export interface MaxTenAlertsConfig {
  maxAlerts?: number;
}

/**
 * The limit a configured value gives. The CLI validates the value against the schema and fills in its
 * default before Configure; a caller that skips the schema gets the package's own limit for anything
 * but a whole number from 1 up (`"twelve"`, `{}`, 2.5: never NaN, which would compare false and
 * remove the limit), and never more than the package's limit.
 */
export function configuredLimit(value: unknown): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? Math.min(value, maxAlerts) : maxAlerts;
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
    const limit = configuredLimit(args.getConfig<MaxTenAlertsConfig>().maxAlerts);
    const alerts = args.resources.filter((r) => isAlertingResourceType(r.type));
    if (alerts.length > limit) {
      reportViolation(
        `this stack has ${alerts.length} alerts; the Extended package allows at most ${limit}: ` + alerts.map((r) => r.name).join(", "),
      );
    }
  },
};
