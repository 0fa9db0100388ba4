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
} from "../src/calendar/index.js";
import { ProviderScheduleModel, renderSchedule, validateLayer, type Shift } from "./support/pagerdutySimulator.js";

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
    // Written out by hand (see calendar.test.ts), not taken from the code under test. The person
    // is the weekday number mod 3: Mon 03-22 is 14,925 ≡ 0; Fri 05-07 +34 ≡ 1; Mon 07-12 +80 ≡ 2;
    // Mon 12-27 +200 ≡ 2; within a week each weekday is the next person.
    const days2027: [day: string, person: string][] = [
      ["03-22", "ana"],
      ["03-23", "bo"],
      ["03-24", "cem"],
      ["05-07", "bo"],
      ["07-12", "cem"],
      ["07-13", "ana"],
      ["07-14", "bo"],
      ["07-15", "cem"],
      ["07-16", "ana"],
      ["07-19", "bo"],
      ["07-20", "cem"],
      ["07-21", "ana"],
      ["07-22", "bo"],
      ["07-23", "cem"],
      ["07-26", "ana"],
      ["07-27", "bo"],
      ["07-28", "cem"],
      ["07-29", "ana"],
      ["07-30", "bo"],
      ["12-27", "cem"],
      ["12-28", "ana"],
      ["12-29", "bo"],
      ["12-30", "cem"],
    ];
    const local = (day: string, time: string) => DateTime.fromISO(`2027-${day}T${time}`, { zone: tz }).toMillis();
    const asOf = at("2027-01-01T00:00:00+01:00");
    expect(rendered(asOf, 2027)).toEqual(
      days2027.map(([day, person]) => ({ start: local(day, "08:00"), end: local(day, "16:00"), user: `${person}@pico.dk` })),
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

  it("adds one layer for an extra day and leaves every other layer as it was", () => {
    const roster = { backend: people, frontend: ["dina@pico.dk"], pim: ["eik@pico.dk", "fie@pico.dk"] };
    const asOf = at("2027-01-01T00:00:00+01:00");
    const before = rosterLayers(calendar, roster, asOf);
    const after = rosterLayers({ ...calendar, holidays: { ...calendar.holidays, extraDays: ["2027-06-04"] } }, roster, asOf);
    // Fri 2027-06-04 is weekday 14,979: ≡ 0 mod 3, odd.
    const onTheDay = { backend: "ana@pico.dk", frontend: "dina@pico.dk", pim: "fie@pico.dk" };
    for (const role of ["backend", "frontend", "pim"] as const) {
      const extra = after[role].filter((l) => l.start.startsWith("2027-06-04"));
      expect(extra.map((l) => [l.name, l.users])).toEqual([["2027-06-04 Extra day", [onTheDay[role]]]]);
      expect(after[role].filter((l) => !extra.includes(l))).toEqual(before[role]);
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

describe("a year of daily pulumi up runs against the provider's layer list", () => {
  // Daily at 03:00 UTC, as a scheduled job would, from December (so the New Year adds a year of windows).
  const days = (from: string, count: number) => Array.from({ length: count }, (_, i) => new Date(Date.parse(from) + i * 86_400_000));
  const run = days("2026-12-01T03:00:00Z", 400);
  const layersAt = (now: Date) => scheduleLayers(upcomingWindows(calendar, now), people);

  it("with a refresh before each up, never rewrites or ends a layer, and only appends new windows", () => {
    const schedule = new ProviderScheduleModel();
    let created = 0;
    for (const now of run) {
      schedule.refresh(now);
      const result = schedule.up(layersAt(now), now);
      expect(result.rewritten, now.toISOString()).toEqual([]);
      expect(result.ended, now.toISOString()).toEqual([]);
      created += result.created.length;
    }
    // Every window from December 2026 to the end of the last horizon (2029, added on 1 January 2028)
    // was created once, and no other layer.
    const all = [2026, 2027, 2028, 2029].flatMap((y) => holidayWindows(calendar, y)).filter((w) => Date.parse(w.end) > run[0]!.getTime());
    expect(created).toBe(all.length);
    expect(schedule.api.map((l) => l.name)).toEqual(scheduleLayers(all, people).map((l) => l.name));

    // What PagerDuty renders from everything it holds is still exactly the roster.
    const from = run[0]!;
    const until = horizonEnd(2029);
    expect(renderSchedule(tz, schedule.apiLayers(), from, until)).toEqual(expectedShifts(all, from));
  });

  it("without the refresh, the first window to end shifts later layers onto their neighbours' ids", () => {
    const schedule = new ProviderScheduleModel();
    const rewrites: string[] = [];
    for (const now of run.slice(0, 60)) rewrites.push(...schedule.up(layersAt(now), now).rewritten.map((r) => r.id));
    // The model must show the hazard the refresh avoids, or the test above proves nothing.
    expect(rewrites.length).toBeGreaterThan(1);
  });
});
