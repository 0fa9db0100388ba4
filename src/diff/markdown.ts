/**
 * The diff report (./report.ts) as Markdown sized for one pull-request comment: added or widened
 * maintenance windows first (they silence alerts), a table of the affected customers, then a section
 * per customer, cut to fit GitHub's comment limit.
 */
import { masked } from "../facts/engineValues.js";
import { escapeHtml, escapeMarkdown } from "../facts/markdown.js";
import { shortReason } from "./affected.js";
import type { PropChange, ResourceRef, RosterChange } from "./compare.js";
import type { CustomerDiff, DiffReport } from "./report.js";
import { spanText } from "../plan/maintenance.js";
import type { WindowChange, WindowFacts } from "./maintenanceChanges.js";

export const commentMarker = "<!-- pico-monitoring-diff -->";
/** GitHub rejects comments over 65,536 characters; leave room for the note on what was cut. */
export const defaultMaxChars = 60_000;

/** An inline code span that survives backticks and table pipes in the value. */
function code(s: string): string {
  const runs = s.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${fence}${pad}${s.replace(/\|/g, "\\|")}${pad}${fence}`;
}

function value(v: unknown, width: number): string {
  if (v === undefined) return "(not set)";
  const s = JSON.stringify(masked(v)) ?? String(v);
  return code(s.length > width ? `${s.slice(0, width - 1)}…` : s);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function resourceCounts(c: CustomerDiff): string {
  if (!c.changes) return c.head.status === "invalid" ? "input rejected" : "not previewed";
  const { added, changed, removed } = c.changes;
  if (added.length + changed.length + removed.length === 0) return "no change";
  return [added.length && `+${added.length}`, changed.length && `~${changed.length}`, removed.length && `−${removed.length}`]
    .filter(Boolean)
    .join(" ");
}

function alertsCell(c: CustomerDiff): string {
  const { before, after, max } = c.alerts;
  const n = (x: number | null) => (x === null ? "?" : String(x));
  const over = after !== null && max !== null && after > max;
  return `${n(before)} → ${n(after)} / ${n(max)}${over ? " ❌" : ""}`;
}

function policiesCell(c: CustomerDiff): string {
  if (c.head.status === "invalid") return "❌ invalid input";
  if (c.head.status === "error") return "❌ preview failed";
  if (c.head.status === "absent") return "— (removed)";
  const failed = c.policies ? c.policies.results.filter((r) => r.status === "fail") : [];
  const blocking = c.policies ? failed.filter((r) => r.enforcementLevel !== "advisory") : [];
  if (!c.policies) return c.result === "fail" ? "❌ alert limit" : "⚠️ not reported";
  if (blocking.length) return `❌ ${blocking.map((r) => r.policy).join(", ")}`;
  if (failed.length) return `⚠️ ${failed.map((r) => r.policy).join(", ")} (advisory)`;
  return `✅ ${c.policies.results.filter((r) => r.enforcementLevel !== "disabled").length} pass`;
}

function rosterCell(c: CustomerDiff): string {
  if (!c.roster) return "?";
  const { added, removed, reassigned } = c.roster;
  const cell = [added.length && `+${added.length}`, removed.length && `−${removed.length}`].filter(Boolean).join(" ");
  const shifted = reassigned.length ? `${reassigned.length} reassigned` : "";
  return [cell, shifted].filter(Boolean).join(", ") || "—";
}

/** `cem.ozturk@pico.dk` → `cem.ozturk`: the roster's people all share Pico's domain. */
const person = (email: string) => email.replace(/@.*$/, "");

/**
 * Reassigned days as people and dates (`2027-07-14 frontend: cem → dina`). A person new to a role
 * takes over many days at once: one summary line for them, the days folded beneath it.
 */
function rosterPeopleLines(people: NonNullable<RosterChange["people"]>): string[] {
  const lines = ["- **Who is on duty changes:**"];
  const known = new Map<string, Set<string>>();
  for (const p of people) known.set(p.role, (known.get(p.role) ?? new Set()).add(p.before));
  const joiners = new Map<string, typeof people>();
  const single: typeof people = [];
  for (const p of people) {
    // New to the role when they covered none of its changed days before.
    if (!known.get(p.role)!.has(p.after)) {
      const key = `${p.role}\0${p.after}`;
      joiners.set(key, [...(joiners.get(key) ?? []), p]);
    } else single.push(p);
  }
  const day = (p: (typeof people)[number]) =>
    `${code(p.date)} ${escapeInline(p.role)}: ${escapeInline(person(p.before))} → ${escapeInline(person(p.after))}`;
  for (const days of joiners.values()) {
    const { role, after } = days[0]!;
    lines.push(
      `  - <details><summary>${escapeHtml(person(after))} joins the ${escapeHtml(role)} rotation: ${plural(days.length, "day")} from ${days[0]!.date} to ${days.at(-1)!.date}</summary>`,
      "",
      ...days.map((p) => `    - ${day(p)}`),
      "",
      "    </details>",
    );
  }
  for (const p of single.slice(0, 20)) lines.push(`  - ${day(p)}`);
  if (single.length > 20) lines.push(`  - … and ${single.length - 20} more (see the JSON report)`);
  return lines;
}

type Detail = "full" | "paths" | "none" | "omit";

function resourceLine(r: ResourceRef): string {
  return `${code(r.type)} ${code(r.name)}${r.alert ? " (alert)" : ""}`;
}

function propLine(p: PropChange, detail: Detail): string {
  if (detail !== "full") return `  - ${code(p.path)}`;
  return `  - ${code(p.path)}: ${value(p.before, 240)} → ${value(p.after, 240)}`;
}

function section(c: CustomerDiff, detail: Detail): string {
  if (detail === "omit") return "";
  const lines: string[] = [];
  const headline = c.result === "fail" ? "❌" : "✅";
  lines.push(`<details><summary>${headline} <b>${escapeHtml(c.customer)}</b>: ${escapeHtml(resourceCounts(c))}</summary>`, "");
  lines.push(`- **Why:** ${escapeInline(c.reason)}`);
  const { before, after, max } = c.alerts;
  const n = (x: number | null) => (x === null ? "?" : String(x));
  lines.push(
    `- **Alerts:** ${n(before)} → ${n(after)} of ${n(max)} allowed${after !== null && max !== null && after > max ? ` (**${after - max} over the limit**)` : ""}`,
  );
  if (c.roster) {
    const { added, removed, reassigned } = c.roster;
    // An added or removed customer has a year or two of days: the first few say enough here.
    const list = (days: string[]) =>
      days
        .slice(0, 10)
        .map((d) => code(d))
        .join(", ") + (days.length > 10 ? ` and ${days.length - 10} more` : "");
    const parts = [
      added.length ? `added ${list(added)}` : "",
      removed.length ? `removed ${list(removed)}` : "",
      reassigned.length ? `${plural(reassigned.length, "day")} change who is on duty (${list(reassigned)})` : "",
    ].filter(Boolean);
    lines.push(`- **Preparedness roster days:** ${parts.length ? parts.join("; ") : "none added or removed"}`);
    if (c.roster.people?.length) lines.push(...rosterPeopleLines(c.roster.people));
  }
  if (c.rosterChanges && (c.rosterChanges.added.length || c.rosterChanges.removed.length)) {
    const entry = (x: { day: string; role: string; from: string; to: string; reason: string }) =>
      `${code(x.day)} ${escapeInline(x.role)}: ${escapeInline(person(x.from))} → ${escapeInline(person(x.to))} (${escapeInline(x.reason)})`;
    lines.push("- **Roster changes:**");
    for (const x of c.rosterChanges.added) lines.push(`  - added: ${entry(x)}`);
    for (const x of c.rosterChanges.removed) lines.push(`  - withdrawn: ${entry(x)}`);
  }
  if (c.maintenance && (c.maintenance.widened.length || c.maintenance.other.length)) {
    lines.push("- **Maintenance windows:**");
    for (const w of c.maintenance.widened) lines.push(`  - ${windowChangeLine(w)} (flagged at the top)`);
    for (const w of c.maintenance.other) lines.push(`  - ${windowChangeLine(w)}`);
  }
  if (c.policies) {
    const p = c.policies;
    lines.push(`- **Policies** (${escapeInline(p.pack)} ${escapeInline(p.version)}):`);
    for (const r of p.results) {
      const mark = r.status === "pass" ? "✅" : r.enforcementLevel === "advisory" ? "⚠️" : "❌";
      lines.push(
        `  - ${mark} ${code(r.policy)} (${r.enforcementLevel})${r.status === "fail" ? `: ${plural(r.violations.length, "violation")}` : ""}`,
      );
      for (const v of r.status === "fail" ? r.violations : []) lines.push(`    - ${escapeInline(v.message)}`);
    }
  }
  // Notes are this module's own Markdown, not input text.
  for (const n of c.notes) lines.push(`- ${n}`);
  if (c.head.status === "invalid" || c.head.status === "error") {
    lines.push(
      "",
      "**The customer can't be previewed after the change:**",
      "",
      "```text",
      ...(c.head.problems ?? []).map(fenceSafe),
      "```",
    );
  }
  if (c.base.status === "invalid" || c.base.status === "error") {
    lines.push("", "**Base revision:**", "", "```text", ...(c.base.problems ?? []).map(fenceSafe), "```");
  }
  if (c.changes && detail !== "none") {
    const { added, removed, changed } = c.changes;
    if (added.length) lines.push("", `**Added** (${added.length})`, "", ...added.map((r) => `- ${resourceLine(r)}`));
    if (removed.length) lines.push("", `**Removed** (${removed.length})`, "", ...removed.map((r) => `- ${resourceLine(r)}`));
    if (changed.length) {
      lines.push("", `**Changed** (${changed.length})`, "");
      for (const r of changed) {
        const replace = r.replaces ? ` **replaced** (${r.replaces.map(code).join(", ")} can't change in place)` : "";
        lines.push(`- ${resourceLine(r)}${replace}`);
        for (const p of r.props) lines.push(propLine(p, detail));
      }
    }
    if (detail === "paths" && changed.length) lines.push("", "_Values left out to fit the comment; see the JSON report._");
  } else if (c.changes && detail === "none") {
    lines.push("", "_Resource details left out to fit the comment; see the JSON report._");
  }
  lines.push("", "</details>", "");
  return lines.join("\n");
}

