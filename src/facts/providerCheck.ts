/**
 * What each provider's Check adds to the inputs the program registers, for the resource types the
 * pico-monitoring components create. Pure (no imports), so the renderer, the policy pack and the
 * CLI-view model (src/offline/cliView.ts) read these facts from this one place.
 *
 * Terraform-bridged providers (Datadog, PagerDuty: SDKv2 resources) fill in the upstream schema's
 * `Default` for an optional field the program leaves out. The bridge does not fill falsy defaults
 * (false, 0, "") since pulumi/pulumi-terraform-bridge#3398 (kept for optional fields by #3420), nor
 * defaults of deprecated fields (hashicorp/terraform#19114; pulumi-terraform-bridge
 * pkg/tfbridge/schema.go `applyDefaults`), nor a default whose ConflictsWith peer is set (same
 * function). Not confirmed here: which bridge version @pulumi/datadog 5.11 and @pulumi/pagerduty 3.4
 * were built with (a bridge before #3398 would also fill the falsy ones, e.g. notifyNoData: false);
 * the README's "first real run" checklist compares this table with a real preview.
 */

/** A default Check fills in at `path` (`"*"` = every array element) when `key` is absent. */
export interface CheckDefault {
  path: readonly string[];
  key: string;
  value: string | number | boolean;
  /** Not filled when one of these sibling keys is set (the upstream field's ConflictsWith). */
  unlessSet?: readonly string[];
}

/**
 * DataDog/terraform-provider-datadog datadog/resource_datadog_monitor.go (read at 701d55bc, 2026-08):
 * non-falsy, non-deprecated `Default`s. Left out: notify_no_data (false), new_host_delay (300, but
 * deprecated). The SDKv2 resource is what @pulumi/datadog 5.x registers unless
 * TERRAFORM_MONITOR_FRAMEWORK_PROVIDER=true (see /work/shared/DESIGN.md).
 */
export const datadogMonitorCheckDefaults = {
  draftStatus: "published",
  noDataTimeframe: 10,
  requireFullWindow: true,
  includeTags: true,
} as const;

const monitorDefaults: CheckDefault[] = Object.entries(datadogMonitorCheckDefaults).map(([key, value]) => ({
  path: [],
  key,
  value,
  // no_data_timeframe ConflictsWith on_missing_data upstream.
  ...(key === "noDataTimeframe" ? { unlessSet: ["onMissingData"] } : {}),
}));

/**
 * terraform-provider-pagerduty v2.4.0 (what @pulumi/pagerduty 3.4.0 bridges) pagerduty/resource_pagerduty_service.go:
 * both timeouts are strings there, and `alert_creation` defaults to "create_incidents". The program states
 * both timeouts (src/facts/paging.ts), so the real Check adds only `alertCreation` (test/recordings/).
 */
export const pagerdutyServiceCheckDefaults = {
  autoResolveTimeout: "14400",
  acknowledgementTimeout: "1800",
  alertCreation: "create_incidents",
} as const;

/**
 * Per type token, the defaults Check fills. A type not listed has none (checked upstream):
 * - PagerDuty/terraform-provider-pagerduty pagerduty/resource_pagerduty_{schedule,escalation_policy,
 *   service,service_integration}.go (read at 95cf9d8b, 2026-04; all four are SDKv2 there). Their
 *   `description` default ("Managed by Terraform") never reaches Check: the @pulumi/pagerduty SDK
 *   itself sends "Managed by Pulumi" when the program sets none (schedule.js, service.js, ...).
 *   ServiceIntegration has no schema default.
 * - DataDog/terraform-provider-datadog datadog/resource_datadog_integration_pagerduty_service_object.go:
 *   no defaults.
 */
export const checkDefaults: Readonly<Record<string, readonly CheckDefault[]>> = {
  "datadog:index/monitor:Monitor": monitorDefaults,
  "pagerduty:index/service:Service": Object.entries(pagerdutyServiceCheckDefaults).map(([key, value]) => ({ path: [], key, value })),
  "pagerduty:index/escalationPolicy:EscalationPolicy": [{ path: ["rules", "*", "targets", "*"], key: "type", value: "user_reference" }],
};

/**
 * The Azure REST API version each azure-native class the components create uses in the locked SDK
 * (@pulumi/azure-native 3.28: "Uses Azure REST API version ..." in monitor/metricAlert.d.ts,
 * monitor/activityLogAlert.d.ts, monitor/actionGroup.d.ts, applicationinsights/webTest.d.ts;
 * test/providerCheck.test.ts reads them back from the installed SDK). azure-native v3's Check adds it
 * to every resource as `azureApiVersion` (pulumi/pulumi-azure-native provider/pkg/provider/provider.go,
 * `applyDefaults`). A type not listed here is not one of ours.
 */
export const azureApiVersions: Readonly<Record<string, string>> = {
  "azure-native:monitor:MetricAlert": "2018-03-01",
  "azure-native:monitor:ActivityLogAlert": "2020-10-01",
  "azure-native:monitor:ActionGroup": "2024-10-01-preview",
  "azure-native:applicationinsights:WebTest": "2022-06-15",
  // alertsmanagement/alertProcessingRuleByName.d.ts: "Uses Azure REST API version 2021-08-08".
  "azure-native:alertsmanagement:AlertProcessingRuleByName": "2021-08-08",
};

