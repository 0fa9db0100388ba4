import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { isoWeekMonday } from "../src/calendar/rosterRules.js";
import {
  dutyRoster,
  easterSunday,
  holidayOptionProblems,
  holidayWindows,
  onDuty,
  preparednessDays,
  upcomingWindows,
  weekdayNumber,
  weekOutsideJuly,
  type CustomerCalendar,
} from "../src/calendar/index.js";

const copenhagen: CustomerCalendar = {
  timezone: "Europe/Copenhagen",
  country: "DK",
  holidays: { summerWeeks: [28, 29, 30], extraDays: [], skipDays: [] },
};

function withHolidays(holidays: Partial<CustomerCalendar["holidays"]>): CustomerCalendar {
  return { ...copenhagen, holidays: { ...copenhagen.holidays, ...holidays } };
}

const dates = (year: number, calendar = copenhagen) => preparednessDays(calendar, year).map((d) => d.date);

describe("easterSunday", () => {
  // Published dates, not computed: church calendars' tables of Easter dates, and the extremes
  // (22 March is the earliest possible date, 25 April the latest).
  const known: Record<number, string> = {
    1900: "1900-04-15",
    1913: "1913-03-23",
    1940: "1940-03-24",
    1943: "1943-04-25",
    1945: "1945-04-01",
    1981: "1981-04-19",
    1999: "1999-04-04",
    2000: "2000-04-23",
    2002: "2002-03-31",
    2008: "2008-03-23",
    2011: "2011-04-24",
    2016: "2016-03-27",
    2019: "2019-04-21",
    2023: "2023-04-09",
    2024: "2024-03-31",
    2025: "2025-04-20",
    2026: "2026-04-05",
    2027: "2027-03-28",
    2028: "2028-04-16",
    2029: "2029-04-01",
    2030: "2030-04-21",
    2038: "2038-04-25",
    2100: "2100-03-28",
  };
  for (const [year, date] of Object.entries(known)) {
    it(`is ${date} in ${year}`, () => expect(easterSunday(Number(year))).toBe(date));
  }

  // Gauss's algorithm, a different derivation, agrees over the whole supported range.
  function gauss(year: number): string {
    const a = year % 19;
    const b = year % 4;
    const c = year % 7;
    const k = Math.floor(year / 100);
    const p = Math.floor((13 + 8 * k) / 25);
    const q = Math.floor(k / 4);
    const M = (15 - p + k - q) % 30;
    const N = (4 + k - q) % 7;
    const d = (19 * a + M) % 30;
    const e = (2 * b + 4 * c + 6 * d + N) % 7;
    let day = 22 + d + e; // in March; > 31 runs into April
    if (d === 29 && e === 6) day = 19 + 31;
    else if (d === 28 && e === 6 && (11 * M + 11) % 30 < 19) day = 18 + 31;
    return day > 31 ? `${year}-04-${String(day - 31).padStart(2, "0")}` : `${year}-03-${day}`;
  }

  it("agrees with Gauss and is a Sunday from 22 March to 25 April, 1900–2200", () => {
    for (let year = 1900; year <= 2200; year++) {
      const easter = easterSunday(year);
      expect(easter, `${year}`).toBe(gauss(year));
      expect(new Date(`${easter}T00:00:00Z`).getUTCDay(), `${year}`).toBe(0);
      expect(easter.slice(5) >= "03-22" && easter.slice(5) <= "04-25", `${year}`).toBe(true);
    }
  });
});

