// alerts-route-to-preparedness, judged with the whole pack on mutations of nordlys's golden stack
// (test/support/goldenStacks.ts).
import { describe, expect, it } from "vitest";
import {
  alertsRouteToPreparedness,
  pagerdutyHandles,
  parseActionGroupId,
  unconditionalText,
} from "../../policies/alertsRouteToPreparedness.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { alertingResourceTypes, alertingTypes } from "../../src/facts/alertingResources.js";
import type { PolicyReport } from "../../src/offline/policyResults.js";
import {
  type AnalyzedResource,
  changed,
  changedAll,
  extra as extraBeside,
  find,
  golden,
  judge,
  T,
  violationsOf,
} from "../support/goldenStacks.js";

const POLICY = "alerts-route-to-preparedness";
const stack = golden();
const check = async (view: AnalyzedResource[]) => violationsOf(await judge(view), POLICY);
const undecided = (report: PolicyReport) => report.results.find((r) => r.policy === POLICY)!.undecided.map((u) => u.message);
const duringPreview = (reason: string) => new RegExp(`^can't run policy '${POLICY}' during preview: ${reason}$`);
const monitor = find(stack, T.datadogMonitor);
const withMonitorMessage = (message: string) =>
  changed(
    stack,
    T.datadogMonitor,
    (p) => {
      p.message = message;
    },
    monitor.name,
  );
const metricAlert = find(stack, T.azureMetricAlert);
const activityLogAlert = find(stack, T.azureActivityLogAlert);
const stackGroupId = (metricAlert.outputs.actions as { actionGroupId: string }[])[0]!.actionGroupId;
const foreignGroupId =
  "/subscriptions/3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c/resourceGroups/rg-other/providers/Microsoft.Insights/actionGroups/pico-nordlys-backend";
