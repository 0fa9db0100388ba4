/**
 * Engine tier: a PagerDuty REST API v2 stand-in on 127.0.0.1, for the engine-tier PagerDuty plugin
 * (test/engine/providers/pagerduty) to provision against, and for `pico-monitoring verify` to read (with
 * `tls`, also over HTTPS: @pagerduty/pdjs only builds `https://` URLs; ./tls.ts).
 *
 * Every handler follows the operation of the PagerDuty REST API v2 reference named beside it (the
 * reference is published as PagerDuty/api-schema reference/REST/openapiv3.json, by operationId); where
 * the reference says nothing, the behaviour the Terraform provider v2.4.0 depends on is cited from it.
 * Node `http` only. Ids come from per-kind counters and times from the seed's clock, so the same calls
 * give byte-identical state. Unknown routes answer 404 with a JSON error and are kept in
 * `state().unhandled`. It never answers 429: the provider would wait 30 s and retry.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DateTime } from "luxon";
import { renderSchedule, type SimLayer } from "../../support/pagerdutySimulator.js";
import { serveTls } from "./tls.js";

export interface PagerdutySeedLayer {
  name?: string;
  start: string;
  end?: string;
  rotationVirtualStart: string;
  rotationTurnLengthSeconds: number;
  /** By e-mail. */
  users: string[];
}

export interface PagerdutySeed {
  users: { email: string; name: string }[];
  /** Vendor names; default the two the program looks up. */
  vendors?: string[];
  /** Schedules that exist before the program runs, e.g. standing support (stacks/_fleet.yaml). */
  schedules?: { name: string; timeZone: string; description?: string; layers: PagerdutySeedLayer[] }[];
  /** The API token the provider must send (`Token token=...`); any other gets 401. */
  token?: string;
  /** The API's clock (default: the real one). */
  now?: () => Date;
  /** Page size of list answers when the client gives no `limit` (PagerDuty's default is 25). */
  pageSize?: number;
  /** Also answer HTTPS with the test CA's certificate (`httpsUrl`). */
  tls?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface Layer {
  id: string;
  name: string;
  /** Epoch ms. */
  start: number;
  end: number | null;
  rotationVirtualStart: number;
  rotationTurnLengthSeconds: number;
  users: string[];
  restrictions: Obj[];
}

interface Schedule {
  id: string;
  name: string;
  description: string;
  timeZone: string;
  /** Creation order: the oldest layer first (layer 1 in the web app). */
  layers: Layer[];
}

interface Override {
  id: string;
  scheduleId: string;
  start: number;
  end: number;
  user: string;
}

interface Rule {
  id: string;
  escalation_delay_in_minutes: number;
  targets: { id: string; type: string }[];
}

interface Policy {
  id: string;
  name: string;
  description: string;
  num_loops: number;
  teams: Obj[];
  rules: Rule[];
}

interface Service {
  id: string;
  body: Obj;
  escalationPolicy: string;
  createdAt: string;
}

interface Integration {
  id: string;
  serviceId: string;
  body: Obj;
  createdAt: string;
}

export interface PagerdutyRequest {
  method: string;
  path: string;
  body?: Json;
}

export interface PagerdutyState {
  users: { id: string; email: string; name: string }[];
  vendors: { id: string; name: string }[];
  schedules: Obj[];
  overrides: Obj[];
  escalationPolicies: Obj[];
  services: Obj[];
  integrations: Obj[];
  requests: PagerdutyRequest[];
  unhandled: string[];
}

export interface PagerdutyApi {
  url: string;
  /** With `tls`: the same API over HTTPS. */
  httpsUrl?: string;
  close(): Promise<void>;
  state(): PagerdutyState;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: number,
    readonly errors: string[] = [],
  ) {
    super(message);
  }
}

const notFound = () => new ApiError(404, "Not Found", 2100);
const invalid = (...errors: string[]) => new ApiError(400, "Invalid Input Provided", 2001, errors);

/** Go's `time.Time.String()` ("2006-01-02 15:04:05.999 -0700 MST"): how the provider sends layer ends and rotation starts. */
const goTimeString = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) ([+-]\d{2})(\d{2}) \S+$/;

function parseTime(field: string, value: Json | undefined): number {
  if (typeof value !== "string") throw invalid(`${field} must be a date-time`);
  const go = goTimeString.exec(value);
  const ms = Date.parse(go ? `${go[1]}T${go[2]}${go[3]}:${go[4]}` : value);
  if (Number.isNaN(ms)) throw invalid(`${field} '${value}' is not a date-time`);
  return ms;
}

const obj = (v: Json | undefined): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? v : {});
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

