/**
 * Reads a customer file and validates it against the schema and the catalogue. Every problem
 * comes back as `file:line:col: message` naming the field; nothing is provisioned from a file
 * with problems.
 */
import { basename } from "node:path";
import type { z } from "zod";
import { holidayOptionProblems } from "../calendar/holidayOptions.js";
import { doubleDuties, weekOutsideJuly } from "../calendar/rosterRules.js";
import type { Catalog } from "../catalog/entry.js";
import { renderAlert, RenderError, tunableProblem } from "../catalog/render.js";
import { defaultCountry, defaultTimezone, maxAlerts } from "../facts/extended.js";
import { displayPath, stacksDir } from "../facts/paths.js";
import type { Problem } from "../facts/problems.js";
import { didYouMean, nearest } from "../facts/suggest.js";
import { fieldName, readYamlFile, type Path, type YamlSource } from "../facts/yamlSource.js";
import { alertProvenances, targetKindOf, targetsById } from "./alerts.js";
import { defaultMaxMaintenanceDuration, fleetFileName, fleetOnlyKeys, loadFleetSettings } from "../customer/fleet.js";
import { maintenanceProblems, maintenanceWarnings } from "./maintenanceRules.js";
import {
  datesOutsideSchedulesWarnings,
  emailCaseWarnings,
  extraDayAlreadyCoveredWarnings,
  hiddenCharacterProblems,
  prototypeKeyProblems,
  sameResourceTwiceProblems,
} from "./inputRules.js";
import { customerSpecSchema, type CustomerSpec } from "../customer/schema.js";
import { checkedCustomer } from "./checkedCustomers.js";
import { rosterChangeProblems } from "./rosterChangeRules.js";
import type { ReadResult } from "../facts/yamlSource.js";
import { fleetIn, overlapProblems } from "./fleetCheck.js";

export type LoadResult =
  | {
      ok: true;
      /** `standingSupport` is always set: the file's own, or the fleet's. */
      spec: CustomerSpec;
      file: string;
      /** The parsed file with its source positions. */
      source: YamlSource;
      /** Worth a look, but nothing wrong: the file is valid. */
      warnings: Problem[];
    }
  | { ok: false; problems: Problem[] };

/** Keys that would define an alert instead of choosing one from the catalogue. */
const customAlertKeys = new Set([
  "query",
  "message",
  "type",
  "threshold",
  "thresholds",
  "critical",
  "warning",
  "options",
  "priority",
  "name",
  "monitor",
  "metric",
  "condition",
  "criteria",
  "severity",
  "definition",
  "custom",
]);
const customAlertSections = new Set(["monitors", "customAlerts", "customMonitors", "custom", "datadog", "metricAlerts"]);
const customAlertHint =
  "custom alerts are not part of the Extended package; choose a Best Practice catalogue entry with `use:` and set only its tunables";

/** Display path of a file: relative to the working directory when inside it. */
export { displayPath };

/**
 * The file checked as `checkCustomerFile` checks it, then against the other customer files of
 * `fleetDir` (the stacks directory the command works on; ./fleetCheck.ts). The outcome of the first
 * step for a repository file that passed is kept in dist/.cache under the digest of everything it
 * depends on (./checkedCustomers.ts); the fleet check reads the other files every time.
 */
export function loadCustomerFile(file: string, catalog: Catalog, fleetDir = stacksDir()): LoadResult {
  const checked = checkedCustomer(file, displayPath(file), catalog, checkCustomerFile);
  if (!checked.ok) return checked;
  const overlaps = overlapProblems(checked, file, fleetIn(fleetDir, file));
  return overlaps.length ? { ok: false, problems: overlaps } : checked;
}

/** Every check of the file, afresh (what `validate` runs). */
export function checkCustomerFile(file: string, catalog: Catalog): LoadResult {
  return checkCustomerText(readYamlFile(file, displayPath(file)), basename(file).replace(/\.ya?ml$/, ""), catalog);
}

