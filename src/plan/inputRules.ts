/**
 * Loader rules beyond the schema, one function each, for input that parses and still means
 * something the author can't have wanted. Each returns problems located in the file.
 */
import { preparednessDays, preparednessKindTitles } from "../calendar/preparednessDays.js";
import type { Problem } from "../facts/problems.js";
import type { Path, YamlSource } from "../facts/yamlSource.js";
import { fieldName } from "../facts/yamlSource.js";
import { roles } from "../facts/extended.js";
import type { CustomerSpec } from "../customer/schema.js";

/** What makes two entries the same Azure resource: ARM names are case-insensitive. */
export const resourceKey = (r: { type: string; resourceGroup: string; server?: string | undefined; name: string }) =>
  [r.type, r.resourceGroup, r.server ?? "", r.name].join("/").toLowerCase();

/** Two ids for one Azure resource would give it two sets of alerts, each paging on its own. */
export function sameResourceTwiceProblems(spec: CustomerSpec, source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  const first = new Map<string, { path: Path; id: string }>();
  spec.systems.forEach((s, i) => {
    s.resources.forEach((r, j) => {
      const path = ["systems", i, "resources", j] as const;
      const seen = first.get(resourceKey(r));
      if (seen) {
        problems.push(
          source.problem(
            path,
            `${fieldName(path)}: is the same Azure resource as ${fieldName(seen.path)} ('${seen.id}'); give one resource one id`,
          ),
        );
      } else first.set(resourceKey(r), { path, id: r.id });
    });
  });
  return problems;
}

/**
 * The PagerDuty schedules hold this year's and next year's windows (src/calendar/scheduleLayers.ts):
 * an extra or skipped day in another year changes nothing anyone is paged for, now or next year.
 */
export function datesOutsideSchedulesWarnings(spec: CustomerSpec, source: YamlSource, year = new Date().getUTCFullYear()): Problem[] {
  const warnings: Problem[] = [];
  for (const list of ["extraDays", "skipDays"] as const) {
    spec.holidays[list].forEach((date, i) => {
      const y = Number(date.slice(0, 4));
      if (y === year || y === year + 1) return;
      const path = ["holidays", list, i] as const;
      warnings.push(
        source.problem(
          path,
          `warning: ${fieldName(path)}: ${date} is outside the years the schedules hold (${year} and ${year + 1}); listing it changes nothing`,
        ),
      );
    });
  }
  return warnings;
}

/**
 * PagerDuty finds a roster e-mail by comparing it exactly, case included, with the addresses of a
 * `?query=` search (terraform-provider-pagerduty, data_source_pagerduty_user.go: `user.Email ==
 * searchEmail`), while e-mail addresses are usually stored lower-case and read case-insensitively
 * everywhere else. An address with capitals is worth a second look, not wrong: PagerDuty may hold it so.
 */
export function emailCaseWarnings(spec: CustomerSpec, source: YamlSource): Problem[] {
  const warnings: Problem[] = [];
  const check = (path: Path, email: string) => {
    if (email === email.toLowerCase()) return;
    warnings.push(
      source.problem(
        path,
        `warning: ${fieldName(path)}: '${email}' has capitals; PagerDuty's user lookup matches the e-mail exactly, case included, so it must be written as PagerDuty holds it (usually '${email.toLowerCase()}')`,
      ),
    );
  };
  for (const role of roles) {
    spec.roster[role].forEach((email, i) => {
      check(["roster", role, i], email);
    });
  }
  // A roster change's person is looked up the same way.
  spec.roster.changes.forEach((c, i) => {
    check(["roster", "changes", i, "to"], c.to);
  });
  // Only the file's own standing support: the fleet's is checked where it is written.
  const own = (source.data as { standingSupport?: { user?: unknown } }).standingSupport?.user;
  if (typeof own === "string") check(["standingSupport", "user"], own);
  return warnings;
}

/**
 * `__proto__` as a key: the YAML parser keeps it as data, but the object it becomes silently drops
 * it (or, in plain JavaScript, changes the object's prototype). Nothing in a customer file is named so.
 */
export function prototypeKeyProblems(source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  walk(source.data, [], (path, key) => {
    if (key === "__proto__")
      problems.push(source.problem(path, `${fieldName(path)}: '__proto__' is not a key a customer file can use`, "key"));
  });
  return problems;
}

// C0 and C1 controls, DEL, and the Unicode bidirectional formatting characters (Trojan Source, CVE-2021-42574).
const hidden = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * A control or bidirectional-override character written as a YAML escape (`"\u202e"`) passes the
 * raw-text check; it would reach names, tags and messages, and can make text read other than it is.
 */
export function hiddenCharacterProblems(source: YamlSource): Problem[] {
  const problems: Problem[] = [];
  const describe = (s: string) => {
    const c = hidden.exec(s)![0];
    return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  };
  walk(source.data, [], (path, key, value) => {
    if (hidden.test(key))
      problems.push(
        source.problem(path, `${fieldName(path)}: the key holds a control or bidirectional character (${describe(key)})`, "key"),
      );
    if (typeof value === "string" && hidden.test(value)) {
      problems.push(
        source.problem(path, `${fieldName(path)}: holds a control or bidirectional character (${describe(value)}); write plain text`),
      );
    }
  });
  return problems;
}

/** Warnings: an extra day the calendar already covers changes nothing. */
export function extraDayAlreadyCoveredWarnings(spec: CustomerSpec, source: YamlSource): Problem[] {
  const defaults = new Map<number, Map<string, string>>();
  const warnings: Problem[] = [];
  spec.holidays.extraDays.forEach((date, i) => {
    const year = Number(date.slice(0, 4));
    if (year < 1583 || year > 9998) return;
    let days = defaults.get(year);
    if (!days) {
      const calendar = { country: spec.country, holidays: { ...spec.holidays, extraDays: [], skipDays: [] } };
      days = new Map(preparednessDays(calendar, year).map((d) => [d.date, preparednessKindTitles[d.kind]]));
      defaults.set(year, days);
    }
    const kind = days.get(date);
    if (kind) {
      const path = ["holidays", "extraDays", i] as const;
      warnings.push(
        source.problem(path, `warning: ${fieldName(path)}: ${date} is already a preparedness day (${kind}); listing it changes nothing`),
      );
    }
  });
  return warnings;
}

function walk(value: unknown, path: (string | number)[], visit: (path: Path, key: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v === "string") visit([...path, i], "", v);
      else walk(v, [...path, i], visit);
    });
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      visit([...path, key], key, typeof v === "string" ? v : undefined);
      walk(v, [...path, key], visit);
    }
  }
}
