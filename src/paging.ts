/**
 * How an alert reaches a person: every role has one PagerDuty service, linked into Datadog
 * under the same name. Monitors page it with `@pagerduty-<name>`; Azure action groups page it
 * through the service's Azure integration.
 */
import type { Role } from "./extended";

export function pagerdutyServiceName(customer: string, role: Role): string {
  return `pico-${customer}-${role}`;
}

/** The Datadog notification handle that pages a role's PagerDuty service. */
export function pagerdutyHandle(customer: string, role: Role): string {
  return `@pagerduty-${pagerdutyServiceName(customer, role)}`;
}

/** PagerDuty Events API v1 endpoint used by the Azure integration; the key is a secret. */
export function pagerdutyAzureWebhookUrl(integrationKey: string): string {
  return `https://events.pagerduty.com/integration/${integrationKey}/enqueue`;
}
