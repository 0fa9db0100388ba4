/**
 * The audit's record of a customer's approved maintenance windows: when each runs in the customer's
 * zone, what it silences, who approved it on which change, whether it overlaps holiday preparedness,
 * and where it stands at the audit's as-of. Pure, from the validated file.
 */
import { preparednessKindTitles } from "../calendar/preparednessDays.js";
import type { CustomerSpec } from "../customer/schema.js";
import type { Path } from "../facts/yamlSource.js";
import { formatDuration, durationMinutes, localTime, preparednessOverlap, spanText, utc, windowInterval } from "../plan/maintenance.js";

export { localTime, spanText };
import { customerCalendar } from "../plan/plan.js";
import type { AuditedMaintenanceWindow, SourcePosition } from "./model.js";

export function auditedWindows(
  spec: CustomerSpec,
  asOf: Date,
  locate: (path: Path, at?: "key" | "value") => SourcePosition,
): AuditedMaintenanceWindow[] {
  const calendar = customerCalendar(spec);
  const out: AuditedMaintenanceWindow[] = [];
  spec.maintenance.forEach((w, i) => {
    const interval = windowInterval(w, spec.timezone);
    // validate rejects a start with no one instant, so an audited file has none; nothing to place if it does.
    if (typeof interval === "string") return;
    const approver = spec.approvers.find((a) => a.email === w.approvedBy);
    const overlap = preparednessOverlap(calendar, interval);
    const t = asOf.getTime();
    const minutes = durationMinutes(w.duration);
    out.push({
      id: w.id,
      start: localTime(interval.start, spec.timezone),
      end: localTime(interval.end, spec.timezone),
      timezone: spec.timezone,
      startUtc: utc(interval.start),
      endUtc: utc(interval.end),
      duration: formatDuration(minutes),
      minutes,
      systems: [...w.systems],
      approvedBy: { ...(approver ? { name: approver.name } : {}), email: w.approvedBy },
      change: w.change,
      reason: w.reason,
      ...(overlap
        ? {
            preparedness: {
              date: overlap.date,
              kind: overlap.kind,
              title: preparednessKindTitles[overlap.kind],
              start: localTime(overlap.start, spec.timezone),
              end: localTime(overlap.end, spec.timezone),
              ...(w.duringPreparedness !== undefined ? { reason: w.duringPreparedness } : {}),
            },
          }
        : {}),
      state: t < interval.start.getTime() ? "upcoming" : t < interval.end.getTime() ? "running" : "ended",
      at: locate(["maintenance", i]),
    });
  });
  return out;
}

export const stateText: Record<AuditedMaintenanceWindow["state"], string> = {
  upcoming: "upcoming",
  running: "running now",
  ended: "ended",
};
