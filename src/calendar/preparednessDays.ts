/**
 * Which calendar dates are holiday preparedness days for a customer.
 *
 * Rules (README, "The holiday roster"; the product design in /work/shared/DESIGN.md, "Holiday calendar"):
 * - The three working weekdays before the country's Easter public holidays (holyWeekDays: Monday to
 *   Wednesday in DK and NO, Tuesday to Thursday in SE and FI), the day after Ascension Day, 27–30 December, and
 *   Monday to Friday of the summer ISO weeks (the customer's `summerWeeks`).
 * - `extraDays` add days (kind `extra`); `skipDays` remove days and win over `extraDays`.
 * - Weekends and the country's public holidays are never preparedness days. That holds for
 *   `extraDays` too: such a day is dropped here, and `holidayOptionProblems()` is how the
 *   validator reports it (and a `skipDays` entry that skips nothing).
 * - A date two rules produce keeps the first kind in the order above; defaults beat `extra`.
 */
import { christmasDays } from "../facts/extended.js";
import type { HolidayOptions } from "../customer/schema.js";
import { easterSunday } from "./easter.js";
import { computePublicHolidayNames, isHolidayCountry } from "../facts/holidayTables.js";

export type PreparednessKind = "easter" | "ascension" | "christmas" | "summer" | "extra";

export const preparednessKindTitles: Record<PreparednessKind, string> = {
  easter: "Holy Week",
  ascension: "Day after Ascension",
  christmas: "Christmas to New Year",
  summer: "Summer holiday",
  extra: "Extra day",
};

export interface PreparednessDay {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  kind: PreparednessKind;
}

export interface CalendarOptions {
  /** ISO 3166 code whose public holidays are never preparedness days. */
  country: string;
  /** The validator's `summerWeeksOutsideJuly` plays no part in the calendar itself. */
  holidays: Pick<HolidayOptions, "summerWeeks" | "extraDays" | "skipDays">;
}

export function preparednessDays(options: CalendarOptions, year: number): PreparednessDay[] {
  const candidates = new Map<string, PreparednessKind>();
  const add = (date: string, kind: PreparednessKind) => {
    if (date.startsWith(`${year}-`) && !candidates.has(date)) candidates.set(date, kind);
  };

  const easter = easterSunday(year);
  const holidays = publicHolidays(options.country, year);
  for (const date of holyWeekDays(easter, holidays)) add(date, "easter");
  add(addDays(easter, 40), "ascension");
  for (const day of christmasDays) add(`${year}-12-${String(day).padStart(2, "0")}`, "christmas");

  // Week 1 and weeks 52/53 straddle New Year, so neighbouring week-years contribute dates too.
  for (const weekNumber of options.holidays.summerWeeks) {
    for (const weekYear of [year - 1, year, year + 1]) {
      const monday = isoWeekMonday(weekYear, weekNumber);
      // A week belongs to the year of its Thursday; week 53 of a 52-week year doesn't exist.
      if (!addDays(monday, 3).startsWith(`${weekYear}-`)) continue;
      for (let weekday = 0; weekday < 5; weekday++) add(addDays(monday, weekday), "summer");
    }
  }

  for (const date of options.holidays.extraDays) add(date, "extra");

  const skip = new Set(options.holidays.skipDays);
  return [...candidates]
    .filter(([date]) => !skip.has(date) && !holidays.has(date) && !isWeekend(date))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, kind]) => ({ date, kind }));
}

/**
 * "The three weekdays leading up to Easter": the three working weekdays just before the country's
 * first Easter public holiday, from Maundy Thursday (Easter -3) to Easter Monday (+1). Only
 * `type: public` days count (publicHolidays), not observances. Where Maundy Thursday is a public
 * holiday (DK, NO) that is Monday to Wednesday; where Good Friday is the first (SE, FI), Tuesday
 * to Thursday. A country with none of them keeps Easter -6 to -4, Monday to Wednesday.
 */
export function holyWeekDays(easter: string, holidays: ReadonlySet<string>): string[] {
  const first = [-3, -2, -1, 0, 1].map((offset) => addDays(easter, offset)).find((date) => holidays.has(date));
  if (first === undefined) return [-6, -5, -4].map((offset) => addDays(easter, offset));
  const days: string[] = [];
  for (let date = addDays(first, -1); days.length < 3; date = addDays(date, -1)) {
    if (!isWeekend(date) && !holidays.has(date)) days.unshift(date);
  }
  return days;
}

// date-holidays evaluates its rules on every call; memoise, as windows are recomputed often.
const holidaysByYear = new Map<string, ReadonlyMap<string, string>>();
const holidayDatesByYear = new Map<string, ReadonlySet<string>>();

/** Public holidays (`type: public` only) of a country in a year, as `YYYY-MM-DD` dates. */
export function publicHolidays(country: string, year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  let dates = holidayDatesByYear.get(key);
  if (!dates) {
    dates = new Set(publicHolidayNames(country, year).keys());
    holidayDatesByYear.set(key, dates);
  }
  return dates;
}

/** Public holidays of a country in a year: date → English name (the local one if none). */
export function publicHolidayNames(country: string, year: number): ReadonlyMap<string, string> {
  const key = `${country}:${year}`;
  const known = holidaysByYear.get(key);
  if (known) return known;
  // Without this check an unknown country would silently have no holidays at all.
  if (!isHolidayCountry(country)) throw new Error(`date-holidays knows no public holidays for country '${country}'`);
  const names = computePublicHolidayNames(country, year);
  holidaysByYear.set(key, names);
  return names;
}

// Plain-date arithmetic on UTC midnights: no zone is involved, and luxon is slow at this.
const dayMs = 86_400_000;

function utc(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function addDays(date: string, days: number): string {
  return new Date(utc(date) + days * dayMs).toISOString().slice(0, 10);
}

export function isWeekend(date: string): boolean {
  const day = new Date(utc(date)).getUTCDay();
  return day === 0 || day === 6;
}

function isoWeekMonday(weekYear: number, week: number): string {
  // 4 January is always in ISO week 1.
  const jan4 = `${String(weekYear).padStart(4, "0")}-01-04`;
  const sinceMonday = (new Date(utc(jan4)).getUTCDay() + 6) % 7;
  return addDays(jan4, 7 * (week - 1) - sinceMonday);
}
