/**
 * Engine tier: a stand-in for the parts of the Datadog REST API that the engine-tier Datadog plugin
 * (test/engine/providers/datadog: the real pulumi-terraform-bridge over datadog_monitor and
 * datadog_integration_pagerduty_service_object transcribed from terraform-provider-datadog@701d55bc4)
 * calls, plus the reads of `pico-monitoring verify` (monitor list, metric queries, service objects), also
 * over HTTPS with `tls` (./tls.ts) for the official client. Written from the Datadog API reference
 * (cited per handler); ours, since the real API cannot be reached from tests.
 *
 * Two things no API call makes are set by the test as Datadog itself would: the points the Azure
 * integration publishes (`addPoints`), and a monitor's evaluated state (`setMonitorState`).
 *
 * Deterministic: monitor ids count up from `seed.firstMonitorId`, downtime ids are UUIDs counted up from
 * zero, timestamps come from a clock that only moves when the test sets it, so two runs give
 * byte-identical `state()`. A downtime's `status` follows that clock (scheduled, active, ended).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, inflateSync } from "node:zlib";
import { serveTls } from "./tls.js";

export interface DatadogApiSeed {
  /** DD-API-KEY / DD-APPLICATION-KEY the API accepts; any other pair is refused with 403. */
  apiKey: string;
  appKey: string;
  /** First monitor id handed out (default 1000001). */
  firstMonitorId?: number;
  /** The clock, ISO 8601 (default 2026-01-01T00:00:00Z); moved with `setNow`. */
  now?: string;
  orgId?: number;
  /** Service objects already in the PagerDuty integration. */
  pagerdutyServices?: { service_name: string; service_key: string }[];
  /** Also answer HTTPS with the test CA's certificate (`httpsUrl`). */
  tls?: boolean;
  /**
   * The answer to DELETE /api/v2/downtime/{id} for a downtime that has already ENDED (default 404, see
   * `cancelAnswer` for why). A test sets 204 to show the provider copes with the other plausible answer,
   * or 400 to show what a refusal would do to `pulumi up`.
   */
  cancelEndedStatus?: 204 | 404 | 400;
}

type Json = Record<string, unknown>;

export interface DatadogApiState {
  monitors: Json[];
  /** Every downtime the API still returns, as GET /api/v2/downtime/{id} returns its `data`, by id. */
  downtimes: Json[];
  pagerdutyServices: { service_name: string; service_key: string }[];
  /** Every request the API answered, in order (method and path; bodies are in `monitors`). */
  requests: string[];
  /** Requests no handler matched (answered 404); a test asserts there are none. */
  unhandled: string[];
}

export interface DatadogApi {
  url: string;
  /** With `tls`: the same API over HTTPS. */
  httpsUrl?: string;
  close(): Promise<void>;
  state(): DatadogApiState;
  setNow(iso: string): void;
  /** Points of one metric series (its tags, e.g. `name:app-x`), as Datadog's Azure integration publishes them. */
  addPoints(metric: string, tags: readonly string[], points: readonly [iso: string, value: number][]): void;
  /** A monitor's evaluated state since an instant, as Datadog's evaluator would report it. */
  setMonitorState(id: number, state: "OK" | "Alert" | "Warn" | "No Data", since: string): void;
  /** Changes a stored monitor as an edit in the Datadog web app would. */
  editMonitor(id: number, change: (monitor: Json) => void): void;
}

