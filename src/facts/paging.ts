/**
 * How an alert reaches a person: every role has one PagerDuty service, linked into Datadog
 * under the same name. Monitors page it with `@pagerduty-<name>`; Azure action groups page it
 * through the service's Azure integration.
 */
import type { Role } from "./extended.js";

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

/**
 * How a role's escalation policy runs, read by the component, the simulator's tests and `roster`.
 *
 * Rule 1 pages the role's preparedness schedule, which has someone on call only inside the windows;
 * rule 2 pages standing support. PagerDuty assigns a new incident to the first rule that has someone
 * on call at that moment ("the incident will be assigned to the first level of an escalation policy
 * with a user on-call at the time of the incident's creation"; "if there is no one on-call in any
 * level ... the incident will be dropped": community.pagerduty.com/forum/t/2191). So outside the
 * windows a page goes straight to standing support with no delay, and because standing support is
 * always staffed no page is ever dropped. Inside a window the preparedness person has
 * `preparednessAckMinutes` to acknowledge before standing support is paged as well.
 */
export const escalation = {
  /** Minutes the preparedness person has before the page escalates to standing support. */
  preparednessAckMinutes: 15,
  /** Minutes standing support has before the policy starts over. */
  standingSupportAckMinutes: 30,
  /** Times the whole policy repeats after its last rule when nobody acknowledges (`num_loops`). */
  numLoops: 2,
} as const;

/**
 * The service's urgency, explicit rather than PagerDuty's default: `high` is the urgency that
 * "follows escalation rules" (`low` notifies and does not escalate; @pulumi/pagerduty 3.4
 * ServiceIncidentUrgencyRule.urgency). It is constant all day and year, so no `supportHours`:
 * standing support is staffed around the clock, and support hours can't name holiday dates anyway.
 */
export const incidentUrgency = { type: "constant", urgency: "high" } as const;

/**
 * Incident lifetimes, explicit because the provider's defaults would apply otherwise
 * (terraform-provider-pagerduty resource_pagerduty_service: auto_resolve_timeout, acknowledgement_timeout).
 * Auto-resolve is off: it applies to every incident of the service, and would also close a Datadog
 * incident whose monitor is still alerting. Datadog sends its own resolve; Azure Resource Health
 * sends none, so its incidents are resolved by the responder once Resource Health shows the
 * resource Available again (README, "Routing and escalation"). An acknowledged incident that
 * nobody resolves triggers again after `acknowledgementTimeout` seconds.
 */
export const incidentTimeouts = { autoResolveTimeout: "null", acknowledgementTimeout: "1800" } as const;

/**
 * Every alert opens an incident: stated, as the pinned provider's Check would fill it anyway
 * (terraform-provider-pagerduty v2.4.0 resource_pagerduty_service.go, `alert_creation` default; test/recordings/).
 */
export const alertCreation = "create_incidents";
