/**
 * Renders a catalogue entry into the exact resource properties that the components create.
 * The policy pack calls the same function with the provenance read back from tags, so a
 * standard alert is, by definition, one this function reproduces.
 */
import { pagerdutyHandle } from "../facts/paging.js";
import { actionGroupId, applicationInsightsId, resourceGroupId, webTestId } from "../facts/azureIds.js";
import { datadogMonitorCheckDefaults } from "../facts/providerCheck.js";
import { safeUrl, type TargetKind } from "../customer/resources.js";
import type { Catalog, CatalogEntry, DatadogMonitorTemplate, Tunable } from "./entry.js";
import { toAzureTags, toDatadogTags, type Provenance } from "./provenance.js";

/** What each kind of target binds into a template, besides `customer`, `target` and the tunables. */
export const bindingKeys: Record<TargetKind, readonly string[]> = {
  "app-service": ["name", "resourceGroup"],
  "app-service-plan": ["name", "resourceGroup"],
  "function-app": ["name", "resourceGroup"],
  "sql-database": ["name", "resourceGroup", "server"],
  "service-bus": ["name", "resourceGroup"],
  "storage-account": ["name", "resourceGroup"],
  redis: ["name", "resourceGroup"],
  endpoint: ["url", "subscriptionId", "monitoringResourceGroup", "applicationInsights", "location"],
  system: ["subscriptionId", "monitoringResourceGroup", "resourceGroups"],
};

// Values land in queries, messages and ARM ids: only characters that cannot change their meaning.
// Datadog tag values are lower-case, so Datadog bindings must be too.
const datadogValue = /^[a-z0-9][a-z0-9._-]{0,89}$/;
const safeValue: Record<string, RegExp> = {
  url: safeUrl,
  subscriptionId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  location: /^[a-z0-9]+$/,
  resourceGroups: /^[A-Za-z0-9][A-Za-z0-9._-]{0,89}(,[A-Za-z0-9][A-Za-z0-9._-]{0,89})*$/,
};
const azureName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,89}$/;
const idValue = /^[a-z][a-z0-9-]{0,39}$/;

/** PagerDuty cuts longer Datadog messages. */
export const maxMessageLength = 1024;

export class RenderError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "RenderError";
  }
}

/** `datadog.Monitor` arguments: the template's options are passed through as they are. */
export type DatadogMonitorProps = Omit<DatadogMonitorTemplate["options"], "noDataTimeframe"> & {
  noDataTimeframe: number;
  draftStatus: "published";
  name: string;
  type: string;
  query: string;
  message: string;
  priority: string;
  monitorThresholds: { critical: string; warning?: string };
  tags: string[];
};

export type RenderedAlert =
  | { kind: "datadog-monitor"; name: string; provenance: Provenance; monitor: DatadogMonitorProps }
  | ({ kind: "azure-availability-test"; name: string; provenance: Provenance } & ReturnType<typeof renderAvailabilityTest>)
  | { kind: "azure-resource-health"; name: string; provenance: Provenance; activityLogAlert: ReturnType<typeof renderResourceHealth> };

/** Stable logical name of an alert: customer, catalogue entry and target; never a list position. */
export function alertName(p: Pick<Provenance, "customer" | "entry" | "target">): string {
  return `${p.customer}-${p.entry}-${p.target}`;
}

/** Checks a tunable value against its declaration; returns a sentence naming the bounds, or undefined. */
export function tunableProblem(name: string, t: Tunable, value: unknown): string | undefined {
  const bounds = `between ${t.min} and ${t.max}${t.unit ? ` ${t.unit}` : ""}`;
  if (typeof value !== "number" || !Number.isFinite(value)) return `tunable '${name}' must be a number ${bounds}`;
  if (t.integer && !Number.isInteger(value)) return `tunable '${name}' must be a whole number ${bounds}`;
  if (value < t.min || value > t.max) return `tunable '${name}' is ${value}; it must be ${bounds}`;
  return undefined;
}

