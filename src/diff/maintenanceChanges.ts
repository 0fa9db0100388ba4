/**
 * Approved maintenance windows (`maintenance:` of a customer file) across a pull request, compared
 * by id. A window silences alerts, so the PR comment flags at its top each one that silences more
 * than before: a new window, and one that is longer, starts earlier, ends later or covers more
 * systems. Removed and narrowed windows, and edits of the approval alone, are listed in the
 * customer's section. Pure.
 *
 * Read from each side's customer file itself, not its preview: the base may predate `maintenance:`
 * (its code would not report windows), and a head file that fails validation still shows a reviewer
 * the silence it asks for.
 */
import { parse } from "yaml";
import { readAsOf } from "../facts/asOf.js";
import { defaultTimezone } from "../facts/extended.js";
import { durationMinutes, formatDuration, localTime, utc, windowInterval } from "../plan/maintenance.js";

/** One window as a side's file writes it, with its instants when its start names one. */
export interface WindowFacts {
  id: string;
  /** Local wall times in `timezone`, `YYYY-MM-DD HH:MM`; `end` absent when the start names no one instant. */
  start: string;
  end?: string;
  timezone: string;
  startUtc?: string;
  endUtc?: string;
  duration: string;
  systems: string[];
  approvedBy: string;
  change: string;
  reason: string;
  duringPreparedness?: string;
}

export interface WindowChange {
  id: string;
  /**
   * added: only the head has it; widened: it silences more than before (longer, earlier start, later
   * end, more systems); removed: only the base has it; narrowed: it silences less and no more;
   * approval: same interval and systems, another approver, change, reason or preparedness reason.
   */
  change: "added" | "widened" | "removed" | "narrowed" | "approval";
  before?: WindowFacts;
  after?: WindowFacts;
  /** What differs, one phrase each (`2h → 4h`, `covers more systems: +portal`). */
  details: string[];
  /** The head's window ended before the as-of: it renders nothing now. */
  ended?: true;
}

export interface MaintenanceDiff {
  /** The customer file, relative to the repository root. */
  file: string;
  /** Added and widened windows: what the comment flags at its top. */
  widened: WindowChange[];
  /** Removed and narrowed windows, and approval edits. */
  other: WindowChange[];
}

/** A side's windows and zone, or undefined when the file can't be read as YAML (then nothing can be compared). */
export function readWindows(text: string | undefined): WindowFacts[] | undefined {
  if (text === undefined) return [];
  let data: unknown;
  try {
    data = parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return data == null ? [] : undefined;
  const file = data as Record<string, unknown>;
  const timezone = typeof file.timezone === "string" ? file.timezone : defaultTimezone;
  if (!Array.isArray(file.maintenance)) return [];
  const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
  const windows: WindowFacts[] = [];
  for (const item of file.maintenance) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) continue;
    const w = item as Record<string, unknown>;
    const id = str(w.id);
    if (!id || windows.some((x) => x.id === id)) continue;
    const start = str(w.start);
    const duration = str(w.duration);
    const facts: WindowFacts = {
      id,
      start,
      timezone,
      duration,
      systems: Array.isArray(w.systems) ? w.systems.map(str) : [],
      approvedBy: str(w.approvedBy),
      change: str(w.change),
      reason: str(w.reason),
      ...(w.duringPreparedness !== undefined ? { duringPreparedness: str(w.duringPreparedness) } : {}),
    };
    // Only a well-formed start and duration name an interval; validate reports the rest at their lines.
    if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/.test(start) && Number.isFinite(durationMinutes(duration))) {
      const interval = windowInterval({ start, duration }, timezone);
      if (typeof interval !== "string") {
        facts.start = localTime(interval.start, timezone);
        facts.end = localTime(interval.end, timezone);
        facts.startUtc = utc(interval.start);
        facts.endUtc = utc(interval.end);
      }
    }
    windows.push(facts);
  }
  return windows;
}

const minutes = (w: WindowFacts) => durationMinutes(w.duration);

