/**
 * A small model of how PagerDuty renders a schedule, for checking generated layers offline.
 *
 * Semantics modelled (PagerDuty "Schedules" API, schedule layers):
 * - A layer is on call from `start` to `end` (open-ended without `end`).
 * - Restrictions, if any, mask the layer to their spans: a daily restriction is a span starting
 *   at `startTimeOfDay` every local day; a weekly one starts on `startDayOfWeek` (1 = Monday).
 *   Local means the schedule's time zone.
 * - Turns start at `rotationVirtualStart + k * rotationTurnLengthSeconds`; turn k belongs to
 *   `users[k mod users.length]`. Restrictions mask turns; they don't shift them.
 * - Where layers overlap, the later layer in the list wins.
 * It also enforces the API's input rules, so an invalid layer fails here instead of in `pulumi up`.
 */
import { DateTime } from "luxon";

export interface SimRestriction {
  type: string;
  startTimeOfDay: string;
  durationSeconds: number;
  startDayOfWeek?: number;
}

export interface SimLayer {
  name?: string;
  start: string;
  end?: string;
  rotationVirtualStart: string;
  rotationTurnLengthSeconds: number;
  users: readonly string[];
  restrictions?: readonly SimRestriction[];
}

/** A stretch of on-call time, epoch milliseconds, end exclusive. */
export interface Shift {
  start: number;
  end: number;
  user: string;
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function validateLayer(layer: SimLayer): void {
  const where = `layer '${layer.name ?? layer.start}'`;
  for (const field of ["start", "end", "rotationVirtualStart"] as const) {
    const value = layer[field];
    if (value !== undefined && !rfc3339.test(value)) throw new Error(`${where}: ${field} '${value}' is not RFC 3339`);
  }
  if (layer.end !== undefined && Date.parse(layer.end) <= Date.parse(layer.start)) {
    throw new Error(`${where}: end is not after start`);
  }
  const turn = layer.rotationTurnLengthSeconds;
  if (!Number.isInteger(turn) || turn < 3600 || turn > 31_536_000) {
    throw new Error(`${where}: rotationTurnLengthSeconds ${turn} is outside 3600..31536000`);
  }
  if (layer.users.length < 1) throw new Error(`${where}: needs at least one user`);
  for (const r of layer.restrictions ?? []) {
    if (!/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(r.startTimeOfDay)) {
      throw new Error(`${where}: startTimeOfDay '${r.startTimeOfDay}' is not HH:mm:ss`);
    }
    if (r.type === "daily_restriction") {
      if (!(r.durationSeconds > 0 && r.durationSeconds < 86_400)) throw new Error(`${where}: daily restriction must be shorter than a day`);
    } else if (r.type === "weekly_restriction") {
      if (!(r.durationSeconds > 0 && r.durationSeconds <= 7 * 86_400)) throw new Error(`${where}: weekly restriction longer than a week`);
      if (!(Number.isInteger(r.startDayOfWeek) && r.startDayOfWeek! >= 1 && r.startDayOfWeek! <= 7)) {
        throw new Error(`${where}: weekly restriction needs startDayOfWeek 1..7`);
      }
    } else {
      throw new Error(`${where}: restriction type '${r.type}' is neither daily_restriction nor weekly_restriction`);
    }
  }
}

/** Who is on call between `from` and `until`, as merged shifts in time order. */
export function renderSchedule(timeZone: string, layers: readonly SimLayer[], from: Date, until: Date): Shift[] {
  if (!DateTime.now().setZone(timeZone).isValid) throw new Error(`unknown time zone '${timeZone}'`);
  const perLayer = layers.map((layer) => {
    validateLayer(layer);
    return layerShifts(timeZone, layer, from.getTime(), until.getTime());
  });

  const cuts = [...new Set(perLayer.flat().flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const shifts: Shift[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    let user: string | undefined;
    for (const layerShifts of perLayer) {
      const covering = layerShifts.find((s) => s.start <= start && s.end >= end);
      if (covering) user = covering.user;
    }
    if (user === undefined) continue;
    const last = shifts.at(-1);
    if (last && last.end === start && last.user === user) last.end = end;
    else shifts.push({ start, end, user });
  }
  return shifts;
}

function layerShifts(timeZone: string, layer: SimLayer, from: number, until: number): Shift[] {
  const lo = Math.max(Date.parse(layer.start), from);
  const hi = Math.min(layer.end === undefined ? Infinity : Date.parse(layer.end), until);
  if (lo >= hi) return [];
  const spans = layer.restrictions?.length ? restrictionSpans(timeZone, layer.restrictions, lo, hi) : [[lo, hi] as const];

  const virtualStart = Date.parse(layer.rotationVirtualStart);
  const turn = layer.rotationTurnLengthSeconds * 1000;
  const shifts: Shift[] = [];
  for (const [s, e] of spans) {
    for (let t = s; t < e; ) {
      const k = Math.floor((t - virtualStart) / turn);
      const turnEnd = Math.min(e, virtualStart + (k + 1) * turn);
      const n = layer.users.length;
      shifts.push({ start: t, end: turnEnd, user: layer.users[((k % n) + n) % n]! });
      t = turnEnd;
    }
  }
  return shifts;
}

function restrictionSpans(
  timeZone: string,
  restrictions: readonly SimRestriction[],
  lo: number,
  hi: number,
): (readonly [number, number])[] {
  const raw: [number, number][] = [];
  // Start a week early so a span that began before `lo` still counts.
  const firstDay = DateTime.fromMillis(lo, { zone: timeZone }).startOf("day").minus({ days: 7 });
  const lastDay = DateTime.fromMillis(hi, { zone: timeZone }).startOf("day");
  for (let day = firstDay; day <= lastDay; day = day.plus({ days: 1 })) {
    for (const r of restrictions) {
      if (r.type === "weekly_restriction" && day.weekday !== r.startDayOfWeek) continue;
      const [h, m, s] = r.startTimeOfDay.split(":").map(Number) as [number, number, number];
      const start = day.set({ hour: h, minute: m, second: s }).toMillis();
      const a = Math.max(start, lo);
      const b = Math.min(start + r.durationSeconds * 1000, hi);
      if (a < b) raw.push([a, b]);
    }
  }
  raw.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of raw) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

/** Who a schedule has on call at `at`, or undefined in a gap. */
export function onCallAt(timeZone: string, layers: readonly SimLayer[], at: Date): string | undefined {
  const shifts = renderSchedule(timeZone, layers, at, new Date(at.getTime() + 1000));
  return shifts.find((s) => s.start <= at.getTime() && s.end > at.getTime())?.user;
}

// ---------------------------------------------------------------------------------------------
// Escalation policies.
//
// Semantics modelled:
// - Rule targets are `user_reference` or `schedule_reference`, nothing else
//   (terraform-provider-pagerduty website/docs/r/escalation_policy.html.markdown, `target.type`).
// - A new incident is assigned to the first rule with someone on call at that moment; with nobody
//   on call in any rule it is dropped (PagerDuty's answer in community.pagerduty.com/forum/t/2191,
//   "How do assignation and escalation work when nobody is on call for a particular schedule?").
// - Unacknowledged after `escalation_delay_in_minutes`, it escalates to the next rule; after the
//   last rule it starts over, `num_loops` times ("the number of times the escalation policy will
//   repeat after reaching the end of its escalation", same docs page).
// - A rule reached by escalation with nobody on call is passed straight on to the next. PagerDuty
//   documents that for assignment only; for escalation it is an assumption, and the policies here
//   never depend on it: standing support, the last rule, is always staffed.
// Nobody acknowledges in this model: it lists every page an unanswered incident makes.

export interface SimTarget {
  type: string;
  id: string;
}
export interface SimRule {
  escalationDelayInMinutes: number;
  targets: readonly SimTarget[];
}
export interface SimPolicy {
  numLoops?: number;
  rules: readonly SimRule[];
}
/** Who a target has on call at an instant: a user is always themself, a schedule maybe nobody. */
export type TargetOnCall = (target: SimTarget, at: Date) => string | undefined;

export interface Page {
  /** Minutes after the incident triggered. */
  minute: number;
  /** Index of the rule, and which pass through the policy (0 = the first). */
  rule: number;
  loop: number;
  users: string[];
}

export function escalationPages(policy: SimPolicy, onCall: TargetOnCall, triggeredAt: Date): Page[] {
  if (policy.rules.length === 0) throw new Error("escalation policy has no rules");
  for (const rule of policy.rules) {
    for (const t of rule.targets) {
      if (t.type !== "user_reference" && t.type !== "schedule_reference") {
        throw new Error(`target type '${t.type}' is not user_reference or schedule_reference`);
      }
    }
  }
  const usersAt = (rule: SimRule, minute: number) => {
    const at = new Date(triggeredAt.getTime() + minute * 60_000);
    return [...new Set(rule.targets.map((t) => onCall(t, at)).filter((u): u is string => u !== undefined))];
  };

  const first = policy.rules.findIndex((r) => usersAt(r, 0).length > 0);
  if (first < 0) return [];
  const pages: Page[] = [];
  let minute = 0;
  let loop = 0;
  let rule = first;
  let emptyInARow = 0;
  while (loop <= (policy.numLoops ?? 0)) {
    const users = usersAt(policy.rules[rule]!, minute);
    if (users.length) {
      pages.push({ minute, rule, loop, users });
      minute += policy.rules[rule]!.escalationDelayInMinutes;
      emptyInARow = 0;
    } else if (++emptyInARow >= policy.rules.length) {
      break;
    }
    rule++;
    if (rule === policy.rules.length) {
      rule = 0;
      loop++;
    }
  }
  return pages;
}

// ---------------------------------------------------------------------------------------------
// The provider's `layer` list, across `pulumi up` runs.
//
// Semantics modelled (terraform-provider-pagerduty pagerduty/resource_pagerduty_schedule.go):
// - `layer` is a list; its `id` is computed, so the configuration's i-th layer takes the id of the
//   i-th layer in state, and a changed layer at that position is an update of that id.
// - Update: every layer id in the old state that is not in the new list is sent with `end` = now
//   ("A schedule layer can never be removed but it can be ended"); the API keeps ended layers.
// - Update does not read the schedule back, so state afterwards is the configuration as sent.
// - Read (`flattenScheduleLayers`): a layer whose `end` is past is not read back; the API's order is
//   reversed into the configuration's, which this model keeps by storing layers in that order.
// - Layers beyond the state's length are new: the API gives them ids.

type LayerContent = Omit<SimLayer, "name"> & { name?: string };
export interface ProviderLayer extends LayerContent {
  id: string;
}

export interface UpResult {
  created: string[];
  /** Ids whose content the update changed: what an engineer would see as a rewritten layer. */
  rewritten: { id: string; from: string; to: string }[];
  /** Ids the provider ended because they had dropped out of the list. */
  ended: string[];
}

const contentKey = (l: LayerContent) =>
  JSON.stringify([l.start, l.end ?? null, l.rotationVirtualStart, l.rotationTurnLengthSeconds, l.users, l.restrictions ?? []]);

export class ProviderScheduleModel {
  /** Every layer the API holds, ended ones included, in configuration order. */
  readonly api: ProviderLayer[] = [];
  state: ProviderLayer[] = [];
  private nextId = 1;

  /** `pulumi refresh` (or `up --refresh`): state becomes what Read returns. */
  refresh(now: Date): void {
    this.state = this.api.filter((l) => l.end === undefined || Date.parse(l.end) > now.getTime()).map((l) => ({ ...l }));
  }

  up(config: readonly LayerContent[], now: Date): UpResult {
    const result: UpResult = { created: [], rewritten: [], ended: [] };
    const next: ProviderLayer[] = config.map((layer, i) => {
      const old = this.state[i];
      if (!old) {
        const id = `L${this.nextId++}`;
        result.created.push(id);
        this.api.push({ ...layer, id });
        return { ...layer, id };
      }
      if (contentKey(old) !== contentKey(layer)) {
        result.rewritten.push({ id: old.id, from: old.name ?? old.start, to: layer.name ?? layer.start });
        const apiLayer = this.api.find((l) => l.id === old.id)!;
        Object.assign(apiLayer, layer, { id: old.id });
      }
      return { ...layer, id: old.id };
    });
    for (const old of this.state.slice(config.length)) {
      result.ended.push(old.id);
      this.api.find((l) => l.id === old.id)!.end = now.toISOString();
    }
    this.state = next;
    return result;
  }

  /** What PagerDuty renders: every layer the API holds, each over its own start to end. */
  apiLayers(): SimLayer[] {
    return this.api.map(({ id: _id, ...layer }) => layer);
  }
}
