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
export const alertingTypes = {
  // Datadog (@pulumi/datadog 5.x)
  datadogMonitor: "datadog:index/monitor:Monitor",
  datadogMonitorJson: "datadog:index/monitorJson:MonitorJson",
  datadogSyntheticsTest: "datadog:index/syntheticsTest:SyntheticsTest",
  datadogSecurityMonitoringRule: "datadog:index/securityMonitoringRule:SecurityMonitoringRule",
  datadogSecurityMonitoringRuleJson: "datadog:index/securityMonitoringRuleJson:SecurityMonitoringRuleJson",
  datadogSecurityMonitoringDefaultRule: "datadog:index/securityMonitoringDefaultRule:SecurityMonitoringDefaultRule",
  datadogCloudConfigurationRule: "datadog:index/cloudConfigurationRule:CloudConfigurationRule",

  // Azure, native provider (@pulumi/azure-native 3.x)
  azureMetricAlert: "azure-native:monitor:MetricAlert",
  azureActivityLogAlert: "azure-native:monitor:ActivityLogAlert",
  azureScheduledQueryRule: "azure-native:monitor:ScheduledQueryRule",
  azureSmartDetectorAlertRule: "azure-native:alertsmanagement:SmartDetectorAlertRule",
  azurePrometheusRuleGroup: "azure-native:alertsmanagement:PrometheusRuleGroup",
  // azure-native 2.x module names, still declared as aliases by 3.x
  insightsMetricAlert: "azure-native:insights:MetricAlert",
  insightsActivityLogAlert: "azure-native:insights:ActivityLogAlert",
  insightsScheduledQueryRule: "azure-native:insights:ScheduledQueryRule",

  // Azure, classic provider (@pulumi/azure)
  classicMetricAlert: "azure:monitoring/metricAlert:MetricAlert",
  classicActivityLogAlert: "azure:monitoring/activityLogAlert:ActivityLogAlert",
  classicScheduledQueryRulesAlert: "azure:monitoring/scheduledQueryRulesAlert:ScheduledQueryRulesAlert",
  classicScheduledQueryRulesAlertV2: "azure:monitoring/scheduledQueryRulesAlertV2:ScheduledQueryRulesAlertV2",
  classicScheduledQueryRulesLog: "azure:monitoring/scheduledQueryRulesLog:ScheduledQueryRulesLog",
  classicSmartDetectorAlertRule: "azure:monitoring/smartDetectorAlertRule:SmartDetectorAlertRule",
  classicAlertPrometheusRuleGroup: "azure:monitoring/alertPrometheusRuleGroup:AlertPrometheusRuleGroup",
} as const;

export type AlertingResourceType = (typeof alertingTypes)[keyof typeof alertingTypes];

export const alertingResourceTypes: readonly AlertingResourceType[] = Object.values(alertingTypes);

/**
 * The resources around the alerts that the tool and the policies name: they probe, route or receive
 * alerts, so none of them counts toward the limit.
 */
export const alertingCompanionTypes = {
  azureActionGroup: "azure-native:monitor:ActionGroup",
  azureWebTest: "azure-native:applicationinsights:WebTest",
  datadogPagerdutyServiceObject: "datadog:pagerduty/serviceObject:ServiceObject",
  pagerdutyService: "pagerduty:index/service:Service",
  pagerdutyServiceIntegration: "pagerduty:index/serviceIntegration:ServiceIntegration",
} as const;

/**
 * Resources that silence alerts for a while. None is an alert, and none may exist unless an approved
 * maintenance window of the customer's file renders exactly it (policies/silencesMatchApprovedWindows.ts);
 * the components create the first and third (src/plan/maintenance.ts), never the others.
 */
export const silencingTypes = {
  datadogDowntimeSchedule: "datadog:index/downtimeSchedule:DowntimeSchedule",
  datadogDowntime: "datadog:index/downtime:Downtime",
  azureAlertProcessingRule: "azure-native:alertsmanagement:AlertProcessingRuleByName",
  azureActionRule: "azure-native:alertsmanagement:ActionRuleByName",
  classicAlertProcessingRuleSuppression: "azure:monitoring/alertProcessingRuleSuppression:AlertProcessingRuleSuppression",
  classicActionRuleSuppression: "azure:monitoring/actionRuleSuppression:ActionRuleSuppression",
  pagerdutyMaintenanceWindow: "pagerduty:index/maintenanceWindow:MaintenanceWindow",
} as const;

const silencingSet: ReadonlySet<string> = new Set(Object.values(silencingTypes));

export function isSilencingResourceType(type: string): boolean {
  return silencingSet.has(normalizeResourceType(type));
}

/**
 * azure-native 2.x module names that 3.x still declares as aliases of the same ARM resources
 * (checked against the `aliases` in @pulumi/azure-native 3.28), mapped to the 3.x token.
 */
export const azureNativeAliases: Readonly<Record<string, string>> = {
  [alertingTypes.insightsMetricAlert]: alertingTypes.azureMetricAlert,
  [alertingTypes.insightsActivityLogAlert]: alertingTypes.azureActivityLogAlert,
  [alertingTypes.insightsScheduledQueryRule]: alertingTypes.azureScheduledQueryRule,
  "azure-native:insights:ActionGroup": alertingCompanionTypes.azureActionGroup,
  "azure-native:insights:WebTest": alertingCompanionTypes.azureWebTest,
};

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

/**
 * Every resource type a customer's stack may hold: what the pico-monitoring components register
 * (components/*.ts), the providers of the packages they use (default or explicit), and Pulumi's own
 * stack resource. The closed-world policy `only-known-resource-kinds` rejects anything else, exact
 * token only: an alias module (`azure-native:insights:*`) or an API-versioned token is another token.
 * test/policies/onlyKnownResourceKinds.test.ts checks the list against what the components register.
 */
export const stackResourceTypes = {
  stack: "pulumi:pulumi:Stack",
  customerMonitoring: "pico:monitoring:CustomerMonitoring",
  preparednessRoster: "pico:monitoring:PreparednessRoster",
  datadogMonitors: "pico:monitoring:DatadogMonitors",
  azureHealthChecks: "pico:monitoring:AzureHealthChecks",
  maintenanceWindows: "pico:monitoring:MaintenanceWindows",
  datadogProvider: "pulumi:providers:datadog",
  pagerdutyProvider: "pulumi:providers:pagerduty",
  azureNativeProvider: "pulumi:providers:azure-native",
  datadogMonitor: alertingTypes.datadogMonitor,
  azureMetricAlert: alertingTypes.azureMetricAlert,
  azureActivityLogAlert: alertingTypes.azureActivityLogAlert,
  ...alertingCompanionTypes,
  pagerdutySchedule: "pagerduty:index/schedule:Schedule",
  pagerdutyEscalationPolicy: "pagerduty:index/escalationPolicy:EscalationPolicy",
  datadogDowntimeSchedule: silencingTypes.datadogDowntimeSchedule,
  azureAlertProcessingRule: silencingTypes.azureAlertProcessingRule,
} as const;

const stackTypeSet: ReadonlySet<string> = new Set(Object.values(stackResourceTypes));

export function isStackResourceType(type: string): boolean {
  return stackTypeSet.has(type);
}
