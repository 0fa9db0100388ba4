// Hostile stacks: each one mutation of an example customer's compliant stack, as the CLI would hand
// it to the pack (src/offline/cliView.ts), in the six classes of side doors of issue 11. Each names the
// mandatory policy that must reject it and the message it must give. Used by the per-policy tests
// (test/policies/*.cli.test.ts) and the side-door suite (test/policies/closedWorld.sideDoors.test.ts).
import { stackResourceTypes as T } from "../../src/facts/alertingResources.js";
import type { AnalyzedResource } from "../../src/offline/cliView.js";
import { changed, clone, find, type HostileCase, withProviders } from "./closedWorld.js";
import { copyOf, golden } from "./goldenStacks.js";

const KINDS = "only-known-resource-kinds";
const MATCH = "stack-matches-customer-file";
const INPUTS = "resource-matches-plan";
const RELEASED = "released-catalog-versions";
const UNKNOWNS = "unknowns-only-where-planned";
const SILENCES = "silences-match-approved-windows";
const KEYS = "no-plaintext-secrets";
const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's unknown sentinel
const HEX32 = "3c9f1e7a5b2d4c6e8f0a1b2c3d4e5f60";
const HEX40 = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";

/** A provider resource at the stack's root, as the CLI registers one. */
function provider(view: AnalyzedResource[], pkg: string, name: string, props: Record<string, unknown>): AnalyzedResource[] {
  const root = find(view, T.customerMonitoring);
  const urn = root.urn.replace(/::[^:]+::[^:]+$/, `::pulumi:providers:${pkg}::${name}`);
  return [...view, { ...clone(root), type: `pulumi:providers:${pkg}`, name, urn, custom: true, props, outputs: props, parent: undefined }];
}

/** A monitor's message with `text` appended (outside any conditional block). */
const inMessage = (text: string) => (v: AnalyzedResource[]) =>
  changed(
    v,
    T.datadogMonitor,
    (p) => {
      p.message = `${p.message}\n${text}`;
    },
    /sql-cpu/,
  );

const pasted = (path: string) => new RegExp(`: field '${re(path)}' holds what looks like a literal API or integration key$`);

const re = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** A resource of another type, beside the ones the components register, under the same parent. */
function foreign(view: AnalyzedResource[], type: string, props: Record<string, unknown> = {}): AnalyzedResource[] {
  const r = find(view, T.datadogMonitor);
  const urn = r.urn.replace(/\$?[^$:]+::[^:]+$/, `$${type}::side-door`);
  return [
    ...view,
    {
      ...clone(r),
      type,
      name: "side-door",
      urn,
      props,
      outputs: props,
      secretPaths: [],
      outputSecretPaths: [],
      propertyDependencies: {},
      dependencies: [],
    },
  ];
}

const without = (view: AnalyzedResource[], type: string, name?: RegExp) => {
  const r = find(view, type, name);
  return view.filter((x) => x !== r);
};

/** The URN of another resource of the view, for re-pointing a reference. */
const urnOf = (view: AnalyzedResource[], type: string, name: RegExp) => find(view, type, name).urn;

const kinds: [string, string][] = [
  ["a Datadog downtime", "datadog:index/downtime:Downtime"],
  ["a PagerDuty maintenance window", "pagerduty:index/maintenanceWindow:MaintenanceWindow"],
  ["a PagerDuty event orchestration", "pagerduty:index/eventOrchestration:EventOrchestration"],
  ["a PagerDuty event rule", "pagerduty:index/eventRule:EventRule"],
  ["a PagerDuty service event rule", "pagerduty:index/serviceEventRule:ServiceEventRule"],
  ["a Datadog synthetics test", "datadog:index/syntheticsTest:SyntheticsTest"],
  ["a scheduled query rule", "azure-native:monitor:ScheduledQueryRule"],
  ["a dynamic provider resource", "pulumi-nodejs:dynamic:Resource"],
  ["a command", "command:local:Command"],
  ["a metric alert under the insights alias", "azure-native:insights:MetricAlert"],
  ["an API-versioned metric alert", "azure-native:monitor/v20180301:MetricAlert"],
  ["a classic-provider action group", "azure:monitoring/actionGroup:ActionGroup"],
];

