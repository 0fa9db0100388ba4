import { describe, expect, it } from "vitest";
import {
  alertsRouteToPreparedness,
  pagerdutyHandles,
  parseActionGroupId,
  unconditionalText,
} from "../../policies/alertsRouteToPreparedness.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { alertingResourceTypes, alertingTypes } from "../../src/facts/alertingResources.js";
import { customerStack, first, replace, resourceTypes as T, urnOf, validateStack, type TestResource } from "../support/policyHarness.js";

const stack = customerStack("nordlys");
const check = (resources: TestResource[]) => validateStack(alertsRouteToPreparedness, resources);
const withMonitorMessage = (message: string) => {
  const m = first(stack, T.monitor);
  m.props!.message = message;
  return { stack: replace(stack, m), monitor: m };
};
const metricAlert = first(stack, T.metricAlert);
const activityLogAlert = first(stack, T.activityLogAlert);
const stackGroupId = (metricAlert.props!.actions as { actionGroupId: string }[])[0]!.actionGroupId;
const foreignGroupId =
  "/subscriptions/3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c/resourceGroups/rg-other/providers/Microsoft.Insights/actionGroups/pico-nordlys-backend";
const pagerdutyHandle = (first(stack, T.monitor).props!.message as string).match(/@pagerduty-[\w.-]+/)![0];
const extra = (type: string, props: Record<string, unknown>): TestResource => ({ type, name: "extra", props });
const messagesFor = (r: TestResource) =>
  check([...stack, r])
    .violations.filter((v) => v.urn === urnOf(r))
    .map((v) => v.message);

