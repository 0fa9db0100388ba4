/**
 * What date-holidays knows, precomputed by `npm run generate` into publicHolidays.generated.json,
 * so that validating, previewing and rostering a customer need not load date-holidays (its rule
 * engine and astronomy tables cost ~150 ms per process). The generated file holds the countries
 * date-holidays knows, and the public holidays of the countries the committed customers use, for
 * the years around now. Anything else is computed by date-holidays itself, loaded on first use.
 * test/generated.test.ts fails when the file is stale (a date-holidays upgrade, a new country).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type HolidaysType from "date-holidays";
import { projectRoot } from "./paths.js";

/** Years the generated tables cover (the calendar's horizon is the as-of year and the next). */
export const tabulatedYears = { first: 2020, last: 2040 } as const;

export interface HolidayTables {
  /** date-holidays' version, so an upgrade makes the file stale. */
  dateHolidays: string;
  years: { first: number; last: number };
  /** ISO 3166 codes of the countries date-holidays knows, sorted. */
  countries: string[];
  /** country → year → local date → English name, public holidays only. */
  holidays: Record<string, Record<string, Record<string, string>>>;
}

// Read from src/ whether this runs from src/ (tests) or dist/src/ (CLI): tsc copies no JSON.
export const holidayTablesFile = () => join(projectRoot(), "src", "facts", "publicHolidays.generated.json");

let tables: HolidayTables | undefined;
function generated(): HolidayTables {
  return (tables ??= JSON.parse(readFileSync(holidayTablesFile(), "utf8")) as HolidayTables);
}

let DateHolidays: typeof HolidaysType | undefined;
/** date-holidays, loaded on first use only. */
function dateHolidays(): typeof HolidaysType {
  return (DateHolidays ??= require("date-holidays") as typeof HolidaysType);
}

let knownCountries: ReadonlySet<string> | undefined;
/** Whether date-holidays knows public holidays for a country code. */
export function isHolidayCountry(code: string): boolean {
  knownCountries ??= new Set(generated().countries);
  return knownCountries.has(code);
}

const calendars = new Map<string, HolidaysType>();

/** Public holidays of a known country in a year (date → English name), from the table or date-holidays. */
export function computePublicHolidayNames(country: string, year: number, useTable = true): Map<string, string> {
  const row = useTable ? generated().holidays[country]?.[String(year)] : undefined;
  if (row) return new Map(Object.entries(row));
  let calendar = calendars.get(country);
  if (!calendar) {
    const Holidays = dateHolidays();
    calendar = new Holidays(country);
    calendars.set(country, calendar);
  }
  const names = new Map<string, string>();
  for (const holiday of calendar.getHolidays(year, "en")) {
    if (holiday.type !== "public") continue;
    // A few countries have multi-day holidays; `date` is the first local day.
    const days = Math.max(1, Math.round((holiday.end.getTime() - holiday.start.getTime()) / 86_400_000));
    for (let i = 0; i < days; i++) {
      const date = new Date(Date.parse(`${holiday.date.slice(0, 10)}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
      if (!names.has(date)) names.set(date, holiday.name);
    }
  }
  return names;
}

/** The generated file's content for these countries, computed with date-holidays (for `npm run generate`). */
export function holidayTablesText(countries: readonly string[]): string {
  const Holidays = dateHolidays();
  const version = (JSON.parse(readFileSync(require.resolve("date-holidays/package.json"), "utf8")) as { version: string }).version;
  const holidays: HolidayTables["holidays"] = {};
  for (const country of [...new Set(countries)].sort()) {
    const byYear: Record<string, Record<string, string>> = {};
    for (let year = tabulatedYears.first; year <= tabulatedYears.last; year++) {
      byYear[String(year)] = Object.fromEntries(computePublicHolidayNames(country, year, false));
    }
    holidays[country] = byYear;
  }
  const out: HolidayTables = {
    dateHolidays: version,
    years: { ...tabulatedYears },
    countries: Object.keys(new Holidays().getCountries()).sort(),
    holidays,
  };
  return `${JSON.stringify(out, null, 1)}\n`;
}
