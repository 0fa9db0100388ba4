/**
 * Issue 20: Holy Week by country. "The three weekdays leading up to Easter" are the working
 * weekdays just before the country's Easter public holidays (date-holidays, `type: public` only):
 * Monday to Wednesday where Maundy Thursday is a public holiday (DK, NO), Tuesday to Thursday
 * where Good Friday is the first (SE, FI), and Easter -6 to -4 where there are none (US).
 * Shown through `pico-monitoring roster <file> --json`, as a Pico engineer runs it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "pico-holy-week-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** nordlys under another id, country and zone (its resources renamed, so it overlaps no customer). */
function customer(id: string, country: string, timezone: string): string {
  const file = join(scratch, `${id}.yaml`);
  const text = readFileSync(join(repoRoot, "stacks", "nordlys.yaml"), "utf8")
    .replace(/nordlys/g, id)
    .replace("timezone: Europe/Copenhagen", `timezone: ${timezone}`)
    .replace("country: DK", `country: ${country}`)
    // 2027-02-15 is Washington's Birthday in the US; a plain Wednesday is a working day in all five.
    .replace("extraDays: [2027-02-15]", "extraDays: [2027-02-17]");
  writeFileSync(file, text);
  return file;
}

function holyWeek(file: string, year: number): { date: string; start: string }[] {
  const r = runCli(["roster", file, "--json", "--year", String(year)]);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { days: { date: string; kind: string; start: string }[] };
  return doc.days.filter((d) => d.kind === "easter").map(({ date, start }) => ({ date, start }));
}

const dates = (days: { date: string }[]) => days.map((d) => d.date);

describe("Holy Week preparedness days by country (Easter Sunday 2027-03-28, 2028-04-16)", () => {
  it("Sweden: Tuesday to Thursday, since Maundy Thursday is a working day there, in Stockholm's 08:00", () => {
    const days = holyWeek(customer("sverige", "SE", "Europe/Stockholm"), 2027);
    expect(dates(days)).toEqual(["2027-03-23", "2027-03-24", "2027-03-25"]);
    expect(days[2]!.start).toBe("2027-03-25T08:00:00+01:00");
    expect(dates(holyWeek(join(scratch, "sverige.yaml"), 2028))).toEqual(["2028-04-11", "2028-04-12", "2028-04-13"]);
  });

  it("Finland: Tuesday to Thursday, in Helsinki's 08:00", () => {
    const days = holyWeek(customer("suomi", "FI", "Europe/Helsinki"), 2027);
    expect(dates(days)).toEqual(["2027-03-23", "2027-03-24", "2027-03-25"]);
    expect(days[0]!.start).toBe("2027-03-23T08:00:00+02:00");
  });

  it("Denmark and Norway: Monday to Wednesday, as before (Maundy Thursday is a public holiday)", () => {
    expect(dates(holyWeek(join(repoRoot, "stacks", "nordlys.yaml"), 2027))).toEqual(["2027-03-22", "2027-03-23", "2027-03-24"]);
    expect(dates(holyWeek(customer("norge", "NO", "Europe/Oslo"), 2027))).toEqual(["2027-03-22", "2027-03-23", "2027-03-24"]);
  });

  it("a country with no Easter public holidays keeps Easter -6 to -4", () => {
    expect(dates(holyWeek(customer("usa", "US", "America/New_York"), 2027))).toEqual(["2027-03-22", "2027-03-23", "2027-03-24"]);
  });
});
