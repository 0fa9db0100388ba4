/**
 * Which Pulumi resource types are *alerts*: resources that evaluate a condition and can notify
 * someone. Every one of them counts toward the Extended limit (see `maxAlerts` in ./extended).
 *
 * One list, read by the offline preview, the reports and the CrossGuard policy pack.
 * This module is pure (no imports), so anything can import it cheaply.
 *
 * Tokens were checked against the installed SDKs (`__pulumiType` in @pulumi/datadog 5.11 and
 * @pulumi/azure-native 3.28, including the alias tokens azure-native 3 still declares) and, for the
 * classic provider (`@pulumi/azure`, not installed here), against the `pulumi import` tokens in
 * pulumi/pulumi-azure `sdk/nodejs/monitoring/*.ts`.
 *
 * Deliberately NOT alerts: action groups (`azure-native:monitor:ActionGroup`), App Insights web
 * tests (a web test only probes; its MetricAlert is the alert), alert processing / action rules
 * (they route or suppress alerts), Datadog downtimes, SLOs and notification rules, and PagerDuty
 * resources (they receive alerts).
 */
export const alertingResourceTypes = [
  // Datadog (@pulumi/datadog 5.x)
  "datadog:index/monitor:Monitor",
  "datadog:index/monitorJson:MonitorJson",
  "datadog:index/syntheticsTest:SyntheticsTest",
  "datadog:index/securityMonitoringRule:SecurityMonitoringRule",
  "datadog:index/securityMonitoringRuleJson:SecurityMonitoringRuleJson",
  "datadog:index/securityMonitoringDefaultRule:SecurityMonitoringDefaultRule",
  "datadog:index/cloudConfigurationRule:CloudConfigurationRule",

  // Azure, native provider (@pulumi/azure-native 3.x)
  "azure-native:monitor:MetricAlert",
  "azure-native:monitor:ActivityLogAlert",
  "azure-native:monitor:ScheduledQueryRule",
  "azure-native:alertsmanagement:SmartDetectorAlertRule",
  "azure-native:alertsmanagement:PrometheusRuleGroup",
  // azure-native 2.x module names, still declared as aliases by 3.x
  "azure-native:insights:MetricAlert",
  "azure-native:insights:ActivityLogAlert",
  "azure-native:insights:ScheduledQueryRule",

  // Azure, classic provider (@pulumi/azure)
  "azure:monitoring/metricAlert:MetricAlert",
  "azure:monitoring/activityLogAlert:ActivityLogAlert",
  "azure:monitoring/scheduledQueryRulesAlert:ScheduledQueryRulesAlert",
  "azure:monitoring/scheduledQueryRulesAlertV2:ScheduledQueryRulesAlertV2",
  "azure:monitoring/scheduledQueryRulesLog:ScheduledQueryRulesLog",
  "azure:monitoring/smartDetectorAlertRule:SmartDetectorAlertRule",
  "azure:monitoring/alertPrometheusRuleGroup:AlertPrometheusRuleGroup",
] as const;

export type AlertingResourceType = (typeof alertingResourceTypes)[number];

const alertingSet: ReadonlySet<string> = new Set(alertingResourceTypes);

/**
 * Drops an explicit API version from an azure-native token, so that
 * `azure-native:monitor/v20260101:MetricAlert` is treated as `azure-native:monitor:MetricAlert`.
 */
export function normalizeResourceType(type: string): string {
  return type.replace(/^(azure-native:[A-Za-z0-9]+)\/v[0-9a-z]+:/, "$1:");
}

export function isAlertingResourceType(type: string): boolean {
  return alertingSet.has(normalizeResourceType(type));
}

/** Counts the resources whose type is an alerting type. Component resources never count. */
export function countAlerts(resources: Iterable<{ type: string }>): number {
  let n = 0;
  for (const r of resources) if (isAlertingResourceType(r.type)) n++;
  return n;
}