describe("preparednessDays, Denmark, default options", () => {
  it("2026", () => {
    // Easter 2026-04-05; Ascension Thu 05-14; ISO week 28 starts Mon 07-06; 27 Dec is a Sunday.
    expect(preparednessDays(copenhagen, 2026)).toEqual([
      { date: "2026-03-30", kind: "easter" },
      { date: "2026-03-31", kind: "easter" },
      { date: "2026-04-01", kind: "easter" },
      { date: "2026-05-15", kind: "ascension" },
      { date: "2026-07-06", kind: "summer" },
      { date: "2026-07-07", kind: "summer" },
      { date: "2026-07-08", kind: "summer" },
      { date: "2026-07-09", kind: "summer" },
      { date: "2026-07-10", kind: "summer" },
      { date: "2026-07-13", kind: "summer" },
      { date: "2026-07-14", kind: "summer" },
      { date: "2026-07-15", kind: "summer" },
      { date: "2026-07-16", kind: "summer" },
      { date: "2026-07-17", kind: "summer" },
      { date: "2026-07-20", kind: "summer" },
      { date: "2026-07-21", kind: "summer" },
      { date: "2026-07-22", kind: "summer" },
      { date: "2026-07-23", kind: "summer" },
      { date: "2026-07-24", kind: "summer" },
      { date: "2026-12-28", kind: "christmas" },
      { date: "2026-12-29", kind: "christmas" },
      { date: "2026-12-30", kind: "christmas" },
    ]);
  });

  it("2027", () => {
    // Easter 2027-03-28; Ascension Thu 05-06; ISO week 28 starts Mon 07-12; 27 Dec is a Monday.
    expect(preparednessDays(copenhagen, 2027)).toEqual([
      { date: "2027-03-22", kind: "easter" },
      { date: "2027-03-23", kind: "easter" },
      { date: "2027-03-24", kind: "easter" },
      { date: "2027-05-07", kind: "ascension" },
      { date: "2027-07-12", kind: "summer" },
      { date: "2027-07-13", kind: "summer" },
      { date: "2027-07-14", kind: "summer" },
      { date: "2027-07-15", kind: "summer" },
      { date: "2027-07-16", kind: "summer" },
      { date: "2027-07-19", kind: "summer" },
      { date: "2027-07-20", kind: "summer" },
      { date: "2027-07-21", kind: "summer" },
      { date: "2027-07-22", kind: "summer" },
      { date: "2027-07-23", kind: "summer" },
      { date: "2027-07-26", kind: "summer" },
      { date: "2027-07-27", kind: "summer" },
      { date: "2027-07-28", kind: "summer" },
      { date: "2027-07-29", kind: "summer" },
      { date: "2027-07-30", kind: "summer" },
      { date: "2027-12-27", kind: "christmas" },
      { date: "2027-12-28", kind: "christmas" },
      { date: "2027-12-29", kind: "christmas" },
      { date: "2027-12-30", kind: "christmas" },
    ]);
  });
});

