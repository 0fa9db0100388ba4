/**
 * The live services as verify reads them, through the vendors' own clients: @datadog/datadog-api-client,
 * @pagerduty/pdjs, and @azure/identity with @azure/arm-monitor and @azure/arm-appinsights. Each call names
 * the API reference operation it makes. Loaded only by `verify`, so no other command pays for them.
 */
import type { VerifyCredentials } from "./credentials.js";

/** A failed call, as one line: status and the service's own message. */
export class ServiceError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

export interface LiveMonitor {
  id: number;
  name: string;
  type: string;
  query: string;
  message: string;
  tags: string[];
  thresholds: { critical?: number; warning?: number };
  overallState?: string;
  /** When the overall state last changed; unset while it never has. */
  overallStateModified?: Date;
  created?: Date;
}

export interface PagerdutyUser {
  id: string;
  email: string;
}

export interface OnCallShift {
  user: string;
  start: Date | null;
  end: Date | null;
}

export interface Override {
  user: string;
  start: Date;
  end: Date;
}

export interface Services {
  datadog: {
    monitors(customerTag: string): Promise<LiveMonitor[]>;
    /** Total points of a metric query over [from, to]. */
    points(query: string, from: Date, to: Date): Promise<number>;
    /** Whether Datadog's PagerDuty integration has this service object. */
    hasPagerdutyService(name: string): Promise<boolean>;
  };
  pagerduty: {
    /** The first page of users whose name or e-mail contains `query`, as `pagerduty_user` reads it. */
    usersMatching(query: string): Promise<PagerdutyUser[]>;
    user(id: string): Promise<PagerdutyUser>;
    scheduleId(name: string): Promise<string | undefined>;
    onCall(scheduleId: string, since: Date, until: Date): Promise<OnCallShift[]>;
    overrides(scheduleId: string, since: Date, until: Date): Promise<Override[]>;
  };
  azure: {
    /** The resource, or undefined on ARM's 404. */
    webTest(subscriptionId: string, resourceGroup: string, name: string): Promise<{ enabled: boolean } | undefined>;
    metricAlert(
      subscriptionId: string,
      resourceGroup: string,
      name: string,
    ): Promise<{ enabled: boolean; actionGroupIds: string[] } | undefined>;
    activityLogAlert(
      subscriptionId: string,
      resourceGroup: string,
      name: string,
    ): Promise<{ enabled: boolean; actionGroupIds: string[] } | undefined>;
    /** Availability results of one web test on its component over [from, to]. */
    availabilityResults(componentId: string, webTest: string, from: Date, to: Date): Promise<number>;
  };
}

const statusOf = (e: unknown): number | undefined => {
  const x = e as { code?: unknown; statusCode?: unknown; status?: unknown; response?: { status?: unknown } };
  for (const v of [x?.statusCode, x?.code, x?.status, x?.response?.status]) if (typeof v === "number") return v;
  return undefined;
};

/** One line for a failed call: never the request, which carries the credentials. */
function serviceError(what: string, e: unknown): ServiceError {
  const status = statusOf(e);
  const body = (e as { body?: { errors?: unknown[] } })?.body;
  const detail = Array.isArray(body?.errors) ? body.errors.join("; ") : ((e as Error)?.message ?? String(e)).split("\n")[0];
  return new ServiceError(status, `${what}: ${status ? `HTTP ${status}` : "no answer"}${detail ? ` (${detail})` : ""}`);
}

async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw e instanceof ServiceError ? e : serviceError(what, e);
  }
}

/** undefined on 404, the value otherwise. */
async function unless404<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (statusOf(e) === 404) return undefined;
    throw serviceError(what, e);
  }
}

