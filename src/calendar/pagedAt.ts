/**
 * Who a page reaches at an instant, for `roster --at`: the rules the escalation policy encodes, read
 * from the same settings (src/facts/paging.ts). Kept out of src/facts/paging.ts, which the policy pack loads
 * through catalogue rendering and which should not pull in the holiday calendar.
 */
import { luxon } from "../facts/lazy.js";
import { roles, type Role } from "../facts/extended.js";
import { escalation } from "../facts/paging.js";
import type { StandingSupport } from "../customer/fleet.js";
import { dutyOf, type Roster } from "./rosterChanges.js";
import { holidayWindows, type CustomerCalendar, type PreparednessWindow } from "./windows.js";

/** One step of who a page reaches: at once, or after the earlier steps went unacknowledged. */
export interface PageStep {
  afterMinutes: number;
  /** A preparedness person's e-mail, or standing support's schedule name or user e-mail. */
  who: string;
  via: "preparedness" | "standing-support";
}

export interface PagedAt {
  role: Role;
  /** The window `at` falls in, if any. */
  window?: PreparednessWindow;
  steps: PageStep[];
}

/**
 * Who a page of each role reaches at `at`, by the rules the escalation policy encodes (see
 * `escalation`): inside a window the day's person, then standing support; outside, standing support.
 */
export function pagedAt(calendar: CustomerCalendar, roster: Roster, standingSupport: StandingSupport, at: Date): PagedAt[] {
  const year = luxon().DateTime.fromJSDate(at, { zone: calendar.timezone }).year;
  const window = holidayWindows(calendar, year).find((w) => Date.parse(w.start) <= at.getTime() && at.getTime() < Date.parse(w.end));
  const standing: PageStep = { afterMinutes: 0, who: standingSupport.schedule ?? standingSupport.user!, via: "standing-support" };
  return roles.map((role) => ({
    role,
    ...(window ? { window } : {}),
    steps: window
      ? [
          { afterMinutes: 0, who: dutyOf(window, roster, role), via: "preparedness" },
          { ...standing, afterMinutes: escalation.preparednessAckMinutes },
        ]
      : [standing],
  }));
}

export function standingSupportName(s: StandingSupport): string {
  return s.schedule !== undefined ? `schedule "${s.schedule}"` : `user ${s.user}`;
}
