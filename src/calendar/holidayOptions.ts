/**
 * Holiday options that would have no effect. The calendar drops an extra day on a weekend or a
 * public holiday, and a skip day that is no preparedness day skips nothing; either way the
 * author meant something the file doesn't do, so the validator reports it instead.
 */
import { isWeekend, preparednessDays, publicHolidayNames, type CalendarOptions } from "./preparednessDays.js";

export interface HolidayOptionProblem {
  list: "extraDays" | "skipDays";
  /** Position in that list. */
  index: number;
  /** Starts with the date; the caller adds the field name and position. */
  message: string;
}

/** `options.country` must be one date-holidays knows; the schema checks that first. */
export function holidayOptionProblems(options: CalendarOptions): HolidayOptionProblem[] {
  const problems: HolidayOptionProblem[] = [];

  options.holidays.extraDays.forEach((date, index) => {
    if (isWeekend(date)) {
      problems.push({ list: "extraDays", index, message: `${date} is a ${weekdayName(date)}; preparedness days are weekdays` });
      return;
    }
    const holiday = publicHolidayNames(options.country, year(date)).get(date);
    if (holiday !== undefined) {
      problems.push({
        list: "extraDays",
        index,
        message: `${date} is a public holiday in ${options.country} (${holiday}); public holidays are never preparedness days`,
      });
    }
  });

  // Against the calendar without any skips: a skip day that cancels an extra day does something.
  const unskipped: CalendarOptions = { ...options, holidays: { ...options.holidays, skipDays: [] } };
  const daysOf = new Map<number, Set<string>>();
  options.holidays.skipDays.forEach((date, index) => {
    const y = year(date);
    let days = daysOf.get(y);
    if (!days) {
      // Easter needs a Gregorian year, and the ISO weeks of 9999 reach into a year YYYY-MM-DD
      // can't write; nobody has preparedness days that far out, and the schema allows the dates.
      days = new Set(y < 1583 || y > 9998 ? [] : preparednessDays(unskipped, y).map((d) => d.date));
      daysOf.set(y, days);
    }
    if (!days.has(date)) {
      problems.push({ list: "skipDays", index, message: `${date} is not a preparedness day, so skipping it changes nothing` });
    }
  });

  return problems;
}

const year = (date: string) => Number(date.slice(0, 4));

function weekdayName(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString("en-GB", { weekday: "long", timeZone: "UTC" });
}
