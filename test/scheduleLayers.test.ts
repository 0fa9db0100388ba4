import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  holidayWindows,
  onDuty,
  rosterLayers,
  scheduleLayers,
  upcomingWindows,
  type CustomerCalendar,
  type PreparednessWindow,
} from "../src/calendar";
import { renderSchedule, validateLayer, type Shift } from "./support/pagerdutySimulator";

const tz = "Europe/Copenhagen";
const calendar: CustomerCalendar = {
  timezone: tz,
  country: "DK",
  holidays: { summerWeeks: [28, 29, 30], extraDays: [], skipDays: [] },
};
const people = ["ana@pico.dk", "bo@pico.dk", "cem@pico.dk"];
const at = (iso: string) => new Date(iso);
const horizonEnd = (year: number) => DateTime.fromObject({ year: year + 1 }, { zone: tz }).toJSDate();

/** What PagerDuty should page: each window not yet over at as-of, from as-of on. */
function expectedShifts(windows: readonly PreparednessWindow[], asOf: Date): Shift[] {
  return windows
    .filter((w) => Date.parse(w.end) > asOf.getTime())
    .map((w) => ({ start: Math.max(Date.parse(w.start), asOf.getTime()), end: Date.parse(w.end), user: onDuty(w, people) }));
}

function rendered(asOf: Date, throughYear: number): Shift[] {
  const layers = scheduleLayers(upcomingWindows(calendar, asOf, { throughYear }), people);
  return renderSchedule(tz, layers, asOf, horizonEnd(throughYear));
}

describe("pagerduty simulator (its own semantics)", () => {
  const base = {
    start: "2027-03-01T00:00:00+01:00",
    end: "2027-03-15T00:00:00+01:00",
    rotationVirtualStart: "2027-03-01T08:00:00+01:00",
  };
  const fmt = (s: Shift) =>
    `${DateTime.fromMillis(s.start, { zone: tz }).toFormat("ccc dd HH:mm")}-${DateTime.fromMillis(s.end, { zone: tz }).toFormat("HH:mm")} ${s.user}`;

  it("masks a daily rotation with a weekly restriction, without shifting the turns", () => {
    const shifts = renderSchedule(
      tz,
      [
        {
          ...base,
          rotationTurnLengthSeconds: 86_400,
          users: ["a", "b"],
          restrictions: [{ type: "weekly_restriction", startDayOfWeek: 3, startTimeOfDay: "08:00:00", durationSeconds: 3 * 3600 }],
        },
      ],
      at("2027-03-01T00:00:00+01:00"),
      at("2027-03-15T00:00:00+01:00"),
    );
    // Wednesdays 3 and 10 March are turns 2 and 9.
    expect(shifts.map(fmt)).toEqual(["Wed 03 08:00-11:00 a", "Wed 10 08:00-11:00 b"]);
  });

  it("applies a daily restriction each local day, across the DST change, and later layers win", () => {
    const shifts = renderSchedule(
      tz,
      [
        {
          ...base,
          start: "2027-03-26T00:00:00+01:00",
          end: "2027-03-30T00:00:00+02:00",
          rotationTurnLengthSeconds: 31_536_000,
          users: ["a"],
          restrictions: [{ type: "daily_restriction", startTimeOfDay: "09:00:00", durationSeconds: 3600 }],
        },
        {
          ...base,
          start: "2027-03-29T09:30:00+02:00",
          end: "2027-03-29T12:00:00+02:00",
          rotationTurnLengthSeconds: 3600,
          users: ["x"],
        },
      ],
      at("2027-03-01T00:00:00+01:00"),
      at("2027-04-01T00:00:00+02:00"),
    );
    expect(shifts.map(fmt)).toEqual([
      "Fri 26 09:00-10:00 a",
      "Sat 27 09:00-10:00 a",
      "Sun 28 09:00-10:00 a",
      "Mon 29 09:00-09:30 a",
      "Mon 29 09:30-12:00 x",
    ]);
  });

  it("rejects what the API rejects", () => {
    const layer = { ...base, rotationTurnLengthSeconds: 86_400, users: ["a"] };
    expect(() => validateLayer({ ...layer, rotationTurnLengthSeconds: 1800 })).toThrow(/3600/);
    expect(() => validateLayer({ ...layer, users: [] })).toThrow(/user/);
    expect(() => validateLayer({ ...layer, start: "2027-03-01T00:00:00" })).toThrow(/RFC 3339/);
    expect(() =>
      validateLayer({ ...layer, restrictions: [{ type: "dailyRestriction", startTimeOfDay: "08:00:00", durationSeconds: 60 }] }),
    ).toThrow(/type/);
    expect(() =>
      validateLayer({ ...layer, restrictions: [{ type: "daily_restriction", startTimeOfDay: "08:00:00", durationSeconds: 86_400 }] }),
    ).toThrow(/shorter/);
    expect(() =>
      validateLayer({ ...layer, restrictions: [{ type: "weekly_restriction", startTimeOfDay: "08:00:00", durationSeconds: 60 }] }),
    ).toThrow(/startDayOfWeek/);
  });
});

