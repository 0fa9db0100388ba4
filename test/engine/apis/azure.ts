/**
 * Azure Resource Manager (ARM) stand-in for the real-engine tier: the few management-plane endpoints the
 * azure-native stand-in provider (test/engine/providers/azure-native/) calls for the five resource types the
 * components create (the fifth, alert processing rules, only for an approved maintenance window), on 127.0.0.1, Node `http` only. Each handler follows the public Azure REST API reference
 * cited beside it (request and response shapes, status codes, error codes); where that reference is silent the
 * comment says what this stand-in chose. Deterministic: no clock (the seed's `now` is every timestamp), no
 * randomness, so a second run with the same calls gives byte-identical state().
 *
 * With `tls`, the same API also answers HTTPS (./tls.ts) for the vendors' own clients (`pico-monitoring verify`):
 * there it is also the Microsoft identity platform that issues their tokens (client credentials), and every
 * ARM request must carry one of those tokens. The plain-HTTP listener the azure-native stand-in uses checks none.
 * Availability test results are seeded (`addAvailabilityResults`): Application Insights records them from
 * its probes, which no API call makes; ARM's Metrics - List reads them back.
 *
 * Not modelled: PATCH, list operations, asynchronous (202 + Azure-AsyncOperation) responses, ARM's
 * lower-casing of `microsoft.insights` in some returned ids (ids come back exactly as the request path
 * spelled them).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serveTls } from "./tls.js";

export interface AzureSeed {
  /** Resource groups that exist, per subscription id: name -> location. A PUT into any other one gets ARM's 404. */
  resourceGroups?: Record<string, Record<string, string>>;
  /** The time every server-set timestamp (metric alerts' lastUpdatedTime) reads; fixed, for byte-identical state. */
  now?: string;
  /** Also answer HTTPS with the test CA's certificate (`httpsUrl`), as ARM and as the token issuer. */
  tls?: boolean;
  /** The service principal the token endpoint accepts (default: tenant/client/secret "verify-*"). */
  servicePrincipal?: { tenantId: string; clientId: string; clientSecret: string };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

export interface AzureApiState {
  /** Stored resources by lower-cased id (ARM ids are case-insensitive), in id order. */
  resources: Record<string, JsonObject>;
  /** Every request, in order: method, path and api-version. */
  requests: { method: string; path: string; apiVersion: string | null }[];
  /** Requests no handler took (answered 404 with a JSON error). */
  unhandled: { method: string; path: string }[];
}

export interface AzureApi {
  url: string;
  /** With `tls`: the HTTPS base URL, both ARM's and the identity platform's (authority host). */
  httpsUrl?: string;
  close(): Promise<void>;
  state(): AzureApiState;
  /** Changes a stored resource as an edit in the Azure portal would (the id as ARM returned it). */
  edit(id: string, change: (resource: JsonObject) => void): void;
  /** Availability results Application Insights recorded for one web test of a component, at these instants. */
  addAvailabilityResults(componentId: string, testName: string, at: readonly string[]): void;
}

/**
 * The resource types served, keyed by the lower-cased type segment of the ARM path, with the one api-version
 * each accepts (the version @pulumi/azure-native 3.28.0 calls: "Uses Azure REST API version ..." in its
 * monitor/metricAlert.d.ts, monitor/activityLogAlert.d.ts, monitor/actionGroup.d.ts and
 * applicationinsights/webTest.d.ts) and the `type` ARM returns (spelled as in the reference's example responses).
 */
