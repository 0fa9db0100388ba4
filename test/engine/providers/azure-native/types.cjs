// The per-type facts the azure-native stand-in (./provider.cjs) would read from the real provider's generated
// metadata, transcribed by hand because that metadata is generated from the azure-rest-api-specs submodule,
// which is not published as a module (see ./README.md). Sources per field are in the comment below;
// test/engine/azure-native.provider.engine.test.ts checks inputs, outputs, required and apiVersion against the
// installed @pulumi/azure-native 3.28.0 SDK.
"use strict";

/**
 * The five types. Per type:
 * - apiVersion: "Uses Azure REST API version ..." in the SDK class's .d.ts; Check adds it as azureApiVersion.
 * - segment / nameParam: the ARM path .../providers/{namespace}/{segment}/{nameParam} (the specs' PUT paths);
 *   namespace is Microsoft.Insights unless the type says otherwise.
 * - required: the SDK constructor's "Missing required property" list (what the metadata marks required), plus
 *   the resource-name path parameter and location (required in each spec's resource definition; the SDK leaves
 *   both optional because Check can fill them).
 * - inputs / outputs: the SDK class's resourceInputs in its two constructor branches (inputs: args; outputs:
 *   the state branch). `id` is an output too: recorded azure-native state keeps it
 *   (provider/pkg/provider/testdata/recorded/.../stack.json).
 * - forceNew: body properties whose x-ms-mutability lacks "update" (gen/properties.go forceNew): `location` in
 *   metricAlert_API.json 2018-03-01 (Resource) and webTests_API.json 2022-06-15 (WebtestsResource); assumed the
 *   same for the other two (their AzureResource location is documented create-only, ARM RPC-Put-V1-14), not read.
 * - topLevel: the SDK keys that sit at the top of the ARM body; every other body key goes under `properties`
 *   (x-ms-client-flatten on `properties` in each spec). Where the spec does NOT flatten `properties`
 *   (AlertProcessingRule), `properties` is itself a top-level SDK input and output (nestedProperties).
 * - nameInBody: WebTest's webTestName is both the path parameter and properties.Name (one SDK input for both).
 * - pascal / renames: WebTest's properties are PascalCase in ARM, and the SDK's names are the x-ms-client-name
 *   or the camel-cased ARM name (webTests_API.json 2022-06-15); `odata.type` is `odataType` in the SDK.
 */