describe("preparednessDays, customer options and exclusions", () => {
  it("summerWeeks replaces the default weeks", () => {
    const summer = preparednessDays(withHolidays({ summerWeeks: [27] }), 2027).filter((d) => d.kind === "summer");
    expect(summer.map((d) => d.date)).toEqual(["2027-07-05", "2027-07-06", "2027-07-07", "2027-07-08", "2027-07-09"]);
  });

  it("drops public holidays inside a summer week (Whit Monday 2026-05-25, week 22)", () => {
    const summer = preparednessDays(withHolidays({ summerWeeks: [22] }), 2026).filter((d) => d.kind === "summer");
    expect(summer.map((d) => d.date)).toEqual(["2026-05-26", "2026-05-27", "2026-05-28", "2026-05-29"]);
  });

  it("takes the calendar year's part of weeks that straddle New Year", () => {
    // Week 1 of 2026 runs Mon 2025-12-29 to Sun 2026-01-04; 1 January is a public holiday.
    expect(dates(2026, withHolidays({ summerWeeks: [1] }))).toContain("2026-01-02");
    expect(dates(2026, withHolidays({ summerWeeks: [1] }))).not.toContain("2026-01-01");
    expect(dates(2025, withHolidays({ summerWeeks: [1] }))).toEqual(expect.arrayContaining(["2025-12-29", "2025-12-30"]));
    // 2026 has a week 53 (Mon 12-28 to Fri 2027-01-01); 2027 has none.
    const days2026 = preparednessDays(withHolidays({ summerWeeks: [53] }), 2026);
    expect(days2026.filter((d) => d.date >= "2026-12-28")).toEqual([
      { date: "2026-12-28", kind: "christmas" },
      { date: "2026-12-29", kind: "christmas" },
      { date: "2026-12-30", kind: "christmas" },
      { date: "2026-12-31", kind: "summer" },
    ]);
    expect(preparednessDays(withHolidays({ summerWeeks: [53] }), 2027).filter((d) => d.kind === "summer")).toEqual([]);
  });

  it("adds extraDays as 'extra', but a default day keeps its kind", () => {
    const days = preparednessDays(withHolidays({ extraDays: ["2027-06-04", "2027-07-12", "2026-06-04"] }), 2027);
    expect(days).toContainEqual({ date: "2027-06-04", kind: "extra" });
    expect(days).toContainEqual({ date: "2027-07-12", kind: "summer" });
    expect(days.map((d) => d.date)).not.toContain("2026-06-04");
  });

  it("never makes a weekend or a public holiday a preparedness day, even as an extraDay", () => {
    const days = dates(2027, withHolidays({ extraDays: ["2027-06-05", "2027-05-06", "2027-03-25", "2027-03-26"] }));
    expect(days).not.toContain("2027-06-05"); // Saturday
    expect(days).not.toContain("2027-05-06"); // Ascension Day
    expect(days).not.toContain("2027-03-25"); // Maundy Thursday
    expect(days).not.toContain("2027-03-26"); // Good Friday
  });

  it("skipDays removes days, and wins over extraDays", () => {
    const days = dates(2027, withHolidays({ skipDays: ["2027-07-12", "2027-06-04"], extraDays: ["2027-06-04"] }));
    expect(days).not.toContain("2027-07-12");
    expect(days).not.toContain("2027-06-04");
    expect(days).toContain("2027-07-13");
  });

  it("treats Store Bededag as a holiday until 2023 only", () => {
    // The fourth Friday after Easter: 2023-05-05, 2024-04-26.
    expect(dates(2023, withHolidays({ extraDays: ["2023-05-05"] }))).not.toContain("2023-05-05");
    expect(dates(2024, withHolidays({ extraDays: ["2024-04-26"] }))).toContain("2024-04-26");
  });

  it("uses the customer's country", () => {
    // In England 2027, 25 and 26 December fall on a weekend: Mon 27 and Tue 28 are substitute holidays.
    const gb = { ...copenhagen, country: "GB", timezone: "Europe/London" };
    expect(dates(2027, gb).filter((d) => d >= "2027-12-01")).toEqual(["2027-12-29", "2027-12-30"]);
    const de = { ...copenhagen, country: "DE", timezone: "Europe/Berlin" };
    // The same days as Denmark but Holy Week: Maundy Thursday is a working day in Germany, so Tuesday to Thursday.
    expect(dates(2027, de)).toEqual([...dates(2027).filter((d) => d !== "2027-03-22"), "2027-03-25"].sort());
  });

  it("refuses a country date-holidays doesn't know", () => {
    expect(() => preparednessDays({ ...copenhagen, country: "XX" }, 2027)).toThrow(/XX/);
  });
});

describe("holidayWindows", () => {
  it("carries the offset in force on each date (2027: Holy Week before summer time)", () => {
    const windows = holidayWindows(copenhagen, 2027);
    const byDate = Object.fromEntries(windows.map((w) => [w.date, [w.start, w.end]]));
    expect(byDate["2027-03-22"]).toEqual(["2027-03-22T08:00:00+01:00", "2027-03-22T16:00:00+01:00"]);
    expect(byDate["2027-03-24"]).toEqual(["2027-03-24T08:00:00+01:00", "2027-03-24T16:00:00+01:00"]);
    expect(byDate["2027-05-07"]).toEqual(["2027-05-07T08:00:00+02:00", "2027-05-07T16:00:00+02:00"]);
    expect(byDate["2027-07-12"]).toEqual(["2027-07-12T08:00:00+02:00", "2027-07-12T16:00:00+02:00"]);
    expect(byDate["2027-12-30"]).toEqual(["2027-12-30T08:00:00+01:00", "2027-12-30T16:00:00+01:00"]);
  });

  it("2026 Holy Week is already in summer time (it began 2026-03-29)", () => {
    expect(holidayWindows(copenhagen, 2026)[0]?.start).toBe("2026-03-30T08:00:00+02:00");
  });

  it("is local to the customer's zone", () => {
    // US summer time 2027 starts 14 March.
    const ny = holidayWindows({ ...copenhagen, timezone: "America/New_York" }, 2027);
    expect(ny[0]?.start).toBe("2027-03-22T08:00:00-04:00");
    expect(ny.at(-1)?.end).toBe("2027-12-30T16:00:00-05:00");
  });

  it("is remembered per calendar, never across a different zone, country or holiday option", () => {
    const first = holidayWindows(copenhagen, 2027);
    first.pop(); // the caller's array is its own
    expect(holidayWindows(copenhagen, 2027)).toHaveLength(first.length + 1);
    const week27 = holidayWindows({ ...copenhagen, holidays: { ...copenhagen.holidays, summerWeeks: [27] } }, 2027);
    expect(week27.some((w) => w.date === "2027-07-05")).toBe(true);
    expect(holidayWindows(copenhagen, 2027).some((w) => w.date === "2027-07-05")).toBe(false);
    expect(holidayWindows({ ...copenhagen, timezone: "Europe/London" }, 2027)[0]?.start).toBe("2027-03-22T08:00:00+00:00");
  });
});

