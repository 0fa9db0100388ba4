/**
 * `roster.changes` checked at their lines (the rules are in src/calendar/rosterChanges.ts): a stale
 * change, a day that isn't a preparedness day, or a substitute already on duty is an error; a
 * change whose day is over is a warning.
 */
import { rosterChangeFindings } from "../calendar/rosterChanges.js";
import type { Problem } from "../facts/problems.js";
import type { YamlSource } from "../facts/yamlSource.js";
import type { CustomerSpec } from "../customer/schema.js";

export function rosterChangeProblems(source: YamlSource, spec: CustomerSpec, now: Date): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const calendar = { timezone: spec.timezone, country: spec.country, holidays: spec.holidays };
  for (const f of rosterChangeFindings(calendar, spec.roster, now)) {
    const field = `roster.changes[${f.index}].${f.field}`;
    if (f.warning) warnings.push(source.problem(["roster", "changes", f.index, f.field], `warning: ${field}: ${f.message}`));
    else problems.push(source.problem(["roster", "changes", f.index, f.field], `${field}: ${f.message}`));
  }
  return { problems, warnings };
}
