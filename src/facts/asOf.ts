/**
 * The as-of instant: which preparedness windows are still ahead. Every entry point reads it the
 * same way, so a laptop and CI build the same layers from the same setting.
 */
import { luxon } from "./lazy.js";
import { UsageError } from "./problems.js";

/** Years the holiday calendar is defined for. */
export const calendarYears = { first: 1900, last: 2200 } as const;

/**
 * Reads an ISO date or date-time; without an offset it is local to `zone` (the customer's).
 * Returns the instant, or a sentence saying what is wrong.
 */
export function readAsOf(text: string, zone: string): Date | string {
  const d = luxon().DateTime.fromISO(text, { zone });
  if (!d.isValid) return `'${text}' is not an ISO date-time such as 2027-03-22T09:00:00+01:00`;
  if (d.year < calendarYears.first || d.year > calendarYears.last - 1) {
    return `'${text}' is outside the years the holiday calendar covers (${calendarYears.first} to ${calendarYears.last - 1})`;
  }
  return d.toJSDate();
}

/** `--at`, read like every as-of (see readAsOf). Default: now. */
export function parseAsOf(at: string | undefined, zone: string, now = new Date()): Date {
  if (at === undefined) return now;
  const asOf = readAsOf(at, zone);
  if (typeof asOf === "string") throw new UsageError(`--at ${asOf}`);
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