/** A downtime as a maintenance window renders one (src/plan/maintenance.ts), for `customer`'s `target`, from `start` for `hours`. */
const downtime = (customer: string, target: string, start: string, hours: number) => ({
  scope: "*",
  monitorIdentifier: { monitorTags: [`customer:${customer}`, "package:extended", `target:${target}`] },
  oneTimeSchedule: { start, end: new Date(Date.parse(start) + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z") },
  displayTimezone: "Europe/Copenhagen",
  message: "Approved maintenance x (CHG-1), approved by someone@example.com: patching",
  muteFirstRecoveryNotification: false,
  notifyEndStates: ["alert", "no data", "warn"],
  notifyEndTypes: ["canceled", "expired"],
});

/** Silences on nordlys, which declares no maintenance window: the pack allows none (the policy's own suite covers declared windows). */
const silences: HostileCase[] = [
  {
    name: "a Datadog downtime schedule with no window",
    door: "kinds",
    policy: SILENCES,
    message: "no-window",
    expect:
      /^'side-door' \(datadog:index\/downtimeSchedule:DowntimeSchedule\): no approved maintenance window of stacks\/nordlys renders it/,
    mutate: (view) => foreign(view, T.datadogDowntimeSchedule, downtime("nordlys", "portal-app", "2027-01-12T19:00:00Z", 2)),
  },
  {
    name: "an alert processing rule with no window",
    door: "kinds",
    policy: SILENCES,
    message: "no-window",
    expect: /^'side-door' \(azure-native:alertsmanagement:AlertProcessingRuleByName\): no approved maintenance window/,
    mutate: (view) =>
      foreign(view, T.azureAlertProcessingRule, {
        properties: {
          scopes: ["/subscriptions/x"],
          schedule: { effectiveFrom: "2027-01-12T19:00:00", effectiveUntil: "2027-01-12T20:00:00", timeZone: "UTC" },
        },
        tags: { "pico-customer": "nordlys" },
      }),
  },
  {
    name: "a Datadog v1 downtime",
    door: "kinds",
    policy: SILENCES,
    message: "never-rendered",
    expect: /^'side-door' \(datadog:index\/downtime:Downtime\): no approved maintenance window renders this kind of silence$/,
    mutate: (view) => foreign(view, "datadog:index/downtime:Downtime", { scope: ["*"] }),
  },
  {
    name: "a downtime on another customer's monitors",
    door: "binding",
    policy: SILENCES,
    message: "other-customer",
    expect:
      /^'side-door' \(datadog:index\/downtimeSchedule:DowntimeSchedule\): it silences customer 'havblik', not this stack's customer 'nordlys'$/,
    mutate: (view) => foreign(view, T.datadogDowntimeSchedule, downtime("havblik", "web-app", "2027-01-12T19:00:00Z", 1)),
  },
  {
    name: "a downtime longer than the fleet's maximum",
    door: "kinds",
    policy: SILENCES,
    message: "too-long",
    expect: /^'side-door' \(datadog:index\/downtimeSchedule:DowntimeSchedule\): it silences for 6h, longer than the fleet's maximum of 4h$/,
    mutate: (view) => foreign(view, T.datadogDowntimeSchedule, downtime("nordlys", "portal-app", "2027-01-12T19:00:00Z", 6)),
  },
  {
    name: "a downtime without an end",
    door: "kinds",
    policy: SILENCES,
    message: "too-long",
    expect: /^'side-door' \(datadog:index\/downtimeSchedule:DowntimeSchedule\): it has no fixed end, and a silence lasts at most 4h$/,
    mutate: (view) =>
      foreign(view, T.datadogDowntimeSchedule, {
        ...downtime("nordlys", "portal-app", "2027-01-12T19:00:00Z", 1),
        oneTimeSchedule: { start: "2027-01-12T19:00:00Z" },
      }),
  },
  {
    name: "a downtime in a stack the pack can't name",
    door: "kinds",
    policy: SILENCES,
    message: "no-stack",
    stackName: "",
    expect: /^'side-door' \(datadog:index\/downtimeSchedule:DowntimeSchedule\): the pack was not told which stack it judges/,
    mutate: (view) => foreign(view, T.datadogDowntimeSchedule, downtime("nordlys", "portal-app", "2027-01-12T19:00:00Z", 1)),
  },
];

export const hostileStacks: HostileCase[] = [
  // 1. Kinds the program never creates, and silences no window approved.
  ...silences,
  ...kinds.map(
    ([name, type]): HostileCase => ({
      name,
      door: "kinds",
      policy: KINDS,
      message: "unknown-kind",
      expect: new RegExp(`^'side-door' is a ${re(type)}, which the pico-monitoring components never create$`),
      mutate: (view) => foreign(view, type, { message: "silence" }),
    }),
  ),

  // 2. Bound to another customer, or to something the file doesn't declare.
  {
    name: "a monitor re-bound to another app",
    door: "binding",
    policy: MATCH,
    message: "differs",
    expect: /^monitor 'nordlys-app-service-5xx-portal-app': 'query' differs from the plan \(stacks\/nordlys\.yaml\)$/,
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.query = p.query.replace("app-nordlys-portal", "app-havblik-web");
        },
        /5xx/,
      ),
  },
  {
    name: "a metric alert scoped to another subscription",
    door: "binding",
    policy: MATCH,
    message: "differs",
    expect: /^metric alert 'nordlys-endpoint-availability-shop': 'scopes\[0\]' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.azureMetricAlert,
        (p) => {
          p.scopes[0] = p.scopes[0].replace(/subscriptions\/[^/]+/, "subscriptions/00000000-0000-0000-0000-000000000000");
        },
        /shop/,
      ),
  },
  {
    name: "a resource health alert watching another resource group",
    door: "binding",
    policy: MATCH,
    message: "differs",
    expect: /^activity log alert 'nordlys-resource-health-pim': 'scopes\[0\]' differs from the plan/,
    mutate: (v) =>
      changed(v, T.azureActivityLogAlert, (p) => {
        p.scopes[0] = p.scopes[0].replace(/resourceGroups\/[^/]+/, "resourceGroups/rg-havblik-prod");
      }),
  },
  {
    name: "a web test probing another endpoint",
    door: "binding",
    policy: MATCH,
    message: "differs",
    expect: /^web test 'nordlys-endpoint-availability-shop-webtest': 'request\.requestUrl' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.azureWebTest,
        (p) => {
          p.request.requestUrl = "https://shop.havblik.no/";
        },
        /shop/,
      ),
  },
  {
    name: "a web test linked to another Application Insights",
    door: "binding",
    policy: MATCH,
    message: "differs",
    expect: /^web test 'nordlys-endpoint-availability-shop-webtest': 'tags\./,
    mutate: (v) =>
      changed(
        v,
        T.azureWebTest,
        (p) => {
          const [k] = Object.keys(p.tags).filter((x) => x.startsWith("hidden-link:"));
          p.tags[k!.replace("appi-nordlys-prod", "appi-other")] = "Resource";
          delete p.tags[k!];
        },
        /shop/,
      ),
  },
  {
    name: "the Azure provider pointed at another subscription",
    door: "binding",
    policy: MATCH,
    message: "differs",
    expect: /^'nordlys-azure' \(pulumi:providers:azure-native\): 'subscriptionId' differs from the plan/,
    mutate: (v) =>
      changed(v, T.azureNativeProvider, (p) => {
        p.subscriptionId = "00000000-0000-0000-0000-000000000000";
      }),
  },
  {
    name: "a monitor whose provenance names another customer",
    door: "binding",
    policy: MATCH,
    message: "provenance",
    expect: /^monitor 'nordlys-sql-cpu-pim-db': its provenance names customer 'havblik', not this stack's customer 'nordlys'$/,
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.tags = p.tags.map((t: string) => (t === "customer:nordlys" ? "customer:havblik" : t));
        },
        /sql-cpu/,
      ),
  },
  {
    name: "an action group tagged for another customer",
    door: "binding",
    policy: MATCH,
    message: "provenance",
    expect: /^action group 'pico-nordlys-pim': its provenance names customer 'havblik'/,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.tags["pico-customer"] = "havblik";
        },
        /pim/,
      ),
  },
  {
    name: "another customer's stack judged under this customer's name",
    door: "binding",
    policy: MATCH,
    message: "missing",
    customer: "havblik",
    stackName: "nordlys",
    expect: /^monitor 'nordlys-app-service-5xx-portal-app' is missing: stacks\/nordlys\.yaml renders it$/,
    mutate: (v) => v,
  },
  {
    name: "a stack no customer file names",
    door: "binding",
    policy: MATCH,
    message: "no-customer-file",
    stackName: "nordlys-shadow",
    expect: /^stack 'nordlys-shadow' has no customer file stacks\/nordlys-shadow\.yaml/,
    mutate: (v) => v,
  },
  {
    name: "the fleet settings file as a stack",
    door: "binding",
    policy: MATCH,
    message: "no-customer-file",
    stackName: "_fleet",
    expect: /^stack '_fleet' has no customer file/,
    mutate: (v) => v,
  },
  {
    name: "a pack told no stack at all",
    door: "binding",
    policy: MATCH,
    message: "no-stack",
    stackName: "",
    expect: /^the pack was not told which stack it judges/,
    mutate: (v) => v,
  },
  {
    name: "an extra standard monitor the file doesn't choose",
    door: "binding",
    policy: MATCH,
    message: "extra",
    expect: /^monitor 'nordlys-app-service-5xx-portal-app-2' is not something stacks\/nordlys\.yaml renders$/,
    mutate: (v) => {
      const m = clone(find(v, T.datadogMonitor, /5xx/));
      return [...v, { ...m, name: `${m.name}-2`, urn: `${m.urn}-2` }];
    },
  },
  {
    name: "a monitor registered twice",
    door: "binding",
    policy: MATCH,
    message: "twice",
    expect: /^monitor 'nordlys-sql-cpu-pim-db' is registered twice under the same parent$/,
    mutate: (v) => {
      const m = clone(find(v, T.datadogMonitor, /sql-cpu/));
      return [...v, { ...m, urn: `${m.urn.replace("nordlys::", "nordlys-copy::")}` }];
    },
  },

  // 4. Routing resources.
  {
    name: "a PagerDuty service on another role's escalation policy",
    door: "routing",
    policy: MATCH,
    message: "reference",
    expect:
      /^'pico-nordlys-backend' \(pagerduty:index\/service:Service\): 'escalationPolicy' is computed from 'pico-nordlys-pim-escalation', but stacks\/nordlys\.yaml computes it from 'pico-nordlys-backend-escalation'$/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyService,
        (_p, r) => {
          r.propertyDependencies = { escalationPolicy: [urnOf(v, T.pagerdutyEscalationPolicy, /pim/)] };
        },
        /^pico-nordlys-backend$/,
      ),
  },
  {
    name: "a PagerDuty service at low urgency",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /^'pico-nordlys-frontend' \(pagerduty:index\/service:Service\): 'incidentUrgencyRule\.urgency' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyService,
        (p) => {
          p.incidentUrgencyRule.urgency = "low";
        },
        /frontend$/,
      ),
  },
  {
    name: "a PagerDuty service with support hours",
    door: "routing",
    policy: INPUTS,
    message: "not-planned",
    expect: /^'pico-nordlys-pim' \(pagerduty:index\/service:Service\): input 'supportHours' is not planned/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyService,
        (p) => {
          p.supportHours = {
            type: "fixed_time_per_day",
            timeZone: "Europe/Copenhagen",
            startTime: "09:00:00",
            endTime: "10:00:00",
            daysOfWeeks: [1],
          };
        },
        /pim$/,
      ),
  },
  {
    name: "an escalation policy that loops less",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /^'pico-nordlys-backend-escalation' \(pagerduty:index\/escalationPolicy:EscalationPolicy\): 'numLoops' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyEscalationPolicy,
        (p) => {
          p.numLoops = 0;
        },
        /backend/,
      ),
  },
  {
    name: "an escalation policy that waits longer",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /'rules\[0\]\.escalationDelayInMinutes' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyEscalationPolicy,
        (p) => {
          p.rules[0].escalationDelayInMinutes = 240;
        },
        /frontend/,
      ),
  },
  {
    name: "an escalation policy without its standing-support rule",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /'rules\[1\]' is missing/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyEscalationPolicy,
        (p) => {
          p.rules = p.rules.slice(0, 1);
        },
        /pim/,
      ),
  },
  {
    name: "an escalation policy targeting a user directly",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /'rules\[0\]\.targets\[1\]' is not planned/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyEscalationPolicy,
        (p) => {
          p.rules[0].targets.push({ id: "PXXXXXX", type: "user_reference" });
        },
        /backend/,
      ),
  },
  {
    name: "an escalation policy on another schedule of the stack",
    door: "routing",
    policy: MATCH,
    message: "reference",
    expect:
      /^'pico-nordlys-pim-escalation' \(pagerduty:index\/escalationPolicy:EscalationPolicy\): 'rules' is computed from 'pico-nordlys-backend-schedule'/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyEscalationPolicy,
        (_p, r) => {
          r.propertyDependencies = { rules: [urnOf(v, T.pagerdutySchedule, /backend/)] };
        },
        /pim/,
      ),
  },
  {
    name: "a schedule with somebody outside the roster",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /^'pico-nordlys-backend-schedule' \(pagerduty:index\/schedule:Schedule\): 'layers\[0\]\.users\[1\]' is not planned/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutySchedule,
        (p) => {
          p.layers[0].users.push("PMALLORY");
        },
        /backend/,
      ),
  },
  {
    name: "a schedule whose window moved",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /'layers\[0\]\.start' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutySchedule,
        (p) => {
          p.layers[0].start = p.layers[0].start.replace("T08:00", "T12:00");
        },
        /frontend/,
      ),
  },
  {
    name: "a schedule with an extra window",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /'layers\[\d+\]' is not planned/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutySchedule,
        (p) => {
          p.layers.push({ ...p.layers[0], name: "extra" });
        },
        /pim/,
      ),
  },
  {
    name: "a schedule whose first two layers swapped people",
    door: "routing",
    policy: MATCH,
    message: "placeholder",
    expect:
      /^'pico-nordlys-backend-schedule' \(pagerduty:index\/schedule:Schedule\): 'layers\[\d+\]\.users\[0\]' is not the id getUser returns for [^ ]+@pico\.dk /,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutySchedule,
        (p) => {
          const i = p.layers.findIndex((l: any) => l.users[0] !== p.layers[0].users[0]);
          [p.layers[0].users, p.layers[i].users] = [p.layers[i].users, p.layers[0].users];
        },
        /backend/,
      ),
  },
  {
    name: "a service integration of another vendor",
    door: "routing",
    policy: MATCH,
    message: "placeholder",
    expect: /^PagerDuty service integration 'pico-nordlys-\w+-datadog': 'vendor' is not the id getVendor returns for Datadog /,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyServiceIntegration,
        (p) => {
          p.vendor = "VOTHER1";
        },
        /backend-datadog/,
      ),
  },
  {
    name: "a service integration on another role's service",
    door: "routing",
    policy: MATCH,
    message: "reference",
    expect: /^PagerDuty service integration 'pico-nordlys-frontend-azure': 'service' is computed from 'pico-nordlys-backend'/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyServiceIntegration,
        (_p, r) => {
          r.propertyDependencies = { service: [urnOf(v, T.pagerdutyService, /^pico-nordlys-backend$/)] };
        },
        /frontend-azure/,
      ),
  },
  {
    name: "a Datadog service object keyed by the Azure integration",
    door: "routing",
    policy: MATCH,
    message: "reference",
    expect:
      /^Datadog PagerDuty service object 'pico-nordlys-backend-datadog-link': 'serviceKey' is computed from 'pico-nordlys-backend-azure'/,
    mutate: (v) =>
      changed(
        v,
        T.datadogPagerdutyServiceObject,
        (_p, r) => {
          r.propertyDependencies = { serviceKey: [urnOf(v, T.pagerdutyServiceIntegration, /backend-azure/)] };
        },
        /backend/,
      ),
  },
  {
    name: "a Datadog service object holding another service's key (update)",
    door: "routing",
    policy: MATCH,
    message: "placeholder",
    phase: "update",
    expect:
      /^Datadog PagerDuty service object 'pico-nordlys-frontend-datadog-link': 'serviceKey' is not the integrationKey of 'pico-nordlys-frontend-datadog' /,
    mutate: (v) => {
      const key = find(v, T.pagerdutyServiceIntegration, /pim-datadog/).outputs.integrationKey;
      return changed(
        v,
        T.datadogPagerdutyServiceObject,
        (p) => {
          p.serviceKey = key;
        },
        /frontend/,
      );
    },
  },
  {
    name: "a Datadog service object under another name",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /'serviceName' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.datadogPagerdutyServiceObject,
        (p) => {
          p.serviceName = "pico-havblik-pim";
        },
        /pim/,
      ),
  },
  {
    name: "a disabled action group",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /^action group 'pico-nordlys-backend': 'enabled' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.enabled = false;
        },
        /backend/,
      ),
  },
  {
    name: "an action group with a second webhook",
    door: "routing",
    policy: MATCH,
    message: "differs",
    expect: /^action group 'pico-nordlys-frontend': 'webhookReceivers\[1\]' is not planned/,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.webhookReceivers.push({ ...p.webhookReceivers[0], name: "copy" });
        },
        /frontend/,
      ),
  },
  {
    name: "an action group that also e-mails",
    door: "routing",
    policy: INPUTS,
    message: "not-planned",
    expect: /^action group 'pico-nordlys-pim': input 'emailReceivers' is not planned/,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.emailReceivers = [{ name: "x", emailAddress: "x@example.com" }];
        },
        /pim/,
      ),
  },
  // Outputs hold every output the SDK declares (src/cliView.ts rule 5), so the stack comparison
  // tolerates these keys; only the inputs show that the program set them.
  {
    name: "a monitor restricted to other roles (update)",
    door: "binding",
    policy: INPUTS,
    message: "not-planned",
    phase: "update",
    expect: /^monitor 'nordlys-[^']*5xx[^']*': input 'restrictedRoles' is not planned/,
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.restrictedRoles = ["00000000-0000-0000-0000-00000000beef"];
        },
        /5xx/,
      ),
  },
  {
    name: "an escalation policy owned by an extra team",
    door: "routing",
    policy: INPUTS,
    message: "not-planned",
    expect: /^'pico-nordlys-backend[^']*' \(pagerduty:index\/escalationPolicy:EscalationPolicy\): input 'teams' is not planned/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyEscalationPolicy,
        (p) => {
          p.teams = "PTEAM01";
        },
        /backend/,
      ),
  },
  {
    name: "a monitor without its message",
    door: "routing",
    policy: INPUTS,
    message: "missing",
    expect: /^monitor 'nordlys-[^']*sql-cpu[^']*': input 'message' is missing/,
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          delete p.message;
        },
        /sql-cpu/,
      ),
  },
  {
    name: "a disabled action group, by its inputs",
    door: "routing",
    policy: INPUTS,
    message: "differs",
    expect: /^action group 'pico-nordlys-backend': input 'enabled' differs from the plan/,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.enabled = false;
        },
        /backend/,
      ),
  },
  {
    name: "a monitor whose outputs hold a key no SDK declares (update)",
    door: "binding",
    policy: MATCH,
    message: "extra-output",
    phase: "update",
    expect: /^monitor 'nordlys-[^']*sql-cpu[^']*': 'forwardTo' is not planned/,
    mutate: (v) => {
      const copy = changed(v, T.datadogMonitor, () => undefined, /sql-cpu/);
      find(copy, T.datadogMonitor, /sql-cpu/).outputs.forwardTo = "https://collector.example.com/";
      return copy;
    },
  },
  {
    name: "an action group paging the Datadog integration's key (update)",
    door: "routing",
    policy: MATCH,
    message: "placeholder",
    phase: "update",
    expect:
      /^action group 'pico-nordlys-backend': 'webhookReceivers\[0\]\.serviceUri' is not the integrationKey of 'pico-nordlys-backend-azure' /,
    mutate: (v) => {
      const key = find(v, T.pagerdutyServiceIntegration, /backend-datadog/).outputs.integrationKey as string;
      return changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.webhookReceivers[0].serviceUri = `https://events.pagerduty.com/integration/${key}/enqueue`;
        },
        /backend/,
      );
    },
  },
  {
    name: "an action group paging another events host (update)",
    door: "routing",
    policy: MATCH,
    message: "placeholder",
    phase: "update",
    expect: /^action group 'pico-nordlys-pim': 'webhookReceivers\[0\]\.serviceUri' is not the integrationKey of 'pico-nordlys-pim-azure' /,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.webhookReceivers[0].serviceUri = p.webhookReceivers[0].serviceUri.replace("events.pagerduty.com", "events.eu.pagerduty.com");
        },
        /pim/,
      ),
  },
  {
    name: "an action group's webhook not computed from any integration",
    door: "routing",
    policy: MATCH,
    message: "reference",
    expect: /^action group 'pico-nordlys-frontend': 'webhookReceivers' is computed from nothing/,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (_p, r) => {
          r.propertyDependencies = {};
        },
        /frontend/,
      ),
  },
  {
    name: "a stack without one action group",
    door: "routing",
    policy: MATCH,
    message: "missing",
    expect: /^action group 'pico-nordlys-pim' is missing: stacks\/nordlys\.yaml renders it$/,
    mutate: (v) => without(v, T.azureActionGroup, /pim/),
  },
  {
    name: "a stack without one schedule",
    door: "routing",
    policy: MATCH,
    message: "missing",
    expect: /^'pico-nordlys-frontend-schedule' \(pagerduty:index\/schedule:Schedule\) is missing/,
    mutate: (v) => without(v, T.pagerdutySchedule, /frontend/),
  },

  // 5. Unknowns.
  {
    name: "a monitor query unknown in preview",
    door: "unknowns",
    policy: MATCH,
    message: "unknown-where-known",
    expect: /^monitor 'nordlys-sql-cpu-pim-db': 'query' is unknown, but the plan knows it in a first-preview/,
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.query = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        },
        /sql-cpu/,
      ),
  },
  {
    name: "a schedule's people unknown in preview",
    door: "unknowns",
    policy: MATCH,
    message: "unknown-where-known",
    expect: /'layers\[0\]\.users' is unknown, but the plan knows it/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutySchedule,
        (p) => {
          p.layers[0].users = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        },
        /backend/,
      ),
  },
  {
    name: "an action group's receivers unknown on an update",
    door: "unknowns",
    policy: MATCH,
    message: "unknown-where-known",
    phase: "update",
    expect: /^action group 'pico-nordlys-backend': 'webhookReceivers' is unknown, but the plan knows it in a update/,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.webhookReceivers = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        },
        /backend/,
      ),
  },
  {
    name: "an unknown service object name (the other routes are still judged)",
    door: "unknowns",
    policy: MATCH,
    message: "unknown-where-known",
    expect: /^Datadog PagerDuty service object 'pico-nordlys-pim-datadog-link': 'serviceName' is unknown/,
    mutate: (v) =>
      changed(
        v,
        T.datadogPagerdutyServiceObject,
        (p) => {
          p.serviceName = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        },
        /pim/,
      ),
  },
  {
    name: "a service object key pasted in a first preview",
    door: "unknowns",
    policy: MATCH,
    message: "known-where-unknown",
    expect:
      /^Datadog PagerDuty service object 'pico-nordlys-backend-datadog-link': 'serviceKey' is known, but in a first-preview of the plan it is not known yet/,
    mutate: (v) =>
      changed(
        v,
        T.datadogPagerdutyServiceObject,
        (p) => {
          p.serviceKey = "0123456789abcdef0123456789abcdef";
        },
        /backend/,
      ),
  },

  {
    name: "an alert whose catalogue version was never released",
    door: "versions",
    policy: RELEASED,
    message: "unreleased",
    expect:
      /^'nordlys-sql-cpu-pim-db' is rendered from catalogue entry sql-cpu v99, which catalog\/versions\.lock\.json doesn't record as released$/,
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.tags = p.tags.map((t: string) => (t.startsWith("catalog-version:") ? "catalog-version:99" : t));
        },
        /sql-cpu/,
      ),
  },
  {
    name: "an Azure alert whose catalogue version was never released",
    door: "versions",
    policy: RELEASED,
    message: "unreleased",
    expect: /^'nordlys-endpoint-availability-shop' is rendered from catalogue entry endpoint-availability v7, which/,
    mutate: (v) =>
      changed(
        v,
        T.azureMetricAlert,
        (p) => {
          p.tags["pico-catalog-version"] = "7";
        },
        /shop/,
      ),
  },
  {
    name: "a resource health alert at version 0",
    door: "versions",
    policy: RELEASED,
    message: "unreleased",
    expect: /^'nordlys-resource-health-pim' is rendered from catalogue entry resource-health v0, which/,
    mutate: (v) =>
      changed(v, T.azureActivityLogAlert, (p) => {
        p.tags["pico-catalog-version"] = "0";
      }),
  },
  {
    name: "an unreleased version in an update",
    door: "versions",
    policy: RELEASED,
    message: "unreleased",
    phase: "update",
    customer: "havblik",
    expect: /^'havblik-redis-server-load-web-cache' is rendered from catalogue entry redis-server-load v2, which/,
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.tags = p.tags.map((t: string) => (t.startsWith("catalog-version:") ? "catalog-version:2" : t));
        },
        /redis/,
      ),
  },

  // 5. Unknowns (the resource-level policy, for a published pack too).
  ...(
    [
      [
        "a monitor query",
        T.datadogMonitor,
        /sql-cpu/,
        (p: any) => {
          p.query = U;
        },
        "query",
      ],
      [
        "a monitor's tags",
        T.datadogMonitor,
        /5xx/,
        (p: any) => {
          p.tags = U;
        },
        "tags",
      ],
      [
        "a metric alert's scope",
        T.azureMetricAlert,
        /shop/,
        (p: any) => {
          p.scopes = [U];
        },
        "scopes[*]",
      ],
      [
        "an action group's name",
        T.azureActionGroup,
        /backend/,
        (p: any) => {
          p.actionGroupName = U;
        },
        "actionGroupName",
      ],
      [
        "an action group's receiver list",
        T.azureActionGroup,
        /pim/,
        (p: any) => {
          p.webhookReceivers = U;
        },
        "webhookReceivers",
      ],
      [
        "a schedule's people",
        T.pagerdutySchedule,
        /backend/,
        (p: any) => {
          p.layers[0].users = [U];
        },
        "layers[*].users[*]",
      ],
      [
        "a web test's URL",
        T.azureWebTest,
        /shop/,
        (p: any) => {
          p.request.requestUrl = U;
        },
        "request.requestUrl",
      ],
      [
        "the Azure provider's subscription",
        T.azureNativeProvider,
        /azure/,
        (p: any) => {
          p.subscriptionId = U;
        },
        "subscriptionId",
      ],
      [
        "a service object's name",
        T.datadogPagerdutyServiceObject,
        /pim/,
        (p: any) => {
          p.serviceName = U;
        },
        "serviceName",
      ],
      [
        "a service's urgency",
        T.pagerdutyService,
        /frontend$/,
        (p: any) => {
          p.incidentUrgencyRule = U;
        },
        "incidentUrgencyRule",
      ],
    ] as const
  ).map(
    ([what, type, name, change, path]): HostileCase => ({
      name: `${what} unknown in preview`,
      door: "unknowns",
      policy: UNKNOWNS,
      message: "unplanned-unknown",
      expect: new RegExp(`^'[^']+' \\(${re(type)}\\): '${re(path)}' is unknown in preview, where a compliant stack always knows it$`),
      mutate: (v) => changed(v, type, change, name),
    }),
  ),

  // 6. Keys.
  {
    name: "a service object key not from an integration",
    door: "keys",
    policy: KEYS,
    message: "service-key-source",
    expect:
      /^Datadog PagerDuty service object 'pico-nordlys-backend-datadog-link': serviceKey does not come from a pagerduty\.ServiceIntegration's integrationKey/,
    mutate: (v) =>
      changed(
        v,
        T.datadogPagerdutyServiceObject,
        (p, r) => {
          p.serviceKey = HEX32;
          r.propertyDependencies = {};
        },
        /backend/,
      ),
  },
  {
    name: "an action group webhook not from an integration (update)",
    door: "keys",
    policy: KEYS,
    message: "webhook-source",
    phase: "update",
    expect:
      /^action group 'pico-nordlys-frontend': its PagerDuty webhook URL does not come from a pagerduty\.ServiceIntegration's integration key/,
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (_p, r) => {
          r.propertyDependencies = {};
        },
        /frontend/,
      ),
  },
  {
    name: "an integration whose key is stored in plain text",
    door: "keys",
    policy: KEYS,
    message: "integration-key-output",
    expect: /^PagerDuty service integration 'pico-nordlys-pim-azure': integrationKey is not in additionalSecretOutputs/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyServiceIntegration,
        (_p, r) => {
          r.additionalSecretOutputs = [];
        },
        /pim-azure/,
      ),
  },
  {
    name: "a key in an EU events URL",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("message"),
    mutate: inMessage(`https://events.eu.pagerduty.com/integration/${HEX32}/enqueue`),
  },
  {
    name: "a non-hex key in an events URL with a port",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("message"),
    mutate: inMessage("http://events.pagerduty.com:443/x-ere/R0ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"),
  },
  {
    name: "a key in a scheme-less generic events URL",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("message"),
    mutate: inMessage("events.pagerduty.com/generic/R0ZYXWVUTSRQ"),
  },
  {
    name: "a routing key parameter",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("message"),
    mutate: inMessage("https://events.pagerduty.com/v2/enqueue?routing_key=R0ABCDEFGHIJKLMN"),
  },
  {
    name: "a Datadog api_key in a site URL",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("message"),
    mutate: inMessage("https://api.us5.datadoghq.com/api/v1/series?api_key=ddkeyABCDEFGHIJ"),
  },
  {
    name: "a Datadog dd-api-key in a path",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("message"),
    mutate: inMessage("https://http-intake.logs.datadoghq.eu/v1/input/dd-api-key=ddkeyABCDEFGHIJ"),
  },
  {
    name: "a key glued to other text",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("name"),
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.name = `${p.name} ref${HEX32}x`;
        },
        /sql-cpu/,
      ),
  },
  {
    name: "a key concatenated from two halves",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("description"),
    mutate: (v) =>
      changed(
        v,
        T.azureWebTest,
        (p) => {
          p.description = `${p.description} ${HEX32.slice(0, 16)}${HEX32.slice(16).toUpperCase()}`;
        },
        /shop/,
      ),
  },
  {
    name: "an application key as a Datadog tag",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("tags[9]"),
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.tags.splice(9, 0, `k:${HEX40}`);
        },
        /sql-cpu/,
      ),
  },
  {
    name: "a key as an Azure tag name",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted(`tags.${HEX32}`),
    mutate: (v) =>
      changed(
        v,
        T.azureActionGroup,
        (p) => {
          p.tags[HEX32] = "x";
        },
        /pim/,
      ),
  },
  {
    name: "a key in a schedule's description",
    door: "keys",
    policy: KEYS,
    message: "pasted-key",
    expect: pasted("description"),
    mutate: (v) =>
      changed(
        v,
        T.pagerdutySchedule,
        (p) => {
          p.description = `${p.description} ${HEX32}`;
        },
        /frontend/,
      ),
  },
  {
    name: "an explicit Datadog provider with a pasted API key, named like a default one",
    door: "keys",
    policy: KEYS,
    message: "credential",
    expect: /^provider 'default_5_11_0' \(datadog\): apiKey is not a value of the stack's configuration/,
    mutate: (v) => provider(v, "datadog", "default_5_11_0", { apiKey: HEX32, appKey: HEX40 }),
  },
  {
    // A credential because the Datadog SDK's Provider class marks it secret (src/facts/providerCredentials.generated.json).
    name: "an explicit Datadog provider with another organisation's bearer token",
    door: "keys",
    policy: KEYS,
    message: "credential",
    expect: /^provider 'dd' \(datadog\): bearerToken is not a value of the stack's configuration/,
    mutate: (v) => provider(v, "datadog", "dd", { bearerToken: "ddbt_OTHER_ORG_TOKEN" }),
  },
  {
    name: "the Azure provider with a pasted client secret",
    door: "keys",
    policy: KEYS,
    message: "credential",
    expect: /^provider 'nordlys-azure' \(azure-native\): clientSecret is not a value of the stack's configuration/,
    mutate: (v) =>
      changed(v, T.azureNativeProvider, (p) => {
        p.clientSecret = "pasted~client.secret";
      }),
  },
  {
    name: "a Datadog provider sending to another site",
    door: "keys",
    policy: KEYS,
    message: "destination",
    config: { "datadog:apiUrl": "https://api.datadoghq.eu/" },
    expect: /^provider 'dd-us' \(datadog\): apiUrl is not the stack configuration's datadog:apiUrl/,
    mutate: (v) => provider(v, "datadog", "dd-us", { apiUrl: "https://api.datadoghq.com/" }),
  },
  {
    name: "a default Datadog provider sending to a site the configuration doesn't name",
    door: "keys",
    policy: KEYS,
    message: "destination",
    expect: /^provider 'default_5_11_0' \(datadog\): apiUrl is not the stack configuration's datadog:apiUrl/,
    mutate: (v) => provider(v, "datadog", "default_5_11_0", { apiUrl: "https://api.ap1.datadoghq.com/" }),
  },
  {
    name: "a PagerDuty provider in another region",
    door: "keys",
    policy: KEYS,
    message: "destination",
    expect: /^provider 'default_3_4_0' \(pagerduty\): serviceRegion is not the stack configuration's pagerduty:serviceRegion/,
    mutate: (v) => provider(v, "pagerduty", "default_3_4_0", { serviceRegion: "eu" }),
  },
  // Decided in Analyze, before the resource exists (`pulumi up --skip-preview` runs no AnalyzeStack first).
  {
    name: "an eleventh standard alert",
    door: "binding",
    policy: INPUTS,
    message: "unplanned-resource",
    customer: "havblik",
    expect: /^monitor 'havblik-eleventh' is not something stacks\/havblik\.yaml renders$/,
    mutate: (v) => [...v, copyOf(find(v, T.datadogMonitor), "havblik-eleventh")],
  },
  {
    name: "a fourth role's PagerDuty service",
    door: "routing",
    policy: INPUTS,
    message: "unplanned-resource",
    expect: /^'pico-nordlys-ops' \(pagerduty:index\/service:Service\) is not something stacks\/nordlys\.yaml renders$/,
    mutate: (v) => [...v, copyOf(find(v, T.pagerdutyService, /pim/), "pico-nordlys-ops")],
  },
  {
    name: "another customer's monitor in this stack",
    door: "binding",
    policy: INPUTS,
    message: "unplanned-resource",
    expect: /^monitor 'havblik-[^']*' is not something stacks\/nordlys\.yaml renders$/,
    mutate: (v) => [...v, find(golden("havblik", "first-preview"), T.datadogMonitor)],
  },
  {
    name: "an escalation policy with no standing support",
    door: "routing",
    policy: INPUTS,
    message: "missing",
    expect: /^'pico-nordlys-backend-escalation' \(pagerduty:index\/escalationPolicy:EscalationPolicy\): input 'rules\[1\]' is missing/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyEscalationPolicy,
        (p) => {
          p.rules.splice(1, 1);
        },
        /backend/,
      ),
  },
  {
    name: "a stack no customer file names, per resource",
    door: "binding",
    policy: INPUTS,
    message: "no-customer-file",
    phase: "update",
    stackName: "acme",
    expect: /: stack 'acme' has no customer file stacks\/acme\.yaml or \.yml/,
    mutate: (v) => v,
  },
  {
    name: "a pack told no stack at all, per resource",
    door: "binding",
    policy: INPUTS,
    message: "no-stack",
    stackName: "",
    expect: /: the pack was not told which stack it judges/,
    mutate: (v) => v,
  },
  {
    name: "a monitor whose provenance names another customer, per resource",
    door: "binding",
    policy: INPUTS,
    message: "provenance",
    expect: /^monitor 'nordlys-[^']*sql-cpu[^']*': its provenance names customer 'havblik', not this stack's customer 'nordlys'$/,
    mutate: (v) =>
      changed(
        v,
        T.datadogMonitor,
        (p) => {
          p.tags = p.tags.map((t: string) => (t === "customer:nordlys" ? "customer:havblik" : t));
        },
        /sql-cpu/,
      ),
  },
  {
    name: "Azure alerts moved to a default provider for another subscription",
    door: "binding",
    policy: INPUTS,
    message: "provider",
    expect:
      /^metric alert 'nordlys-[^']*': its provider 'default_5_11_0' \(pulumi:providers:azure-native\) is not the provider 'nordlys-azure' stacks\/nordlys\.yaml gives it$/,
    mutate: async (v) =>
      (await withProviders(v, "nordlys", "first-preview")).map((r) =>
        r.type === T.azureMetricAlert
          ? {
              ...r,
              provider: {
                type: "pulumi:providers:azure-native",
                name: "default_5_11_0",
                urn: r.urn.replace(/::[^:]+::[^:]+$/, "::pulumi:providers:azure-native::default_5_11_0"),
                props: { subscriptionId: "00000000-0000-0000-0000-0000000000ff" },
              },
            }
          : r,
      ),
  },
  {
    name: "monitors on a default Datadog provider with the configured keys and another organisation's bearer token",
    door: "keys",
    policy: INPUTS,
    message: "provider",
    config: { "datadog:apiKey": HEX32, "datadog:appKey": HEX40 },
    expect:
      /^monitor 'nordlys-[^']*': its provider 'default_5_11_0' \(pulumi:providers:datadog\): credential 'bearerToken' is not in the stack configuration \(datadog:bearerToken\)$/,
    mutate: async (v) =>
      (await withProviders(v, "nordlys", "first-preview", { "datadog:apiKey": HEX32, "datadog:appKey": HEX40 })).map((r) =>
        r.type === T.datadogMonitor && r.provider
          ? { ...r, provider: { ...r.provider, props: { ...r.provider.props, bearerToken: "ddbt_OTHER" } } }
          : r,
      ),
  },
  {
    name: "a default Datadog provider sending to a site the configuration doesn't name, per resource",
    door: "keys",
    policy: INPUTS,
    message: "default-provider",
    expect:
      /^default provider 'default_5_11_0' \(pulumi:providers:datadog\): setting 'apiUrl' is not in the stack configuration \(datadog:apiUrl\)$/,
    mutate: (v) => provider(v, "datadog", "default_5_11_0", { apiUrl: "https://api.ap1.datadoghq.com/" }),
  },
  {
    name: "an as-of two years back, on each schedule",
    door: "routing",
    policy: INPUTS,
    message: "as-of",
    phase: "update",
    config: { "pico-monitoring:asOf": "2025-01-10T12:00:00Z" },
    expect:
      /^'pico-nordlys-[a-z]+-schedule' \(pagerduty:index\/schedule:Schedule\): stack configuration pico-monitoring:asOf is 730 days before now, further than the schedules' horizon of 365 days/,
    mutate: (v) => v,
  },
  {
    name: "an as-of five years ahead",
    door: "routing",
    policy: MATCH,
    message: "as-of",
    phase: "update",
    config: { "pico-monitoring:asOf": "2032-01-10T12:00:00Z" },
    expect: /^stack configuration pico-monitoring:asOf is 1826 days after now, further than the schedules' horizon of 365 days/,
    mutate: (v) => v,
  },
  {
    name: "a service integration whose key is not kept secret, per resource",
    door: "keys",
    policy: INPUTS,
    message: "secret-output",
    expect:
      /^PagerDuty service integration 'pico-nordlys-pim-datadog': 'integrationKey' is not in additionalSecretOutputs as stacks\/nordlys\.yaml registers it$/,
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyServiceIntegration,
        (_, r) => {
          r.additionalSecretOutputs = [];
        },
        "pico-nordlys-pim-datadog",
      ),
  },
];
