// The resource types the policies talk about, and what messages call them.
import { normalizeResourceType } from "../src/alertingResources.js";

export const types = {
    monitor: "datadog:index/monitor:Monitor",
    serviceObject: "datadog:pagerduty/serviceObject:ServiceObject",
    pagerdutyService: "pagerduty:index/service:Service",
    serviceIntegration: "pagerduty:index/serviceIntegration:ServiceIntegration",
    metricAlert: "azure-native:monitor:MetricAlert",
    activityLogAlert: "azure-native:monitor:ActivityLogAlert",
    actionGroup: "azure-native:monitor:ActionGroup",
    webTest: "azure-native:applicationinsights:WebTest",
} as const;

/** azure-native 2.x module names that 3.x still declares as aliases of the same ARM resources. */
const aliases: Record<string, string> = {
    "azure-native:insights:MetricAlert": types.metricAlert,
    "azure-native:insights:ActivityLogAlert": types.activityLogAlert,
    "azure-native:insights:ActionGroup": types.actionGroup,
    "azure-native:insights:WebTest": types.webTest,
};

/** The token a resource is, whatever API version or alias module it was registered under. */
export function armKind(type: string): string {
    const t = normalizeResourceType(type);
    return aliases[t] ?? t;
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
