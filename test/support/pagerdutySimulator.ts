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