describe("scheduleLayers", () => {
  it("covers exactly the 2027 preparedness windows: weekdays 08:00–16:00 local, holidays excluded", () => {
    // Written out by hand (see calendar.test.ts), not taken from the code under test.
    const days2027 = [
      "03-22", "03-23", "03-24", "05-07",
      "07-12", "07-13", "07-14", "07-15", "07-16", "07-19", "07-20", "07-21", "07-22", "07-23",
      "07-26", "07-27", "07-28", "07-29", "07-30",
      "12-27", "12-28", "12-29", "12-30",
    ];
    const local = (day: string, time: string) => DateTime.fromISO(`2027-${day}T${time}`, { zone: tz }).toMillis();
    const asOf = at("2027-01-01T00:00:00+01:00");
    expect(rendered(asOf, 2027)).toEqual(
      days2027.map((day, i) => ({ start: local(day, "08:00"), end: local(day, "16:00"), user: people[i % 3] })),
    );
  });

  for (const asOf of [
    "2026-11-15T12:00:00+01:00",
    "2027-03-22T08:00:00+01:00", // a window starts
    "2027-03-22T11:17:00+01:00", // inside a window
    "2027-03-22T16:00:00+01:00", // a window ends
    "2027-05-07T15:59:00+02:00",
    "2027-07-17T09:00:00+02:00", // a Saturday inside the summer weeks
    "2027-12-30T12:00:00+01:00", // the last window of the year
  ]) {
    it(`covers exactly the windows from as-of ${asOf} to the end of the horizon`, () => {
      const asOfDate = at(asOf);
      const year = DateTime.fromJSDate(asOfDate, { zone: tz }).year;
      const windows = [year, year + 1].flatMap((y) => holidayWindows(calendar, y));
      expect(rendered(asOfDate, year + 1)).toEqual(expectedShifts(windows, asOfDate));
    });
  }

  it("gives byte-identical layers for the same as-of", () => {
    const roster = { backend: people, frontend: ["dina@pico.dk"], pim: ["eik@pico.dk", "fie@pico.dk"] };
    const asOf = "2027-03-22T10:00:00+01:00";
    expect(JSON.stringify(rosterLayers(calendar, roster, at(asOf)))).toBe(JSON.stringify(rosterLayers(calendar, roster, at(asOf))));
  });

  it("never changes a window's layer while as-of moves through it", () => {
    const layersAt = (iso: string) => scheduleLayers(upcomingWindows(calendar, at(iso)), people);
    const before = layersAt("2027-03-22T07:59:00+01:00");
    for (const iso of ["2027-03-22T08:00:00+01:00", "2027-03-22T12:00:00+01:00", "2027-03-22T15:59:59+01:00"]) {
      expect(layersAt(iso)).toEqual(before);
    }
    expect(before[0]).toEqual({
      name: "2027-03-22 Holy Week",
      start: "2027-03-22T08:00:00+01:00",
      end: "2027-03-22T16:00:00+01:00",
      rotationVirtualStart: "2027-03-22T08:00:00+01:00",
      rotationTurnLengthSeconds: 86_400,
      users: ["ana@pico.dk"],
    });
  });

  it("only drops finished windows as as-of moves forward; the rest stay as they were", () => {
    const reference = scheduleLayers(upcomingWindows(calendar, at("2027-01-01T00:00:00+01:00"), { throughYear: 2028 }), people);
    for (let t = Date.parse("2027-01-01T00:00:00Z"); t < Date.parse("2028-12-31T00:00:00Z"); t += 6 * 86_400_000 + 5_400_000) {
      const later = scheduleLayers(upcomingWindows(calendar, new Date(t), { throughYear: 2028 }), people);
      expect(later).toEqual(reference.filter((l) => Date.parse(l.end) > t));
    }
  });

  it("makes layers PagerDuty accepts, in the schedule's offsets", () => {
    for (const layer of rosterLayers(calendar, { backend: people, frontend: people, pim: people }, at("2027-01-01T00:00:00Z")).pim) {
      validateLayer(layer);
      const start = DateTime.fromISO(layer.start, { setZone: true });
      expect(start.toFormat("ZZ")).toBe(DateTime.fromISO(layer.start, { zone: tz }).toFormat("ZZ"));
    }
  });
});
