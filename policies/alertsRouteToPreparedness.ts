// alerts-route-to-preparedness: Pico is the first point of contact when an alert fires, so every alert
// must reach the preparedness roster this same stack creates. A handle or action group that points
// elsewhere pages nobody, or somebody outside the promise.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  alertingTypes as t,
  isAlertingResourceType,
  normalizeResourceType,
  type AlertingResourceType,
} from "../src/facts/alertingResources.js";
import { armKind, describe, types } from "./resourceKinds.js";
import { elements, isPlainObject, peek, undecided, UNKNOWN, type Peeked } from "./resourceProps.js";

/** Removes `{{#is_…}}…{{/is_…}}` and `{{^is_…}}…{{/is_…}}` blocks; an unclosed block runs to the end. */
export function unconditionalText(message: string): string {
  const block = /\{\{\s*[#^]\s*(is_\w+)\b[^}]*\}\}[\s\S]*?\{\{\s*\/\s*\1\s*\}\}/;
  let text = message;
  for (let before = ""; before !== text; ) {
    before = text;
    text = text.replace(block, " ");
  }
  const unclosed = /\{\{\s*[#^]\s*is_\w+/.exec(text);
  return unclosed ? text.slice(0, unclosed.index) : text;
}

/** PagerDuty service names a Datadog message pages, `@pagerduty-<service>`, in order of appearance. */
export function pagerdutyHandles(text: string): string[] {
  return [...text.matchAll(/@pagerduty-([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!.replace(/[.-]+$/, ""));
}

/** Resource group and name of an Azure Monitor action group id, or undefined when it is not one. */
export function parseActionGroupId(id: string): { resourceGroup: string; name: string } | undefined {
  const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Insights\/actionGroups\/([^/]+)$/i.exec(id);
  return m ? { resourceGroup: m[1]!, name: m[2]! } : undefined;
}

type Pending = { resource: PolicyResource; path: (string | number)[] };

/** Names Datadog knows as PagerDuty services in this stack, and the links whose name isn't known yet. */
function linkedServices(resources: PolicyResource[]) {
  const names = new Set<string>();
  const pending: Pending[] = [];
  for (const r of resources) {
    if (r.type !== types.serviceObject) continue;
    let name = peek(r.props, "serviceName");
    if (name === UNKNOWN) {
      // In preview the link's name may still be an output; the PagerDuty service it came from knows it.
      const source = (r.propertyDependencies["serviceName"] ?? []).find((d) => d.type === types.pagerdutyService);
      if (source) name = peek(source.props, "name");
    }
    if (name === UNKNOWN) pending.push({ resource: r, path: ["serviceName"] });
    else if (typeof name === "string") names.add(name);
  }
  return { names, pending };
}

/** Action groups this stack creates, as lower-case `rg/name`, or `*\/name` when the group's props lack its RG. */
function stackActionGroups(resources: PolicyResource[]) {
  const keys = new Set<string>();
  const pending: Pending[] = [];
  for (const r of resources) {
    if (armKind(r.type) !== types.actionGroup) continue;
    // Inputs carry `actionGroupName`; outputs after an update carry the ARM name as `name`.
    const nameKey = peek(r.props, "actionGroupName") !== undefined ? "actionGroupName" : "name";
    const name = peek(r.props, nameKey);
    // Outputs after an update carry the ARM id, not `resourceGroupName`: its resource group is in the id.
    const id = peek(r.props, "id");
    const fromId = typeof id === "string" ? parseActionGroupId(id) : undefined;
    const rg = peek(r.props, "resourceGroupName") ?? fromId?.resourceGroup;
    if (name === UNKNOWN || rg === UNKNOWN) {
      pending.push({ resource: r, path: [name === UNKNOWN ? nameKey : "resourceGroupName"] });
      continue;
    }
    if (typeof name !== "string") continue;
    keys.add(`${typeof rg === "string" ? rg : "*"}/${name}`.toLowerCase());
  }
  return { keys, pending };
}

/** A prop path; `"*"` stands for every element of an array. */
type Path = readonly (string | "*")[];

/**
 * Where an alert names whom it pages. Datadog kinds page through `@pagerduty-<service>` handles in
 * their message (`json` names a prop that holds the whole definition as a JSON string) and in
 * notification lists; Azure kinds through action group ids. Prop names are the SDKs' (@pulumi/datadog
 * 5.11 and @pulumi/azure-native 3.28 installed; classic @pulumi/azure from pulumi/pulumi-azure
 * sdk/nodejs/monitoring). Typed by AlertingResourceType, so a new alerting type can't go unchecked.
 */
type Route = { pages: "datadog"; json?: string; message?: string; handles?: Path[] } | { pages: "azure"; ids: Path[] };

const metricAlertIds: Path = ["actions", "*", "actionGroupId"];
const activityLogAlertIds: Path = ["actions", "actionGroups", "*", "actionGroupId"];
const scheduledQueryRuleIds: Path = ["actions", "actionGroups", "*"];
const prometheusRuleIds: Path = ["rules", "*", "actions", "*", "actionGroupId"];
const caseNotifications: Path = ["cases", "*", "notifications", "*"];

const routes: Record<AlertingResourceType, Route> = {
  [t.datadogMonitor]: { pages: "datadog", message: "message" },
  [t.datadogMonitorJson]: { pages: "datadog", json: "monitor", message: "message" },
  [t.datadogSyntheticsTest]: { pages: "datadog", message: "message" },
  [t.datadogSecurityMonitoringRule]: { pages: "datadog", message: "message", handles: [caseNotifications] },
  [t.datadogSecurityMonitoringRuleJson]: { pages: "datadog", json: "json", message: "message", handles: [caseNotifications] },
  // Without customMessage a default rule keeps Datadog's own message, which names nobody of ours.
  [t.datadogSecurityMonitoringDefaultRule]: { pages: "datadog", message: "customMessage", handles: [caseNotifications] },
  [t.datadogCloudConfigurationRule]: { pages: "datadog", message: "message", handles: [["notifications", "*"]] },

  [t.azureMetricAlert]: { pages: "azure", ids: [metricAlertIds] },
  [t.insightsMetricAlert]: { pages: "azure", ids: [metricAlertIds] },
  [t.azureActivityLogAlert]: { pages: "azure", ids: [activityLogAlertIds] },
  [t.insightsActivityLogAlert]: { pages: "azure", ids: [activityLogAlertIds] },
  [t.azureScheduledQueryRule]: { pages: "azure", ids: [scheduledQueryRuleIds] },
  [t.insightsScheduledQueryRule]: { pages: "azure", ids: [scheduledQueryRuleIds] },
  [t.azureSmartDetectorAlertRule]: { pages: "azure", ids: [["actionGroups", "groupIds", "*"]] },
  [t.azurePrometheusRuleGroup]: { pages: "azure", ids: [prometheusRuleIds] },

  [t.classicMetricAlert]: { pages: "azure", ids: [["actions", "*", "actionGroupId"]] },
  [t.classicActivityLogAlert]: { pages: "azure", ids: [["actions", "*", "actionGroupId"]] },
  [t.classicScheduledQueryRulesAlert]: { pages: "azure", ids: [["action", "actionGroups", "*"]] },
  [t.classicScheduledQueryRulesAlertV2]: { pages: "azure", ids: [["action", "actionGroups", "*"]] },
  // A log-to-metric rule has no action at all: it counts as an alert, and pages nobody.
  [t.classicScheduledQueryRulesLog]: { pages: "azure", ids: [] },
  [t.classicSmartDetectorAlertRule]: { pages: "azure", ids: [["actionGroup", "ids", "*"]] },
  [t.classicAlertPrometheusRuleGroup]: { pages: "azure", ids: [prometheusRuleIds] },
};

type Found = { value: Peeked; at: (string | number)[] };

/** A value is not where the provider puts it, or not of its shape: nobody can say whom the alert pages. */
class Misshapen {
  constructor(readonly at: (string | number)[]) {}
}

/** The values at `path`, each with its concrete place; an absent step yields nothing, an unknown one yields UNKNOWN. */
function collect(value: Peeked, path: Path, at: (string | number)[] = []): Found[] | Misshapen {
  if (path.length === 0 || value === UNKNOWN) return [{ value, at }];
  if (value === undefined || value === null) return [];
  const [step, ...rest] = path;
  if (step === "*") {
    if (!Array.isArray(value)) return new Misshapen(at);
    const out: Found[] = [];
    for (const [i, v] of elements(value).entries()) {
      const found = collect(v, rest, [...at, i]);
      if (found instanceof Misshapen) return found;
      out.push(...found);
    }
    return out;
  }
  if (!isPlainObject(value)) return new Misshapen(at);
  return collect(peek(value, step!), rest, [...at, step!]);
}

const pathText = (at: (string | number)[]) => at.map((k, i) => (typeof k === "number" ? `[${k}]` : i ? `.${k}` : k)).join("") || "props";

function misshapen(r: PolicyResource, at: (string | number)[]): string {
  return `can't tell where ${describe(r)} pages: its '${pathText(at)}' is not shaped the way its provider defines it`;
}

/** The Datadog text that pages: the message, and handles listed beside it (always notified, so never conditional). */
function datadogText(r: PolicyResource, route: Extract<Route, { pages: "datadog" }>): { message: string; listed: string[] } | Misshapen {
  let definition: Peeked = r.props;
  if (route.json) {
    const json = peek(r.props, route.json);
    if (json === UNKNOWN) undecided(r.props, [route.json], `the definition of ${describe(r)}`);
    if (json === undefined || json === null) return { message: "", listed: [] };
    try {
      definition = typeof json === "string" ? (JSON.parse(json) as unknown) : undefined;
    } catch {
      definition = undefined;
    }
    if (!isPlainObject(definition)) return new Misshapen([route.json]);
  }
  const where = (at: (string | number)[]) => (route.json ? [route.json] : at);
  let message = "";
  if (route.message) {
    const m = peek(definition, route.message);
    if (m === UNKNOWN) undecided(r.props, where([route.message]), `the message of ${describe(r)}`);
    if (typeof m === "string") message = m;
    else if (m !== undefined && m !== null) return new Misshapen(where([route.message]));
  }
  const listed: string[] = [];
  for (const path of route.handles ?? []) {
    const found = collect(definition, path);
    if (found instanceof Misshapen) return new Misshapen(where(found.at));
    for (const { value, at } of found) {
      if (value === UNKNOWN) undecided(r.props, where(at), `the notifications of ${describe(r)}`);
      if (typeof value !== "string") return new Misshapen(where(at));
      listed.push(value);
    }
  }
  return { message, listed };
}

/** The action group ids an Azure alert notifies, each with where it sits in the props. */
function actionGroupIds(r: PolicyResource, route: Extract<Route, { pages: "azure" }>): Found[] | Misshapen {
  const ids: Found[] = [];
  for (const path of route.ids) {
    const found = collect(r.props, path);
    if (found instanceof Misshapen) return found;
    ids.push(...found);
  }
  return ids;
}

function giveUp(p: Pending, what: string): never {
  return undecided(p.resource.props, p.path, `${what} ${describe(p.resource)}`);
}

type Report = (message: string, urn: string) => void;
/** What can't be decided yet about one alert: thrown only after every alert was judged. */
type CantDecide = (() => never) | undefined;

/** A Datadog alert must page, outside {{#is_…}} blocks, only services this stack links into Datadog. */
function judgeDatadogAlert(
  r: PolicyResource,
  route: Extract<Route, { pages: "datadog" }>,
  services: ReturnType<typeof linkedServices>,
  reportViolation: Report,
): CantDecide {
  let cantDecide: CantDecide;
  const text = datadogText(r, route);
  if (text instanceof Misshapen) {
    reportViolation(misshapen(r, text.at), r.urn);
    return undefined;
  }
  const listed = text.listed.join(" ");
  const all = pagerdutyHandles(`${text.message} ${listed}`);
  const unconditional = pagerdutyHandles(`${unconditionalText(text.message)} ${listed}`);
  if (unconditional.length === 0) {
    reportViolation(
      all.length === 0
        ? `${describe(r)} pages no PagerDuty service: its message has no @pagerduty-<service> handle`
        : `${describe(r)} pages PagerDuty only inside {{#is_…}} blocks, so recoveries would not resolve the incident; put the handle outside them`,
      r.urn,
    );
  }
  for (const service of new Set(all)) {
    if (services.names.has(service)) continue;
    const pending = services.pending[0];
    if (pending) {
      cantDecide ??= () => giveUp(pending, "the service name of");
      continue;
    }
    reportViolation(
      `${describe(r)} pages @pagerduty-${service}, but no datadog.pagerduty.ServiceObject in this stack links a PagerDuty service of that name`,
      r.urn,
    );
  }
  return cantDecide;
}

/** An Azure alert must notify at least one action group, and only action groups this stack creates. */
function judgeAzureAlert(
  r: PolicyResource,
  route: Extract<Route, { pages: "azure" }>,
  groups: ReturnType<typeof stackActionGroups>,
  reportViolation: Report,
): CantDecide {
  let cantDecide: CantDecide;
  const ids = actionGroupIds(r, route);
  if (ids instanceof Misshapen) {
    reportViolation(misshapen(r, ids.at), r.urn);
    return undefined;
  }
  const unknownId = ids.find((a) => a.value === UNKNOWN);
  if (unknownId) return () => undecided(r.props, unknownId.at, `the action groups of ${describe(r)}`);
  if (ids.length === 0) {
    reportViolation(`${describe(r)} notifies no action group, so nobody is paged`, r.urn);
  }
  for (const { value: id } of ids) {
    const parsed = typeof id === "string" ? parseActionGroupId(id) : undefined;
    if (!parsed) {
      reportViolation(`${describe(r)} notifies something that is not an Azure Monitor action group id`, r.urn);
      continue;
    }
    const { resourceGroup, name } = parsed;
    const key = `${resourceGroup}/${name}`.toLowerCase();
    if (groups.keys.has(key) || groups.keys.has(`*/${name}`.toLowerCase())) continue;
    const pending = groups.pending[0];
    if (pending) {
      cantDecide ??= () => giveUp(pending, "the name of");
      continue;
    }
    reportViolation(
      `${describe(r)} notifies action group '${name}' in resource group '${resourceGroup}', which this stack does not create`,
      r.urn,
    );
  }
  return cantDecide;
}

export const alertsRouteToPreparedness: StackValidationPolicy = {
  name: "alerts-route-to-preparedness",
  description:
    "Every alert pages the customer's preparedness roster in this stack: Datadog alerts through a @pagerduty-<service> handle " +
    "outside {{#is_…}} blocks for a service this stack links into Datadog, Azure alerts through an action group this stack creates. " +
    "An alert whose routing props are not shaped as its provider defines them fails: nobody can tell where it pages.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Create alerts only through the pico-monitoring components: they render the role's @pagerduty handle (outside conditional " +
    "blocks, so recoveries resolve the incident) and the role's action group id, and the roster component creates the PagerDuty " +
    "services, their Datadog links and the action groups in the same stack.",
  validateStack: (args, reportViolation) => {
    const services = linkedServices(args.resources);
    const groups = stackActionGroups(args.resources);
    // What can't be decided yet is reported once, after every other alert was judged: one unknown
    // name must not wave the rest of the stack through (issue 11).
    let cantDecide: CantDecide;

    for (const r of args.resources) {
      if (!isAlertingResourceType(r.type)) continue;
      const route = routes[normalizeResourceType(r.type) as AlertingResourceType];
      const undecidedHere =
        route.pages === "datadog"
          ? judgeDatadogAlert(r, route, services, reportViolation)
          : judgeAzureAlert(r, route, groups, reportViolation);
      cantDecide ??= undecidedHere;
    }
    cantDecide?.();
  },
};
