/**
 * What `validate` checks of `approvers:` and `maintenance:`, each at the entry's line: the window
 * names known systems and a listed approver, fits the fleet's maximum, names one instant in the
 * customer's zone, and overlaps no preparedness window unless it says why.
 */
import type { CustomerSpec } from "../customer/schema.js";
import type { Problem } from "../facts/problems.js";
import { didYouMean } from "../facts/suggest.js";
import { fieldName, type YamlSource } from "../facts/yamlSource.js";
import { preparednessKindTitles } from "../calendar/preparednessDays.js";
import { durationMinutes, formatDuration, preparednessOverlap, systemOfTarget, windowInterval } from "./maintenance.js";
import { customerCalendar } from "./plan.js";

export function maintenanceProblems(spec: CustomerSpec, source: YamlSource, maxDuration: string): Problem[] {
  const problems: Problem[] = [];
  const systems = spec.systems.map((s) => s.id);
  const approvers = spec.approvers.map((a) => a.email);
  const max = durationMinutes(maxDuration);
  const seen = new Set<string>();
  spec.maintenance.forEach((w, i) => {
    const at = (...rest: (string | number)[]) => ["maintenance", i, ...rest];
    const say = (path: (string | number)[], message: string) => problems.push(source.problem(path, `${fieldName(path)}: ${message}`));
    if (seen.has(w.id)) say(at("id"), `'${w.id}' is already the id of another window`);
    seen.add(w.id);
    w.systems.forEach((s, j) => {
      if (!systems.includes(s))
        say(at("systems", j), `no system has id '${s}'${didYouMean(s, systems)}; a window names systems from \`systems:\``);
    });
    if (!approvers.includes(w.approvedBy)) {
      const listed = approvers.length ? `the approvers are ${approvers.join(", ")}` : "the file lists no `approvers:`";
      say(at("approvedBy"), `'${w.approvedBy}' is not one of the customer's approvers${didYouMean(w.approvedBy, approvers)}; ${listed}`);
    }
    const minutes = durationMinutes(w.duration);
    if (minutes <= 0) say(at("duration"), "is zero; a window lasts at least a minute");
    else if (minutes > max) {
      say(
        at("duration"),
        `${formatDuration(minutes)} is longer than the fleet's maximum of ${formatDuration(max)} (maxMaintenanceDuration in stacks/_fleet.yaml)`,
      );
    }
    const interval = windowInterval(w, spec.timezone);
    if (typeof interval === "string") {
      say(at("start"), interval);
      return;
    }
    const overlap = preparednessOverlap(customerCalendar(spec), interval);
    if (overlap && w.duringPreparedness === undefined) {
      say(
        at("start"),
        `the window overlaps the preparedness window of ${overlap.date} (${preparednessKindTitles[overlap.kind]}, ` +
          `${overlap.start.slice(11, 16)} to ${overlap.end.slice(11, 16)}), when holiday preparedness runs on reduced staff; ` +
          "move it, or say why in `duringPreparedness:`",
      );
    }
  });
  return problems;
}

/** Worth a look: a window that has ended (it renders nothing now), or one that silences no chosen alert. */
export function maintenanceWarnings(spec: CustomerSpec, source: YamlSource, now: Date): Problem[] {
  const warnings: Problem[] = [];
  const systemOf = systemOfTarget(spec);
  const watched = new Set(spec.alerts.map((a) => systemOf.get(a.on)));
  spec.maintenance.forEach((w, i) => {
    const interval = windowInterval(w, spec.timezone);
    const path = ["maintenance", i] as const;
    if (typeof interval !== "string" && interval.end.getTime() <= now.getTime()) {
      warnings.push(
        source.problem(
          path,
          `warning: ${fieldName(path)}: '${w.id}' ended ${interval.end.toISOString()}; it silences nothing now and can be removed`,
        ),
      );
    }
    const idle = w.systems.filter((s) => !watched.has(s));
    if (idle.length) {
      warnings.push(
        source.problem(
          [...path, "systems"],
          `warning: ${fieldName([...path, "systems"])}: no chosen alert watches ${idle.join(", ")}, so the window silences nothing there`,
        ),
      );
    }
  });
  return warnings;
}
