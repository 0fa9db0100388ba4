/**
 * Rules a roster must keep to be trusted as the holiday roster: summer weeks in July, and never
 * one person on two roles on the same day. Pure; the loader turns the findings into positions.
 */
import { roles, type Role } from "../facts/extended.js";
import { holidayWindows, onDuty, type CustomerCalendar } from "./windows.js";

/** How many years the Gregorian calendar takes to repeat its weekday pattern; every ISO week layout occurs in it. */
const calendarCycle = 28;

/**
 * The first year from `fromYear` in which ISO week `week`'s weekdays include no July date (or the
 * week doesn't exist), with that week's Monday and Friday; undefined when it is a July week every year.
 */
export function weekOutsideJuly(week: number, fromYear: number): { year: number; monday?: string; friday?: string } | undefined {
  for (let year = fromYear; year < fromYear + calendarCycle; year++) {
    const monday = isoWeekMonday(year, week);
    if (monday === undefined) return { year };
    const friday = new Date(monday.getTime() + 4 * day);
    if (monday.getUTCMonth() !== 6 && friday.getUTCMonth() !== 6) return { year, monday: isoDate(monday), friday: isoDate(friday) };
  }
  return undefined;
}

const day = 24 * 60 * 60 * 1000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Monday (UTC midnight) of ISO 8601 week `week` of ISO year `year`, or undefined when that year has
 * no such week. Week 1 is the week holding 4 January; a year has week 53 when it starts on a
 * Thursday, or is a leap year starting on a Wednesday. Plain arithmetic: this runs for every
 * summer week of every customer loaded, where a calendar library's set-up was a tenth of a preview.
 */
export function isoWeekMonday(year: number, week: number): Date | undefined {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const weeks = jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
  if (!Number.isInteger(week) || week < 1 || week > weeks) return undefined;
  const jan4 = Date.UTC(year, 0, 4);
  const isoWeekday = new Date(jan4).getUTCDay() || 7;
  return new Date(jan4 - (isoWeekday - 1) * day + (week - 1) * 7 * day);
}

export interface DoubleDuty {
  person: string;
  /** The role earlier in `roles` order, and the later one, whose list entry the problem points at. */
  roles: [Role, Role];
  /** Index of the person in the later role's list. */
  index: number;
  dates: string[];
}

/** Every person the rotation would put on two roles on one preparedness day of `years`. */
export function doubleDuties(calendar: CustomerCalendar, roster: Record<Role, readonly string[]>, years: readonly number[]): DoubleDuty[] {
  const windows = years.flatMap((y) => holidayWindows(calendar, y));
  const found: DoubleDuty[] = [];
  roles.forEach((first, i) => {
    for (const second of roles.slice(i + 1)) {
      roster[second].forEach((person, index) => {
        const key = person.toLowerCase();
        if (!roster[first].some((p) => p.toLowerCase() === key)) return;
        const dates = windows
          .filter((w) => onDuty(w, roster[first]).toLowerCase() === key && onDuty(w, roster[second]).toLowerCase() === key)
          .map((w) => w.date);
        if (dates.length) found.push({ person, roles: [first, second], index, dates });
      });
    }
  });
  return found;
}
