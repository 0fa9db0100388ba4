import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { calendarYears, readAsOf } from "../src/facts/asOf.js";
import { preparednessHours } from "../src/facts/extended.js";
import { localInstant, yearInKnownZone, zoneYear } from "../src/facts/zoneTables.js";
import { repoRoot, runCliLoading } from "./support/cli.js";

/** readAsOf as it read every text before the fast path: luxon alone (the oracle). */
function luxonReadAsOf(text: string, zone: string): Date | string {
  const d = DateTime.fromISO(text, { zone });
  if (!d.isValid) {
    // A well-formed date whose day doesn't exist is named as such (issue 20); anything else is not ISO.
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(text);
    const days = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate() : 0;
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && (Number(m[3]) < 1 || Number(m[3]) > days))
      return `'${text}': ${m[1]}-${m[2]}-${m[3]} doesn't exist (that month has ${days} days)`;
    if (m && (Number(m[2]) < 1 || Number(m[2]) > 12)) return `'${text}': there is no month ${m[2]}`;
    return `'${text}' is not an ISO date-time such as 2027-03-22T09:00:00+01:00`;
  }
  if (d.year < calendarYears.first || d.year > calendarYears.last - 1) {
    return `'${text}' is outside the years the holiday calendar covers (${calendarYears.first} to ${calendarYears.last - 1})`;
  }
  return d.toJSDate();
}

// Whole-hour, half-hour and 45-minute offsets, both hemispheres' DST, a 30-minute DST shift
// (Lord Howe), the day Samoa skipped (2011-12-30) and the date line's far side.
const zones = [
  "UTC",
  "Europe/Copenhagen",
  "America/New_York",
  "America/Santiago",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Pacific/Apia",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
];

describe("zone tables", () => {
  it.each(zones)("hold luxon's own instant for every day of the year in %s", (zone) => {
    for (const year of [2011, 2027]) {
      const table = zoneYear(zone, year);
      if (!table) throw new Error(`no table for ${zone} ${year}`);
      const dates = Object.keys(table);
      expect(dates.length).toBe(new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1 ? 366 : 365);
      for (const date of dates) {
        expect(table[date]).toEqual([localInstant(date, preparednessHours.start, zone), localInstant(date, preparednessHours.end, zone)]);
      }
    }
  });

  it("know no zone luxon doesn't know, so luxon keeps the last word there", () => {
    expect(zoneYear("Not/AZone", 2027)).toBeUndefined();
    expect(yearInKnownZone(Date.parse("2027-06-01T00:00:00Z"), "Not/AZone")).toBeUndefined();
    expect(readAsOf("2027-06-01T00:00:00Z", "Not/AZone")).toEqual(luxonReadAsOf("2027-06-01T00:00:00Z", "Not/AZone"));
    expect(typeof readAsOf("2027-06-01T00:00:00Z", "Not/AZone")).toBe("string");
  });

  it("give luxon's year in the zone, or no answer, around every New Year", () => {
    for (const zone of zones) {
      for (const year of [1970, 2011, 2027, 2199]) {
        for (let h = -20; h <= 20; h++) {
          const t = Date.UTC(year, 0, 1) + h * 3_600_000;
          const fast = yearInKnownZone(t, zone);
          if (fast !== undefined) expect(fast, `${zone} ${new Date(t).toISOString()}`).toBe(DateTime.fromMillis(t, { zone }).year);
        }
      }
    }
    // Far from New Year every zone answers.
    expect(yearInKnownZone(Date.parse("2027-06-01T00:00:00Z"), "Pacific/Kiritimati")).toBe(2027);
  });
});

describe("an as-of with its offset written", () => {
  const texts = [
    "2027-01-10T12:00:00Z",
    "2027-01-10T12:00:00.000Z",
    "2027-01-10T12:00:00.5Z",
    "2027-01-10T12:00:00.05+01:00",
    "2027-03-22T09:00:00+01:00",
    "2027-03-22T09:00+01:00",
    "2027-03-28T02:30:00+01:00",
    "2027-12-31T23:30:00-05:00",
    "2028-02-29T10:00:00+05:45",
    "2027-06-15T10:00:00-09:30",
    "1899-12-31T23:00:00Z",
    "1900-01-01T11:00:00+12:00",
    "1970-01-01T00:00:00Z",
    "2199-12-31T23:00:00Z",
    "2199-12-31T12:00:00-14:00",
    "2200-01-01T00:00:00+14:00",
    "2027-02-29T00:00:00Z",
    "2027-02-30T00:00:00Z",
    "2027-13-01T00:00:00Z",
    "2027-01-10T24:00:00Z",
    "2027-01-10T12:60:00Z",
    "2027-01-10T12:00:60Z",
    "2027-01-10T12:00:00+24:00",
    "2027-01-10T12:00:00+01:60",
    "2027-01-10T12:00:00.1234Z",
    "2027-01-10T12:00:00z",
    "2027-01-10T12:00:00+0100",
    "2027-01-10T12:00",
    "2027-01-10",
  ];
  it.each(zones)("reads in %s as luxon reads it", (zone) => {
    for (const text of texts) expect(readAsOf(text, zone), text).toEqual(luxonReadAsOf(text, zone));
  });
});

describe("a preview whose zone is kept", () => {
  // Europe/Oslo: a zone no other test previews, so its table is this test's to drop.
  const dir = mkdtempSync(join(repoRoot, "test", ".checked-"));
  const scratch = mkdtempSync(join(tmpdir(), "pico-zones-"));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it("loads no luxon and prints the bytes the computing run printed", () => {
    const file = join(dir, "havblik.yaml");
    copyFileSync(join(repoRoot, "stacks", "havblik.yaml"), file);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^(name: .*)$/m, "$1\ntimezone: Europe/Oslo"));
    expect(readFileSync(file, "utf8")).toContain("timezone: Europe/Oslo");
    const cache = join(repoRoot, "dist", ".cache");
    for (const f of readdirSync(cache)) if (f.startsWith("zone-Europe_Oslo-")) rmSync(join(cache, f), { force: true });
    const preview = (n: number) =>
      runCliLoading(["preview", file, "--json", "--at", "2027-01-10T12:00:00Z"], join(scratch, `modules-${n}.txt`));
    const computed = preview(1);
    const kept = preview(2);
    expect(computed.code, computed.stderr).toBe(0);
    expect(computed.packages).toContain("luxon");
    expect(kept.packages).not.toContain("luxon");
    expect(kept.stdout).toBe(computed.stdout);
    // The windows are Oslo's: the kept table is the one this customer reads.
    expect(computed.stdout).toMatch(/T08:00:00\+01:00/);
  });
});
