/**
 * Preparedness windows (08:00–16:00 local) and who is on duty in each.
 */
import { luxon } from "../facts/lazy.js";
import { preparednessHours, roles, type Role } from "../facts/extended.js";
import { localInstant, yearInKnownZone, zoneYear } from "../facts/zoneTables.js";
import { preparednessDays, type CalendarOptions, type PreparednessDay } from "./preparednessDays.js";
import type { Roster } from "./rosterChanges.js";

export interface CustomerCalendar extends CalendarOptions {
  /** IANA zone the windows are local to. */
  timezone: string;
}

export interface PreparednessWindow extends PreparednessDay {
  /** RFC 3339 with the offset in force on that date, e.g. `2027-03-22T08:00:00+01:00`. */
  start: string;
  end: string;
}

// luxon's zone arithmetic is most of a year's windows; many customers share one calendar.
const windowsByCalendar = new Map<string, readonly PreparednessWindow[]>();

export function holidayWindows(calendar: CustomerCalendar, year: number): PreparednessWindow[] {
  const key = JSON.stringify([calendar.timezone, calendar.country, calendar.holidays, year]);
  let windows = windowsByCalendar.get(key);
  if (!windows) {
    const kept = zoneYear(calendar.timezone, year);
    windows = Object.freeze(
      preparednessDays(calendar, year).map((day) =>
        Object.freeze({
          ...day,
          start: kept?.[day.date]?.[0] ?? localInstant(day.date, preparednessHours.start, calendar.timezone),
          end: kept?.[day.date]?.[1] ?? localInstant(day.date, preparednessHours.end, calendar.timezone),
        }),
      ),
    );
    windowsByCalendar.set(key, windows);
  }
  return [...windows];
}

export interface Horizon {
  /** Last calendar year included; default: the year after the as-of year (in the customer's zone). */
  throughYear?: number;
}

/**
 * Windows that have not ended at `asOf`, through the end of the horizon. A window in progress
 * at `asOf` is kept whole: its start stays in the past, so moving as-of never changes it.
 */
export function upcomingWindows(calendar: CustomerCalendar, asOf: Date, horizon: Horizon = {}): PreparednessWindow[] {
  const asOfYear =
    yearInKnownZone(asOf.getTime(), calendar.timezone) ?? luxon().DateTime.fromJSDate(asOf, { zone: calendar.timezone }).year;
  const throughYear = horizon.throughYear ?? asOfYear + 1;
  const windows: PreparednessWindow[] = [];
  for (let year = asOfYear; year <= throughYear; year++) {
    for (const w of holidayWindows(calendar, year)) {
      if (Date.parse(w.end) > asOf.getTime()) windows.push(w);
    }
  }
  return windows;
}

const rotationEpoch = Date.parse("1970-01-05T00:00:00Z");

/**
 * Weekdays (Monday to Friday) from Monday 1970-01-05 to `date`, which is weekday 0; negative
 * before it. Weekends don't count, so Friday and the next Monday are consecutive numbers.
 */
export function weekdayNumber(date: string): number {
  const days = (Date.parse(`${date}T00:00:00Z`) - rotationEpoch) / 86_400_000;
  if (!Number.isInteger(days)) throw new RangeError(`weekdayNumber: '${date}' is not a YYYY-MM-DD date`);
  const week = Math.floor(days / 7);
  const weekday = days - 7 * week;
  if (weekday > 4) throw new RangeError(`weekdayNumber: ${date} is a weekend day; preparedness days are weekdays`);
  return 5 * week + weekday;
}

/**
 * The person of a role who covers a window: `people[weekdayNumber(date) mod n]`.
 *
 * The date alone decides, never the other preparedness days: adding or skipping a day changes
 * that day only, the rotation runs on across New Year, and as-of plays no part. Counting weekdays
 * rather than calendar days keeps consecutive weekdays rotating (with three people, calendar days
 * would give Friday and Monday to the same person; with seven, two would never be on duty).
 * A public holiday uses up its number, so the day after it may repeat the day before's person.
 */
export function onDuty(window: Pick<PreparednessWindow, "date">, people: readonly string[]): string {
  const n = people.length;
  const person = people[((weekdayNumber(window.date) % n) + n) % n];
  if (person === undefined) throw new Error("onDuty: the role has nobody in it");
  return person;
}

export interface RosterDay extends PreparednessWindow {
  onDuty: Record<Role, string>;
  /** The roles a roster change gives to someone else this day: whom the rotation had, and why. */
  changes?: Partial<Record<Role, { from: string; reason: string }>>;
}

/** Who covers each role each day: the rotation, with the roster's changes on their days (rosterChanges.ts). */
export function dutyRoster(windows: readonly PreparednessWindow[], roster: Roster): RosterDay[] {
  return windows.map((w) => {
    const changed = roster.changes?.filter((c) => c.day === w.date) ?? [];
    const day: RosterDay = {
      ...w,
      onDuty: Object.fromEntries(
        roles.map((role) => [role, changed.find((c) => c.role === role)?.to ?? onDuty(w, roster[role])]),
      ) as Record<Role, string>,
    };
    if (changed.length) day.changes = Object.fromEntries(changed.map((c) => [c.role, { from: c.from, reason: c.reason }]));
    return day;
  });
}
