/**
 * How the CLI words approved maintenance windows: when one runs (in the customer's zone), what it
 * silences and by which resource, and who is still paged meanwhile. One wording for
 * `maintenance plan`, `maintenance list`, `roster --at` and `preview`.
 */
import { standingSupportName, type PagedAt } from "../calendar/index.js";
import type { CustomerSpec } from "../customer/schema.js";
import { roleTitles } from "../facts/extended.js";
import { luxon } from "../facts/lazy.js";
import { durationMinutes, formatDuration, systemOfTarget, type PlacedWindow, type RenderedSilence } from "../plan/maintenance.js";
import type { StillPaged, WindowEffect } from "../plan/maintenanceReport.js";

/** `Tue 2027-01-12 20:00–22:00 +01:00`; across midnight or an offset change, the end in full. */
export function windowWhen(placed: PlacedWindow, zone: string): string {
  const { DateTime } = luxon();
  const start = DateTime.fromJSDate(placed.interval.start, { zone });
  const end = DateTime.fromJSDate(placed.interval.end, { zone });
  const sameDay = start.toFormat("yyyy-MM-dd") === end.toFormat("yyyy-MM-dd") && start.offset === end.offset;
  return sameDay
    ? `${start.toFormat("ccc yyyy-MM-dd HH:mm")}–${end.toFormat("HH:mm ZZ")}`
    : `${start.toFormat("ccc yyyy-MM-dd HH:mm ZZ")} – ${end.toFormat("ccc yyyy-MM-dd HH:mm ZZ")}`;
}

/** `22:00 +01:00` on the window's last day, or the whole date when it ends another day than `from`. */
export function untilWhen(placed: PlacedWindow, zone: string, from: Date): string {
  const { DateTime } = luxon();
  const end = DateTime.fromJSDate(placed.interval.end, { zone });
  const same = DateTime.fromJSDate(from, { zone }).toFormat("yyyy-MM-dd") === end.toFormat("yyyy-MM-dd");
  return same ? end.toFormat("HH:mm ZZ") : end.toFormat("ccc yyyy-MM-dd HH:mm ZZ");
}

export const windowDuration = (placed: PlacedWindow) => formatDuration(durationMinutes(placed.window.duration));

const silenceKinds: Record<RenderedSilence["kind"], [one: string, many: string]> = {
  "datadog-downtime": ["Datadog downtime", "Datadog downtimes"],
  "azure-processing-rule": ["Azure alert processing rule", "Azure alert processing rules"],
};

/** `2 Datadog downtimes and 1 Azure alert processing rule`, or `nothing` when a window silences no alert. */
export function silencesCount(silences: readonly RenderedSilence[]): string {
  const parts = (Object.keys(silenceKinds) as RenderedSilence["kind"][]).flatMap((kind) => {
    const n = silences.filter((s) => s.kind === kind).length;
    return n ? [`${n} ${silenceKinds[kind][n === 1 ? 0 : 1]}`] : [];
  });
  return parts.length ? parts.join(" and ") : "nothing";
}

/** One line per silenced alert: its name, role, and the resource that silences it. */
export function silencedLines(effect: WindowEffect, indent = "  "): string[] {
  if (effect.silenced.length === 0)
    return [`${indent}(no chosen alert watches ${effect.placed.window.systems.join(", ")}: nothing is silenced)`];
  const label = (s: WindowEffect["silenced"][number]) => `${s.alert.name} (${roleTitles[s.alert.provenance.role]})`;
  const width = Math.max(...effect.silenced.map((s) => label(s).length));
  return effect.silenced.map((s) => `${indent}${label(s).padEnd(width)}  by ${silenceKinds[s.via][0]} ${s.silence}`);
}

/** Who a page of one role reaches, step by step: `a@x, then standing support (...) if unacknowledged after 15 min`. */
export function stepsText(spec: Pick<CustomerSpec, "standingSupport">, paged: PagedAt): string {
  return paged.steps
    .map((s, i) => {
      const who =
        s.via === "standing-support" && spec.standingSupport ? `standing support (${standingSupportName(spec.standingSupport)})` : s.who;
      return i === 0 ? who : `then ${who} if unacknowledged after ${s.afterMinutes} min`;
    })
    .join(", ");
}

/** Per role, the alerts that still page and whom they reach; one line saying so when every alert is silenced. */
export function stillPagedLines(
  spec: CustomerSpec,
  stillPaged: readonly StillPaged[],
  indent = "  ",
  none = "nobody: every chosen alert is silenced",
): string[] {
  if (stillPaged.length === 0) return [`${indent}${none}`];
  const systemOf = systemOfTarget(spec);
  return stillPaged.flatMap((s) => [
    `${indent}${roleTitles[s.role]}: ${stepsText(spec, s.paged)}`,
    ...s.alerts.map((a) => `${indent}  ${a.name} (${systemOf.get(a.provenance.target)})`),
  ]);
}

/** The window's approval in one line: `CHG-1042, approved by a@b.dk: <reason>`. */
export const approvalText = (placed: PlacedWindow) =>
  `${placed.window.change}, approved by ${placed.window.approvedBy}: ${placed.window.reason}`;

/** Words that fit `width` columns, the first line after `first`, the rest after `rest`. */
export function wrap(words: readonly string[], width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    if (!empty && [...`${line} ${w}`].length > width) {
      lines.push(line);
      line = rest + w;
    } else line = empty ? line + w : `${line} ${w}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * `preview`'s section on approved maintenance: whether the as-of falls inside a window, and the
 * windows the stack holds (those not over at the as-of) with what each silences. Empty for a file
 * without `maintenance:`, so those previews read as before. Fits 80 columns.
 */
export function previewMaintenanceText(spec: CustomerSpec, effects: readonly WindowEffect[], ended: number, asOf: Date): string {
  if (effects.length === 0 && ended === 0) return "";
  const running = effects.filter((e) => e.placed.interval.start.getTime() <= asOf.getTime());
  const endedNote = ended ? `; ${ended} ended, left out` : "";
  const lines = [`Maintenance: ${effects.length} approved ${effects.length === 1 ? "window" : "windows"} ahead${endedNote}`];
  for (const e of effects) {
    const w = e.placed.window;
    lines.push(
      ...wrap(`${w.id}: ${windowWhen(e.placed, spec.timezone)} (${windowDuration(e.placed)})`.split(" "), 80, "  ", "      "),
      ...(running.includes(e) ? [`    the as-of is inside it: silenced until ${untilWhen(e.placed, spec.timezone, asOf)}`] : []),
      ...wrap(`systems ${w.systems.join(", ")}; ${w.change}, approved by ${w.approvedBy}`.split(" "), 80, "    ", "      "),
      ...(e.silenced.length
        ? [
            `    silences ${e.silenced.length} ${e.silenced.length === 1 ? "alert" : "alerts"} by ${silencesCount(e.silences)}:`,
            ...wrap(
              e.silenced.map((s, i) => `${s.alert.name}${i < e.silenced.length - 1 ? "," : ""}`),
              80,
              "      ",
              "      ",
            ),
          ]
        : ["    silences nothing: no chosen alert watches its systems"]),
    );
  }
  return `${lines.join("\n")}\n`;
}