describe("upcomingWindows", () => {
  const at = (iso: string) => new Date(iso);

  it("defaults to the rest of the as-of year and all of the next", () => {
    const windows = upcomingWindows(copenhagen, at("2027-05-01T00:00:00+02:00"));
    expect(windows[0]?.date).toBe("2027-05-07");
    expect(windows.at(-1)?.date).toBe("2028-12-29");
    expect(new Set(windows.map((w) => w.date.slice(0, 4)))).toEqual(new Set(["2027", "2028"]));
  });

  it("uses the as-of year in the customer's zone", () => {
    // 23:30 UTC on New Year's Eve is already 2028 in Copenhagen.
    const windows = upcomingWindows(copenhagen, at("2027-12-31T23:30:00Z"));
    expect(windows[0]?.date.slice(0, 4)).toBe("2028");
    expect(windows.at(-1)?.date.slice(0, 4)).toBe("2029");
  });

  it("keeps a window in progress whole, and drops one that ended at as-of", () => {
    const during = upcomingWindows(copenhagen, at("2027-03-22T15:59:59+01:00"), { throughYear: 2027 });
    expect(during[0]).toMatchObject({ date: "2027-03-22", start: "2027-03-22T08:00:00+01:00" });
    const atEnd = upcomingWindows(copenhagen, at("2027-03-22T16:00:00+01:00"), { throughYear: 2027 });
    expect(atEnd[0]?.date).toBe("2027-03-23");
    expect(atEnd).toEqual(during.slice(1));
  });

  it("honours throughYear", () => {
    const windows = upcomingWindows(copenhagen, at("2026-01-01T00:00:00+01:00"), { throughYear: 2026 });
    expect(windows.map((w) => w.date)).toEqual(dates(2026));
  });
});

