/**
 * The as-of instant: which preparedness windows are still ahead. Every entry point reads it the
 * same way, so a laptop and CI build the same layers from the same setting.
 */
import { luxon } from "./lazy.js";
import { UsageError } from "./problems.js";
import { calendarYears } from "./calendarYears.js";
import { yearInKnownZone } from "./zoneTables.js";

export { calendarYears };

/**
 * Reads an ISO date or date-time; without an offset it is local to `zone` (the customer's).
 * Returns the instant, or a sentence saying what is wrong.
 */
export function readAsOf(text: string, zone: string): Date | string {
  const instant = instantWithOffset(text);
  if (instant !== undefined) {
    // With its offset written, the zone only decides the year checked below and whether luxon
    // accepts it at all; `yearInKnownZone` answers both from a kept zone table (zoneTables.ts).
    const year = yearInKnownZone(instant, zone);
    if (year !== undefined && year >= calendarYears.first && year <= calendarYears.last - 1) return new Date(instant);
  }
  const d = luxon().DateTime.fromISO(text, { zone });
  if (!d.isValid) return missingDay(text) ?? `'${text}' is not an ISO date-time such as 2027-03-22T09:00:00+01:00`;
  if (d.year < calendarYears.first || d.year > calendarYears.last - 1) {
    return `'${text}' is outside the years the holiday calendar covers (${calendarYears.first} to ${calendarYears.last - 1})`;
  }
  return d.toJSDate();
}

/** For a well-formed date whose day or month doesn't exist (2027-02-30), a sentence that says so. */
function missingDay(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return `'${text}': there is no month ${m[2]}`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `'${text}': ${m[1]}-${m[2]}-${m[3]} doesn't exist (that month has ${days} days)`;
  return undefined;
}

/**
 * A wall-clock time the customer's zone skips (the hour the clocks go forward): luxon moves it on
 * by the gap. Undefined when `text` has an offset, no time, or names a time that exists.
 */
export function skippedLocalTime(text: string, zone: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(text);
  if (!m) return undefined;
  const d = luxon().DateTime.fromISO(text, { zone });
  if (!d.isValid || (d.toFormat("yyyy-MM-dd") === m[1] && d.hour === Number(m[2]) && d.minute === Number(m[3]))) return undefined;
  return `${m[1]} ${m[2]}:${m[3]} doesn't exist in ${zone} (the clocks go forward then); read as ${d.toISO({ suppressMilliseconds: true })}`;
}

const withOffset = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * The instant of an RFC 3339 date-time with its offset written (`Z` or `±hh:mm`), every field in
 * range, as luxon's ISO parser reads it; undefined for anything else, which luxon then reads.
 */
function instantWithOffset(text: string): number | undefined {
  const m = withOffset.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0"));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offset = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  return local.getTime() - offset;
}

/** `--at`, read like every as-of (see readAsOf). Default: now. */
export function parseAsOf(at: string | undefined, zone: string, now = new Date()): Date {
  if (at === undefined) return now;
  const asOf = readAsOf(at, zone);
  if (typeof asOf === "string") throw new UsageError(`--at ${asOf}`);
  const skipped = skippedLocalTime(at, zone);
  // On stderr, as every warning: the command still runs, an hour later than written.
  if (skipped !== undefined) process.stderr.write(`warning: --at ${skipped}\n`);
  return asOf;
}

/**
 * `--at` for commands over many customers: checked now, kept as written, and read per customer
 * (`readAsOf`), because without an offset it is local to each customer, as in preview and roster.
 * Default: now, as an instant.
 */
export function readAtOption(at: string | undefined, now = new Date()): string {
  if (at === undefined) return now.toISOString();
  const instant = parseAsOf(at, "UTC");
  // With an offset it names one instant whatever the zone: written the same way as the default.
  return instant.getTime() === parseAsOf(at, "Pacific/Kiritimati").getTime() ? instant.toISOString() : at;
}

/**
 * How far an as-of may be from the time it is deployed at. The roster's schedules hold the as-of year
 * and the next (src/calendar/windows.ts `upcomingWindows`), so at least a year of windows from any
 * as-of: an as-of further than that from now leaves coming preparedness days with nobody on duty (one
 * far back ends the schedules before them; one ahead leaves out every window before it).
 */
export const asOfHorizonDays = 365;

/** Why `asOf` is too far from `now` for the schedules built from it, or undefined when within reason. */
export function asOfBeyondHorizon(asOf: Date, now: Date): string | undefined {
  const days = (asOf.getTime() - now.getTime()) / 86_400_000;
  if (Math.abs(days) <= asOfHorizonDays) return undefined;
  const whole = Math.round(Math.abs(days));
  return days < 0
    ? `is ${whole} days before now, further than the schedules' horizon of ${asOfHorizonDays} days: the coming preparedness days would have nobody on duty`
    : `is ${whole} days after now, further than the schedules' horizon of ${asOfHorizonDays} days: every preparedness day before it would have nobody on duty`;
}
