/**
 * PagerDuty schedule layers for one preparedness role.
 *
 * One layer per window, with the day's person (`onDuty`, decided by the date alone) as its only
 * user. PagerDuty can't express specific dates, and a rotation spanning several days would keep
 * turning over weekends and public holidays, so a layer per day is the simplest design that
 * covers exactly the windows. Adding or skipping a day changes that day's window only; but the
 * provider matches layers by position (below), so in PagerDuty every later layer id takes its
 * neighbour's window in that update.
 * The layer's start is the window's start even when that is already past: clamping it to as-of
 * would change the layer every run (PagerDuty resets a past start itself).
 *
 * Order: oldest window first, so time only ever removes layers from the front (they end) and adds
 * them at the back (a new horizon year). The provider matches layers by position and its Read drops
 * ended layers (terraform-provider-pagerduty pagerduty/resource_pagerduty_schedule.go), so after a
 * refresh the state's list starts at the same window as this one and every layer keeps its id.
 * Without a refresh the ended layer at the front would shift every later layer onto its
 * neighbour's id; that is why every `pulumi up` this project runs refreshes first (.github/workflows).
 */
import { roles, type Role } from "../facts/extended.js";
import { preparednessKindTitles } from "./preparednessDays.js";
import { dutyOf, type Roster } from "./rosterChanges.js";
import { onDuty, upcomingWindows, type CustomerCalendar, type Horizon, type PreparednessWindow } from "./windows.js";

export interface LayerRestriction {
  type: "daily_restriction" | "weekly_restriction";
  /** `HH:mm:ss`, schedule time zone. */
  startTimeOfDay: string;
  durationSeconds: number;
  /** 1 = Monday; weekly restrictions only. */
  startDayOfWeek?: number;
}

/** A `pagerduty.Schedule` layer, with users given by e-mail; the component resolves them to ids. */
export interface ScheduleLayer {
  name: string;
  start: string;
  end: string;
  rotationVirtualStart: string;
  rotationTurnLengthSeconds: number;
  users: string[];
  restrictions?: LayerRestriction[];
}

// One user per layer, so the turn length never hands over; a day keeps it in PagerDuty's range.
const turnLengthSeconds = 86_400;

export function scheduleLayers(windows: readonly PreparednessWindow[], people: readonly string[]): ScheduleLayer[] {
  return windows.map((w) => ({
    name: `${w.date} ${preparednessKindTitles[w.kind]}`,
    start: w.start,
    end: w.end,
    rotationVirtualStart: w.start,
    rotationTurnLengthSeconds: turnLengthSeconds,
    users: [onDuty(w, people)],
  }));
}

/**
 * Every role's layers from `asOf` to the end of the horizon: what the roster component takes. A
 * roster change swaps the user of its own day's layer and touches nothing else: the layer keeps its
 * place in the list, so in PagerDuty it is an update of that one layer id.
 */
export function rosterLayers(calendar: CustomerCalendar, roster: Roster, asOf: Date, horizon?: Horizon): Record<Role, ScheduleLayer[]> {
  const windows = upcomingWindows(calendar, asOf, horizon);
  return Object.fromEntries(
    roles.map((role) => [
      role,
      scheduleLayers(windows, roster[role]).map((layer, i) => {
        const who = dutyOf(windows[i]!, roster, role);
        return who === layer.users[0] ? layer : { ...layer, users: [who] };
      }),
    ]),
  ) as Record<Role, ScheduleLayer[]>;
}