const resourceTypes: Record<string, { segment: string; apiVersion: string; armType: string; readVersions?: string[]; namespace?: string }> =
  {
    // https://learn.microsoft.com/en-us/rest/api/monitor/metric-alerts/create-or-update?view=rest-monitor-2018-03-01
    // Get also in 2026-01-01, the version @azure/arm-monitor 8.0.0 calls (metricAlerts/operations.js); the
    // properties verify reads (enabled, criteria, actions) are the same in both.
    metricalerts: {
      segment: "metricAlerts",
      apiVersion: "2018-03-01",
      armType: "Microsoft.Insights/metricAlerts",
      readVersions: ["2026-01-01"],
    },
    // https://learn.microsoft.com/en-us/rest/api/monitor/activity-log-alerts/create-or-update?view=rest-monitor-2020-10-01
    // Get also in 2023-01-01-preview (@azure/arm-monitor 8.0.0); enabled, scopes and actions are unchanged there.
    activitylogalerts: {
      segment: "activityLogAlerts",
      apiVersion: "2020-10-01",
      armType: "Microsoft.Insights/ActivityLogAlerts",
      readVersions: ["2023-01-01-preview"],
    },
    // https://learn.microsoft.com/en-us/rest/api/monitor/action-groups/create-or-update?view=rest-monitor-2024-10-01-preview
    actiongroups: { segment: "actionGroups", apiVersion: "2024-10-01-preview", armType: "Microsoft.Insights/ActionGroups" },
    // https://learn.microsoft.com/en-us/rest/api/application-insights/web-tests/create-or-update?view=rest-application-insights-2022-06-15
    // Get also in 2015-05-01 (@azure/arm-appinsights 4.0.0, the latest release): the same WebTestProperties
    // names (Enabled, Frequency, Locations, SyntheticMonitorId), without Request and ValidationRules.
    webtests: { segment: "webtests", apiVersion: "2022-06-15", armType: "Microsoft.Insights/webtests", readVersions: ["2015-05-01"] },
    // https://learn.microsoft.com/en-us/rest/api/monitor/alert-processing-rules?view=rest-monitor-2021-08-08
    // (spec: alertsmanagement/resource-manager/Microsoft.AlertsManagement/stable/2021-08-08/AlertProcessingRules.json);
    // 2021-08-08 is what @pulumi/azure-native 3.28.0's alertsmanagement/alertProcessingRuleByName.d.ts calls.
    actionrules: {
      segment: "actionRules",
      apiVersion: "2021-08-08",
      armType: "Microsoft.AlertsManagement/actionRules",
      namespace: "Microsoft.AlertsManagement",
    },
  };

/** Metrics - List on any resource: https://learn.microsoft.com/en-us/rest/api/monitor/metrics/list?view=rest-monitor-2023-10-01 */
const metricsPath =
  /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.insights\/components\/[^/]+)\/providers\/microsoft\.insights\/metrics$/i;
/** Microsoft identity platform, client credentials flow: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow */
const openidPath = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/** Resource Groups - Get: https://learn.microsoft.com/en-us/rest/api/resources/resource-groups/get (any api-version). */
const resourceGroupPath = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)$/i;
const resourcePath =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/(microsoft\.insights|microsoft\.alertsmanagement)\/([^/]+)\/([^/]+)$/i;

/** Schedule.effectiveFrom / effectiveUntil: "Date-Time in ISO-8601 format without timezone suffix" (its pattern). */
const scheduleInstant = /^(?:(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?))$/;

/**
 * What Alert Processing Rules - Create Or Update refuses (AlertProcessingRules.json 2021-08-08): `scopes` and
 * `actions` are required (AlertProcessingRuleProperties.required), actionType is AddActionGroups or
 * RemoveAllActionGroups, schedule instants match their pattern. The location must be "Global": every example
 * in the reference uses it and the service is global; another one gets ARM's LocationNotAvailableForResourceType.
 * The error codes are this stand-in's choice where the reference names none.
 */
function actionRuleProblem(body: JsonObject): [status: number, code: string, message: string] | undefined {
  if (String(body.location).toLowerCase() !== "global") {
    return [
      400,
      "LocationNotAvailableForResourceType",
      `The provided location '${String(body.location)}' is not available for resource type 'Microsoft.AlertsManagement/actionRules'. List of available regions for the resource type is 'global'.`,
    ];
  }
  const p = body.properties;
  if (!isObject(p) || !Array.isArray(p.scopes) || p.scopes.length === 0 || !Array.isArray(p.actions) || p.actions.length === 0) {
    return [400, "BadRequest", "properties.scopes and properties.actions are required."];
  }
  for (const a of p.actions) {
    if (!isObject(a) || !["AddActionGroups", "RemoveAllActionGroups"].includes(String(a.actionType))) {
      return [400, "BadRequest", `Invalid actionType ${JSON.stringify(isObject(a) ? a.actionType : a)}.`];
    }
  }
  if (p.schedule !== undefined) {
    if (!isObject(p.schedule)) return [400, "BadRequest", "properties.schedule must be an object."];
    for (const k of ["effectiveFrom", "effectiveUntil"]) {
      const v = p.schedule[k];
      if (v !== undefined && (typeof v !== "string" || !scheduleInstant.test(v))) {
        return [400, "BadRequest", `properties.schedule.${k} must be an ISO-8601 date-time without a timezone suffix.`];
      }
    }
  }
  return undefined;
}