/** Every check of a parsed customer file whose name is `fileId`: what `roster swap` runs on the text it would write. */
export function checkCustomerText(read: ReadResult, fileId: string, catalog: Catalog, now = new Date()): LoadResult {
  if (!read.ok) return read;
  const display = read.source.file;
  const problems = validateCustomer(read.source, catalog, fileId);
  if (problems.length) return { ok: false, problems: sortProblems(problems) };
  const spec = customerSpecSchema().parse(read.source.data);
  const roster = rosterRules(read.source, spec, now);
  if (roster.problems.length) return { ok: false, problems: sortProblems(roster.problems) };
  if (!spec.standingSupport) {
    const fleet = loadFleetSettings();
    if (!fleet.ok) return fleet;
    if (!fleet.fleet) {
      return {
        ok: false,
        problems: [
          read.source.problem(
            [],
            `standingSupport: nobody is paged outside the preparedness windows; set it in stacks/${fleetFileName} or in this file`,
          ),
        ],
      };
    }
    spec.standingSupport = fleet.fleet.standingSupport;
  }
  return {
    ok: true,
    spec,
    file: display,
    source: read.source,
    warnings: sortProblems([
      ...roster.warnings,
      ...extraDayAlreadyCoveredWarnings(spec, read.source),
      ...emailCaseWarnings(spec, read.source),
      ...datesOutsideSchedulesWarnings(spec, read.source),
      ...maintenanceWarnings(spec, read.source, now),
    ]),
  };
}

/** The rules that make the roster trustworthy as data (see src/calendar/rosterRules.ts). */
function rosterRules(source: YamlSource, spec: CustomerSpec, now: Date): { problems: Problem[]; warnings: Problem[] } {
  const data = source.data as Record<string, unknown>;
  const problems: Problem[] = [];
  const warnings: Problem[] = [];

  // A default zone that is another country's would run the windows on the wrong clock, silently.
  if (!Object.hasOwn(data, "timezone") && spec.country !== defaultCountry) {
    problems.push(
      source.problem(
        ["country"],
        `country: ${spec.country} is not ${defaultCountry}, so the default time zone ${defaultTimezone} is not this customer's; state \`timezone:\` (for example Europe/Helsinki for FI)`,
      ),
    );
  }

  const thisYear = now.getUTCFullYear();
  const weeks = spec.holidays.summerWeeks;
  if (weeks.length === 0) {
    warnings.push(
      source.problem(["holidays", "summerWeeks"], "warning: holidays.summerWeeks: empty, so there is no summer preparedness at all"),
    );
  }
  if (!spec.holidays.summerWeeksOutsideJuly) {
    weeks.forEach((w, i) => {
      const outside = weekOutsideJuly(w, thisYear);
      if (!outside) return;
      const when = outside.monday ? `runs ${outside.monday} to ${outside.friday}` : "does not exist";
      problems.push(
        source.problem(
          ["holidays", "summerWeeks", i],
          `holidays.summerWeeks[${i}]: week ${w} ${when} in ${outside.year}, outside July; summer weeks are the July holiday weeks (set holidays.summerWeeksOutsideJuly: true if this is meant)`,
        ),
      );
    });
  }

  // The years a stack holds layers for: this one and the next (see upcomingWindows).
  const years = [thisYear, thisYear + 1];
  for (const d of doubleDuties({ timezone: spec.timezone, country: spec.country, holidays: spec.holidays }, spec.roster, years)) {
    const shown = d.dates.slice(0, 5).join(", ") + (d.dates.length > 5 ? ` and ${d.dates.length - 5} more` : "");
    problems.push(
      source.problem(
        ["roster", d.roles[1], d.index],
        `roster.${d.roles[1]}[${d.index}]: ${d.person} would cover both ${d.roles[0]} and ${d.roles[1]} on ${shown}; one person covers one role a day, so reorder or change the lists`,
      ),
    );
  }
  const changes = rosterChangeProblems(source, spec, now);
  return { problems: [...problems, ...changes.problems], warnings: [...warnings, ...changes.warnings] };
}

/** What a rule over a parsed customer sees. */
interface RuleInput {
  source: YamlSource;
  catalog: Catalog;
  /** The file's name without `.yaml`: the stack name the customer must carry. */
  fileId: string;
  spec: CustomerSpec;
}

/** A named check of a customer file; `validateCustomer` runs them by stage. */
interface CustomerRule {
  name: string;
  check: (input: RuleInput) => Problem[];
}

/** Before the schema, on the data as parsed: the schema's own result has already lost a `__proto__` key. */
const fileRules: readonly { name: string; check: (source: YamlSource) => Problem[] }[] = [
  {
    name: "no custom alert sections",
    check: (source) =>
      Object.keys(source.data as Record<string, unknown>)
        .filter((key) => customAlertSections.has(key))
        .map((key) => source.problem([key], `${key}: ${customAlertHint}`, "key")),
  },
  { name: "no prototype keys", check: prototypeKeyProblems },
  { name: "no hidden characters", check: hiddenCharacterProblems },
];