/** A downtime schedule's instants, as the API returns them: "2050-01-02T03:04:05+00:00" (cassette below). */
function ddSecond(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** Datadog's timestamp format in monitor payloads, e.g. "2026-01-01T00:00:00.000000+00:00". */
function ddTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  let raw = Buffer.concat(chunks);
  // datadog-api-client-go may compress request bodies (Configuration.Compress).
  const encoding = req.headers["content-encoding"];
  if (encoding === "gzip") raw = gunzipSync(raw);
  else if (encoding === "deflate") raw = inflateSync(raw);
  if (raw.length === 0) return undefined;
  return JSON.parse(raw.toString("utf8"));
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

/** The API's error shape: `{"errors": ["..."]}` (Datadog API reference, every endpoint's 4xx responses). */
const errors = (...messages: string[]) => ({ errors: messages });

/**
 * A query the monitor API would take as a query: not blank. The real API parses it per monitor type;
 * here a metric query must at least read `<aggregation>(<window>):<expression> <comparator> <number>`,
 * which every query the catalogue renders does.
 */
function queryProblem(type: unknown, query: unknown): string | undefined {
  // The API's answer to an unparsable query, as users report it verbatim
  // (DataDog/datadog-cloudformation-resources#168, claranet/terraform-datadog-monitors#21).
  const invalid = "The value provided for parameter 'query' is invalid";
  if (typeof query !== "string" || query.trim() === "") return invalid;
  if ((type === "query alert" || type === "metric alert") && !/^\s*\w+\(\w+\):.+\s(>=|<=|>|<)\s*-?\d+(\.\d+)?\s*$/s.test(query)) {
    return invalid;
  }
  return undefined;
}

/** A downtime as the stand-in keeps it (instants in ms; `canceled` null until DELETE). */
interface Downtime {
  id: string;
  scope: string;
  monitorIdentifier: Json;
  displayTimezone: string;
  message: string | null;
  muteFirstRecoveryNotification: boolean;
  notifyEndStates: string[];
  notifyEndTypes: string[];
  start: number;
  end: number | null;
  created: number;
  modified: number;
  canceled: number | null;
}

/** "retained for approximately two days before being permanently removed" (API reference, "Cancel a downtime"). */
const RETENTION_MS = 2 * 24 * 3600 * 1000;

const END_STATES = ["alert", "no data", "warn"]; // DowntimeNotifyEndStateTypes
const END_TYPES = ["canceled", "expired"]; // DowntimeNotifyEndStateActions

/**
 * What the downtime endpoints refuse with 400 (API reference, "Schedule a downtime" request body): `scope`
 * and `monitor_identifier` are required on create; the identifier is either `{monitor_id}` or
 * `{monitor_tags}` (DowntimeMonitorIdentifier oneOf); the end-state enums; a one-time schedule whose end is
 * not after its start.
 */
function downtimeProblem(a: Json, creating: boolean): string | undefined {
  if (creating && (typeof a.scope !== "string" || a.scope === "")) return "scope is required";
  if (creating && !a.monitor_identifier) return "monitor_identifier is required";
  if (a.monitor_identifier !== undefined) {
    const m = a.monitor_identifier as Json;
    const byId = typeof m.monitor_id === "number";
    const byTags = Array.isArray(m.monitor_tags) && (m.monitor_tags as unknown[]).length > 0;
    if (byId === byTags) return "monitor_identifier must have exactly one of monitor_id or monitor_tags";
  }
  for (const s of (a.notify_end_states as unknown[] | undefined) ?? []) {
    if (!END_STATES.includes(String(s))) return `invalid notify_end_states value ${JSON.stringify(s)}`;
  }
  for (const t of (a.notify_end_types as unknown[] | undefined) ?? []) {
    if (!END_TYPES.includes(String(t))) return `invalid notify_end_types value ${JSON.stringify(t)}`;
  }
  const schedule = a.schedule as Json | undefined;
  if (
    schedule &&
    schedule.start != null &&
    schedule.end != null &&
    Date.parse(String(schedule.end)) <= Date.parse(String(schedule.start))
  ) {
    return "schedule end must be after its start";
  }
  return undefined;
}

export async function startDatadogApi(seed: DatadogApiSeed): Promise<DatadogApi> {
  let nextId = seed.firstMonitorId ?? 1000001;
  let now = Date.parse(seed.now ?? "2026-01-01T00:00:00Z");
  const orgId = seed.orgId ?? 321813;
  const monitors = new Map<number, Json>();
  const services = new Map<string, string>((seed.pagerdutyServices ?? []).map((s) => [s.service_name, s.service_key]));
  const requests: string[] = [];
  const unhandled: string[] = [];
  const creator = { email: "engine-tier@pico.example", handle: "engine-tier@pico.example", name: "Engine Tier" };
  const series: { metric: string; tags: string[]; points: [number, number][] }[] = [];
  const downtimes = new Map<string, Downtime>();
  let nextDowntime = 1;
  const creatorId = "3ad549bf-eba0-11e9-a77a-0705486660d0";

  /** A monitor as GET /api/v1/monitor/{id} returns it (API reference, "Get a monitor's details", response). */
  function monitorJson(id: number, body: Json, created: string): Json {
    const query = String(body.query ?? "");
    return {
      id,
      org_id: orgId,
      type: body.type,
      query,
      name: body.name ?? "",
      message: body.message ?? "",
      tags: body.tags ?? [],
      options: { notify_audit: false, silenced: {}, ...((body.options as Json | undefined) ?? {}) },
      priority: body.priority ?? null,
      restricted_roles: body.restricted_roles ?? null,
      draft_status: body.draft_status ?? "published",
      // "multi": whether the query is grouped (a "by {...}" clause).
      multi: /\bby\s*\{/.test(query),
      created,
      modified: ddTime(now),
      creator,
      deleted: null,
      // A monitor that has not been evaluated yet reports "No Data" (MonitorOverallStates).
      overall_state: "No Data",
      overall_state_modified: null,
      matching_downtimes: [],
    };
  }

  /** A downtime's status at the stand-in's clock (DowntimeStatus: active, canceled, ended, scheduled). */
  function downtimeStatus(d: Downtime): string {
    if (d.canceled !== null) return "canceled";
    if (d.end !== null && now >= d.end) return "ended";
    return now >= d.start ? "active" : "scheduled";
  }

  /**
   * The downtime if the API still returns it. "Downtimes canceled through the API are no longer active,
   * but are retained for approximately two days before being permanently removed" (API reference, "Cancel
   * a downtime"); we keep an ended one for the same two days after its end (an assumption: the reference
   * says nothing about ended ones, and a user reports that elapsed downtimes disappear,
   * DataDog/terraform-provider-datadog#3036).
   */
  function retained(id: string): Downtime | undefined {
    const d = downtimes.get(id);
    if (!d) return undefined;
    const gone = d.canceled ?? d.end;
    if (gone !== null && (d.canceled !== null || now >= gone) && now - gone > RETENTION_MS) {
      downtimes.delete(id);
      return undefined;
    }
    return d;
  }

  /**
   * DELETE on a downtime: 204 cancels one that is scheduled or active. One already canceled answers 404
   * "Downtime not found": the reference lists 404 as the endpoint's only answer besides 204/403/429, and the
   * Kestra Datadog plugin documents "Datadog answers 404 for a downtime that is already cancelled or does
   * not exist" (kestra.io/plugins/plugin-datadog, downtimes.Cancel). One that has ENDED is not covered by
   * any source we found; we answer 404 as for a canceled one (it is no longer a downtime that can be
   * canceled), or `seed.cancelEndedStatus`. Either way the pinned provider's Delete treats 404 as gone
   * (resource_datadog_downtime_schedule.go Delete at 701d55bc4), so only a non-404 refusal would fail `up`.
   */
  function cancelAnswer(d: Downtime): 204 | 404 | 400 {
    const status = downtimeStatus(d);
    if (status === "canceled") return 404;
    if (status === "ended") return seed.cancelEndedStatus ?? 404;
    return 204;
  }

  function creatorUser(): Json {
    return {
      type: "users",
      id: creatorId,
      attributes: { name: creator.name, handle: creator.handle, email: creator.email, status: "Active", disabled: false },
    };
  }

  function newDowntime(id: string, a: Json): Downtime {
    const schedule = (a.schedule ?? {}) as Json;
    const start = schedule.start == null ? now : Date.parse(String(schedule.start));
    return {
      id,
      scope: String(a.scope),
      monitorIdentifier: a.monitor_identifier as Json,
      // "The timezone in which to display the downtime's start and end times"; default "UTC". The real
      // API also answers "UTC" for the "" the provider sends when it is unset (cassette above).
      displayTimezone: typeof a.display_timezone === "string" && a.display_timezone !== "" ? a.display_timezone : "UTC",
      message: typeof a.message === "string" ? a.message : null,
      muteFirstRecoveryNotification: a.mute_first_recovery_notification === true,
      // Defaults from the reference: notify_end_states ["alert", "no data", "warn"], notify_end_types ["expired"].
      notifyEndStates: Array.isArray(a.notify_end_states) ? (a.notify_end_states as string[]) : ["alert", "no data", "warn"],
      notifyEndTypes: Array.isArray(a.notify_end_types) ? (a.notify_end_types as string[]) : ["expired"],
      start,
      end: schedule.end == null ? null : Date.parse(String(schedule.end)),
      created: now,
      modified: now,
      canceled: null,
    };
  }

  function updateDowntime(d: Downtime, a: Json): void {
    if ("scope" in a) d.scope = String(a.scope);
    if ("monitor_identifier" in a) d.monitorIdentifier = a.monitor_identifier as Json;
    if ("display_timezone" in a)
      d.displayTimezone = typeof a.display_timezone === "string" && a.display_timezone !== "" ? a.display_timezone : "UTC";
    if ("message" in a) d.message = typeof a.message === "string" ? a.message : null;
    if ("mute_first_recovery_notification" in a) d.muteFirstRecoveryNotification = a.mute_first_recovery_notification === true;
    if (Array.isArray(a.notify_end_states)) d.notifyEndStates = a.notify_end_states as string[];
    if (Array.isArray(a.notify_end_types)) d.notifyEndTypes = a.notify_end_types as string[];
    if (a.schedule && typeof a.schedule === "object") {
      const schedule = a.schedule as Json;
      // A null start means "now" (the cassette's PATCH with "start":null answers the request's time).
      if ("start" in schedule) d.start = schedule.start == null ? now : Date.parse(String(schedule.start));
      if ("end" in schedule) d.end = schedule.end == null ? null : Date.parse(String(schedule.end));
    }
    d.modified = now;
  }

  /**
   * The response's `data` (DowntimeResponseData): attributes as the reference's "Get a downtime" example and
   * the recorded responses of upstream's TestAccDowntimeScheduleBasicOneTime.yaml (701d55bc4) show them.
   */
  function downtimeData(d: Downtime): Json {
    return {
      type: "downtime",
      id: d.id,
      attributes: {
        canceled: d.canceled === null ? null : ddTime(d.canceled),
        created: ddTime(d.created),
        display_timezone: d.displayTimezone,
        message: d.message,
        modified: ddTime(d.modified),
        monitor_identifier: d.monitorIdentifier,
        mute_first_recovery_notification: d.muteFirstRecoveryNotification,
        notify_end_states: d.notifyEndStates,
        notify_end_types: d.notifyEndTypes,
        schedule: { start: ddSecond(d.start), end: d.end === null ? null : ddSecond(d.end) },
        scope: d.scope,
        status: downtimeStatus(d),
      },
      relationships: { created_by: { data: { type: "users", id: creatorId } }, monitor: { data: null } },
    };
  }

  const downtimePath = /^\/api\/v2\/downtime\/([^/]+)$/;

  const monitorIdPath = /^\/api\/v1\/monitor\/(\d+)$/;
  const validateExistingPath = /^\/api\/v1\/monitor\/(\d+)\/validate$/;
  const pdServicePath = /^\/api\/v1\/integration\/pagerduty\/configuration\/services\/([^/]+)$/;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const method = req.method ?? "GET";
    const line = `${method} ${path}`;
    requests.push(line);

    // Every endpoint authenticates with the DD-API-KEY and DD-APPLICATION-KEY headers (API reference,
    // "Authentication"); a wrong key gets 403 {"errors": ["Forbidden"]}.
    if (req.headers["dd-api-key"] !== seed.apiKey || (path !== "/api/v1/validate" && req.headers["dd-application-key"] !== seed.appKey)) {
      send(res, 403, errors("Forbidden"));
      return;
    }

    // GET /api/v1/validate: https://docs.datadoghq.com/api/latest/authentication/#validate-api-key
    if (method === "GET" && path === "/api/v1/validate") {
      send(res, 200, { valid: true });
      return;
    }

    // POST /api/v1/monitor/validate: https://docs.datadoghq.com/api/latest/monitors/#validate-a-monitor
    // POST /api/v1/monitor/{monitor_id}/validate: https://docs.datadoghq.com/api/latest/monitors/#validate-an-existing-monitor
    // Both answer 200 with an empty object, or 400 with the problems.
    const existing = validateExistingPath.exec(path);
    if (method === "POST" && (path === "/api/v1/monitor/validate" || existing)) {
      const body = ((await readBody(req)) ?? {}) as Json;
      if (existing && !monitors.has(Number(existing[1]))) {
        send(res, 404, errors("Monitor not found"));
        return;
      }
      const problem = queryProblem(body.type, body.query);
      send(res, problem ? 400 : 200, problem ? errors(problem) : {});
      return;
    }

    // POST /api/v1/monitor: https://docs.datadoghq.com/api/latest/monitors/#create-a-monitor
    if (method === "POST" && path === "/api/v1/monitor") {
      const body = ((await readBody(req)) ?? {}) as Json;
      const problem = queryProblem(body.type, body.query);
      if (problem) {
        send(res, 400, errors(problem));
        return;
      }
      const id = nextId++;
      const m = monitorJson(id, body, ddTime(now));
      monitors.set(id, m);
      send(res, 200, m);
      return;
    }

    // GET /api/v1/monitor: https://docs.datadoghq.com/api/latest/monitors/#get-all-monitor-details
    // `monitor_tags`: "A comma separated list indicating what service and/or custom tags, if any, should be
    // used to filter the list of monitors"; `name`: "A string to filter monitors by name". Paged by
    // `page`/`page_size` (no page: every monitor).
    if (method === "GET" && path === "/api/v1/monitor") {
      const wanted = (url.searchParams.get("monitor_tags") ?? "").split(",").filter((t) => t !== "");
      const name = url.searchParams.get("name")?.toLowerCase();
      let found = [...monitors.values()].filter(
        (m) => wanted.every((t) => (m.tags as string[]).includes(t)) && (name === undefined || String(m.name).toLowerCase().includes(name)),
      );
      if (url.searchParams.has("page")) {
        const size = Number(url.searchParams.get("page_size") ?? 100);
        found = found.slice(Number(url.searchParams.get("page")) * size, (Number(url.searchParams.get("page")) + 1) * size);
      }
      send(res, 200, found);
      return;
    }

    // GET /api/v1/query: https://docs.datadoghq.com/api/latest/metrics/#query-timeseries-points
    // `from`, `to` in seconds since the epoch, `query` a metric query (`<space aggregation>:<metric>{<tags>}`,
    // optionally `.as_count()`); one series per matching source with `pointlist` [[ms, value], ...].
    if (method === "GET" && path === "/api/v1/query") {
      const from = Number(url.searchParams.get("from")) * 1000;
      const to = Number(url.searchParams.get("to")) * 1000;
      const query = url.searchParams.get("query") ?? "";
      const q = /^(\w+):([a-z][a-z0-9_.]*)\{([^}]*)\}(\.as_count\(\)|\.as_rate\(\))?$/.exec(query.trim());
      if (!q || !Number.isFinite(from) || !Number.isFinite(to)) {
        send(res, 400, errors(`Error parsing query: ${query}`));
        return;
      }
      const filter = q[3] === "*" ? [] : q[3]!.split(",");
      const matching = series.filter((x) => x.metric === q[2] && filter.every((t) => x.tags.includes(t)));
      const points = matching.flatMap((x) => x.points).filter(([t]) => t >= from && t <= to);
      send(res, 200, {
        status: "ok",
        res_type: "time_series",
        from_date: from,
        to_date: to,
        query,
        series:
          points.length === 0
            ? []
            : [
                {
                  metric: q[2],
                  display_name: q[2],
                  scope: filter.join(",") || "*",
                  expression: query,
                  tag_set: [],
                  length: points.length,
                  start: Math.min(...points.map(([t]) => t)),
                  end: Math.max(...points.map(([t]) => t)),
                  interval: 60,
                  aggr: q[1],
                  pointlist: points.sort((a, b) => a[0] - b[0]),
                },
              ],
      });
      return;
    }

    const byId = monitorIdPath.exec(path);
    if (byId) {
      const id = Number(byId[1]);
      const m = monitors.get(id);
      if (!m) {
        send(res, 404, errors("Monitor not found"));
        return;
      }
      // GET /api/v1/monitor/{monitor_id}: https://docs.datadoghq.com/api/latest/monitors/#get-a-monitors-details
      if (method === "GET") {
        send(res, 200, m);
        return;
      }
      // PUT /api/v1/monitor/{monitor_id}: https://docs.datadoghq.com/api/latest/monitors/#edit-a-monitor
      // The type cannot change (the provider marks it ForceNew); created and id stay, modified moves.
      if (method === "PUT") {
        const body = ((await readBody(req)) ?? {}) as Json;
        const problem = queryProblem(body.type ?? m.type, body.query ?? m.query);
        if (problem) {
          send(res, 400, errors(problem));
          return;
        }
        const updated = monitorJson(id, { ...m, ...body, type: m.type }, String(m.created));
        monitors.set(id, updated);
        send(res, 200, updated);
        return;
      }
      // DELETE /api/v1/monitor/{monitor_id}: https://docs.datadoghq.com/api/latest/monitors/#delete-a-monitor
      if (method === "DELETE") {
        monitors.delete(id);
        send(res, 200, { deleted_monitor_id: id });
        return;
      }
    }

    // POST /api/v1/integration/pagerduty/configuration/services:
    // https://docs.datadoghq.com/api/latest/pagerduty-integration/#create-a-new-service-object
    // Body {service_key, service_name} (both required); answers the service name.
    if (method === "POST" && path === "/api/v1/integration/pagerduty/configuration/services") {
      const body = ((await readBody(req)) ?? {}) as Json;
      if (typeof body.service_name !== "string" || typeof body.service_key !== "string") {
        send(res, 400, errors("service_name and service_key are required"));
        return;
      }
      services.set(body.service_name, body.service_key);
      send(res, 201, { service_name: body.service_name });
      return;
    }

    const service = pdServicePath.exec(path);
    if (service) {
      const name = decodeURIComponent(service[1]!);
      if (!services.has(name)) {
        send(res, 404, errors("Not Found"));
        return;
      }
      // GET .../services/{service_name}: https://docs.datadoghq.com/api/latest/pagerduty-integration/#get-a-single-service-object
      // The key is never returned.
      if (method === "GET") {
        send(res, 200, { service_name: name });
        return;
      }
      // PUT .../services/{service_name}: https://docs.datadoghq.com/api/latest/pagerduty-integration/#edit-a-single-service-object
      if (method === "PUT") {
        const body = ((await readBody(req)) ?? {}) as Json;
        services.set(name, String(body.service_key ?? ""));
        send(res, 204);
        return;
      }
      // DELETE .../services/{service_name}: https://docs.datadoghq.com/api/latest/pagerduty-integration/#delete-a-single-service-object
      if (method === "DELETE") {
        services.delete(name);
        send(res, 204);
        return;
      }
    }

    // ---- Downtimes v2 (https://docs.datadoghq.com/api/latest/downtimes/) ----
    // POST /api/v2/downtime: https://docs.datadoghq.com/api/latest/downtimes/#schedule-a-downtime
    if (method === "POST" && path === "/api/v2/downtime") {
      const body = ((await readBody(req)) ?? {}) as { data?: { attributes?: Json; type?: string } };
      const attrs = body.data?.attributes;
      const problem = attrs ? downtimeProblem(attrs, true) : "data.attributes is required";
      if (problem) {
        send(res, 400, errors(problem));
        return;
      }
      const id = `00000000-0000-4000-8000-${(nextDowntime++).toString(16).padStart(12, "0")}`;
      const d = newDowntime(id, attrs!);
      downtimes.set(id, d);
      send(res, 200, { data: downtimeData(d), included: [creatorUser()] });
      return;
    }

    const downtimeId = downtimePath.exec(path);
    if (downtimeId) {
      const id = decodeURIComponent(downtimeId[1]!);
      const d = retained(id);
      // Every by-id endpoint answers 404 "Downtime not found" for an id it does not know (API reference,
      // each endpoint's 404 response) - including one canceled more than about two days ago.
      if (!d) {
        send(res, 404, errors("Downtime not found"));
        return;
      }
      // GET /api/v2/downtime/{downtime_id}: https://docs.datadoghq.com/api/latest/downtimes/#get-a-downtime
      // A canceled or ended downtime is still returned while retained, with its status.
      if (method === "GET") {
        send(res, 200, { data: downtimeData(d) });
        return;
      }
      // PATCH /api/v2/downtime/{downtime_id}: https://docs.datadoghq.com/api/latest/downtimes/#update-a-downtime
      // Only the attributes sent change. A canceled downtime cannot be updated: the API answers 400
      // "cannot update a canceled downtime" (DataDog/terraform-provider-datadog#315 quotes it verbatim).
      if (method === "PATCH") {
        const body = ((await readBody(req)) ?? {}) as { data?: { attributes?: Json } };
        const attrs = body.data?.attributes ?? {};
        if (d.canceled !== null) {
          send(res, 400, errors("cannot update a canceled downtime"));
          return;
        }
        const problem = downtimeProblem(attrs, false);
        if (problem) {
          send(res, 400, errors(problem));
          return;
        }
        updateDowntime(d, attrs);
        send(res, 200, { data: downtimeData(d), included: [creatorUser()] });
        return;
      }
      // DELETE /api/v2/downtime/{downtime_id}: https://docs.datadoghq.com/api/latest/downtimes/#cancel-a-downtime
      if (method === "DELETE") {
        const status = cancelAnswer(d);
        if (status === 204) {
          d.canceled = now;
          d.modified = now;
          // The real API answers 204 with an empty body (TestAccDowntimeScheduleBasicOneTime.yaml).
          send(res, 204);
        } else {
          send(res, status, errors(status === 404 ? "Downtime not found" : "cannot cancel a downtime that has ended"));
        }
        return;
      }
    }

    unhandled.push(line);
    send(res, 404, errors(`no stand-in route for ${line}`));
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => send(res, 500, errors(String(e))));
  };
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const secure = seed.tls ? await serveTls(listener) : undefined;
  const monitor = (id: number) => {
    const m = monitors.get(id);
    if (!m) throw new Error(`datadog stand-in: no monitor ${id}`);
    return m;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    ...(secure ? { httpsUrl: secure.url } : {}),
    close: async () => {
      await secure?.close();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
    setNow(iso: string) {
      now = Date.parse(iso);
    },
    addPoints(metric, tags, points) {
      series.push({ metric, tags: [...tags], points: points.map(([t, v]) => [Date.parse(t), v]) });
    },
    setMonitorState(id, state, since) {
      Object.assign(monitor(id), { overall_state: state, overall_state_modified: ddTime(Date.parse(since)) });
    },
    editMonitor(id, change) {
      change(monitor(id));
    },
    state: () => ({
      monitors: [...monitors.values()].sort((a, b) => Number(a.id) - Number(b.id)),
      downtimes: [...downtimes.keys()]
        .sort()
        .map((id) => retained(id))
        .filter((d): d is Downtime => d !== undefined)
        .map((d) => downtimeData(d)),
      pagerdutyServices: [...services]
        .map(([service_name, service_key]) => ({ service_name, service_key }))
        .sort((a, b) => a.service_name.localeCompare(b.service_name)),
      requests: [...requests],
      unhandled: [...unhandled],
    }),
  };
}