/** The Terraform-bridged packages (@pulumi/datadog, @pulumi/pagerduty): their Check marks every nested block. */
const bridgedPackages = new Set(["datadog", "pagerduty"]);
export const isBridged = (type: string): boolean => bridgedPackages.has(type.split(":")[0]!);

/**
 * Bridged resources served through the Terraform plugin framework, not SDKv2: their Check returns the
 * program's inputs as they are, without `__defaults` marks (upstream's datadog_downtime_schedule is a
 * framework resource, datadog/fwprovider/resource_datadog_downtime_schedule.go; the engine tier's plugin
 * serves it through the bridge's framework support, test/engine/datadog.provider.engine.test.ts).
 */
const pluginFrameworkTypes: ReadonlySet<string> = new Set(["datadog:index/downtimeSchedule:DowntimeSchedule"]);

/** Whether Check marks the resource's nested blocks with `__defaults` (SDKv2 resources of the bridged packages). */
export const marksNestedDefaults = (type: string): boolean => isBridged(type) && !pluginFrameworkTypes.has(type);

/**
 * The `id` among a resource's outputs, which AnalyzeStack is handed (test/recordings/): every provider puts
 * the resource's id there once it exists. Previewing a create, the 2022 bridge of @pulumi/pagerduty 3.4
 * (v3.20) returns it empty, the newer one of @pulumi/datadog 5.11 unknown, and azure-native none.
 */
export const previewIdOutput: Readonly<Record<string, "empty" | "unknown" | "none">> = {
  pagerduty: "empty",
  datadog: "unknown",
  "azure-native": "none",
};

/**
 * Fields the Terraform schema declares a set (`schema.TypeSet`): the provider returns them in its own order
 * (terraform-provider-datadog datadog/resource_datadog_monitor.go: `tags`, `restricted_roles`), so a stack's
 * outputs hold the planned elements in any order.
 */
export const outputSets: Readonly<Record<string, readonly string[]>> = {
  "datadog:index/monitor:Monitor": ["tags", "restrictedRoles"],
};

/**
 * The input that names each azure-native resource in its ARM path; the provider returns it as `name`
 * (@pulumi/azure-native 3.28 SDK classes; the ARM responses of test/engine/apis/azure.ts).
 */
/** Each azure-native type's ARM path segment, as the provider requests it and ARM echoes it in the `id`. */
export const azureResourcePath: Readonly<Record<string, string>> = {
  "azure-native:monitor:MetricAlert": "Microsoft.Insights/metricAlerts",
  "azure-native:monitor:ActivityLogAlert": "Microsoft.Insights/activityLogAlerts",
  "azure-native:monitor:ActionGroup": "Microsoft.Insights/actionGroups",
  "azure-native:applicationinsights:WebTest": "Microsoft.Insights/webtests",
  "azure-native:alertsmanagement:AlertProcessingRuleByName": "Microsoft.AlertsManagement/actionRules",
};

export const azureNameProperty: Readonly<Record<string, string>> = {
  "azure-native:monitor:MetricAlert": "ruleName",
  "azure-native:monitor:ActivityLogAlert": "activityLogAlertName",
  "azure-native:monitor:ActionGroup": "actionGroupName",
  "azure-native:applicationinsights:WebTest": "webTestName",
  "azure-native:alertsmanagement:AlertProcessingRuleByName": "alertProcessingRuleName",
};

/** The key azure-native's Check adds. */
export const azureApiVersionKey = "azureApiVersion";

/**
 * Where the installed SDK declares each resource class the components register: its
 * `readonly x: pulumi.Output<...>` members are the outputs the provider returns, and `npm run
 * generate` reads them into providerOutputs.generated.json (see ./cliView rule 5).
 */
export const sdkDeclarations: Readonly<Record<string, string>> = {
  "datadog:index/monitor:Monitor": "@pulumi/datadog/monitor.d.ts",
  "datadog:pagerduty/serviceObject:ServiceObject": "@pulumi/datadog/pagerduty/serviceObject.d.ts",
  "pagerduty:index/service:Service": "@pulumi/pagerduty/service.d.ts",
  "pagerduty:index/schedule:Schedule": "@pulumi/pagerduty/schedule.d.ts",
  "pagerduty:index/escalationPolicy:EscalationPolicy": "@pulumi/pagerduty/escalationPolicy.d.ts",
  "pagerduty:index/serviceIntegration:ServiceIntegration": "@pulumi/pagerduty/serviceIntegration.d.ts",
  "azure-native:monitor:MetricAlert": "@pulumi/azure-native/monitor/metricAlert.d.ts",
  "azure-native:monitor:ActivityLogAlert": "@pulumi/azure-native/monitor/activityLogAlert.d.ts",
  "azure-native:monitor:ActionGroup": "@pulumi/azure-native/monitor/actionGroup.d.ts",
  "azure-native:applicationinsights:WebTest": "@pulumi/azure-native/applicationinsights/webTest.d.ts",
  "datadog:index/downtimeSchedule:DowntimeSchedule": "@pulumi/datadog/downtimeSchedule.d.ts",
  "azure-native:alertsmanagement:AlertProcessingRuleByName": "@pulumi/azure-native/alertsmanagement/alertProcessingRuleByName.d.ts",
};
