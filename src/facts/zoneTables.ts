/**
 * The preparedness hours of every day of a year in one time zone, as luxon writes them. A preview
 * needs a few dozen of these instants, but the first luxon call in a process costs more than all
 * of them (ICU's time-zone data is loaded on first use), so each zone's year is computed once with
 * luxon and kept in dist/.cache under the digest of what decides it: the zone, the year, the hours,
 * this file, luxon's version and Node's ICU and tz data versions. A preview whose zones are kept
 * loads no luxon at all; a kept table holds exactly the strings `localInstant` returns.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { calendarYears } from "./calendarYears.js";
import { buildCacheFile, keepJson, readKept } from "./buildCache.js";
import { preparednessHours } from "./extended.js";
import { luxon } from "./lazy.js";

/** A date's preparedness window, start and end, as RFC 3339 with the offset in force then. */
export type ZoneYear = Readonly<Record<string, readonly [start: string, end: string]>>;

/** `date` at local `time` in `zone`, e.g. `2027-03-22T08:00:00+01:00`; throws for a zone luxon doesn't know. */
export function localInstant(date: string, time: string, zone: string): string {
  const dt = luxon().DateTime.fromISO(`${date}T${time}:00`, { zone });
  if (!dt.isValid) throw new Error(`${date} ${time} in '${zone}': ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toISO({ suppressMilliseconds: true });
}

const years = new Map<string, ZoneYear | undefined>();

/** Where a zone's year is kept. */
export function zoneYearFile(zone: string, year: number): string {
  const key = createHash("sha256")
    .update(JSON.stringify([zone, year, preparednessHours, process.versions]))
    .update(readFileSync(__filename))
    .update(readFileSync(require.resolve("luxon/package.json")));
  const name = zone.replace(/[^A-Za-z0-9_+-]/g, "_");
  return buildCacheFile(`zone-${name}-${year}-${key.digest("hex").slice(0, 24)}.json`);
}

/**
 * Every date of `year` with its preparedness window in `zone`, or undefined when luxon knows no
 * such zone (or the year is outside the calendar): callers then ask luxon themselves, as before.
 */
export function zoneYear(zone: string, year: number): ZoneYear | undefined {
  const id = `${zone}\0${year}`;
  if (years.has(id)) return years.get(id);
  let table: ZoneYear | undefined;
  if (Number.isInteger(year) && year >= calendarYears.first && year < calendarYears.last) {
    const file = zoneYearFile(zone, year);
    table = readKept<ZoneYear>(file);
    if (!table) {
      table = computeZoneYear(zone, year);
      if (table) keepJson(file, table);
    }
  }
  years.set(id, table);
  return table;
}

function computeZoneYear(zone: string, year: number): ZoneYear | undefined {
  const table: Record<string, [string, string]> = {};
  try {
    for (let t = Date.UTC(year, 0, 1); new Date(t).getUTCFullYear() === year; t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      table[date] = [localInstant(date, preparednessHours.start, zone), localInstant(date, preparednessHours.end, zone)];
    }
  } catch {
    return undefined;
  }
  return table;
}

/** Every IANA zone's offset has stayed within ±15 hours since 1970. */
const widestOffsetMs = 15 * 3_600_000;

/**
 * The calendar year at `instant` in `zone`, as luxon reads it, without luxon when no zone's offset
 * could put it in another year and the zone is one luxon knows; undefined otherwise.
 */
export function yearInKnownZone(instant: number, zone: string): number | undefined {
  const early = new Date(instant - widestOffsetMs).getUTCFullYear();
  if (early !== new Date(instant + widestOffsetMs).getUTCFullYear() || early < 1970) return undefined;
  return zoneYear(zone, early) ? early : undefined;
}