const customerIsItsFile: CustomerRule = {
  name: "the customer id is the file name",
  check: ({ source, spec, fileId }) =>
    spec.customer === fileId
      ? []
      : [source.problem(["customer"], `customer: '${spec.customer}' must equal the file name '${fileId}' (the stack name)`)],
};

/** Ids are what alerts bind to, so they are unique across the file. */
const idsAreUnique: CustomerRule = {
  name: "ids are unique",
  check: ({ source, spec }) => {
    const problems: Problem[] = [];
    const seen = new Map<string, string>();
    const claim = (id: string, path: Path) => {
      const label = fieldName(path);
      if (seen.has(id)) problems.push(source.problem([...path, "id"], `${label}.id: '${id}' is already used by ${seen.get(id)}`));
      else seen.set(id, label);
    };
    for (const [i, s] of spec.systems.entries()) {
      claim(s.id, ["systems", i]);
      for (const [j, r] of s.resources.entries()) claim(r.id, ["systems", i, "resources", j]);
      for (const [j, e] of s.endpoints.entries()) claim(e.id, ["systems", i, "endpoints", j]);
    }
    return problems;
  },
};

const resourcesAreComplete: CustomerRule = {
  name: "resources name a listed group, and a server exactly when they are SQL databases",
  check: ({ source, spec }) => {
    const problems: Problem[] = [];
    for (const [i, s] of spec.systems.entries()) {
      for (const [j, r] of s.resources.entries()) {
        const path = ["systems", i, "resources", j] as const;
        if (!spec.azure.resourceGroups.includes(r.resourceGroup)) {
          problems.push(
            source.problem(
              [...path, "resourceGroup"],
              `${fieldName(path)}.resourceGroup: '${r.resourceGroup}' is not listed in azure.resourceGroups${didYouMean(r.resourceGroup, spec.azure.resourceGroups)}`,
            ),
          );
        }
        if (r.type === "sql-database" && !r.server) {
          problems.push(source.problem(path, `${fieldName(path)}: a sql-database needs 'server', the SQL server's name`));
        }
        if (r.type !== "sql-database" && r.server) {
          problems.push(source.problem([...path, "server"], `${fieldName(path)}.server: only a sql-database has a server`, "key"));
        }
      }
    }
    return problems;
  },
};

const oneIdPerResource: CustomerRule = {
  name: "one id per Azure resource",
  check: ({ source, spec }) => sameResourceTwiceProblems(spec, source),
};

const alertsBind: CustomerRule = {
  name: "alerts name a catalogue entry, a target of its kind, and its own tunables",
  check: ({ source, spec, catalog }) => {
    const problems: Problem[] = [];
    const targets = targetsById(spec);
    const pairs = new Set<string>();
    spec.alerts.forEach((a, i) => {
      const at = (...rest: (string | number)[]) => ["alerts", i, ...rest];
      const entry = catalog.entries.get(a.use);
      if (!entry) {
        const near = nearest(a.use, [...catalog.entries.keys()]);
        const hint = near.length ? `; nearest: ${near.join(", ")}` : "; see catalog/README.md";
        problems.push(source.problem(at("use"), `alerts[${i}].use: '${a.use}' is not a Best Practice catalogue entry${hint}`));
        return;
      }
      const target = targets.get(a.on);
      if (!target) {
        problems.push(
          source.problem(
            at("on"),
            `alerts[${i}].on: no resource, endpoint or system has id '${a.on}'${didYouMean(a.on, [...targets.keys()])}`,
          ),
        );
        return;
      }
      const kind = targetKindOf(target);
      if (kind !== entry.target) {
        problems.push(
          source.problem(at("on"), `alerts[${i}].on: '${a.use}' watches ${article(entry.target)}, but '${a.on}' is ${article(kind)}`),
        );
        return;
      }
      if (target.kind === "system" && target.system.resources.length === 0) {
        problems.push(source.problem(at("on"), `alerts[${i}].on: system '${a.on}' has no Azure resources to watch`));
      }
      const pair = `${a.use}@${a.on}`;
      if (pairs.has(pair)) problems.push(source.problem(at("use"), `alerts[${i}]: '${a.use}' on '${a.on}' is chosen twice`));
      pairs.add(pair);
      for (const [name, value] of Object.entries(a.tunables)) {
        // Own keys only: `constructor` or `toString` must not find Object.prototype's.
        const t = Object.hasOwn(entry.tunables, name) ? entry.tunables[name] : undefined;
        if (!t) {
          const declared = Object.keys(entry.tunables);
          const what = declared.length ? `its tunables are ${declared.join(", ")}` : "it has no tunables";
          problems.push(
            source.problem(
              at("tunables", name),
              `alerts[${i}].tunables.${name}: '${a.use}' has no tunable '${name}'${didYouMean(name, declared)}; ${what}. ${customAlertKeys.has(name) ? customAlertHint : ""}`.trim(),
              "key",
            ),
          );
          continue;
        }
        const problem = tunableProblem(name, t, value);
        if (problem) problems.push(source.problem(at("tunables", name), `alerts[${i}].tunables.${name}: ${problem}`));
      }
    });
    return problems;
  },
};

