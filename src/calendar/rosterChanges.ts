/**
 * Roster changes: dated substitutions written in the customer file (`roster.changes`). On its day
 * a change puts `to` on duty for its role instead of `from`; every other day keeps the rotation.
 * Pure; the loader turns the findings of `rosterChangeFindings` into positions.
 */
import { roles, type Role } from "../facts/extended.js";
import { holidayWindows, onDuty, type CustomerCalendar, type PreparednessWindow } from "./windows.js";

export interface RosterChange {
  day: string;
  role: Role;
  from: string;
  to: string;
  reason: string;
}

/** The people per role in rotation order, and the changes to it (absent in rosters built without any). */
export type Roster = Record<Role, readonly string[]> & { changes?: readonly RosterChange[] };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The change for `role` on `date`, if the roster has one. */
export function changeOn(roster: Roster, date: string, role: Role): RosterChange | undefined {
  return roster.changes?.find((c) => c.day === date && c.role === role);
}

/** Who covers `role` in `window`: the change's substitute on its day, else the rotation's person. */
export function dutyOf(window: Pick<PreparednessWindow, "date">, roster: Roster, role: Role): string {
  return changeOn(roster, window.date, role)?.to ?? onDuty(window, roster[role]);
}

/** What is wrong with one change; `warning` findings don't make the file invalid. */
export interface ChangeFinding {
  index: number;
  field: "day" | "from" | "to" | "role";
  message: string;
  warning?: true;
}

/**
 * Every reason a change can't be trusted: its day is not a preparedness day of this calendar; it
 * repeats another change's day and role; the rotation no longer puts `from` there (the change went
 * stale); `to` is `from`, or already on another role that day (after the other changes). A change
 * whose window has ended by `now` is only a warning: it is history, and PagerDuty holds no layer for it.
 */
export function rosterChangeFindings(calendar: CustomerCalendar, roster: Roster, now: Date): ChangeFinding[] {
  const findings: ChangeFinding[] = [];
  const windowsOf = new Map<number, Map<string, PreparednessWindow>>();
  const windowOn = (date: string) => {
    const year = Number(date.slice(0, 4));
    let byDate = windowsOf.get(year);
    if (!byDate) windowsOf.set(year, (byDate = new Map(holidayWindows(calendar, year).map((w) => [w.date, w]))));
    return byDate.get(date);
  };
  const seen = new Map<string, number>();
  (roster.changes ?? []).forEach((c, index) => {
    const key = `${c.day} ${c.role}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      findings.push({ index, field: "role", message: `${c.day} ${c.role} already has a change (roster.changes[${earlier}]); keep one` });
      return;
    }
    seen.set(key, index);
    const window = windowOn(c.day);
    if (!window) {
      findings.push({
        index,
        field: "day",
        message: `${c.day} is not a preparedness day of this customer, so nobody is on duty to replace`,
      });
      return;
    }
    const rotation = onDuty(window, roster[c.role]);
    if (!same(rotation, c.from)) {
      findings.push({
        index,
        field: "from",
        message: `the rotation puts ${rotation} on ${c.role} duty on ${c.day}, not ${c.from}: the change is stale (the roster moved since it was written); check it with the people involved, then correct or remove it`,
      });
      return;
    }
    if (same(c.to, c.from)) {
      findings.push({ index, field: "to", message: `${c.to} is the person being replaced; a change names someone else` });
      return;
    }
    const busy = roles.find((r) => r !== c.role && same(dutyOf(window, roster, r), c.to));
    if (busy) {
      findings.push({
        index,
        field: "to",
        message: `${c.to} is already on ${busy} duty on ${c.day}; one person covers one role a day`,
      });
      return;
    }
    if (Date.parse(window.end) <= now.getTime()) {
      findings.push({
        index,
        field: "day",
        warning: true,
        message: `${c.day} is past: the change is kept as history, and PagerDuty holds no layer for that day any more`,
      });
    }
  });
  return findings;
}