const pagerdutyHandle = (monitor.props.message as string).match(/@pagerduty-[\w.-]+/)![0];
/** A resource of another kind beside the components' ones, named `extra`. */
const extra = (type: string, props: Record<string, unknown>) => extraBeside(stack, type, "extra", props);
const messagesFor = async (r: AnalyzedResource) => (await check([...stack, r])).filter((v) => v.urn === r.urn).map((v) => v.message);

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

  it.each(["nordlys", "havblik", "baltic-freight"])("passes the stack the components create for %s", async (customer) => {
    for (const phase of ["first-preview", "update"] as const) {
      const report = await judge(golden(customer, phase), { customer, phase });
      const result = report.results.find((r) => r.policy === POLICY)!;
      expect(result.violations, phase).toEqual([]);
      // Before the first `up` an action group's ARM name is not known (azure-native's outputs; test/recordings/).
      if (phase === "update") expect(result.undecided).toEqual([]);
      else for (const u of result.undecided) expect(u.message).toMatch(/the name of action group '[^']+' can't be known during preview/);
    }
  });

  it("matches action groups case-insensitively, and by name alone when a group's outputs lack its resource group", async () => {
    const loud = changed(
      stack,
      T.azureMetricAlert,
      (p) => {
        p.actions = [{ actionGroupId: stackGroupId.toUpperCase() }];
      },
      metricAlert.name,
    );
    expect(await check(loud)).toEqual([]);
    // As azure-native may return them on an update: the ARM `name`, no `actionGroupName` or resource group.
    const asOutputs = stack.map((r) => {
      if (r.type !== T.azureActionGroup) return r;
      const { actionGroupName: _name, resourceGroupName: _, id: _id, ...rest } = r.outputs;
      return { ...r, outputs: { ...rest, name: r.props.actionGroupName } };
    });
    expect(await check(asOutputs)).toEqual([]);
  });

  it("knows a link's service name from the PagerDuty service while the link's own is not known", async () => {
    const unknownName = changedAll(stack, T.datadogPagerdutyServiceObject, (p) => {
      p.serviceName = UNKNOWN_SENTINEL;
    });
    const report = await judge(unknownName);
    expect(violationsOf(report, POLICY)).toEqual([]);
    expect(undecided(report)).toEqual([]);
  });

  describe("every alerting resource type, not only the ones the components create", () => {
    it("checks each type of src/facts/alertingResources.ts: a bare one pages nobody", async () => {
      for (const type of alertingResourceTypes) {
        const messages = await messagesFor(extra(type, {}));
        expect(messages, type).toHaveLength(1);
        expect(messages[0], type).toMatch(/ pages no PagerDuty service: | notifies no action group, so nobody is paged$/);
      }
    });

    it("a scheduled query rule pages through the action group ids in its actions", async () => {
      const routed = extra(alertingTypes.azureScheduledQueryRule, { actions: { actionGroups: [stackGroupId] } });
      expect(await messagesFor(routed)).toEqual([]);
      const pinned = { ...routed, type: "azure-native:insights/v20231201:ScheduledQueryRule" };
      expect(await messagesFor(pinned)).toEqual([]);
      const elsewhere = extra(alertingTypes.azureScheduledQueryRule, { actions: { actionGroups: [foreignGroupId] } });
      expect(await messagesFor(elsewhere)).toEqual([
        "'extra' (azure-native:monitor:ScheduledQueryRule) notifies action group 'pico-nordlys-backend' in resource group 'rg-other', which this stack does not create",
      ]);
    });

    it("a classic-provider metric alert pages through its actions' action group ids", async () => {
      const type = alertingTypes.classicMetricAlert;
      expect(await messagesFor(extra(type, { actions: [{ actionGroupId: stackGroupId }] }))).toEqual([]);
      expect(await messagesFor(extra(type, { actions: [] }))).toEqual([`'extra' (${type}) notifies no action group, so nobody is paged`]);
      expect(await messagesFor(extra(type, { actions: [{ actionGroupId: foreignGroupId }] }))).toEqual([
        `'extra' (${type}) notifies action group 'pico-nordlys-backend' in resource group 'rg-other', which this stack does not create`,
      ]);
    });

    it("Datadog kinds page through @pagerduty handles in their message, or in their definition's JSON", async () => {
      expect(await messagesFor(extra(alertingTypes.datadogSyntheticsTest, { message: `Down. ${pagerdutyHandle}` }))).toEqual([]);
      const json = (definition: unknown) => extra(alertingTypes.datadogMonitorJson, { monitor: JSON.stringify(definition) });
      expect(await messagesFor(json({ type: "query alert", message: `Broken. ${pagerdutyHandle}` }))).toEqual([]);
      expect(await messagesFor(json({ type: "query alert", message: "{{#is_alert}}@pagerduty-elsewhere{{/is_alert}}" }))).toEqual([
        `'extra' (${alertingTypes.datadogMonitorJson}) pages PagerDuty only inside {{#is_…}} blocks, so recoveries would not resolve the incident; put the handle outside them`,
        `'extra' (${alertingTypes.datadogMonitorJson}) pages @pagerduty-elsewhere, but no datadog.pagerduty.ServiceObject in this stack links a PagerDuty service of that name`,
      ]);
      const rule = extra(alertingTypes.datadogSecurityMonitoringRule, {
        message: "Signal.",
        cases: [{ status: "high", notifications: [pagerdutyHandle] }],
      });
      expect(await messagesFor(rule)).toEqual([]);
    });

    it("can't tell where an alert pages when its routing props are not shaped as its provider defines them", async () => {
      const odd = [
        extra(alertingTypes.azureScheduledQueryRule, { actions: [stackGroupId] }),
        extra(alertingTypes.classicScheduledQueryRulesAlertV2, { action: { actionGroups: stackGroupId } }),
        extra(alertingTypes.datadogMonitorJson, { monitor: "{not json" }),
        extra(alertingTypes.datadogSyntheticsTest, { message: { text: pagerdutyHandle } }),
      ];
      const found: string[][] = [];
      for (const r of odd) found.push(await messagesFor(r));
      expect(found).toEqual([
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

    it("gives up during preview when an action group id of any kind is not known", async () => {
      const pending = extra(alertingTypes.classicSmartDetectorAlertRule, { actionGroup: { ids: [UNKNOWN_SENTINEL] } });
      const report = await judge([...stack, pending]);
      expect(undecided(report)).toEqual([
        expect.stringMatching(duringPreview("the action groups of 'extra' \\(.*\\) can't be known during preview")),
      ]);
      expect(violationsOf(report, POLICY)).toEqual([]);
    });
  });

  describe("violations", () => {
    it("a monitor without a @pagerduty handle", async () => {
      expect(await check(withMonitorMessage("Something broke.\n@slack-ops"))).toEqual([
        {
          urn: monitor.urn,
          message: `monitor '${monitor.name}' pages no PagerDuty service: its message has no @pagerduty-<service> handle`,
        },
      ]);
    });

    it("a monitor that pages only inside {{#is_alert}}", async () => {
      expect(await check(withMonitorMessage("{{#is_alert}}Broken. @pagerduty-pico-nordlys-frontend{{/is_alert}}"))).toEqual([
        {
          urn: monitor.urn,
          message: `monitor '${monitor.name}' pages PagerDuty only inside {{#is_…}} blocks, so recoveries would not resolve the incident; put the handle outside them`,
        },
      ]);
    });

    it("a monitor that pages a service this stack does not link into Datadog", async () => {
      expect(await check(withMonitorMessage("Broken.\n@pagerduty-pico-havblik-backend"))).toEqual([
        {
          urn: monitor.urn,
          message: `monitor '${monitor.name}' pages @pagerduty-pico-havblik-backend, but no datadog.pagerduty.ServiceObject in this stack links a PagerDuty service of that name`,
        },
      ]);
      // A handle with no link is a violation even beside a good one, and inside a block.
      const both = withMonitorMessage("{{#is_alert}}@pagerduty-elsewhere{{/is_alert}}\n@pagerduty-pico-nordlys-frontend");
      expect((await check(both)).map((v) => v.message)).toEqual([
        `monitor '${monitor.name}' pages @pagerduty-elsewhere, but no datadog.pagerduty.ServiceObject in this stack links a PagerDuty service of that name`,
      ]);
    });

    it("an Azure alert without an action group", async () => {
      const silent = changed(
        stack,
        T.azureMetricAlert,
        (p) => {
          p.actions = [];
        },
        metricAlert.name,
      );
      expect(await check(silent)).toEqual([
        { urn: metricAlert.urn, message: `metric alert '${metricAlert.name}' notifies no action group, so nobody is paged` },
      ]);
      const silentHealth = changed(stack, T.azureActivityLogAlert, (p) => {
        delete p.actions;
      });
      expect((await check(silentHealth)).map((v) => v.message)).toEqual([
        `activity log alert '${activityLogAlert.name}' notifies no action group, so nobody is paged`,
      ]);
    });

    it("an Azure alert notifying something that is not an action group id", async () => {
      const odd = changed(
        stack,
        T.azureMetricAlert,
        (p) => {
          p.actions = [{ actionGroupId: "https://hooks.example/x" }];
        },
        metricAlert.name,
      );
      expect((await check(odd)).map((v) => v.message)).toEqual([
        `metric alert '${metricAlert.name}' notifies something that is not an Azure Monitor action group id`,
      ]);
    });

    it("an Azure alert notifying an action group this stack does not create", async () => {
      const elsewhere = changed(stack, T.azureActivityLogAlert, (p) => {
        p.actions = { actionGroups: [{ actionGroupId: foreignGroupId }] };
      });
      expect(await check(elsewhere)).toEqual([
        {
          urn: activityLogAlert.urn,
          message: `activity log alert '${activityLogAlert.name}' notifies action group 'pico-nordlys-backend' in resource group 'rg-other', which this stack does not create`,
        },
      ]);
    });

    it("gives up during preview, instead of guessing, when a name it needs is not known", async () => {
      const cases: [AnalyzedResource[], string][] = [
        [withMonitorMessage(UNKNOWN_SENTINEL), "the message of monitor '.*' can't be known during preview"],
        [
          changedAll(stack, T.datadogPagerdutyServiceObject, (p, r) => {
            p.serviceName = UNKNOWN_SENTINEL;
            r.propertyDependencies = {};
          }),
          "the service name of Datadog PagerDuty service object '.*' can't be known during preview",
        ],
        [
          changedAll(stack, T.azureActionGroup, (p) => {
            p.actionGroupName = UNKNOWN_SENTINEL;
          }),
          "the name of action group '.*' can't be known during preview",
        ],
        [
          changed(
            stack,
            T.azureMetricAlert,
            (p) => {
              p.actions = [{ actionGroupId: UNKNOWN_SENTINEL }];
            },
            metricAlert.name,
          ),
          "the action groups of metric alert '.*' can't be known during preview",
        ],
      ];
      for (const [view, reason] of cases) {
        const report = await judge(view);
        expect(undecided(report), reason).toEqual([expect.stringMatching(duringPreview(reason))]);
        expect(violationsOf(report, POLICY), reason).toEqual([]);
      }
    });
  });
});
