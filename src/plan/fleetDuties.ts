/**
 * One person across the fleet: their duties in every customer's roster (changes included), and
 * the fleet-wide warning when someone is on duty for more customers on one day than
 * `maxCustomersPerPersonPerDay` in stacks/_fleet.yaml allows.
 */
import { dutyRoster, holidayWindows, type RosterDay } from "../calendar/index.js";
import { roles, type Role } from "../facts/extended.js";
import type { Problem } from "../facts/problems.js";
import type { CustomerSpec } from "../customer/schema.js";
import type { Path, YamlSource } from "../facts/yamlSource.js";
import { customerCalendar } from "./plan.js";

/** A customer file that passed its own check, as the fleet-wide checks see it. */
export interface FleetMember {
  spec: CustomerSpec;
  source: YamlSource;
}

export interface Duty {
  customer: string;
  date: string;
  kind: RosterDay["kind"];
  role: Role;
  start: string;
  end: string;
  /** When a roster change put this person there: whom the rotation had, and why. */
  covers?: { from: string; reason: string };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Each member's roster days in `years`. */
function rosterDays(members: readonly Pick<FleetMember, "spec">[], years: readonly number[]) {
  return members.map((m) => ({
    member: m,
    days: dutyRoster(
      years.flatMap((y) => holidayWindows(customerCalendar(m.spec), y)),
      m.spec.roster,
    ),
  }));
}

/** Every duty of `person` in `years`, by date, then customer. */
export function dutiesOf(members: readonly Pick<FleetMember, "spec">[], person: string, years: readonly number[]): Duty[] {
  const duties: Duty[] = [];
  for (const { member, days } of rosterDays(members, years)) {
    for (const d of days) {
      for (const role of roles) {
        if (!same(d.onDuty[role], person)) continue;
        const change = d.changes?.[role];
        duties.push({
          customer: member.spec.customer,
          date: d.date,
          kind: d.kind,
          role,
          start: d.start,
          end: d.end,
          ...(change ? { covers: change } : {}),
        });
      }
    }
  }
  return duties.sort((a, b) => cmp(a.date, b.date) || cmp(a.customer, b.customer));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One warning per person on duty for more than `limit` customers on a day from `now` to the end of
 * next year (the days the stacks hold; a day already over can't be changed), naming the days and customers; placed at the person's roster entry in the first of those customers' files
 * that `shownIn` accepts (the files being validated), and left out when there is none.
 */
export function overbookedWarnings(
  members: readonly FleetMember[],
  limit: number,
  now: Date,
  setting: string,
  shownIn: (file: string) => boolean = () => true,
): Problem[] {
  // person (lower case) -> date -> customers
  const byPerson = new Map<string, { shown: string; dates: Map<string, Set<FleetMember>> }>();
  const year = now.getUTCFullYear();
  for (const { member, days } of rosterDays(members, [year, year + 1])) {
    for (const d of days) {
      if (Date.parse(d.end) <= now.getTime()) continue;
      for (const role of roles) {
        const who = d.onDuty[role];
        const entry = byPerson.get(who.toLowerCase()) ?? { shown: who, dates: new Map() };
        byPerson.set(who.toLowerCase(), entry);
        entry.dates.set(d.date, (entry.dates.get(d.date) ?? new Set()).add(member));
      }
    }
  }
  const warnings: Problem[] = [];
  for (const { shown, dates } of byPerson.values()) {
    const over = [...dates].filter(([, customers]) => customers.size > limit).sort(([a], [b]) => cmp(a, b));
    if (over.length === 0) continue;
    const involved = members.filter((m) => over.some(([, customers]) => customers.has(m)));
    const at = involved.find((m) => shownIn(m.source.file));
    if (!at) continue;
    const path = entryOf(at, shown);
    const names = (customers: Set<FleetMember>) =>
      [...customers]
        .map((m) => m.spec.customer)
        .sort()
        .join(", ");
    const listed = over.slice(0, 5).map(([date, customers]) => `${date} (${names(customers)})`);
    const more = over.length > 5 ? ` and ${over.length - 5} more days` : "";
    warnings.push(
      at.source.problem(
        path,
        `warning: ${fieldOf(path)}: ${shown} is on duty for more than ${limit} customers on ${over.length === 1 ? "one day" : `${over.length} days`} (${setting}): ${listed.join(", ")}${more}; swap some of those days (\`pico-monitoring roster swap\`) or raise the limit`,
      ),
    );
  }
  return warnings;
}

/** Where `person` is written in a member's file: their place in a role's list, or a change that names them. */
function entryOf(member: FleetMember, person: string): Path {
  for (const role of roles) {
    const i = member.spec.roster[role].findIndex((p) => same(p, person));
    if (i >= 0) return ["roster", role, i];
  }
  const j = member.spec.roster.changes.findIndex((c) => same(c.to, person));
  return j >= 0 ? ["roster", "changes", j, "to"] : ["roster"];
}

const fieldOf = (path: Path) => path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