describe("who is on duty", () => {
  const roster = {
    backend: ["ana@pico.dk", "bo@pico.dk"],
    frontend: ["cem@pico.dk"],
    pim: ["dina@pico.dk", "eik@pico.dk", "fie@pico.dk"],
  };
  const duty = (backend: string, pim: string) => ({ backend: `${backend}@pico.dk`, frontend: "cem@pico.dk", pim: `${pim}@pico.dk` });
  const byDate = (calendar: CustomerCalendar, asOf: string) =>
    new Map(dutyRoster(upcomingWindows(calendar, new Date(asOf), { throughYear: 2028 }), roster).map((d) => [d.date, d.onDuty]));

  it("numbers weekdays from Monday 1970-01-05, skipping weekends", () => {
    expect(weekdayNumber("1970-01-05")).toBe(0);
    expect(weekdayNumber("1970-01-09")).toBe(4); // Friday
    expect(weekdayNumber("1970-01-12")).toBe(5); // the next Monday
    expect(weekdayNumber("1970-01-02")).toBe(-1); // the Friday before
    // 2027-03-22 is 20,895 days = 2,985 weeks after the epoch: 2,985 × 5.
    expect(weekdayNumber("2027-03-22")).toBe(14_925);
    expect(() => weekdayNumber("2027-03-27")).toThrow(/weekend/);
  });

  it("gives a day the person at its weekday number modulo the role's size, before the epoch too", () => {
    expect(["1970-01-05", "1970-01-06", "1970-01-07", "1970-01-08"].map((date) => onDuty({ date }, roster.pim))).toEqual([
      "dina@pico.dk",
      "eik@pico.dk",
      "fie@pico.dk",
      "dina@pico.dk",
    ]);
    // Weekday -1 and -2: the rotation runs backwards without a gap.
    expect(onDuty({ date: "1970-01-02" }, roster.pim)).toBe("fie@pico.dk");
    expect(onDuty({ date: "1970-01-01" }, roster.pim)).toBe("eik@pico.dk");
    expect(onDuty({ date: "1970-01-02" }, roster.backend)).toBe("bo@pico.dk");
    expect(() => onDuty({ date: "2027-03-22" }, [])).toThrow(/nobody/);
  });

  it("rotates through each role in roster order, weekday by weekday, across weekends", () => {
    // Weekday numbers by hand: Mon 2027-03-22 = 14,925 (odd, divisible by 3); Fri 05-07 is 6 weeks
    // and 4 days on (+34); Mon 07-12 is 16 weeks on (+80); Fri 07-16 +84, Mon 07-19 +85.
    const days = new Map(dutyRoster(holidayWindows(copenhagen, 2027), roster).map((d) => [d.date, d.onDuty]));
    expect(days.get("2027-03-22")).toEqual(duty("bo", "dina"));
    expect(days.get("2027-03-23")).toEqual(duty("ana", "eik"));
    expect(days.get("2027-03-24")).toEqual(duty("bo", "fie"));
    expect(days.get("2027-05-07")).toEqual(duty("bo", "eik"));
    expect(days.get("2027-07-12")).toEqual(duty("bo", "fie"));
    expect(days.get("2027-07-16")).toEqual(duty("bo", "dina"));
    expect(days.get("2027-07-19")).toEqual(duty("ana", "eik"));
  });

  it("runs on across New Year instead of restarting on 1 January", () => {
    // Week 53 of 2026 ends on Fri 2027-01-01, a public holiday; Mon 2027-01-04 is an extra day.
    // Mon 2026-12-28 is 52 weeks before Mon 2027-12-27 = 15,125: 14,865, divisible by 3.
    const calendar = withHolidays({ summerWeeks: [53], extraDays: ["2027-01-04"] });
    const days = byDate(calendar, "2026-12-01T00:00:00+01:00");
    expect(["2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04"].map((d) => days.get(d))).toEqual([
      duty("bo", "dina"),
      duty("ana", "eik"),
      duty("bo", "fie"),
      duty("ana", "dina"),
      // 14,870: the holiday used up 14,869; a rotation restarting each year would give ana and dina.
      duty("ana", "fie"),
    ]);
  });

  it("changes only the added day when a customer adds an extra day, and only the skipped one when it skips", () => {
    const before = byDate(copenhagen, "2027-01-01T00:00:00+01:00");
    const added = byDate(withHolidays({ extraDays: ["2027-06-04"] }), "2027-01-01T00:00:00+01:00");
    // Fri 2027-06-04 is 4 weeks after Fri 05-07: 14,979, odd and divisible by 3.
    expect(added.get("2027-06-04")).toEqual(duty("bo", "dina"));
    added.delete("2027-06-04");
    expect(added).toEqual(before);

    const skipped = byDate(withHolidays({ skipDays: ["2027-07-14"] }), "2027-01-01T00:00:00+01:00");
    before.delete("2027-07-14");
    expect(skipped).toEqual(before);
  });

  it("never changes who covers a day when as-of moves forward", () => {
    const key = (d: { date: string; onDuty: object }) => `${d.date} ${JSON.stringify(d.onDuty)}`;
    const reference = new Map(dutyRoster(upcomingWindows(copenhagen, at0(), { throughYear: 2028 }), roster).map((d) => [d.date, key(d)]));
    for (let t = at0().getTime(); t < Date.parse("2028-12-31T00:00:00Z"); t += 5 * 86_400_000 + 3_600_000) {
      for (const d of dutyRoster(upcomingWindows(copenhagen, new Date(t), { throughYear: 2028 }), roster)) {
        expect(key(d)).toBe(reference.get(d.date));
      }
    }
  });

  function at0() {
    return new Date("2027-01-01T00:00:00+01:00");
  }
});