export async function startPagerdutyApi(seed: PagerdutySeed): Promise<PagerdutyApi> {
  const now = seed.now ?? (() => new Date());
  const pageSize = seed.pageSize ?? 25;
  const counters = new Map<string, number>();
  // PagerDuty ids are 7 upper-case characters starting with P; these keep the kind readable.
  const nextId = (kind: string) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `P${kind}${String(n).padStart(6 - kind.length, "0")}`;
  };

  const users = seed.users.map((u) => ({ id: nextId("U"), email: u.email, name: u.name }));
  const users0 = new Set(users.map((u) => u.id));
  const vendors = (seed.vendors ?? ["Datadog", "Microsoft Azure"]).map((name) => ({ id: nextId("V"), name }));
  const schedules = new Map<string, Schedule>();
  const overrides: Override[] = [];
  const policies = new Map<string, Policy>();
  const services = new Map<string, Service>();
  const integrations = new Map<string, Integration>();
  const requests: PagerdutyRequest[] = [];
  const unhandled: string[] = [];
  let base = "";

  const userByEmail = (email: string) => {
    const u = users.find((x) => x.email === email);
    if (!u) throw new Error(`seed: no user ${email}`);
    return u.id;
  };
  for (const s of seed.schedules ?? []) {
    const id = nextId("S");
    schedules.set(id, {
      id,
      name: s.name,
      description: s.description ?? "",
      timeZone: s.timeZone,
      layers: s.layers.map((l, i) => ({
        id: nextId("L"),
        name: l.name ?? `Layer ${i + 1}`,
        start: Date.parse(l.start),
        end: l.end === undefined ? null : Date.parse(l.end),
        rotationVirtualStart: Date.parse(l.rotationVirtualStart),
        rotationTurnLengthSeconds: l.rotationTurnLengthSeconds,
        users: l.users.map(userByEmail),
        restrictions: [],
      })),
    });
  }

  const isoIn = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!;
  const ref = (type: string, id: string, summary: string, path: string): Obj => ({
    id,
    type,
    summary,
    self: `${base}/${path}/${id}`,
    html_url: `${base}/app/${path}/${id}`,
  });
  const userRef = (id: string): Obj => {
    const u = users.find((x) => x.id === id);
    return ref("user_reference", id, u?.name ?? id, "users");
  };
  const userObj = (u: (typeof users)[number]): Obj => ({
    ...ref("user", u.id, u.name, "users"),
    name: u.name,
    email: u.email,
    time_zone: "Etc/UTC",
    role: "user",
  });

  function page<T>(items: T[], q: URLSearchParams): { page: T[]; meta: Obj } {
    const limit = Math.min(Number(q.get("limit") ?? pageSize) || pageSize, 100);
    const offset = Number(q.get("offset") ?? 0) || 0;
    const slice = items.slice(offset, offset + limit);
    return { page: slice, meta: { limit, offset, more: offset + limit < items.length, total: null } };
  }

  /** `query`: "Filters the result, showing only the records whose name matches the query" (case-insensitive part of the name). */
  const matches = (q: URLSearchParams, ...fields: string[]) => {
    const query = q.get("query")?.toLowerCase();
    return !query || fields.some((f) => f.toLowerCase().includes(query));
  };

  // ---- schedules ----

  function layerFrom(field: string, body: Obj, id: string, at: number): Layer {
    const users = arr(body.users).map((w, i) => {
      const u = obj(obj(w).user);
      if (typeof u.id !== "string" || !users0.has(u.id)) throw invalid(`${field}.users[${i}] is not a user`);
      return u.id;
    });
    if (users.length === 0) throw invalid(`${field}.users must not be empty`);
    const turn = body.rotation_turn_length_seconds;
    if (typeof turn !== "number" || !Number.isInteger(turn) || turn < 1)
      throw invalid(`${field}.rotation_turn_length_seconds must be a positive integer`);
    const start = parseTime(`${field}.start`, body.start);
    const end = body.end === null || body.end === undefined ? null : parseTime(`${field}.end`, body.end);
    if (end !== null && end <= start && end > at) throw invalid(`${field}: end must be after start`);
    return {
      id,
      name: typeof body.name === "string" && body.name !== "" ? body.name : "",
      // A start in the past becomes the time of the write: the start PagerDuty returns is when the
      // layer was last written (terraform-provider-pagerduty PR #35, confirmed by PagerDuty support;
      // v2.4.0 util.go suppressScheduleLayerStartDiff relies on it).
      start: Math.max(start, at),
      end,
      rotationVirtualStart: parseTime(`${field}.rotation_virtual_start`, body.rotation_virtual_start),
      rotationTurnLengthSeconds: turn,
      users,
      restrictions: arr(body.restrictions).map(obj),
    };
  }

  function scheduleFrom(body: Obj, existing: Schedule | undefined): Schedule {
    const zone = typeof body.time_zone === "string" ? body.time_zone : existing?.timeZone;
    if (!zone || !DateTime.now().setZone(zone).isValid) throw invalid("time_zone must be an IANA time zone");
    const at = now().getTime();
    const id = existing?.id ?? nextId("S");
    const given = arr(body.schedule_layers).map(obj);
    if (!existing && given.length === 0) throw invalid("schedule_layers must not be empty");
    const layers: Layer[] = [];
    given.forEach((l, i) => {
      const known = typeof l.id === "string" && l.id !== "" ? existing?.layers.find((x) => x.id === l.id) : undefined;
      const layer = layerFrom(`schedule_layers[${i}]`, l, known?.id ?? nextId("L"), at);
      layer.name ||= known?.name || `Layer ${(existing?.layers.length ?? 0) + i + 1}`;
      layers.push(layer);
    });
    // Layers the update leaves out stay as they are: a layer is never deleted, only ended
    // (v2.4.0 resource_pagerduty_schedule.go, Update).
    const kept = existing?.layers.filter((x) => !layers.some((l) => l.id === x.id)) ?? [];
    return {
      id,
      name: typeof body.name === "string" ? body.name : (existing?.name ?? ""),
      description: typeof body.description === "string" ? body.description : (existing?.description ?? ""),
      timeZone: zone,
      layers: [...kept, ...layers],
    };
  }

  function scheduleJson(s: Schedule, withLayers: boolean): Obj {
    const z = s.timeZone;
    const onSchedule = [...new Set(s.layers.flatMap((l) => l.users))];
    return {
      ...ref("schedule", s.id, s.name, "schedules"),
      name: s.name,
      description: s.description,
      time_zone: z,
      users: onSchedule.map(userRef),
      escalation_policies: [...policies.values()]
        .filter((p) => p.rules.some((r) => r.targets.some((t) => t.type === "schedule_reference" && t.id === s.id)))
        .map((p) => ref("escalation_policy_reference", p.id, p.name, "escalation_policies")),
      teams: [],
      // The API lists layers newest first; v2.4.0 flattenScheduleLayers reverses them back.
      ...(withLayers
        ? {
            schedule_layers: [...s.layers].reverse().map((l) => ({
              id: l.id,
              name: l.name,
              start: isoIn(l.start, z),
              end: l.end === null ? null : isoIn(l.end, z),
              rotation_virtual_start: isoIn(l.rotationVirtualStart, z),
              rotation_turn_length_seconds: l.rotationTurnLengthSeconds,
              users: l.users.map((u) => ({ user: userRef(u) })),
              restrictions: l.restrictions,
            })),
          }
        : {}),
    };
  }

  const getSchedule = (id: string) => {
    const s = schedules.get(id);
    if (!s) throw notFound();
    return s;
  };

  /** Who the schedule has on call (layers, then overrides on top), as merged shifts. */
  function scheduleShifts(s: Schedule, from: number, until: number) {
    const sim: SimLayer[] = s.layers.map((l) => ({
      name: l.name,
      start: new Date(l.start).toISOString(),
      ...(l.end === null ? {} : { end: new Date(l.end).toISOString() }),
      rotationVirtualStart: new Date(l.rotationVirtualStart).toISOString(),
      rotationTurnLengthSeconds: l.rotationTurnLengthSeconds,
      users: l.users,
      restrictions: l.restrictions.map((r) => ({
        type: String(r.type),
        startTimeOfDay: String(r.start_time_of_day),
        durationSeconds: Number(r.duration_seconds),
        ...(r.start_day_of_week ? { startDayOfWeek: Number(r.start_day_of_week) } : {}),
      })),
    }));
    // Overrides act as a last layer that wins where it covers ("the last created override will have priority").
    for (const o of overrides.filter((x) => x.scheduleId === s.id && x.end > from && x.start < until)) {
      sim.push({
        start: new Date(o.start).toISOString(),
        end: new Date(o.end).toISOString(),
        rotationVirtualStart: new Date(o.start).toISOString(),
        rotationTurnLengthSeconds: 31_536_000,
        users: [o.user],
      });
    }
    return renderSchedule(s.timeZone, sim, new Date(from), new Date(until));
  }

  // ---- escalation policies ----

  function policyFrom(body: Obj, existing: Policy | undefined): Policy {
    if (typeof body.name !== "string" || body.name === "") throw invalid("name is required");
    const rules = arr(body.escalation_rules).map(obj);
    if (rules.length === 0) throw invalid("escalation_rules must not be empty");
    return {
      id: existing?.id ?? nextId("E"),
      name: body.name,
      description: typeof body.description === "string" ? body.description : "",
      num_loops: typeof body.num_loops === "number" ? body.num_loops : 0,
      teams: arr(body.teams).map(obj),
      rules: rules.map((r, i) => {
        const delay = r.escalation_delay_in_minutes;
        if (typeof delay !== "number" || delay < 1) throw invalid(`escalation_rules[${i}].escalation_delay_in_minutes must be at least 1`);
        const targets = arr(r.targets).map((t, j) => {
          const { id, type } = obj(t);
          const known =
            typeof id === "string" &&
            ((type === "user_reference" && users0.has(id)) || (type === "schedule_reference" && schedules.has(id)));
          if (!known) throw invalid(`escalation_rules[${i}].targets[${j}] is not a user_reference or schedule_reference that exists`);
          return { id: id as string, type: type as string };
        });
        if (targets.length === 0) throw invalid(`escalation_rules[${i}].targets must not be empty`);
        // A rule keeps its id when the update names it; otherwise it is a new rule.
        const known = typeof r.id === "string" ? existing?.rules.find((x) => x.id === r.id) : undefined;
        return { id: known?.id ?? nextId("R"), escalation_delay_in_minutes: delay, targets };
      }),
    };
  }

  function policyJson(p: Policy): Obj {
    return {
      ...ref("escalation_policy", p.id, p.name, "escalation_policies"),
      name: p.name,
      description: p.description,
      num_loops: p.num_loops,
      on_call_handoff_notifications: "if_has_services",
      escalation_rules: p.rules.map((r) => ({
        id: r.id,
        escalation_delay_in_minutes: r.escalation_delay_in_minutes,
        targets: r.targets.map((t) =>
          t.type === "user_reference" ? userRef(t.id) : ref("schedule_reference", t.id, schedules.get(t.id)?.name ?? t.id, "schedules"),
        ),
      })),
      services: [...services.values()]
        .filter((s) => s.escalationPolicy === p.id)
        .map((s) => ref("service_reference", s.id, String(s.body.name), "services")),
      teams: p.teams,
    };
  }

  // ---- services ----

  const timeoutFrom = (field: string, v: Json | undefined, previous: Json | undefined): Json => {
    // "Setting this field to 0, null (or unset in POST request) will disable the feature" (createService).
    if (v === undefined) return previous ?? null;
    if (v === null || v === 0) return null;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw invalid(`${field} must be a non-negative integer or null`);
    return v;
  };

  function serviceFrom(body: Obj, existing: Service | undefined): Service {
    const prev = existing?.body ?? {};
    const name = body.name ?? prev.name;
    if (typeof name !== "string" || name.trim() === "") throw invalid("name is required");
    const ep = obj(body.escalation_policy).id ?? existing?.escalationPolicy;
    if (typeof ep !== "string" || !policies.has(ep)) throw invalid("escalation_policy must be an escalation policy that exists");
    const merged: Obj = {
      name,
      description: typeof body.description === "string" ? body.description : (prev.description ?? ""),
      auto_resolve_timeout: timeoutFrom("auto_resolve_timeout", body.auto_resolve_timeout, prev.auto_resolve_timeout),
      acknowledgement_timeout: timeoutFrom("acknowledgement_timeout", body.acknowledgement_timeout, prev.acknowledgement_timeout),
      alert_creation:
        typeof body.alert_creation === "string" ? body.alert_creation : (prev.alert_creation ?? "create_alerts_and_incidents"),
      alert_grouping: body.alert_grouping === undefined ? (prev.alert_grouping ?? null) : body.alert_grouping,
      alert_grouping_timeout:
        body.alert_grouping_timeout === undefined ? (prev.alert_grouping_timeout ?? null) : body.alert_grouping_timeout,
      // The default rule when none is given: high urgency all day (Service.incident_urgency_rule).
      incident_urgency_rule: obj(body.incident_urgency_rule ?? prev.incident_urgency_rule ?? { type: "constant", urgency: "high" }),
      support_hours: body.support_hours ?? prev.support_hours ?? null,
      scheduled_actions: body.scheduled_actions ?? prev.scheduled_actions ?? [],
    };
    return {
      id: existing?.id ?? nextId("X"),
      body: merged,
      escalationPolicy: ep,
      createdAt: existing?.createdAt ?? isoIn(now().getTime(), "UTC"),
    };
  }

  function serviceJson(s: Service): Obj {
    const p = policies.get(s.escalationPolicy);
    return {
      ...ref("service", s.id, String(s.body.name), "services"),
      ...s.body,
      status: "active",
      created_at: s.createdAt,
      last_incident_timestamp: null,
      escalation_policy: ref("escalation_policy_reference", s.escalationPolicy, p?.name ?? s.escalationPolicy, "escalation_policies"),
      teams: [],
      addons: [],
      integrations: [...integrations.values()]
        .filter((i) => i.serviceId === s.id)
        .map((i) => ref(`${String(i.body.type)}_reference`, i.id, String(i.body.name), `services/${s.id}/integrations`)),
    };
  }

  const getService = (id: string) => {
    const s = services.get(id);
    if (!s) throw notFound();
    return s;
  };

  // ---- integrations ----

  const inboundTypes = new Set([
    "aws_cloudwatch_inbound_integration",
    "cloudkick_inbound_integration",
    "event_transformer_api_inbound_integration",
    "events_api_v2_inbound_integration",
    "generic_email_inbound_integration",
    "generic_events_api_inbound_integration",
    "keynote_inbound_integration",
    "nagios_inbound_integration",
    "pingdom_inbound_integration",
    "sql_monitor_inbound_integration",
  ]);

  function integrationFrom(serviceId: string, body: Obj, existing: Integration | undefined): Integration {
    const prev = existing?.body ?? {};
    const vendorId = obj(body.vendor).id ?? obj(prev.vendor).id;
    if (vendorId !== undefined && !vendors.some((v) => v.id === vendorId)) throw invalid("vendor must be a vendor that exists");
    const given = typeof body.type === "string" ? body.type : String(prev.type ?? "");
    // The provider sends "service_integration" when only a vendor is given; the stand-in records a
    // vendor integration as an Events API v1 integration, which is what Datadog's and Azure's are.
    const type = inboundTypes.has(given) ? given : vendorId !== undefined ? "generic_events_api_inbound_integration" : "";
    if (!type) throw invalid("type must be an inbound integration type, or vendor given");
    const id = existing?.id ?? nextId("I");
    return {
      id,
      serviceId,
      createdAt: existing?.createdAt ?? isoIn(now().getTime(), "UTC"),
      body: {
        name: typeof body.name === "string" ? body.name : (prev.name ?? ""),
        type,
        ...(vendorId !== undefined
          ? { vendor: ref("vendor_reference", String(vendorId), vendors.find((v) => v.id === vendorId)!.name, "vendors") }
          : {}),
        // A 32-character key, derived from the id so a second run gives the same one.
        integration_key: (prev.integration_key as string | undefined) ?? createHash("md5").update(`integration ${id}`).digest("hex"),
      },
    };
  }

  const integrationJson = (i: Integration): Obj => ({
    ...ref(String(i.body.type), i.id, String(i.body.name), `services/${i.serviceId}/integrations`),
    ...i.body,
    created_at: i.createdAt,
    service: ref("service_reference", i.serviceId, String(services.get(i.serviceId)?.body.name ?? ""), "services"),
  });

  const getIntegration = (serviceId: string, id: string) => {
    const i = integrations.get(id);
    if (!i || i.serviceId !== serviceId) throw notFound();
    return i;
  };

  // ---- routing ----

  type Handler = (m: RegExpExecArray, q: URLSearchParams, body: Obj) => [number, Json];
  const routes: [string, RegExp, Handler][] = [
    // listAbilities: the provider's credential check (v2.4.0 config.go ValidateAuth).
    ["GET", /^\/abilities$/, () => [200, { abilities: ["teams", "read_only_users", "urgencies", "service_support_hours"] }]],

    // listUsers: one page of users matching `query`; the getUser data source reads only this page.
    [
      "GET",
      /^\/users$/,
      (_m, q) => {
        const found = users
          .filter((u) => matches(q, u.name, u.email))
          .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
        const p = page(found, q);
        return [200, { users: p.page.map(userObj), ...p.meta }];
      },
    ],
    // getUser
    [
      "GET",
      /^\/users\/([^/]+)$/,
      (m) => {
        const u = users.find((x) => x.id === m[1]);
        if (!u) throw notFound();
        return [200, { user: userObj(u) }];
      },
    ],
    // updateUser: `{user: {email, name, ...}}`; only the fields given change (verify's tests edit an e-mail as
    // an administrator would in the web app).
    [
      "PUT",
      /^\/users\/([^/]+)$/,
      (m, _q, body) => {
        const u = users.find((x) => x.id === m[1]);
        if (!u) throw notFound();
        const given = obj(body.user);
        if (given.email !== undefined && (typeof given.email !== "string" || !given.email.includes("@"))) throw invalid("email is invalid");
        if (typeof given.email === "string") u.email = given.email;
        if (typeof given.name === "string") u.name = given.name;
        return [200, { user: userObj(u) }];
      },
    ],

    // listVendors: the reference has no `query` here, so every vendor is listed; the provider matches names itself.
    [
      "GET",
      /^\/vendors$/,
      (_m, q) => {
        const p = page(vendors, q);
        return [
          200,
          {
            vendors: p.page.map((v) => ({ ...ref("vendor", v.id, v.name, "vendors"), name: v.name, generic_service_type: "" })),
            ...p.meta,
          },
        ];
      },
    ],

    // listSchedules
    [
      "GET",
      /^\/schedules$/,
      (_m, q) => {
        const p = page(
          [...schedules.values()].filter((s) => matches(q, s.name)),
          q,
        );
        return [200, { schedules: p.page.map((s) => scheduleJson(s, false)), ...p.meta }];
      },
    ],
    // createSchedule
    [
      "POST",
      /^\/schedules$/,
      (_m, _q, body) => {
        const s = scheduleFrom(obj(body.schedule), undefined);
        schedules.set(s.id, s);
        return [201, { schedule: scheduleJson(s, true) }];
      },
    ],
    // getSchedule
    ["GET", /^\/schedules\/([^/]+)$/, (m) => [200, { schedule: scheduleJson(getSchedule(m[1]!), true) }]],
    // updateSchedule
    [
      "PUT",
      /^\/schedules\/([^/]+)$/,
      (m, _q, body) => {
        const s = scheduleFrom(obj(body.schedule), getSchedule(m[1]!));
        schedules.set(s.id, s);
        return [200, { schedule: scheduleJson(s, true) }];
      },
    ],
    // deleteSchedule: 400 while an escalation policy pages it (the provider retries a 400 for two minutes).
    [
      "DELETE",
      /^\/schedules\/([^/]+)$/,
      (m) => {
        const s = getSchedule(m[1]!);
        if ([...policies.values()].some((p) => p.rules.some((r) => r.targets.some((t) => t.id === s.id)))) {
          throw invalid("Schedule is used by an escalation policy");
        }
        schedules.delete(s.id);
        return [204, null];
      },
    ],
    // listScheduleOverrides: overrides overlapping since..until.
    [
      "GET",
      /^\/schedules\/([^/]+)\/overrides$/,
      (m, q) => {
        const s = getSchedule(m[1]!);
        const since = q.has("since") ? parseTime("since", q.get("since")) : -Infinity;
        const until = q.has("until") ? parseTime("until", q.get("until")) : Infinity;
        const found = overrides.filter((o) => o.scheduleId === s.id && o.end > since && o.start < until);
        return [200, { overrides: found.map((o) => overrideJson(o, s.timeZone)) }];
      },
    ],
    // createScheduleOverride: `{overrides: [...]}` answers a status per override; the deprecated single
    // `{override: {...}}` form answers `{override}`.
    [
      "POST",
      /^\/schedules\/([^/]+)\/overrides$/,
      (m, _q, body) => {
        const s = getSchedule(m[1]!);
        const one = (o: Obj): Override => {
          const user = obj(o.user).id;
          if (typeof user !== "string" || !users0.has(user)) throw invalid("user must be a user that exists");
          const start = parseTime("start", o.start);
          const end = parseTime("end", o.end);
          if (end <= start) throw invalid("Override must end after its start");
          return { id: nextId("O"), scheduleId: s.id, start, end, user };
        };
        if (body.override !== undefined) {
          const o = one(obj(body.override));
          overrides.push(o);
          return [201, { override: overrideJson(o, s.timeZone) }];
        }
        return [
          201,
          arr(body.overrides).map((raw) => {
            try {
              const o = one(obj(raw));
              overrides.push(o);
              return { status: 201, override: overrideJson(o, s.timeZone) };
            } catch (e) {
              if (!(e instanceof ApiError)) throw e;
              return { status: 400, errors: e.errors, override: obj(raw) };
            }
          }),
        ];
      },
    ],
    // deleteScheduleOverride
    [
      "DELETE",
      /^\/schedules\/([^/]+)\/overrides\/([^/]+)$/,
      (m) => {
        getSchedule(m[1]!);
        const i = overrides.findIndex((o) => o.scheduleId === m[1] && o.id === m[2]);
        if (i < 0) throw notFound();
        overrides.splice(i, 1);
        return [204, null];
      },
    ],

    // listOnCalls: per escalation policy and level, who is on call since..until (default: now); a
    // schedule target's shifts come from its layers with overrides on top, a user target is a
    // permanent on-call (start and end null).
    [
      "GET",
      /^\/oncalls$/,
      (_m, q) => {
        const at = now().getTime();
        const since = q.has("since") ? parseTime("since", q.get("since")) : at;
        const until = q.has("until") ? parseTime("until", q.get("until")) : since + 1;
        const wanted = (key: string, id: string) => q.getAll(`${key}[]`).length === 0 || q.getAll(`${key}[]`).includes(id);
        const out: Obj[] = [];
        for (const p of policies.values()) {
          if (!wanted("escalation_policy_ids", p.id)) continue;
          p.rules.forEach((r, level) => {
            for (const t of r.targets) {
              const policyRef = ref("escalation_policy_reference", p.id, p.name, "escalation_policies");
              if (t.type === "user_reference") {
                if (!wanted("user_ids", t.id) || q.getAll("schedule_ids[]").length > 0) continue;
                out.push({
                  escalation_policy: policyRef,
                  escalation_level: level + 1,
                  schedule: null,
                  user: userRef(t.id),
                  start: null,
                  end: null,
                });
                continue;
              }
              const s = schedules.get(t.id);
              if (!s || !wanted("schedule_ids", s.id)) continue;
              for (const shift of scheduleShifts(s, since, until)) {
                if (!wanted("user_ids", shift.user)) continue;
                out.push({
                  escalation_policy: policyRef,
                  escalation_level: level + 1,
                  schedule: ref("schedule_reference", s.id, s.name, "schedules"),
                  user: userRef(shift.user),
                  start: isoIn(shift.start, "UTC"),
                  end: isoIn(shift.end, "UTC"),
                });
              }
            }
          });
        }
        const p = page(out, q);
        return [200, { oncalls: p.page, ...p.meta }];
      },
    ],

    // createEscalationPolicy
    [
      "POST",
      /^\/escalation_policies$/,
      (_m, _q, body) => {
        const p = policyFrom(obj(body.escalation_policy), undefined);
        policies.set(p.id, p);
        return [201, { escalation_policy: policyJson(p) }];
      },
    ],
    // getEscalationPolicy
    [
      "GET",
      /^\/escalation_policies\/([^/]+)$/,
      (m) => {
        const p = policies.get(m[1]!);
        if (!p) throw notFound();
        return [200, { escalation_policy: policyJson(p) }];
      },
    ],
    // updateEscalationPolicy
    [
      "PUT",
      /^\/escalation_policies\/([^/]+)$/,
      (m, _q, body) => {
        const existing = policies.get(m[1]!);
        if (!existing) throw notFound();
        const p = policyFrom(obj(body.escalation_policy), existing);
        policies.set(p.id, p);
        return [200, { escalation_policy: policyJson(p) }];
      },
    ],
    // deleteEscalationPolicy: "The escalation policy must not be in use by any services."
    [
      "DELETE",
      /^\/escalation_policies\/([^/]+)$/,
      (m) => {
        const p = policies.get(m[1]!);
        if (!p) throw notFound();
        if ([...services.values()].some((s) => s.escalationPolicy === p.id)) throw invalid("Escalation policy is in use by a service");
        policies.delete(p.id);
        return [204, null];
      },
    ],

    // createService
    [
      "POST",
      /^\/services$/,
      (_m, _q, body) => {
        const s = serviceFrom(obj(body.service), undefined);
        services.set(s.id, s);
        return [201, { service: serviceJson(s) }];
      },
    ],
    // getService
    ["GET", /^\/services\/([^/]+)$/, (m) => [200, { service: serviceJson(getService(m[1]!)) }]],
    // updateService
    [
      "PUT",
      /^\/services\/([^/]+)$/,
      (m, _q, body) => {
        const s = serviceFrom(obj(body.service), getService(m[1]!));
        services.set(s.id, s);
        return [200, { service: serviceJson(s) }];
      },
    ],
    // deleteService: its integrations go with it.
    [
      "DELETE",
      /^\/services\/([^/]+)$/,
      (m) => {
        const s = getService(m[1]!);
        for (const i of [...integrations.values()]) if (i.serviceId === s.id) integrations.delete(i.id);
        services.delete(s.id);
        return [204, null];
      },
    ],

    // createServiceIntegration
    [
      "POST",
      /^\/services\/([^/]+)\/integrations$/,
      (m, _q, body) => {
        const s = getService(m[1]!);
        const i = integrationFrom(s.id, obj(body.integration), undefined);
        integrations.set(i.id, i);
        return [201, { integration: integrationJson(i) }];
      },
    ],
    // getServiceIntegration
    ["GET", /^\/services\/([^/]+)\/integrations\/([^/]+)$/, (m) => [200, { integration: integrationJson(getIntegration(m[1]!, m[2]!)) }]],
    // updateServiceIntegration
    [
      "PUT",
      /^\/services\/([^/]+)\/integrations\/([^/]+)$/,
      (m, _q, body) => {
        const i = integrationFrom(m[1]!, obj(body.integration), getIntegration(m[1]!, m[2]!));
        integrations.set(i.id, i);
        return [200, { integration: integrationJson(i) }];
      },
    ],
    // Not in the REST API v2 reference (it has no deleteServiceIntegration), but the provider's Delete
    // calls it (go-pagerduty service.go DeleteIntegration), so the stand-in removes the integration.
    [
      "DELETE",
      /^\/services\/([^/]+)\/integrations\/([^/]+)$/,
      (m) => {
        integrations.delete(getIntegration(m[1]!, m[2]!).id);
        return [204, null];
      },
    ],
  ];

  function overrideJson(o: Override, zone: string): Obj {
    return {
      ...ref("override", o.id, o.id, `schedules/${o.scheduleId}/overrides`),
      start: isoIn(o.start, zone),
      end: isoIn(o.end, zone),
      user: userRef(o.user),
    };
  }

  function send(res: ServerResponse, status: number, payload: Json) {
    if (status === 204) {
      res.writeHead(204).end();
      return;
    }
    const text = JSON.stringify(payload);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    let body: Json | undefined;
    try {
      body = raw ? (JSON.parse(raw) as Json) : undefined;
    } catch {
      send(res, 400, { error: { message: "Invalid JSON", code: 2001, errors: [] } });
      return;
    }
    requests.push({ method, path: url.pathname + url.search, ...(body === undefined ? {} : { body }) });
    // Authentication: `Authorization: Token token=<key>` (REST API v2 reference, "Authentication").
    if (seed.token !== undefined && req.headers.authorization !== `Token token=${seed.token}`) {
      send(res, 401, { error: { message: "Unauthorized", code: 2006, errors: [] } });
      return;
    }
    for (const [m, pattern, handler] of routes) {
      const match = m === method ? pattern.exec(url.pathname) : null;
      if (!match) continue;
      try {
        const [status, payload] = handler(match, url.searchParams, obj(body));
        send(res, status, payload);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        send(res, e.status, { error: { message: e.message, code: e.code, errors: e.errors } });
      }
      return;
    }
    unhandled.push(`${method} ${url.pathname}`);
    send(res, 404, { error: { message: `Not Found: no route ${method} ${url.pathname}`, code: 2100, errors: [] } });
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { error: { message: String(e), code: 2000, errors: [] } }));
  };
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const secure = seed.tls ? await serveTls(listener) : undefined;

  return {
    url: base,
    ...(secure ? { httpsUrl: secure.url } : {}),
    close: async () => {
      await secure?.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      });
    },
    // Ids and times only, no URLs: the port differs between runs.
    state: () => ({
      users: users.map((u) => ({ ...u })),
      vendors: vendors.map((v) => ({ ...v })),
      schedules: [...schedules.values()].map((s) => ({
        id: s.id,
        name: s.name,
        description: s.description,
        time_zone: s.timeZone,
        layers: s.layers.map((l) => ({
          id: l.id,
          name: l.name,
          start: new Date(l.start).toISOString(),
          end: l.end === null ? null : new Date(l.end).toISOString(),
          rotation_virtual_start: new Date(l.rotationVirtualStart).toISOString(),
          rotation_turn_length_seconds: l.rotationTurnLengthSeconds,
          users: l.users,
          restrictions: l.restrictions,
        })),
      })),
      overrides: overrides.map((o) => ({
        id: o.id,
        schedule: o.scheduleId,
        start: new Date(o.start).toISOString(),
        end: new Date(o.end).toISOString(),
        user: o.user,
      })),
      escalationPolicies: [...policies.values()].map((p) => ({
        id: p.id,
        name: p.name,
        description: p.description,
        num_loops: p.num_loops,
        rules: p.rules as unknown as Json,
      })),
      services: [...services.values()].map((s) => ({
        id: s.id,
        escalation_policy: s.escalationPolicy,
        created_at: s.createdAt,
        ...s.body,
      })),
      integrations: [...integrations.values()].map((i) => ({
        id: i.id,
        service: i.serviceId,
        name: i.body.name ?? "",
        type: i.body.type ?? "",
        vendor: obj(i.body.vendor).id ?? null,
        integration_key: i.body.integration_key ?? "",
      })),
      requests: requests.map((r) => ({ ...r })),
      unhandled: [...unhandled],
    }),
  };
}