function datadogService(c: VerifyCredentials["datadog"]): Services["datadog"] {
  // The common and v1 parts only: the package's index loads every API version, five times the start-up.
  const client =
    require("@datadog/datadog-api-client/dist/packages/datadog-api-client-common") as typeof import("@datadog/datadog-api-client/dist/packages/datadog-api-client-common");
  const v1 =
    require("@datadog/datadog-api-client/dist/packages/datadog-api-client-v1") as typeof import("@datadog/datadog-api-client/dist/packages/datadog-api-client-v1");
  const configuration = client.createConfiguration({
    authMethods: { apiKeyAuth: c.apiKey, appKeyAuth: c.appKey },
    // DATADOG_HOST names the site (US1 unless set); the client's own server list knows the same sites.
    baseServer: new client.BaseServerConfiguration(c.host, {}),
  });
  const monitors = new v1.MonitorsApi(configuration);
  const metrics = new v1.MetricsApi(configuration);
  const pagerduty = new v1.PagerDutyIntegrationApi(configuration);
  return {
    // Get all monitor details, filtered by monitor tag: https://docs.datadoghq.com/api/latest/monitors/#get-all-monitor-details
    monitors: (customerTag) =>
      call("Datadog GET /api/v1/monitor", async () => {
        const found: LiveMonitor[] = [];
        for await (const m of monitors.listMonitorsWithPagination({ monitorTags: customerTag, pageSize: 1000 })) {
          found.push({
            id: m.id ?? 0,
            name: m.name ?? "",
            type: String(m.type),
            query: m.query,
            message: m.message ?? "",
            tags: m.tags ?? [],
            thresholds: {
              ...(typeof m.options?.thresholds?.critical === "number" ? { critical: m.options.thresholds.critical } : {}),
              ...(typeof m.options?.thresholds?.warning === "number" ? { warning: m.options.thresholds.warning } : {}),
            },
            ...(m.overallState ? { overallState: String(m.overallState) } : {}),
            // overall_state_modified is in the API's answer but not in the client's Monitor model.
            ...(typeof m.additionalProperties?.overall_state_modified === "string"
              ? { overallStateModified: new Date(m.additionalProperties.overall_state_modified) }
              : {}),
            ...(m.created ? { created: new Date(m.created) } : {}),
          });
        }
        return found;
      }),
    // Query timeseries points: https://docs.datadoghq.com/api/latest/metrics/#query-timeseries-points
    points: (query, from, to) =>
      call("Datadog GET /api/v1/query", async () => {
        const r = await metrics.queryMetrics({ from: Math.floor(from.getTime() / 1000), to: Math.floor(to.getTime() / 1000), query });
        return (r.series ?? []).reduce((n, s) => n + (s.pointlist?.filter((p) => p[1] !== null && p[1] !== undefined).length ?? 0), 0);
      }),
    // Get a single service object: https://docs.datadoghq.com/api/latest/pagerduty-integration/#get-a-single-service-object
    hasPagerdutyService: async (name) =>
      (await unless404(`Datadog GET /api/v1/integration/pagerduty/configuration/services/${name}`, () =>
        pagerduty.getPagerDutyIntegrationService({ serviceName: name }),
      )) !== undefined,
  };
}

function pagerdutyService(c: VerifyCredentials["pagerduty"]): Services["pagerduty"] {
  const { api } = require("@pagerduty/pdjs") as typeof import("@pagerduty/pdjs");
  const pd = api({ token: c.token, server: c.server });
  // pdjs resolves with the response for every status; `data` holds the body. Its `resource` shortcut only
  // works on hosts ending in ".com", so the body is read as the REST API v2 reference documents it.
  const get = async (endpoint: string, data?: Record<string, string | string[]>): Promise<Record<string, unknown>> => {
    const r = await pd.get(endpoint, data ? { data } : {});
    if (!r.response.ok) {
      const err = (r.data as { error?: { message?: string } } | undefined)?.error?.message;
      throw new ServiceError(r.response.status, `PagerDuty GET ${endpoint}: HTTP ${r.response.status}${err ? ` (${err})` : ""}`);
    }
    return r.data as Record<string, unknown>;
  };
  const email = (u: Record<string, unknown>): PagerdutyUser => ({ id: String(u.id), email: String(u.email) });
  return {
    // listUsers with `query`, the first page only: terraform-provider-pagerduty's pagerduty_user data source
    // reads that one page and takes the user whose e-mail equals the given one (v2.4.0 data_source_pagerduty_user.go).
    usersMatching: async (query) => ((await get("/users", { query })).users as Record<string, unknown>[]).map(email),
    // getUser
    user: async (id) => email((await get(`/users/${encodeURIComponent(id)}`)).user as Record<string, unknown>),
    // listSchedules with `query`; the name must then equal (pagerduty_schedule data source).
    scheduleId: async (name) => {
      const schedules = (await get("/schedules", { query: name })).schedules as { id: string; name: string }[];
      return schedules.find((s) => s.name === name)?.id;
    },
    // listOnCalls: https://developer.pagerduty.com/api-reference/3a6b910f11050-list-all-of-the-on-calls
    onCall: async (scheduleId, since, until) =>
      (
        (await get("/oncalls", { "schedule_ids[]": [scheduleId], since: since.toISOString(), until: until.toISOString() })).oncalls as {
          user: { id: string };
          start: string | null;
          end: string | null;
        }[]
      ).map((o) => ({ user: o.user.id, start: o.start ? new Date(o.start) : null, end: o.end ? new Date(o.end) : null })),
    // listScheduleOverrides: https://developer.pagerduty.com/api-reference/3d4b3d5b0ff6e-list-overrides
    overrides: async (scheduleId, since, until) =>
      (
        (await get(`/schedules/${encodeURIComponent(scheduleId)}/overrides`, { since: since.toISOString(), until: until.toISOString() }))
          .overrides as { user: { id: string }; start: string; end: string }[]
      ).map((o) => ({
        user: o.user.id,
        start: new Date(o.start),
        end: new Date(o.end),
      })),
  };
}