/** Resource Health alerts watch whole resource groups; two over one group would page twice per event. */
const resourceHealthOncePerGroup: CustomerRule = {
  name: "one Resource Health alert per resource group",
  check: ({ source, spec, catalog }) => {
    const problems: Problem[] = [];
    const targets = targetsById(spec);
    const watchedGroups = new Map<string, string>();
    spec.alerts.forEach((a, i) => {
      const target = targets.get(a.on);
      if (catalog.entries.get(a.use)?.kind !== "azure-resource-health" || target?.kind !== "system") return;
      for (const rg of new Set(target.system.resources.map((r) => r.resourceGroup))) {
        const other = watchedGroups.get(rg);
        if (other) {
          problems.push(
            source.problem(
              ["alerts", i, "on"],
              `alerts[${i}].on: Resource Health on '${a.on}' watches resource group ${rg}, which the alert on '${other}' already watches; choose one`,
            ),
          );
        } else watchedGroups.set(rg, a.on);
      }
    });
    return problems;
  },
};

const withinTheLimit: CustomerRule = {
  name: "at most the package's number of alerts",
  check: ({ source, spec }) =>
    spec.alerts.length > maxAlerts
      ? [
          source.problem(
            ["alerts"],
            `alerts: ${spec.alerts.length} alerts; the Extended package allows at most ${maxAlerts} per customer`,
            "key",
          ),
        ]
      : [],
};

const holidayListsHaveNoRepeats: CustomerRule = {
  name: "holiday lists name each day and week once",
  check: ({ source, spec }) => {
    const problems: Problem[] = [];
    for (const list of ["extraDays", "skipDays"] as const) {
      spec.holidays[list].forEach((d, i) => {
        if (spec.holidays[list].indexOf(d) !== i)
          problems.push(source.problem(["holidays", list, i], `holidays.${list}[${i}]: ${d} is listed twice`));
      });
    }
    const weeks = spec.holidays.summerWeeks;
    weeks.forEach((w, i) => {
      if (weeks.indexOf(w) !== i)
        problems.push(source.problem(["holidays", "summerWeeks", i], `holidays.summerWeeks[${i}]: week ${w} is listed twice`));
    });
    return problems;
  },
};

const holidayOptionsApply: CustomerRule = {
  name: "holiday options change a preparedness day",
  check: ({ source, spec }) =>
    holidayOptionProblems(spec).map((p) => source.problem(["holidays", p.list, p.index], `holidays.${p.list}[${p.index}]: ${p.message}`)),
};

const maintenanceIsApproved: CustomerRule = {
  name: "maintenance windows name known systems and a listed approver, fit the fleet's maximum, and respect preparedness",
  check: ({ source, spec }) => {
    if (spec.maintenance.length === 0) return [];
    const fleet = loadFleetSettings();
    // A broken fleet file is reported on its own; the default maximum judges meanwhile.
    const max = fleet.ok && fleet.fleet ? fleet.fleet.maxMaintenanceDuration : defaultMaxMaintenanceDuration;
    return maintenanceProblems(spec, source, max);
  },
};

/** Belt and braces: everything the file chose must render. */
const everyAlertRenders: CustomerRule = {
  name: "every chosen alert renders",
  check: ({ source, spec, catalog }) => {
    const problems: Problem[] = [];
    alertProvenances(spec, catalog).forEach((p, i) => {
      try {
        renderAlert(catalog, p);
      } catch (e) {
        if (!(e instanceof RenderError)) throw e;
        problems.push(source.problem(["alerts", i], `alerts[${i}]: ${e.message}`));
      }
    });
    return problems;
  },
};

