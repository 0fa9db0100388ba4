/**
 * Azure Resource Manager (ARM) stand-in for the real-engine tier: the few management-plane endpoints the
 * azure-native stand-in provider (test/engine/providers/azure-native/) calls for the four resource types the
 * components create, on 127.0.0.1, Node `http` only. Each handler follows the public Azure REST API reference
 * cited beside it (request and response shapes, status codes, error codes); where that reference is silent the
 * comment says what this stand-in chose. Deterministic: no clock (the seed's `now` is every timestamp), no
 * randomness, so a second run with the same calls gives byte-identical state().
 *
 * Not modelled: authentication (no token is required or checked), PATCH, list operations, asynchronous
 * (202 + Azure-AsyncOperation) responses, ARM's lower-casing of `microsoft.insights` in some returned ids
 * (ids come back exactly as the request path spelled them), and web test results.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface AzureSeed {
  /** Resource groups that exist, per subscription id: name -> location. A PUT into any other one gets ARM's 404. */
  resourceGroups?: Record<string, Record<string, string>>;
  /** The time every server-set timestamp (metric alerts' lastUpdatedTime) reads; fixed, for byte-identical state. */
  now?: string;
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
  close(): Promise<void>;
  state(): AzureApiState;
}

/**
 * The resource types served, keyed by the lower-cased type segment of the ARM path, with the one api-version
 * each accepts (the version @pulumi/azure-native 3.28.0 calls: "Uses Azure REST API version ..." in its
 * monitor/metricAlert.d.ts, monitor/activityLogAlert.d.ts, monitor/actionGroup.d.ts and
 * applicationinsights/webTest.d.ts) and the `type` ARM returns (spelled as in the reference's example responses).
 */
const resourceTypes: Record<string, { segment: string; apiVersion: string; armType: string }> = {
  // https://learn.microsoft.com/en-us/rest/api/monitor/metric-alerts/create-or-update?view=rest-monitor-2018-03-01
  metricalerts: { segment: "metricAlerts", apiVersion: "2018-03-01", armType: "Microsoft.Insights/metricAlerts" },
  // https://learn.microsoft.com/en-us/rest/api/monitor/activity-log-alerts/create-or-update?view=rest-monitor-2020-10-01
  activitylogalerts: { segment: "activityLogAlerts", apiVersion: "2020-10-01", armType: "Microsoft.Insights/ActivityLogAlerts" },
  // https://learn.microsoft.com/en-us/rest/api/monitor/action-groups/create-or-update?view=rest-monitor-2024-10-01-preview
  actiongroups: { segment: "actionGroups", apiVersion: "2024-10-01-preview", armType: "Microsoft.Insights/ActionGroups" },
  // https://learn.microsoft.com/en-us/rest/api/application-insights/web-tests/create-or-update?view=rest-application-insights-2022-06-15
  webtests: { segment: "webtests", apiVersion: "2022-06-15", armType: "Microsoft.Insights/webtests" },
};

/** Resource Groups - Get: https://learn.microsoft.com/en-us/rest/api/resources/resource-groups/get (any api-version). */
const resourceGroupPath = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)$/i;
const resourcePath = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.insights\/([^/]+)\/([^/]+)$/i;

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
function stored(kind: string, id: string, name: string, body: JsonObject, now: string): JsonObject {
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

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = req.method ?? "GET";
    const apiVersion = url.searchParams.get("api-version");
    requests.push({ method, path: url.pathname, apiVersion });
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

    const m = resourcePath.exec(url.pathname);
    const kind = m?.[3]?.toLowerCase();
    const t = kind ? resourceTypes[kind] : undefined;
    if (!m || !kind || !t || !["GET", "PUT", "DELETE"].includes(method)) {
      unhandled.push({ method, path: url.pathname });
      return armError(res, 404, "NotFound", `The azure stand-in has no handler for ${method} ${url.pathname}.`);
    }
    // An api-version the resource provider does not register: 400 "NoRegisteredProviderFound" (ARM's answer).
    if (apiVersion !== t.apiVersion) {
      return armError(
        res,
        400,
        "NoRegisteredProviderFound",
        `No registered resource provider found for API version '${apiVersion}' and type '${t.segment}' (the stand-in serves ${t.apiVersion}).`,
      );
    }
    const [, sub, rgName, , name] = m as unknown as [string, string, string, string, string];
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
      // Delete: 200 when it existed, 204 when there was nothing to delete.
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
    const resource = stored(kind, url.pathname, name, parsed, now);
    resources.set(key, resource);
    return send(res, existing ? 200 : 201, resource);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => armError(res, 500, "InternalServerError", String(e)));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
        state: () => ({
          resources: Object.fromEntries([...resources.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
          requests: structuredClone(requests),
          unhandled: structuredClone(unhandled),
        }),
      });
    });
  });
}