export function renderAlert(catalog: Catalog, p: Provenance): RenderedAlert {
  const entry = catalog.entries.get(p.entry);
  if (!entry) throw new RenderError("catalog", `catalogue entry '${p.entry}' does not exist`);
  if (entry.version !== p.version) {
    throw new RenderError("catalog-version", `catalogue entry '${p.entry}' is at version ${entry.version}, not ${p.version}`);
  }
  if (entry.owner !== p.role) throw new RenderError("role", `catalogue entry '${p.entry}' belongs to role ${entry.owner}, not ${p.role}`);
  if (!idValue.test(p.customer)) throw new RenderError("customer", `customer id '${p.customer}' is not a valid id`);
  if (!idValue.test(p.target)) throw new RenderError("target", `target id '${p.target}' is not a valid id`);

  const keys = bindingKeys[entry.target];
  for (const k of Object.keys(p.bindings)) {
    if (!keys.includes(k)) throw new RenderError(`bind-${k}`, `binding '${k}' is not part of a ${entry.target} target`);
  }
  for (const k of keys) {
    const v = p.bindings[k];
    if (v === undefined) throw new RenderError(`bind-${k}`, `binding '${k}' is missing`);
    const pattern = entry.kind === "datadog-monitor" ? datadogValue : (safeValue[k] ?? azureName);
    if (!pattern.test(v)) throw new RenderError(`bind-${k}`, `binding '${k}' has unsafe value '${v}'`);
  }
  for (const k of Object.keys(p.tunables)) {
    if (!entry.tunables[k]) throw new RenderError(`tunable-${k}`, `'${k}' is not a tunable of '${entry.id}'`);
  }
  for (const [k, t] of Object.entries(entry.tunables)) {
    const problem = tunableProblem(k, t, p.tunables[k]);
    if (problem) throw new RenderError(`tunable-${k}`, problem);
  }

  const values: Record<string, string | number> = { customer: p.customer, target: p.target, ...p.bindings, ...p.tunables };
  const name = alertName(p);
  switch (entry.kind) {
    case "datadog-monitor":
      return { kind: entry.kind, name, provenance: p, monitor: renderMonitor(entry, p, values) };
    case "azure-availability-test":
      return { kind: entry.kind, name, provenance: p, ...renderAvailabilityTest(entry, p, values) };
    case "azure-resource-health":
      return { kind: entry.kind, name, provenance: p, activityLogAlert: renderResourceHealth(entry, p) };
  }
}

/** Replaces `${key}` placeholders with their values, as text. */
export function fill(template: string | number, values: Record<string, string | number>): string {
  return String(template).replace(/\$\{([A-Za-z]+)\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new RenderError("template", `template uses unknown placeholder \${${key}}`);
    return String(v);
  });
}

const num = (v: string, field: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RenderError(field, `${field} renders to '${v}', not a number`);
  return n;
};

/** The number a Datadog query compares against: its critical threshold must equal it. */
export function queryThreshold(query: string): number | undefined {
  const m = /(?:>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(query);
  return m ? Number(m[1]) : undefined;
}

/** The evaluation window of a Datadog metric query (`avg(last_15m):...`), in minutes. */
export function queryWindowMinutes(query: string): number | undefined {
  const m = /^\w+\(last_(\d+)([mhdw])\):/.exec(query);
  return m ? Number(m[1]) * { m: 1, h: 60, d: 1440, w: 10080 }[m[2] as "m" | "h" | "d" | "w"] : undefined;
}

/** The metric a Datadog metric query reads and the tag keys it filters on. */
export function queryMetric(query: string): { metric: string; tagKeys: string[] } | undefined {
  const m = /^\w+\(last_\d+[mhdw]\):\w+:([a-z][a-z0-9_.]*)\{([^}]*)\}/.exec(query);
  if (!m) return undefined;
  const [, metric = "", filter = ""] = m;
  const tagKeys = filter === "*" ? [] : filter.split(",").map((t) => t.split(":")[0] ?? t);
  return { metric, tagKeys };
}

// Datadog advises a no-data timeframe of at least twice the evaluation window; a shorter one reports
// No Data while a sparse Azure metric is merely late (DataDog/documentation
// content/en/monitors/guide/troubleshooting-no-data.md, PR #34140; terraform-provider-datadog
// docs/resources/monitor.md, no_data_timeframe).
export const noDataWindows = 2;

function noDataTimeframe(t: DatadogMonitorTemplate, query: string, values: Record<string, string | number>): number | undefined {
  const given = t.options.noDataTimeframe === undefined ? undefined : num(fill(t.options.noDataTimeframe, values), "noDataTimeframe");
  if (!t.options.notifyNoData) return given;
  const window = queryWindowMinutes(query);
  if (window === undefined)
    throw new RenderError("noDataTimeframe", `query '${query}' has no evaluation window to size the no-data timeframe by`);
  const least = noDataWindows * window;
  if (given !== undefined && given < least) {
    throw new RenderError(
      "noDataTimeframe",
      `no-data timeframe ${given} minutes is under ${noDataWindows}x the ${window}-minute query window`,
    );
  }
  return given ?? least;
}