/** A window as the file now (or last) has it: when, how long, what, on whose approval. */
function windowText(w: WindowFacts): string {
  const when = w.end ? spanText({ start: w.start, end: w.end }) : `${w.start} (no one instant in the zone)`;
  const systems = w.systems.length ? w.systems.map(code).join(", ") : "(none)";
  return (
    `${escapeInline(when)} ${escapeInline(w.timezone)} (${escapeInline(w.duration)}), systems ${systems}, ` +
    `approved by ${escapeInline(w.approvedBy)} on ${code(w.change)}: ${escapeInline(w.reason)}`
  );
}

const changeWords: Record<WindowChange["change"], string> = {
  added: "added",
  widened: "widened",
  removed: "removed",
  narrowed: "narrowed",
  approval: "approval edited",
};

/** `**widened** \`jan-patches\`: now …; longer: 2h → 4h`. */
function windowChangeLine(w: WindowChange): string {
  const facts = w.after ?? w.before!;
  const now = w.change === "removed" ? `was ${windowText(facts)}` : w.change === "added" ? windowText(facts) : `now ${windowText(facts)}`;
  const details = w.details.map(escapeInline).join("; ");
  const ended = w.ended ? " (ended before the as-of instant: it renders nothing)" : "";
  return `**${changeWords[w.change]}** ${code(w.id)}: ${now}${details ? `; ${details}` : ""}${ended}`;
}

