/**
 * Rules a roster must keep to be trusted as the holiday roster: summer weeks in July, and never
 * one person on two roles on the same day. Pure; the loader turns the findings into positions.
 */
import { luxon } from "../facts/lazy.js";
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
    const monday = luxon().DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: "UTC" });
    if (!monday.isValid || monday.weekYear !== year || monday.weekNumber !== week) return { year };
    const friday = monday.plus({ days: 4 });
    if (monday.month !== 7 && friday.month !== 7) return { year, monday: monday.toISODate()!, friday: friday.toISODate()! };
  }
  return undefined;
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
