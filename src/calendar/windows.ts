/**
 * Preparedness windows (08:00–16:00 local) and who is on duty in each.
 */
import { DateTime } from "luxon";
import { preparednessHours, roles, type Role } from "../extended";
import { preparednessDays, type CalendarOptions, type PreparednessDay } from "./preparednessDays";

export interface CustomerCalendar extends CalendarOptions {
  /** IANA zone the windows are local to. */
  timezone: string;
}

export interface PreparednessWindow extends PreparednessDay {
  /** RFC 3339 with the offset in force on that date, e.g. `2027-03-22T08:00:00+01:00`. */
  start: string;
  end: string;
  /**
   * 0-based position of the day among its calendar year's preparedness days. The rotation is
   * anchored here, so who covers a day never depends on as-of.
   */
  ordinal: number;
}

export function holidayWindows(calendar: CustomerCalendar, year: number): PreparednessWindow[] {
  return preparednessDays(calendar, year).map((day, ordinal) => ({
    ...day,
    start: localInstant(day.date, preparednessHours.start, calendar.timezone),
    end: localInstant(day.date, preparednessHours.end, calendar.timezone),
    ordinal,
  }));
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
  const asOfYear = DateTime.fromJSDate(asOf, { zone: calendar.timezone }).year;
  const throughYear = horizon.throughYear ?? asOfYear + 1;
  const windows: PreparednessWindow[] = [];
  for (let year = asOfYear; year <= throughYear; year++) {
    for (const w of holidayWindows(calendar, year)) {
      if (Date.parse(w.end) > asOf.getTime()) windows.push(w);
    }
  }
  return windows;
}

/** The person of a role who covers a window: round robin in roster order, by the day's ordinal. */
export function onDuty(window: Pick<PreparednessWindow, "ordinal">, people: readonly string[]): string {
  const person = people[window.ordinal % people.length];
  if (person === undefined) throw new Error("onDuty: the role has nobody in it");
  return person;
}

export interface RosterDay extends PreparednessWindow {
  onDuty: Record<Role, string>;
}

export function dutyRoster(windows: readonly PreparednessWindow[], roster: Record<Role, readonly string[]>): RosterDay[] {
  return windows.map((w) => ({
    ...w,
    onDuty: Object.fromEntries(roles.map((role) => [role, onDuty(w, roster[role])])) as Record<Role, string>,
  }));
}

function localInstant(date: string, time: string, zone: string): string {
  const dt = DateTime.fromISO(`${date}T${time}:00`, { zone });
  if (!dt.isValid) throw new Error(`${date} ${time} in '${zone}': ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toISO({ suppressMilliseconds: true });
}