const types = {
  "azure-native:monitor:MetricAlert": {
    apiVersion: "2018-03-01",
    segment: "metricAlerts",
    nameParam: "ruleName",
    required: [
      "criteria",
      "enabled",
      "evaluationFrequency",
      "resourceGroupName",
      "scopes",
      "severity",
      "windowSize",
      "ruleName",
      "location",
    ],
    inputs: [
      "actions",
      "autoMitigate",
      "criteria",
      "description",
      "enabled",
      "evaluationFrequency",
      "location",
      "resourceGroupName",
      "ruleName",
      "scopes",
      "severity",
      "tags",
      "targetResourceRegion",
      "targetResourceType",
      "windowSize",
    ],
    outputs: [
      "actions",
      "autoMitigate",
      "azureApiVersion",
      "criteria",
      "description",
      "enabled",
      "evaluationFrequency",
      "isMigrated",
      "lastUpdatedTime",
      "location",
      "name",
      "scopes",
      "severity",
      "tags",
      "targetResourceRegion",
      "targetResourceType",
      "type",
      "windowSize",
    ],
    forceNew: ["location"],
    topLevel: ["location", "tags"],
    pascal: false,
    renames: { "odata.type": "odataType" },
  },
  "azure-native:monitor:ActivityLogAlert": {
    apiVersion: "2020-10-01",
    segment: "activityLogAlerts",
    nameParam: "activityLogAlertName",
    required: ["actions", "condition", "resourceGroupName", "scopes", "activityLogAlertName", "location"],
    inputs: ["actions", "activityLogAlertName", "condition", "description", "enabled", "location", "resourceGroupName", "scopes", "tags"],
    outputs: ["actions", "azureApiVersion", "condition", "description", "enabled", "location", "name", "scopes", "tags", "type"],
    forceNew: ["location"],
    topLevel: ["location", "tags"],
    pascal: false,
    renames: {},
  },
  "azure-native:monitor:ActionGroup": {
    apiVersion: "2024-10-01-preview",
    segment: "actionGroups",
    nameParam: "actionGroupName",
    required: ["enabled", "groupShortName", "resourceGroupName", "actionGroupName", "location"],
    inputs: [
      "actionGroupName",
      "armRoleReceivers",
      "automationRunbookReceivers",
      "azureAppPushReceivers",
      "azureFunctionReceivers",
      "emailReceivers",
      "enabled",
      "eventHubReceivers",
      "groupShortName",
      "identity",
      "incidentReceivers",
      "itsmReceivers",
      "location",
      "logicAppReceivers",
      "resourceGroupName",
      "smsReceivers",
      "tags",
      "voiceReceivers",
      "webhookReceivers",
    ],
    outputs: [
      "armRoleReceivers",
      "automationRunbookReceivers",
      "azureApiVersion",
      "azureAppPushReceivers",
      "azureFunctionReceivers",
      "emailReceivers",
      "enabled",
      "eventHubReceivers",
      "groupShortName",
      "identity",
      "incidentReceivers",
      "itsmReceivers",
      "location",
      "logicAppReceivers",
      "name",
      "smsReceivers",
      "systemData",
      "tags",
      "type",
      "voiceReceivers",
      "webhookReceivers",
    ],
    forceNew: ["location"],
    topLevel: ["location", "tags", "identity"],
    pascal: false,
    renames: {},
  },
  "azure-native:applicationinsights:WebTest": {
    apiVersion: "2022-06-15",
    segment: "webtests",
    nameParam: "webTestName",
    required: ["locations", "resourceGroupName", "syntheticMonitorId", "webTestKind", "webTestName", "location"],
    inputs: [
      "configuration",
      "description",
      "enabled",
      "frequency",
      "kind",
      "location",
      "locations",
      "request",
      "resourceGroupName",
      "retryEnabled",
      "syntheticMonitorId",
      "tags",
      "timeout",
      "validationRules",
      "webTestKind",
      "webTestName",
    ],
    outputs: [
      "azureApiVersion",
      "configuration",
      "description",
      "enabled",
      "frequency",
      "kind",
      "location",
      "locations",
      "name",
      "provisioningState",
      "request",
      "retryEnabled",
      "syntheticMonitorId",
      "tags",
      "timeout",
      "type",
      "validationRules",
      "webTestKind",
      "webTestName",
    ],
    forceNew: ["location"],
    topLevel: ["location", "tags", "kind"],
    pascal: true,
    // ARM name -> SDK name (x-ms-client-name); any other PascalCase ARM name is camel-cased.
    nameInBody: true,
    renames: { Name: "webTestName", Kind: "webTestKind", Id: "location", key: "headerFieldName", value: "headerFieldValue" },
  },
  // Microsoft.AlertsManagement/actionRules, "Uses Azure REST API version 2021-08-08" (alertsmanagement/
  // alertProcessingRuleByName.d.ts). Spec: alertsmanagement/resource-manager/Microsoft.AlertsManagement/stable/
  // 2021-08-08/AlertProcessingRules.json (Azure/azure-rest-api-specs, read at 0107d15e): AlertProcessingRule is
  // ManagedResource (location required, x-ms-mutability [create, read]; tags) plus `properties`
  // (AlertProcessingRuleProperties, NOT x-ms-client-flatten, so the SDK takes it as one object) and read-only
  // systemData. The SDK itself defaults properties.enabled to true (alertProcessingRulePropertiesArgsProvideDefaults).
  "azure-native:alertsmanagement:AlertProcessingRuleByName": {
    apiVersion: "2021-08-08",
    namespace: "Microsoft.AlertsManagement",
    segment: "actionRules",
    nameParam: "alertProcessingRuleName",
    required: ["resourceGroupName", "alertProcessingRuleName", "location"],
    inputs: ["alertProcessingRuleName", "location", "properties", "resourceGroupName", "tags"],
    outputs: ["azureApiVersion", "location", "name", "properties", "systemData", "tags", "type"],
    forceNew: ["location"],
    topLevel: ["location", "tags", "properties"],
    nestedProperties: true,
    pascal: false,
    renames: {},
  },
};

/** Free-form string maps: their keys are data, never renamed. */
const opaqueKeys = new Set(["tags", "webHookProperties", "webhookProperties", "mappings", "userAssignedIdentities"]);

module.exports = { types, opaqueKeys };