/** The receiver lists of an action group: ARM returns each of them, empty when not set (getActionGroup.json example). */
const actionGroupReceivers = [
  "emailReceivers",
  "smsReceivers",
  "webhookReceivers",
  "itsmReceivers",
  "azureAppPushReceivers",
  "automationRunbookReceivers",
  "voiceReceivers",
  "logicAppReceivers",
  "azureFunctionReceivers",
  "armRoleReceivers",
  "eventHubReceivers",
  "incidentReceivers",
];

function armError(res: ServerResponse, status: number, code: string, message: string): void {
  // ARM's error envelope: https://learn.microsoft.com/en-us/azure/azure-resource-manager/troubleshooting/common-deployment-errors
  send(res, status, { error: { code, message } });
}

function send(res: ServerResponse, status: number, body?: Json): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What ARM stores and returns for a PUT body: the envelope plus the server-set read-only properties. */
function stored(kind: string, id: string, name: string, body: JsonObject, now: string, previous?: JsonObject): JsonObject {
  const t = resourceTypes[kind]!;
  const properties: JsonObject = isObject(body.properties) ? structuredClone(body.properties) : {};
  const out: JsonObject = { id, name, type: t.armType, location: body.location ?? null, tags: isObject(body.tags) ? body.tags : {} };
  if (kind === "metricalerts") {
    // MetricAlertProperties.lastUpdatedTime and isMigrated are read-only, set by the service (reference: Get response).
    properties.lastUpdatedTime = now;
    properties.isMigrated = false;
  } else if (kind === "activitylogalerts") {
    // AlertRuleProperties.enabled: "default": true in activityLogAlerts_API.json 2020-10-01.
    if (properties.enabled === undefined) properties.enabled = true;
  } else if (kind === "actiongroups") {
    for (const list of actionGroupReceivers) {
      if (!Array.isArray(properties[list])) properties[list] = [];
    }
    // EmailReceiver.status and SmsReceiver.status are read-only; the example responses show "Enabled".
    for (const list of ["emailReceivers", "smsReceivers"]) {
      for (const r of properties[list] as Json[]) if (isObject(r)) r.status = "Enabled";
    }
    if (body.identity !== undefined) out.identity = body.identity;
  } else if (kind === "webtests") {
    // WebTest.kind (top level) and WebTestProperties.provisioningState (read-only): webTests_API.json 2022-06-15.
    out.kind = body.kind ?? "ping";
    properties.provisioningState = "Succeeded";
  } else if (kind === "actionrules") {
    // AlertProcessingRuleProperties.enabled: "default": true; systemData (common-types v2) is read-only,
    // its created* kept from the first PUT.
    if (properties.enabled === undefined) properties.enabled = true;
    const created = isObject(previous?.systemData) ? previous.systemData : undefined;
    out.systemData = {
      createdBy: created?.createdBy ?? "engine-tier@pico.example",
      createdByType: created?.createdByType ?? "User",
      createdAt: created?.createdAt ?? now,
      lastModifiedBy: "engine-tier@pico.example",
      lastModifiedByType: "User",
      lastModifiedAt: now,
    };
  }
  out.properties = properties;
  return out;
}