function azureService(c: VerifyCredentials["azure"]): Services["azure"] {
  const { ClientSecretCredential } = require("@azure/identity") as typeof import("@azure/identity");
  const { MonitorClient } = require("@azure/arm-monitor") as typeof import("@azure/arm-monitor");
  const { ApplicationInsightsManagementClient } = require("@azure/arm-appinsights") as typeof import("@azure/arm-appinsights");
  const credential = new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, {
    ...(c.authorityHost
      ? // Instance discovery asks login.microsoftonline.com whether the authority is Microsoft's; a
        // sovereign cloud's or a test's own identity platform has no entry there.
        { authorityHost: c.authorityHost, disableInstanceDiscovery: true }
      : {}),
  });
  const monitor = new Map<string, InstanceType<typeof MonitorClient>>();
  const monitorFor = (sub: string) => {
    let m = monitor.get(sub);
    if (!m) monitor.set(sub, (m = new MonitorClient(credential, sub, { endpoint: c.endpoint })));
    return m;
  };
  const insights = (sub: string) => new ApplicationInsightsManagementClient(credential, sub, { baseUri: c.endpoint });
  const actionGroups = (actions: { actionGroupId?: string }[] | undefined) => (actions ?? []).map((a) => a.actionGroupId ?? "");
  return {
    // Web Tests - Get: https://learn.microsoft.com/en-us/rest/api/application-insights/web-tests/get
    webTest: async (sub, rg, name) => {
      const t = await unless404(`ARM GET webtests/${name}`, () => insights(sub).webTests.get(rg, name));
      return t ? { enabled: t.enabled === true } : undefined;
    },
    // Metric Alerts - Get: https://learn.microsoft.com/en-us/rest/api/monitor/metric-alerts/get
    metricAlert: async (sub, rg, name) => {
      const a = await unless404(`ARM GET metricAlerts/${name}`, () => monitorFor(sub).metricAlerts.get(rg, name));
      return a ? { enabled: a.enabled === true, actionGroupIds: actionGroups(a.actions) } : undefined;
    },
    // Activity Log Alerts - Get: https://learn.microsoft.com/en-us/rest/api/monitor/activity-log-alerts/get
    activityLogAlert: async (sub, rg, name) => {
      const a = await unless404(`ARM GET activityLogAlerts/${name}`, () => monitorFor(sub).activityLogAlerts.get(rg, name));
      return a ? { enabled: a.enabled !== false, actionGroupIds: actionGroups(a.actions?.actionGroups) } : undefined;
    },
    // Metrics - List, `availabilityResults/count` of the component filtered to the test:
    // https://learn.microsoft.com/en-us/rest/api/monitor/metrics/list
    availabilityResults: (componentId, webTest, from, to) =>
      call(`ARM GET ${componentId}/providers/Microsoft.Insights/metrics`, async () => {
        const sub = /\/subscriptions\/([^/]+)/i.exec(componentId)?.[1] ?? "";
        const r = await monitorFor(sub).metrics.list(componentId.replace(/^\//, ""), {
          timespan: `${from.toISOString()}/${to.toISOString()}`,
          metricnames: "availabilityResults/count",
          aggregation: "count",
          filter: `availabilityResult/name eq '${webTest}'`,
        });
        return (r.value ?? [])
          .flatMap((m) => m.timeseries ?? [])
          .flatMap((t) => t.data ?? [])
          .reduce((n, d) => n + (d.count ?? 0), 0);
      }),
  };
}

export function liveServices(c: VerifyCredentials): Services {
  return { datadog: datadogService(c.datadog), pagerduty: pagerdutyService(c.pagerduty), azure: azureService(c.azure) };
}
