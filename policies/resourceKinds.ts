// The resource types the policies talk about, and what messages call them. The tokens themselves live
// in src/facts/alertingResources.ts, so the policies, the preview and the reports can't disagree on them.
import {
  alertingCompanionTypes as companion,
  alertingTypes as alerting,
  azureNativeAliases,
  normalizeResourceType,
} from "../src/facts/alertingResources.js";

export const types = {
  monitor: alerting.datadogMonitor,
  serviceObject: companion.datadogPagerdutyServiceObject,
  pagerdutyService: companion.pagerdutyService,
  serviceIntegration: companion.pagerdutyServiceIntegration,
  metricAlert: alerting.azureMetricAlert,
  activityLogAlert: alerting.azureActivityLogAlert,
  actionGroup: companion.azureActionGroup,
  webTest: companion.azureWebTest,
} as const;

/** The token a resource is, whatever API version or alias module it was registered under. */
export function armKind(type: string): string {
  const t = normalizeResourceType(type);
  return azureNativeAliases[t] ?? t;
}

const labels: Record<string, string> = {
  [types.monitor]: "monitor",
  [types.serviceObject]: "Datadog PagerDuty service object",
  [types.serviceIntegration]: "PagerDuty service integration",
  [types.metricAlert]: "metric alert",
  [types.activityLogAlert]: "activity log alert",
  [types.actionGroup]: "action group",
  [types.webTest]: "web test",
};

/** `monitor 'nordlys-app-service-5xx-portal-app'`, or the type token for anything else. */
export function describe(r: { type: string; name: string }): string {
  const label = labels[normalizeResourceType(r.type)];
  return label ? `${label} '${r.name}'` : `'${r.name}' (${r.type})`;
}