export function startAzureApi(seed: AzureSeed = {}): Promise<AzureApi> {
  const now = seed.now ?? "2027-01-10T12:00:00.000Z";
  const groups = new Map<string, string>();
  for (const [sub, rgs] of Object.entries(seed.resourceGroups ?? {})) {
    for (const [name, location] of Object.entries(rgs)) groups.set(`${sub}/${name}`.toLowerCase(), location);
  }
  const resources = new Map<string, JsonObject>();
  const requests: AzureApiState["requests"] = [];
  const unhandled: AzureApiState["unhandled"] = [];

  const principal = seed.servicePrincipal ?? { tenantId: "verify-tenant", clientId: "verify-client", clientSecret: "verify-secret" };
  const issued = new Set<string>();
  /** Availability results per lower-cased component id and test name: instants (ms). */
  const availability = new Map<string, number[]>();
  let httpsBase = "";

  /** The identity platform's answers (client credentials flow); undefined when the path is not one of them. */
  const identity = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const discovery = openidPath.exec(url.pathname);
    if (discovery && req.method === "GET") {
      // OpenID Connect metadata: https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri
      const t = `${httpsBase}/${discovery[1]}`;
      send(res, 200, {
        issuer: `${t}/v2.0`,
        authorization_endpoint: `${t}/oauth2/v2.0/authorize`,
        token_endpoint: `${t}/oauth2/v2.0/token`,
        end_session_endpoint: `${t}/oauth2/v2.0/logout`,
        jwks_uri: `${t}/discovery/v2.0/keys`,
        response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: ["openid", "profile", "email", "offline_access"],
        token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      });
      return true;
    }
    const token = tokenPath.exec(url.pathname);
    if (token && req.method === "POST") {
      // Token request: grant_type=client_credentials, client_id, client_secret, scope; a wrong secret is
      // 401 invalid_client (AADSTS7000215), an unknown tenant 400 invalid_request (AADSTS90002).
      const form = new URLSearchParams(await readBody(req));
      if (token[1] !== principal.tenantId) {
        send(res, 400, { error: "invalid_request", error_description: `AADSTS90002: Tenant '${token[1]}' not found.` });
      } else if (form.get("client_id") !== principal.clientId || form.get("client_secret") !== principal.clientSecret) {
        send(res, 401, { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided." });
      } else {
        const accessToken = randomBytes(16).toString("hex");
        issued.add(accessToken);
        send(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
      }
      return true;
    }
    return false;
  };

  /**
   * Metrics - List of `availabilityResults/count` on an Application Insights component, filtered to one
   * test (`availabilityResult/name eq '<name>'`), one point per `interval` over `timespan` (start/end).
   * https://learn.microsoft.com/en-us/rest/api/monitor/metrics/list?view=rest-monitor-2023-10-01 (Response: value[].timeseries[].data[])
   */
  const metrics = (res: ServerResponse, url: URL, componentPath: string): void => {
    const names = url.searchParams.get("metricnames") ?? "";
    if (names !== "availabilityResults/count") {
      armError(res, 400, "BadRequest", `Failed to find metric configuration for provider: microsoft.insights, metric: ${names}`);
      return;
    }
    const [from, to] = (url.searchParams.get("timespan") ?? "").split("/").map((t) => Date.parse(t)) as [number, number];
    if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
      armError(res, 400, "BadRequest", "Invalid timespan");
      return;
    }
    const test = /availabilityResult\/name eq '([^']+)'/.exec(url.searchParams.get("$filter") ?? "")?.[1];
    const at = (availability.get(`${componentPath.toLowerCase()}|${test ?? ""}`) ?? []).filter((t) => t >= from && t < to);
    send(res, 200, {
      cost: 0,
      timespan: url.searchParams.get("timespan"),
      interval: url.searchParams.get("interval") ?? "PT1H",
      namespace: "microsoft.insights/components",
      resourceregion: "westeurope",
      value: [
        {
          id: `${componentPath}/providers/Microsoft.Insights/metrics/availabilityResults/count`,
          type: "Microsoft.Insights/metrics",
          name: { value: "availabilityResults/count", localizedValue: "Availability test results count" },
          displayDescription: "Count of availability tests",
          unit: "Count",
          errorCode: "Success",
          timeseries: [
            {
              metadatavalues: test ? [{ name: { value: "availabilityResult/name" }, value: test }] : [],
              data: [{ timeStamp: new Date(from).toISOString(), count: at.length }],
            },
          ],
        },
      ],
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, secure: boolean): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const apiVersion = url.searchParams.get("api-version");
    requests.push({ method, path: url.pathname, apiVersion });
    if (secure) {
      if (await identity(req, res, url)) return;
      // ARM: "Authorization: Bearer <token>" on every request; 401 AuthenticationFailed without one it issued.
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (!bearer || !issued.has(bearer)) {
        return armError(res, 401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing or invalid.");
      }
    }
    const body = method === "PUT" ? await readBody(req) : "";

    // Every ARM request needs an api-version: "MissingApiVersionParameter" (400) otherwise.
    if (!apiVersion)
      return armError(
        res,
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      );

    const rg = resourceGroupPath.exec(url.pathname);
    if (rg && method === "GET") {
      // Resource Groups - Get: 200 with {id, name, type, location, properties.provisioningState}; 404 ResourceGroupNotFound.
      const location = groups.get(`${rg[1]}/${rg[2]}`.toLowerCase());
      if (location === undefined) return armError(res, 404, "ResourceGroupNotFound", `Resource group '${rg[2]}' could not be found.`);
      return send(res, 200, {
        id: `/subscriptions/${rg[1]}/resourceGroups/${rg[2]}`,
        name: rg[2]!,
        type: "Microsoft.Resources/resourceGroups",
        location,
        properties: { provisioningState: "Succeeded" },
      });
    }

    const metricsOf = metricsPath.exec(url.pathname);
    if (metricsOf && method === "GET") return metrics(res, url, metricsOf[1]!);

    const m = resourcePath.exec(url.pathname);
    const kind = m?.[4]?.toLowerCase();
    const t = kind ? resourceTypes[kind] : undefined;
    if (
      !m ||
      !kind ||
      !t ||
      m[3]!.toLowerCase() !== (t.namespace ?? "Microsoft.Insights").toLowerCase() ||
      !["GET", "PUT", "DELETE"].includes(method)
    ) {
      unhandled.push({ method, path: url.pathname });
      return armError(res, 404, "NotFound", `The azure stand-in has no handler for ${method} ${url.pathname}.`);
    }
    // An api-version the resource provider does not register: 400 "NoRegisteredProviderFound" (ARM's answer).
    if (apiVersion !== t.apiVersion && !(method === "GET" && t.readVersions?.includes(apiVersion))) {
      return armError(
        res,
        400,
        "NoRegisteredProviderFound",
        `No registered resource provider found for API version '${apiVersion}' and type '${t.segment}' (the stand-in serves ${t.apiVersion}).`,
      );
    }
    const [, sub, rgName, , , name] = m as unknown as [string, string, string, string, string, string];
    const key = url.pathname.toLowerCase();
    const existing = resources.get(key);

    if (method === "GET") {
      // Get: 200 with the resource; 404 "ResourceNotFound" when it does not exist.
      if (!existing)
        return armError(
          res,
          404,
          "ResourceNotFound",
          `The Resource '${t.armType}/${name}' under resource group '${rgName}' was not found.`,
        );
      return send(res, 200, existing);
    }
    if (method === "DELETE") {
      // Delete: 200 when it existed, 204 when there was nothing to delete. For an alert processing rule the
      // reference's Delete lists exactly these two (200 "Successful request to delete", 204 "No content");
      // its schedule is only when the rule applies, so one whose effectiveUntil has passed is an ordinary
      // resource and deletes as any other (nothing in the reference or the spec says otherwise).
      if (!existing) return send(res, 204);
      resources.delete(key);
      return send(res, 200);
    }
    // PUT (Create Or Update): 201 when created, 200 when replaced; 404 "ResourceGroupNotFound" for a missing group.
    if (!groups.has(`${sub}/${rgName}`.toLowerCase())) {
      return armError(res, 404, "ResourceGroupNotFound", `Resource group '${rgName}' could not be found.`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return armError(res, 400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
    }
    if (!isObject(parsed)) return armError(res, 400, "InvalidRequestContent", "The request content must be a JSON object.");
    // location is required on every one of these four (Resource/WebtestsResource/AzureResource definitions).
    if (typeof parsed.location !== "string")
      return armError(res, 400, "LocationRequired", "The location property is required for this definition.");
    if (kind === "actionrules") {
      const problem = actionRuleProblem(parsed);
      if (problem) return armError(res, ...problem);
    }
    const resource = stored(kind, url.pathname, name, parsed, now, existing);
    resources.set(key, resource);
    return send(res, existing ? 200 : 201, resource);
  };

  const listener = (secure: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, secure).catch((e: unknown) => armError(res, 500, "InternalServerError", String(e)));
  };
  const server = createServer(listener(false));
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", async () => {
      const { port } = server.address() as AddressInfo;
      const secure = seed.tls ? await serveTls(listener(true)) : undefined;
      httpsBase = secure?.url ?? "";
      resolve({
        url: `http://127.0.0.1:${port}`,
        ...(secure ? { httpsUrl: secure.url } : {}),
        close: async () => {
          await secure?.close();
          await new Promise<void>((r) => server.close(() => r()));
        },
        state: () => ({
          resources: Object.fromEntries([...resources.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
          requests: structuredClone(requests),
          unhandled: structuredClone(unhandled),
        }),
        edit(id, change) {
          const r = resources.get(id.toLowerCase());
          if (!r) throw new Error(`azure stand-in: no resource ${id}`);
          change(r);
        },
        addAvailabilityResults(componentId, testName, at) {
          const key = `${componentId.toLowerCase()}|${testName}`;
          availability.set(key, [...(availability.get(key) ?? []), ...at.map((t) => Date.parse(t))]);
        },
      });
    });
  });
}