describe("message parsing", () => {
  it("drops {{#is_…}} and {{^is_…}} blocks, nested or with arguments; an unclosed block runs to the end", () => {
    expect(unconditionalText("a {{#is_alert}}@x{{/is_alert}} b")).toBe("a   b");
    expect(unconditionalText('{{#is_match "env" "prod"}}@x{{/is_match}}c')).toBe(" c");
    expect(unconditionalText("{{^is_recovery}}@x{{/is_recovery}}")).toBe(" ");
    expect(unconditionalText("{{#is_alert}}{{#is_warning}}w{{/is_warning}}@x{{/is_alert}}d")).toBe(" d");
    expect(unconditionalText("ok {{#is_alert}}@x")).toBe("ok ");
  });

  it("finds @pagerduty handles", () => {
    expect(pagerdutyHandles("@pagerduty-pico-a-backend. and @pagerduty-other_svc @slack-x")).toEqual(["pico-a-backend", "other_svc"]);
  });

  it("reads action group ids case-insensitively", () => {
    expect(parseActionGroupId("/SUBSCRIPTIONS/s/resourcegroups/RG/providers/microsoft.insights/ACTIONGROUPS/g")).toEqual({
      resourceGroup: "RG",
      name: "g",
    });
    expect(parseActionGroupId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/g")).toBeUndefined();
  });
});

describe("alerts-route-to-preparedness", () => {
  it("is a mandatory stack policy with a remediation hint", () => {
    expect(alertsRouteToPreparedness).toMatchObject({
      name: "alerts-route-to-preparedness",
      enforcementLevel: "mandatory",
      severity: "high",
    });
    expect(alertsRouteToPreparedness.remediationSteps).toBeTruthy();
  });

  it.each(["nordlys", "havblik", "baltic-freight"])("passes the stack the components create for %s", (customer) => {
    expect(check(customerStack(customer))).toEqual({ violations: [] });
  });

  it("matches action groups case-insensitively, and by name alone when a group's outputs lack its resource group", () => {
    const loud = {
      ...metricAlert,
      props: {
        ...metricAlert.props,
        actions: [{ actionGroupId: (metricAlert.props!.actions as { actionGroupId: string }[])[0]!.actionGroupId.toUpperCase() }],
      },
    };
    expect(check(replace(stack, loud))).toEqual({ violations: [] });
    const asOutputs = stack.map((r) => {
      if (r.type !== T.actionGroup) return r;
      const { actionGroupName, resourceGroupName: _, ...rest } = r.props as Record<string, unknown>;
      return { ...r, props: { ...rest, name: actionGroupName } };
    });
    expect(check(asOutputs)).toEqual({ violations: [] });
  });

  it("knows a link's service name from the PagerDuty service while the link's own is not known", () => {
    const unknownName = stack.map((r) => (r.type === T.serviceObject ? { ...r, props: { ...r.props, serviceName: UNKNOWN_SENTINEL } } : r));
    expect(check(unknownName)).toEqual({ violations: [] });
  });

  describe("every alerting resource type, not only the ones the components create", () => {
    it("checks each type of src/facts/alertingResources.ts: a bare one pages nobody", () => {
      for (const type of alertingResourceTypes) {
        const r = extra(type, {});
        const messages = messagesFor(r);
        expect(messages, type).toHaveLength(1);
        expect(messages[0], type).toMatch(/ pages no PagerDuty service: | notifies no action group, so nobody is paged$/);
      }
    });

    it("a scheduled query rule pages through the action group ids in its actions", () => {
      const routed = extra(alertingTypes.azureScheduledQueryRule, { actions: { actionGroups: [stackGroupId] } });
      expect(messagesFor(routed)).toEqual([]);
      const pinned = { ...routed, type: "azure-native:insights/v20231201:ScheduledQueryRule" };
      expect(messagesFor(pinned)).toEqual([]);
      const elsewhere = extra(alertingTypes.azureScheduledQueryRule, { actions: { actionGroups: [foreignGroupId] } });
      expect(messagesFor(elsewhere)).toEqual([
        "'extra' (azure-native:monitor:ScheduledQueryRule) notifies action group 'pico-nordlys-backend' in resource group 'rg-other', which this stack does not create",
      ]);
    });

    it("a classic-provider metric alert pages through its actions' action group ids", () => {
      const type = alertingTypes.classicMetricAlert;
      expect(messagesFor(extra(type, { actions: [{ actionGroupId: stackGroupId }] }))).toEqual([]);
      expect(messagesFor(extra(type, { actions: [] }))).toEqual([`'extra' (${type}) notifies no action group, so nobody is paged`]);
      expect(messagesFor(extra(type, { actions: [{ actionGroupId: foreignGroupId }] }))).toEqual([
        `'extra' (${type}) notifies action group 'pico-nordlys-backend' in resource group 'rg-other', which this stack does not create`,
      ]);
    });

    it("Datadog kinds page through @pagerduty handles in their message, or in their definition's JSON", () => {
      expect(messagesFor(extra(alertingTypes.datadogSyntheticsTest, { message: `Down. ${pagerdutyHandle}` }))).toEqual([]);
      const json = (definition: unknown) => extra(alertingTypes.datadogMonitorJson, { monitor: JSON.stringify(definition) });
      expect(messagesFor(json({ type: "query alert", message: `Broken. ${pagerdutyHandle}` }))).toEqual([]);
      expect(messagesFor(json({ type: "query alert", message: "{{#is_alert}}@pagerduty-elsewhere{{/is_alert}}" }))).toEqual([
        `'extra' (${alertingTypes.datadogMonitorJson}) pages PagerDuty only inside {{#is_…}} blocks, so recoveries would not resolve the incident; put the handle outside them`,
        `'extra' (${alertingTypes.datadogMonitorJson}) pages @pagerduty-elsewhere, but no datadog.pagerduty.ServiceObject in this stack links a PagerDuty service of that name`,
      ]);
      const rule = extra(alertingTypes.datadogSecurityMonitoringRule, {
        message: "Signal.",
        cases: [{ status: "high", notifications: [pagerdutyHandle] }],
      });
      expect(messagesFor(rule)).toEqual([]);
    });

    it("can't tell where an alert pages when its routing props are not shaped as its provider defines them", () => {
      const odd = [
        extra(alertingTypes.azureScheduledQueryRule, { actions: [stackGroupId] }),
        extra(alertingTypes.classicScheduledQueryRulesAlertV2, { action: { actionGroups: stackGroupId } }),
        extra(alertingTypes.datadogMonitorJson, { monitor: "{not json" }),
        extra(alertingTypes.datadogSyntheticsTest, { message: { text: pagerdutyHandle } }),
      ];
      expect(odd.map((r) => messagesFor(r))).toEqual([
        [
          "can't tell where 'extra' (azure-native:monitor:ScheduledQueryRule) pages: its 'actions' is not shaped the way its provider defines it",
        ],
        [
          "can't tell where 'extra' (azure:monitoring/scheduledQueryRulesAlertV2:ScheduledQueryRulesAlertV2) pages: its 'action.actionGroups' is not shaped the way its provider defines it",
        ],
        [
          "can't tell where 'extra' (datadog:index/monitorJson:MonitorJson) pages: its 'monitor' is not shaped the way its provider defines it",
        ],
        [
          "can't tell where 'extra' (datadog:index/syntheticsTest:SyntheticsTest) pages: its 'message' is not shaped the way its provider defines it",
        ],
      ]);
    });

    it("gives up during preview when an action group id of any kind is not known", () => {
      const pending = extra(alertingTypes.classicSmartDetectorAlertRule, { actionGroup: { ids: [UNKNOWN_SENTINEL] } });
      expect(check([...stack, pending]).undecided).toMatch(/^the action groups of 'extra' \(.*\) can't be known during preview$/);
    });
  });

  describe("violations", () => {
    it("a monitor without a @pagerduty handle", () => {
      const { stack: s, monitor } = withMonitorMessage("Something broke.\n@slack-ops");
      expect(check(s).violations).toEqual([
        {
          urn: urnOf(monitor),
          message: `monitor '${monitor.name}' pages no PagerDuty service: its message has no @pagerduty-<service> handle`,
        },
      ]);
    });

    it("a monitor that pages only inside {{#is_alert}}", () => {
      const { stack: s, monitor } = withMonitorMessage("{{#is_alert}}Broken. @pagerduty-pico-nordlys-frontend{{/is_alert}}");
      expect(check(s).violations).toEqual([
        {
          urn: urnOf(monitor),
          message: `monitor '${monitor.name}' pages PagerDuty only inside {{#is_…}} blocks, so recoveries would not resolve the incident; put the handle outside them`,
        },
      ]);
    });

    it("a monitor that pages a service this stack does not link into Datadog", () => {
      const { stack: s, monitor } = withMonitorMessage("Broken.\n@pagerduty-pico-havblik-backend");
      expect(check(s).violations).toEqual([
        {
          urn: urnOf(monitor),
          message: `monitor '${monitor.name}' pages @pagerduty-pico-havblik-backend, but no datadog.pagerduty.ServiceObject in this stack links a PagerDuty service of that name`,
        },
      ]);
      // A handle with no link is a violation even beside a good one, and inside a block.
      const both = withMonitorMessage("{{#is_alert}}@pagerduty-elsewhere{{/is_alert}}\n@pagerduty-pico-nordlys-frontend");
      expect(check(both.stack).violations.map((v) => v.message)).toEqual([
        `monitor '${monitor.name}' pages @pagerduty-elsewhere, but no datadog.pagerduty.ServiceObject in this stack links a PagerDuty service of that name`,
      ]);
    });

    it("an Azure alert without an action group", () => {
      const silent = { ...metricAlert, props: { ...metricAlert.props, actions: [] } };
      expect(check(replace(stack, silent)).violations).toEqual([
        { urn: urnOf(silent), message: `metric alert '${silent.name}' notifies no action group, so nobody is paged` },
      ]);
      const { actions: _, ...noActions } = activityLogAlert.props as Record<string, unknown>;
      const silentHealth = { ...activityLogAlert, props: noActions };
      expect(check(replace(stack, silentHealth)).violations.map((v) => v.message)).toEqual([
        `activity log alert '${silentHealth.name}' notifies no action group, so nobody is paged`,
      ]);
    });

    it("an Azure alert notifying something that is not an action group id", () => {
      const odd = { ...metricAlert, props: { ...metricAlert.props, actions: [{ actionGroupId: "https://hooks.example/x" }] } };
      expect(check(replace(stack, odd)).violations.map((v) => v.message)).toEqual([
        `metric alert '${odd.name}' notifies something that is not an Azure Monitor action group id`,
      ]);
    });

    it("an Azure alert notifying an action group this stack does not create", () => {
      const id =
        "/subscriptions/3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c/resourceGroups/rg-other/providers/Microsoft.Insights/actionGroups/pico-nordlys-backend";
      const elsewhere = { ...activityLogAlert, props: { ...activityLogAlert.props, actions: { actionGroups: [{ actionGroupId: id }] } } };
      expect(check(replace(stack, elsewhere)).violations).toEqual([
        {
          urn: urnOf(elsewhere),
          message: `activity log alert '${elsewhere.name}' notifies action group 'pico-nordlys-backend' in resource group 'rg-other', which this stack does not create`,
        },
      ]);
    });

    it("gives up during preview, instead of guessing, when a name it needs is not known", () => {
      const { stack: s } = withMonitorMessage(UNKNOWN_SENTINEL);
      expect(check(s).undecided).toMatch(/^the message of monitor '.*' can't be known during preview$/);

      const pending = stack.map((r) =>
        r.type === T.serviceObject ? { ...r, props: { ...r.props, serviceName: UNKNOWN_SENTINEL }, propertyDependencies: {} } : r,
      );
      expect(check(pending).undecided).toMatch(/^the service name of Datadog PagerDuty service object '.*' can't be known during preview$/);

      const unknownGroup = stack.map((r) =>
        r.type === T.actionGroup ? { ...r, props: { ...r.props, actionGroupName: UNKNOWN_SENTINEL } } : r,
      );
      expect(check(unknownGroup).undecided).toMatch(/^the name of action group '.*' can't be known during preview$/);

      const unknownId = { ...metricAlert, props: { ...metricAlert.props, actions: [{ actionGroupId: UNKNOWN_SENTINEL }] } };
      expect(check(replace(stack, unknownId)).undecided).toMatch(/^the action groups of metric alert '.*' can't be known during preview$/);
    });
  });
});