/**
 * Approved maintenance windows the change adds or widens, first in the comment: each one silences
 * alerts, so a reviewer checks it against the customer's approval before anything else. Per
 * customer file; empty when no window is added or widened.
 */
export function maintenanceWarnings(report: DiffReport): string[] {
  const files = report.customers.flatMap((c) => (c.maintenance?.widened.length ? [c.maintenance] : []));
  if (files.length === 0) return [];
  const count = files.reduce((n, f) => n + f.widened.length, 0);
  const lines = [
    `> [!WARNING]\n> **Maintenance windows added or widened** (${count}): each silences alerts that page without this change. ` +
      "Check each against the customer's approval: approver, change, systems and interval.",
  ];
  for (const f of files) {
    lines.push(`> - ${code(f.file)}:`);
    for (const w of f.widened) lines.push(`>   - ${windowChangeLine(w)}`);
  }
  return [...lines, ""];
}

/** Free text from inputs (policy messages, paths) must not open HTML or links in the comment. */
const escapeInline = escapeMarkdown;
const fenceSafe = (s: string) => s.replace(/```/g, "`\u200b``");

/**
 * Every catalogue entry the change touches, with the customers whose alerts it re-renders, at the top:
 * a catalogue change changes standard alerts for every customer that uses the entry, and releasing a
 * version is a step its reviewers must see (issue 11). Empty when no entry changed.
 */
export function catalogueChanges(report: DiffReport): string[] {
  const touched = new Map<string, { path: string; customers: string[] }>();
  for (const c of report.customers) {
    for (const r of c.reasons) {
      if (r.kind !== "catalog-entry") continue;
      const t = touched.get(r.entry) ?? { path: r.path, customers: [] };
      if (!t.customers.includes(c.customer)) t.customers.push(c.customer);
      touched.set(r.entry, t);
    }
  }
  if (touched.size === 0) return [];
  const lines = [...touched.keys()].sort().map((entry) => {
    const t = touched.get(entry)!;
    return `> - ${code(entry)} (${code(t.path)}): ${t.customers.sort().map(code).join(", ")}`;
  });
  return [
    `> [!IMPORTANT]\n> **Catalogue change**: ${plural(touched.size, "entry", "entries")} changed; every customer listed gets re-rendered standard alerts. ` +
      "A new version must be released in catalog/versions.lock.json, which the catalogue's code owners approve.",
    ...lines,
    "",
  ];
}

export function reportMarkdown(report: DiffReport, opts: { maxChars?: number } = {}): string {
  const maxChars = opts.maxChars ?? defaultMaxChars;
  const failing = report.customers.filter((c) => c.result === "fail");
  const head = [
    commentMarker,
    // Before everything else: a silence is what a reviewer must not miss.
    ...maintenanceWarnings(report),
    `### Monitoring changes: ${plural(report.affected.length, "customer")} affected${failing.length ? `, ${failing.length} failing` : ""}`,
    "",
    `Compared with ${code(report.base)} (${code(report.baseCommit.slice(0, 12))}) as of ${code(report.asOf)}. ` +
      "Each side is previewed offline with its own revision's code; roster layers that end before the as-of instant are left out on both sides.",
    "",
  ];
  if (report.baseBuild?.errors?.length) {
    head.push(
      `> [!WARNING]\n> The base revision has compile errors; its side was previewed from what tsc emitted:\n> ${code(report.baseBuild.errors[0]!)}`,
      "",
    );
  }
  if (report.customers.length === 0) {
    return `${[...head, "No customer is affected by this change."].join("\n")}\n`;
  }
  head.push(...catalogueChanges(report));
  const rows = [
    "| Customer | Why | Resources | Alerts before → after / limit | Policies after | Roster days |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.customers.map(
      (c) =>
        `| ${code(c.customer)} | ${[...new Set(c.reasons.map(shortReason))].join(", ").replace(/\|/g, "\\|")} | ${resourceCounts(c)} | ${alertsCell(c)} | ${policiesCell(c)} | ${rosterCell(c)} |`,
    ),
    "",
  ];
  const note = (cut: string[]) =>
    cut.length
      ? `\n> [!NOTE]\n> Cut to fit one comment (${maxChars.toLocaleString("en-US")} characters): ${cut.join("; ")}. ` +
        `The JSON report has everything: \`pico-monitoring diff --base ${report.base} --format json\`.\n`
      : "";

  // The summary table always stays; past it, per-customer details shrink, largest first.
  let top = [...head, ...rows].join("\n");
  let tableCut = 0;
  while (top.length > maxChars * 0.8 && rows.length > 3) {
    rows.splice(rows.length - 2, 1);
    tableCut++;
    top = [...head, ...rows].join("\n");
  }
  const levels: Detail[] = report.customers.map(() => "full");
  const sections = report.customers.map((c) => section(c, "full"));
  const cutNotes = () => {
    const cut: string[] = [];
    if (tableCut) cut.push(`${plural(tableCut, "summary row")} left out`);
    const paths = report.customers.filter((_, i) => levels[i] === "paths").map((c) => c.customer);
    const none = report.customers.filter((_, i) => levels[i] === "none").map((c) => c.customer);
    const omitted = report.customers.filter((_, i) => levels[i] === "omit").map((c) => c.customer);
    if (paths.length) cut.push(`before/after values left out for ${paths.join(", ")}`);
    if (none.length) cut.push(`resource details left out for ${none.join(", ")}`);
    if (omitted.length) cut.push(`no section for ${omitted.join(", ")}`);
    return cut;
  };
  const total = () => top.length + sections.reduce((n, s) => n + s.length, 0) + note(cutNotes()).length + 1;
  while (total() > maxChars) {
    // Every customer loses its values before any loses its resource list; the largest goes first.
    const rank: Record<Detail, number> = { full: 3, paths: 2, none: 1, omit: 0 };
    let biggest = -1;
    for (let i = 0; i < sections.length; i++) {
      if (levels[i] === "omit") continue;
      const better =
        biggest < 0 ||
        rank[levels[i]!] > rank[levels[biggest]!] ||
        (levels[i] === levels[biggest] && sections[i]!.length > sections[biggest]!.length);
      if (better) biggest = i;
    }
    if (biggest < 0) break;
    levels[biggest] = levels[biggest] === "full" ? "paths" : levels[biggest] === "paths" ? "none" : "omit";
    sections[biggest] = section(report.customers[biggest]!, levels[biggest]!);
  }
  let body = `${top}\n${sections.join("\n")}${note(cutNotes())}`;
  // Last resort, when even the cut notes are too long: a hard cut that keeps the marker and summary.
  if (body.length > maxChars) {
    const tail = "\n\n> [!NOTE]\n> Cut at the comment size limit; the JSON report has everything.\n";
    body = body.slice(0, maxChars - tail.length) + tail;
  }
  return body.endsWith("\n") ? body : `${body}\n`;
}