function renderMonitor(
  entry: Extract<CatalogEntry, { kind: "datadog-monitor" }>,
  p: Provenance,
  values: Record<string, string | number>,
): DatadogMonitorProps {
  const t = entry.template;
  const query = fill(t.query, values);
  const critical = fill(t.critical, values);
  if (queryThreshold(query) !== Number(critical)) {
    throw new RenderError(
      "monitorThresholds.critical",
      `critical threshold ${critical} does not match the query's ${queryThreshold(query)}`,
    );
  }
  // The handle stays outside {{#is_alert}} blocks so that recoveries resolve the incident.
  const message = `${fill(t.message, values).trim()}\n\nRunbook: ${entry.runbook}\n\n${pagerdutyHandle(p.customer, p.role)}`;
  if (message.length > maxMessageLength) {
    throw new RenderError("message", `message is ${message.length} characters; PagerDuty keeps at most ${maxMessageLength}`);
  }
  const props: DatadogMonitorProps = {
    name: fill(t.name, values),
    type: t.type,
    query,
    message,
    priority: String(t.priority),
    monitorThresholds: { critical },
    tags: toDatadogTags(p),
    notifyNoData: t.options.notifyNoData,
    evaluationDelay: t.options.evaluationDelay,
    renotifyInterval: t.options.renotifyInterval,
    requireFullWindow: t.options.requireFullWindow,
    includeTags: t.options.includeTags,
    // Said explicitly, so the monitor registered is the one the provider's Check hands the policy pack:
    // an entry without a no-data timeframe means the provider's.
    noDataTimeframe: noDataTimeframe(t, query, values) ?? datadogMonitorCheckDefaults.noDataTimeframe,
    // A catalogue alert pages from the start; a draft monitor sends no notifications.
    draftStatus: datadogMonitorCheckDefaults.draftStatus,
  };
  if (t.warning !== undefined) props.monitorThresholds.warning = fill(t.warning, values);
  return props;
}

function renderAvailabilityTest(
  entry: Extract<CatalogEntry, { kind: "azure-availability-test" }>,
  p: Provenance,
  values: Record<string, string | number>,
) {
  const t = entry.template;
  const b = p.bindings as Record<"url" | "subscriptionId" | "monitoringResourceGroup" | "applicationInsights" | "location", string>;
  const componentId = applicationInsightsId(b.subscriptionId, b.monitoringResourceGroup, b.applicationInsights);
  const testName = `pico-${p.customer}-${p.target}`;
  const testId = webTestId(b.subscriptionId, b.monitoringResourceGroup, testName);
  const tags = toAzureTags(p);
  const webTest = {
    webTestName: testName,
    syntheticMonitorId: testName,
    resourceGroupName: b.monitoringResourceGroup,
    location: b.location,
    kind: "standard" as const,
    webTestKind: "standard" as const,
    description: `${entry.title}: ${b.url}`,
    enabled: true,
    frequency: num(fill(t.frequencySeconds, values), "frequency"),
    timeout: num(fill(t.timeoutSeconds, values), "timeout"),
    retryEnabled: t.retryEnabled,
    locations: t.locations.map((location) => ({ location })),
    request: { requestUrl: b.url, httpVerb: "GET", followRedirects: t.followRedirects, parseDependentRequests: false },
    validationRules: {
      expectedHttpStatusCode: num(fill(t.expectedStatus, values), "expectedHttpStatusCode"),
      sSLCheck: t.sslCheck,
      sSLCertRemainingLifetimeCheck: num(fill(t.sslCertRemainingLifetimeDays, values), "sSLCertRemainingLifetimeCheck"),
    },
    // Azure links a standard web test to its Application Insights component through this tag.
    tags: { ...tags, [`hidden-link:${componentId}`]: "Resource" },
  };
  const metricAlert = {
    ruleName: `pico-${p.customer}-${entry.id}-${p.target}`,
    resourceGroupName: b.monitoringResourceGroup,
    location: "global",
    description: `${entry.title} for ${b.url}. Runbook: ${entry.runbook}`,
    severity: t.severity,
    enabled: true,
    autoMitigate: true,
    scopes: [testId, componentId],
    evaluationFrequency: t.evaluationFrequency,
    windowSize: t.windowSize,
    criteria: {
      odataType: "Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria" as const,
      webTestId: testId,
      componentId,
      failedLocationCount: num(fill(t.failedLocationCount, values), "failedLocationCount"),
    },
    actions: [{ actionGroupId: actionGroupId(b.subscriptionId, b.monitoringResourceGroup, p.customer, p.role) }],
    tags,
  };
  return { webTest, metricAlert };
}

function renderResourceHealth(entry: Extract<CatalogEntry, { kind: "azure-resource-health" }>, p: Provenance) {
  const t = entry.template;
  const b = p.bindings as Record<"subscriptionId" | "monitoringResourceGroup" | "resourceGroups", string>;
  return {
    activityLogAlertName: `pico-${p.customer}-${entry.id}-${p.target}`,
    resourceGroupName: b.monitoringResourceGroup,
    location: "Global",
    description: `${entry.title} for system ${p.target}. Runbook: ${entry.runbook}`,
    enabled: true,
    scopes: b.resourceGroups.split(",").map((rg) => resourceGroupId(b.subscriptionId, rg)),
    condition: {
      allOf: [
        { field: "category", equals: "ResourceHealth" },
        { anyOf: t.currentHealthStatus.map((s) => ({ field: "properties.currentHealthStatus", equals: s })) },
        { anyOf: t.causes.map((c) => ({ field: "properties.cause", equals: c })) },
      ],
    },
    actions: { actionGroups: [{ actionGroupId: actionGroupId(b.subscriptionId, b.monitoringResourceGroup, p.customer, p.role) }] },
    tags: toAzureTags(p),
  };
}
