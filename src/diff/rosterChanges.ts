/**
 * Roster changes (`roster.changes` of a customer file) across a pull request: which were added
 * and which withdrawn, with their reasons, for the PR comment's "Roster changes" line. Pure.
 */
import type { PreviewDoc } from "../preview/document.js";

export type RosterChangeEntry = NonNullable<PreviewDoc["rosterChanges"]>[number];

export interface RosterChangesDiff {
  added: RosterChangeEntry[];
  removed: RosterChangeEntry[];
}

/** The entries of a parsed `preview --json` document's `rosterChanges`, or undefined when it has none. */
export function readRosterChanges(v: unknown): RosterChangeEntry[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const fields = ["day", "role", "from", "to", "reason"] as const;
  return v.flatMap((c) =>
    c !== null && typeof c === "object" && fields.every((f) => typeof (c as Record<string, unknown>)[f] === "string")
      ? [Object.fromEntries(fields.map((f) => [f, (c as Record<string, string>)[f]])) as RosterChangeEntry]
      : [],
  );
}

const key = (c: RosterChangeEntry) => JSON.stringify([c.day, c.role, c.from, c.to, c.reason]);

/** Entries only the head has (added) and only the base has (withdrawn or edited), each in date order. */
export function diffRosterChanges(base: readonly RosterChangeEntry[], head: readonly RosterChangeEntry[]): RosterChangesDiff {
  const b = new Set(base.map(key));
  const h = new Set(head.map(key));
  const byDay = (x: RosterChangeEntry, y: RosterChangeEntry) => (x.day < y.day ? -1 : x.day > y.day ? 1 : x.role < y.role ? -1 : 1);
  return { added: head.filter((c) => !b.has(key(c))).sort(byDay), removed: base.filter((c) => !h.has(key(c))).sort(byDay) };
}