/**
 * The rules over a parsed customer, by stage: a stage runs only when the ones before it found
 * nothing, because its messages would mislead otherwise (alerts bind by id, so ambiguous ids come
 * first; rendering assumes every binding holds).
 */
export const customerRules: readonly (readonly CustomerRule[])[] = [
  [customerIsItsFile, idsAreUnique, resourcesAreComplete, oneIdPerResource],
  [alertsBind, resourceHealthOncePerGroup, withinTheLimit, holidayListsHaveNoRepeats, holidayOptionsApply, maintenanceIsApproved],
  [everyAlertRenders],
];

function validateCustomer(source: YamlSource, catalog: Catalog, fileId: string): Problem[] {
  const data = source.data as Record<string, unknown>;
  const problems = fileRules.flatMap((r) => r.check(source));
  const parsed = customerSpecSchema().safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...issueProblems(source, issue, data));
    return dedupe(problems);
  }
  if (problems.length) return problems;
  const input: RuleInput = { source, catalog, fileId, spec: parsed.data };
  for (const stage of customerRules) {
    const found = stage.flatMap((r) => r.check(input));
    if (found.length) return found;
  }
  return [];
}

function issueProblems(source: YamlSource, issue: z.core.$ZodIssue, data: unknown): Problem[] {
  const path = issue.path as (string | number)[];
  const field = fieldName(path);
  if (issue.code === "unrecognized_keys") {
    const isAlert = path.length === 2 && path[0] === "alerts";
    return issue.keys
      .filter((key) => path.length > 0 || !customAlertSections.has(key))
      .map((key) => {
        const known = knownKeys(path);
        const message =
          isAlert && customAlertKeys.has(key)
            ? `${fieldName([...path, key])}: ${customAlertHint}`
            : path.length === 0 && fleetOnlyKeys.includes(key)
              ? `${key}: a fleet-only setting: it holds for every customer, so it is set in stacks/${fleetFileName}, never in a customer file`
              : `${fieldName([...path, key])}: unknown key '${key}'${didYouMean(key, known)}`;
        return source.problem([...path, key], message, "key");
      });
  }
  if (issue.code === "invalid_type" && valueAt(data, path) === undefined) {
    const parent = path.slice(0, -1);
    const key = path[path.length - 1];
    return [source.problem(parent, `${fieldName(parent) || "file"}: missing required key '${String(key)}'`)];
  }
  if (issue.code === "invalid_type") {
    return [source.problem(path, `${field}: expected ${issue.expected}, got ${describe(valueAt(data, path))}`)];
  }
  if (issue.code === "invalid_value" && issue.values.length > 12) {
    // Too many to list: the schema's message says what the values are.
    const got = String(valueAt(data, path));
    return [source.problem(path, `${field}: '${got}' ${issue.message}${didYouMean(got, issue.values.map(String))}`)];
  }
  if (issue.code === "invalid_value" && issue.values.length > 1) {
    const got = String(valueAt(data, path));
    const values = issue.values.map(String);
    return [source.problem(path, `${field}: '${got}' is not one of ${values.join(", ")}${didYouMean(got, values)}`)];
  }
  return [source.problem(path, `${field}: ${issue.message}`)];
}

/** The keys the schema allows at `path`, read from the zod schema itself. */
function knownKeys(path: Path): string[] {
  type Walkable = { def?: { innerType?: Walkable }; shape?: Record<string, Walkable>; element?: Walkable };
  const unwrap = (s: Walkable | undefined) => {
    while (s?.def?.innerType) s = s.def.innerType;
    return s;
  };
  let schema: Walkable | undefined = customerSpecSchema() as unknown as Walkable;
  for (const seg of path) {
    schema = unwrap(schema);
    schema = typeof seg === "number" ? schema?.element : schema?.shape?.[seg];
  }
  schema = unwrap(schema);
  return schema?.shape ? Object.keys(schema.shape).filter((k) => k !== "$schema") : [];
}

/** `systems[0].resources[1].name` */
export { fieldName };

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

const article = (noun: string) => `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return sortProblems(
    problems.filter((p) => {
      const k = `${p.line}:${p.col}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
  );
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
}