/** How `after` differs from `before`, split into what silences more and what silences less or only edits the approval. */
function compare(before: WindowFacts, after: WindowFacts): { wider: string[]; narrower: string[]; approval: string[] } {
  // Local times in each side's zone; the zone is named only when the customer's zone changed.
  const zone = (w: WindowFacts, local: string) => (before.timezone === after.timezone ? local : `${local} ${w.timezone}`);
  const when = (w: WindowFacts) => zone(w, w.start);
  const wider: string[] = [];
  const narrower: string[] = [];
  const approval: string[] = [];
  const [b, a] = [minutes(before), minutes(after)];
  const fmt = (m: number, raw: string) => (Number.isFinite(m) ? formatDuration(m) : raw);
  if (Number.isFinite(a) && Number.isFinite(b) && a !== b) {
    (a > b ? wider : narrower).push(`${a > b ? "longer" : "shorter"}: ${fmt(b, before.duration)} → ${fmt(a, after.duration)}`);
  } else if (!(Number.isFinite(a) && Number.isFinite(b)) && before.duration !== after.duration) {
    wider.push(`duration: ${before.duration} → ${after.duration}`);
  }
  if (before.startUtc && after.startUtc && before.endUtc && after.endUtc) {
    if (after.startUtc !== before.startUtc) {
      (after.startUtc < before.startUtc ? wider : narrower).push(
        `starts ${after.startUtc < before.startUtc ? "earlier" : "later"}: ${when(before)} → ${when(after)}`,
      );
    }
    if (after.endUtc !== before.endUtc) {
      (after.endUtc > before.endUtc ? wider : narrower).push(
        `ends ${after.endUtc > before.endUtc ? "later" : "earlier"}: ${zone(before, before.end!)} → ${zone(after, after.end!)}`,
      );
    }
  } else if (before.start !== after.start || before.timezone !== after.timezone) {
    // A start that names no one instant on either side: whether it silences more can't be told, so it counts as more.
    wider.push(`start: ${when(before)} → ${when(after)}`);
  }
  const added = after.systems.filter((s) => !before.systems.includes(s));
  const removed = before.systems.filter((s) => !after.systems.includes(s));
  if (added.length) wider.push(`covers more systems: ${added.map((s) => `+${s}`).join(", ")}`);
  if (removed.length) narrower.push(`covers fewer systems: ${removed.map((s) => `−${s}`).join(", ")}`);
  if (before.approvedBy !== after.approvedBy) approval.push(`approved by ${before.approvedBy} → ${after.approvedBy}`);
  if (before.change !== after.change) approval.push(`change ${before.change} → ${after.change}`);
  if (before.reason !== after.reason) approval.push(`reason: ${before.reason} → ${after.reason}`);
  if (before.duringPreparedness !== after.duringPreparedness) {
    approval.push(`during preparedness: ${before.duringPreparedness ?? "(not set)"} → ${after.duringPreparedness ?? "(not set)"}`);
  }
  return { wider, narrower, approval };
}

/**
 * The windows the pull request adds or widens, and those it removes, narrows or only re-approves,
 * in the head file's order (removed ones in the base's); undefined when either side can't be read.
 */
export function diffMaintenance(
  file: string,
  baseText: string | undefined,
  headText: string | undefined,
  asOf: string,
): MaintenanceDiff | undefined {
  const base = readWindows(baseText);
  const head = readWindows(headText);
  if (!base || !head) return undefined;
  const widened: WindowChange[] = [];
  const other: WindowChange[] = [];
  const ended = (w: WindowFacts): { ended?: true } => {
    if (!w.endUtc) return {};
    const at = readAsOf(asOf, w.timezone);
    return typeof at !== "string" && Date.parse(w.endUtc) <= at.getTime() ? { ended: true } : {};
  };
  for (const after of head) {
    const before = base.find((w) => w.id === after.id);
    if (!before) {
      widened.push({ id: after.id, change: "added", after, details: [], ...ended(after) });
      continue;
    }
    const { wider, narrower, approval } = compare(before, after);
    const details = [...wider, ...narrower, ...approval];
    if (wider.length) widened.push({ id: after.id, change: "widened", before, after, details, ...ended(after) });
    else if (narrower.length) other.push({ id: after.id, change: "narrowed", before, after, details, ...ended(after) });
    else if (approval.length) other.push({ id: after.id, change: "approval", before, after, details, ...ended(after) });
  }
  for (const before of base) {
    if (!head.some((w) => w.id === before.id)) other.push({ id: before.id, change: "removed", before, details: [] });
  }
  return { file, widened, other };
}