describe("holidayOptionProblems", () => {
  it("accepts the defaults, a weekday extra day and a skip of a preparedness day", () => {
    expect(holidayOptionProblems(copenhagen)).toEqual([]);
    expect(holidayOptionProblems(withHolidays({ extraDays: ["2027-02-15"], skipDays: ["2027-12-30", "2026-07-06"] }))).toEqual([]);
  });

  it("reports an extra day on a weekend or a public holiday of the customer's country", () => {
    const extraDays = ["2027-02-13", "2027-02-14", "2027-05-06", "2027-06-04", "2027-03-26"];
    expect(holidayOptionProblems(withHolidays({ extraDays }))).toEqual([
      { list: "extraDays", index: 0, message: "2027-02-13 is a Saturday; preparedness days are weekdays" },
      { list: "extraDays", index: 1, message: "2027-02-14 is a Sunday; preparedness days are weekdays" },
      {
        list: "extraDays",
        index: 2,
        message: "2027-05-06 is a public holiday in DK (Ascension Day); public holidays are never preparedness days",
      },
      {
        list: "extraDays",
        index: 4,
        message: "2027-03-26 is a public holiday in DK (Good Friday); public holidays are never preparedness days",
      },
    ]);
    // England's spring bank holiday is a working day in Denmark.
    const gb = { ...copenhagen, country: "GB", holidays: { ...copenhagen.holidays, extraDays: ["2027-05-31"] } };
    expect(holidayOptionProblems(gb)).toEqual([
      {
        list: "extraDays",
        index: 0,
        message: "2027-05-31 is a public holiday in GB (Spring bank holiday); public holidays are never preparedness days",
      },
    ]);
    expect(holidayOptionProblems(withHolidays({ extraDays: ["2027-05-31"] }))).toEqual([]);
  });

  it("reports a skip day that is no preparedness day, but not one that cancels an extra day", () => {
    const skipDays = ["2027-06-01", "2027-07-12", "2027-06-04", "2027-12-25", "2023-05-05"];
    expect(holidayOptionProblems(withHolidays({ extraDays: ["2027-06-04"], skipDays }))).toEqual([
      { list: "skipDays", index: 0, message: "2027-06-01 is not a preparedness day, so skipping it changes nothing" },
      { list: "skipDays", index: 3, message: "2027-12-25 is not a preparedness day, so skipping it changes nothing" },
      { list: "skipDays", index: 4, message: "2023-05-05 is not a preparedness day, so skipping it changes nothing" },
    ]);
  });

  it("uses the customer's summer weeks", () => {
    expect(holidayOptionProblems(withHolidays({ summerWeeks: [27], skipDays: ["2027-07-05", "2027-07-12"] }))).toEqual([
      { list: "skipDays", index: 1, message: "2027-07-12 is not a preparedness day, so skipping it changes nothing" },
    ]);
  });

  it("doesn't fail on dates the schema allows but no calendar covers", () => {
    const far = withHolidays({ extraDays: ["0001-01-01", "9999-12-30"], skipDays: ["1500-06-01", "9999-07-12"] });
    const problems = holidayOptionProblems(far).filter((p) => p.list === "skipDays");
    expect(problems.map((p) => p.index)).toEqual([0, 1]);
  });
});

describe("isoWeekMonday", () => {
  it("agrees with luxon's ISO weeks for every week of 1990–2100, including the years without a week 53", () => {
    const disagreements: string[] = [];
    for (let year = 1990; year <= 2100; year++) {
      for (let week = 0; week <= 54; week++) {
        const d = DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: "UTC" });
        const expected = d.isValid && d.weekYear === year && d.weekNumber === week ? d.toISODate() : undefined;
        const got = isoWeekMonday(year, week)?.toISOString().slice(0, 10);
        if (got !== expected) disagreements.push(`${year}-W${week}: ${got} vs ${expected}`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("names known weeks: 2026 (starting on a Thursday) has week 53, 2027 does not", () => {
    expect(isoWeekMonday(2026, 53)?.toISOString()).toBe("2026-12-28T00:00:00.000Z");
    expect(isoWeekMonday(2027, 1)?.toISOString()).toBe("2027-01-04T00:00:00.000Z");
    expect(isoWeekMonday(2027, 53)).toBeUndefined();
    expect(weekOutsideJuly(53, 2027)).toEqual({ year: 2027 });
    expect(weekOutsideJuly(27, 2026)).toBeUndefined();
  });
});
