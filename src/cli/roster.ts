/**
 * `roster <customer>`: who covers each holiday preparedness day of a year, as a table, JSON or
 * an iCalendar file. Shows the whole year: who covers a day never depends on as-of. In December,
 * without --year, it shows the days still ahead and the next year instead of a year almost over.
 * With `--at`, also who a page reaches at that instant, inside the windows and outside them.
 */
import { writeFileSync } from "node:fs";
import type Table from "cli-table3";
import type { Command } from "commander";
import type { default as ical } from "ical-generator";
import type { DateTime } from "luxon";
import { dutyRoster, holidayWindows, pagedAt, preparednessKindTitles, type PagedAt, type RosterDay } from "../calendar/index.js";
import { roles, roleTitles, type Role } from "../facts/extended.js";
import { InputError, UsageError } from "../facts/problems.js";
import type { LoadResult } from "../plan/load.js";
import type { CustomerSpec } from "../customer/schema.js";
import { parseAsOf } from "../facts/asOf.js";
import { lazyRequire, luxon } from "../facts/lazy.js";
import { checkOutFile, emitResult } from "./outFile.js";
import { registerRosterSwap } from "./rosterSwap.js";
import { approvalText, silencedLines, stepsText, stillPagedLines, untilWhen } from "./maintenanceText.js";
import type { StillPaged, WindowEffect } from "../plan/maintenanceReport.js";

const cliTable = lazyRequire<typeof Table>("cli-table3");
const icalendar = lazyRequire<{ default: typeof ical }>("ical-generator");

/** A customer id or a path to its YAML; throws `UsageError` for an unknown customer. */
export type LoadCustomer = (customerOrPath: string) => LoadResult | Promise<LoadResult>;

export interface RosterCommandOptions {
  /** Default: the customer's file in stacks/, checked against the catalogue. */
  loadCustomer?: LoadCustomer;
  /** The default as-of; tests pin it. */
  now?: () => Date;
}

export interface RosterFlags {
  person?: string;
  stacks?: string;
  year?: string;
  at?: string;
  json?: boolean;
  ics?: string;
  role?: string;
  out?: string;
}

export function registerRoster(program: Command, options: RosterCommandOptions = {}): Command {
  const now = options.now ?? (() => new Date());
  // The parent too must stop at its subcommand, or it hands `roster` the options after `swap` apart
  // from their operands, and roster's own --role would take swap's (commander's positional options).
  program.enablePositionalOptions();
  const roster = program
    .command("roster")
    .description("show who covers each holiday preparedness day of a year; `roster swap` writes a change")
    // Options before `swap` are roster's, options after it swap's: both have a --role.
    .enablePositionalOptions()
    .argument("[customer]", "customer id, or path to the customer's YAML file (not with --person)")
    .option("--person <e-mail>", "instead of one customer: this person's duties across every customer")
    .option("--stacks <dir>", "with --person, the directory of customer files (default: stacks/)")
    .option("--year <YYYY>", "calendar year to show (default: the as-of year)")
    .option("--at <ISO>", "as-of instant, and show who a page reaches then; without an offset, local to the customer (default: now)")
    .option("--role <role>", `with --at, only this role (${roles.join(", ")})`)
    .option("--json", "print JSON instead of a table")
    .option("--out <FILE>", "write the table or JSON to this file; stdout gets one summary line")
    .option("--ics <FILE>", "write the days to an iCalendar file (this year and next, unless --year); stdout gets one summary line")
    .action(async function (this: Command, customer: string | undefined, flags: RosterFlags) {
      checkOutFile("--out", flags.out);
      if (flags.year !== undefined && !(/^\d{4}$/.test(flags.year) && +flags.year >= 1900 && +flags.year <= 2200)) {
        throw new UsageError(`--year must be a year from 1900 to 2200, not '${flags.year}'`);
      }
      if (flags.person !== undefined) {
        if (customer !== undefined) throw new UsageError("--person lists one person across every customer; leave out the customer");
        if (flags.at !== undefined || flags.role !== undefined)
          throw new UsageError("--at and --role are for one customer's roster, not --person");
        const { personRoster } = await import("./rosterPerson.js");
        await personRoster(this, { ...flags, person: flags.person }, now());
        return;
      }
      if (flags.stacks !== undefined) throw new UsageError("--stacks goes with --person; name the customer's file instead");
      // Commander's own message, as when the argument was required: one wording across the tool.
      if (customer === undefined) this.error("error: missing required argument 'customer' (or give --person <e-mail>)", { exitCode: 2 });

      if (flags.role !== undefined && !(roles as readonly string[]).includes(flags.role)) {
        throw new UsageError(`--role must be one of ${roles.join(", ")}, not '${flags.role}'`);
      }
      if (flags.role !== undefined && flags.at === undefined) throw new UsageError("--role needs --at: it picks whose pages to show");
      // With --ics the calendar file is the result and stdout its summary line; a JSON document needs a file of its own.
      if (flags.ics !== undefined && flags.json && flags.out === undefined)
        throw new UsageError("--json with --ics: the calendar file is the result; add --out <file> for the JSON document");

      const loaded = await (options.loadCustomer ?? loadFromStacks)(customer);
      if (!loaded.ok) throw new InputError(loaded.problems);
      const { spec } = loaded;

      const asOf = luxon().DateTime.fromJSDate(parseAsOf(flags.at, spec.timezone, now()));
      const local = asOf.setZone(spec.timezone);
      const year = flags.year === undefined ? local.year : Number(flags.year);
      // In December the as-of year is nearly over: the days still ahead and the next year are what matter.
      const coming = flags.year === undefined && local.month === 12;
      const days = coming
        ? dutyRoster(
            [year, year + 1].flatMap((y) => holidayWindows(spec, y)),
            spec.roster,
          ).filter((d) => new Date(d.end) > asOf.toJSDate())
        : dutyRoster(holidayWindows(spec, year), spec.roster);

      // The calendar file is written before anything is printed, so a bad path leaves no partial output.
      let icsSummary: string | undefined;
      if (flags.ics !== undefined) {
        // A subscribed calendar should show what PagerDuty will page: this year and the next, unless --year picks one.
        const years = flags.year === undefined ? [year, year + 1] : [year];
        const icsDays =
          years.length === 1
            ? days
            : dutyRoster(
                years.flatMap((y) => holidayWindows(spec, y)),
                spec.roster,
              );
        try {
          writeFileSync(flags.ics, rosterIcs(spec, years.join("–"), icsDays, asOf.toJSDate()));
        } catch (err) {
          throw new UsageError(`cannot write ${flags.ics}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
        icsSummary = `roster ${spec.customer}: wrote ${flags.ics}: ${icsDays.length} preparedness days in ${years.join(" and ")}\n`;
      }

      let paged: PagedAt[] | undefined;
      let maintenance: MaintenanceAt | undefined;
      if (flags.at !== undefined) {
        if (!spec.standingSupport) throw new Error(`${spec.customer}: the loaded spec has no standing support`);
        const { customerCalendar } = await import("../plan/plan.js");
        paged = pagedAt(customerCalendar(spec), spec.roster, spec.standingSupport, asOf.toJSDate()).filter(
          (p) => flags.role === undefined || p.role === (flags.role as Role),
        );
        maintenance = await maintenanceAtInstant(loaded, asOf.toJSDate(), flags.role as Role | undefined);
      }
      const write = this.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
      const period = coming && days.length ? `from ${days[0]!.date} to ${days[days.length - 1]!.date}` : `in ${year}`;
      // The calendar file is the result: stdout says what it holds, and the table goes only where --out sends it.
      if (icsSummary !== undefined && flags.out === undefined) {
        write(icsSummary);
        return;
      }
      // With --role the question is one role's pages: the answer alone, without the year's table.
      const inMaintenance = maintenance ? maintenanceText(spec, asOf.toJSDate(), maintenance, flags.role as Role | undefined) : "";
      const text =
        paged && flags.role !== undefined
          ? pagedText(spec, asOf, paged).replace(/^\n/, "") + inMaintenance
          : rosterTable(spec, period, days) + (paged ? pagedText(spec, asOf, paged) : "") + inMaintenance;
      emitResult(
        flags.out,
        flags.json ? rosterJson(spec, days, paged && { at: asOf, paged, ...(maintenance ? { maintenance } : {}) }) : text,
        `roster ${spec.customer}: ${days.length} preparedness days ${period}`,
        write,
      );
      if (icsSummary !== undefined) write(icsSummary);
    });
  registerRosterSwap(roster);
  return roster;
}

export function rosterJson(
  spec: Pick<CustomerSpec, "customer" | "timezone">,
  days: readonly RosterDay[],
  paging?: { at: DateTime; paged: readonly PagedAt[]; maintenance?: MaintenanceAt },
): string {
  const json = {
    customer: spec.customer,
    timezone: spec.timezone,
    days: days.map((d) => ({
      date: d.date,
      kind: d.kind,
      start: d.start,
      end: d.end,
      onDuty: d.onDuty,
      ...(d.changes ? { changes: d.changes } : {}),
    })),
    ...(paging
      ? {
          pagedAt: {
            at: paging.at.setZone(spec.timezone).toISO({ suppressMilliseconds: true }),
            window: paging.paged[0]?.window
              ? {
                  date: paging.paged[0].window.date,
                  kind: paging.paged[0].window.kind,
                  start: paging.paged[0].window.start,
                  end: paging.paged[0].window.end,
                }
              : null,
            roles: Object.fromEntries(paging.paged.map((p) => [p.role, p.steps])),
            // Only inside an approved maintenance window: documents outside one read as before.
            ...(paging.maintenance ? { maintenance: maintenanceJson(spec.timezone, paging.maintenance) } : {}),
          },
        }
      : {}),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function rosterTable(
  spec: Pick<CustomerSpec, "customer" | "timezone">,
  /** `in 2027`, or `from <date> to <date>`. */
  period: string,
  days: readonly RosterDay[],
): string {
  // No colours: the output is read in CI logs and compared in tests.
  const table = new (cliTable())({
    head: ["Date", "Period", "Window", ...roles.map((r) => roleTitles[r])],
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const d of days) {
    const start = luxon().DateTime.fromISO(d.start, { setZone: true });
    const end = luxon().DateTime.fromISO(d.end, { setZone: true });
    table.push([
      `${start.toFormat("ccc")} ${d.date}`,
      preparednessKindTitles[d.kind],
      `${start.toFormat("HH:mm")}–${end.toFormat("HH:mm")} ${start.toFormat("ZZ")}`,
      ...roles.map((r) => (d.changes?.[r] ? `${d.onDuty[r]} *` : d.onDuty[r])),
    ]);
  }
  const heading = `${spec.customer}: ${days.length} preparedness days ${period} (${spec.timezone})`;
  const changes = days.flatMap((d) =>
    roles.flatMap((r) => {
      const c = d.changes?.[r];
      return c ? [`  * ${d.date} ${r}: ${d.onDuty[r]} covers for ${c.from} (${c.reason})`] : [];
    }),
  );
  return `${heading}\n${table.toString()}\n${changes.length ? `Roster changes:\n${changes.join("\n")}\n` : ""}`;
}

/** Who each role's page reaches at `at`, step by step, as the escalation policy runs it. */
export function pagedText(
  spec: Pick<CustomerSpec, "customer" | "timezone" | "standingSupport">,
  at: DateTime,
  paged: readonly PagedAt[],
): string {
  const local = at.setZone(spec.timezone);
  const window = paged[0]?.window;
  const where = window
    ? `inside the ${preparednessKindTitles[window.kind]} window ${luxon().DateTime.fromISO(window.start, { setZone: true }).toFormat("HH:mm")}–${luxon().DateTime.fromISO(window.end, { setZone: true }).toFormat("HH:mm")}`
    : "outside the preparedness windows";
  const lines = [`\n${spec.customer}: a page at ${local.toFormat("ccc yyyy-MM-dd HH:mm ZZ")} (${spec.timezone}), ${where}, reaches:`];
  for (const p of paged) {
    lines.push(`  ${roleTitles[p.role]}: ${stepsText(spec, p)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** One event per day; the UID is the customer and date, so re-importing updates in place. */
export function rosterIcs(spec: Pick<CustomerSpec, "customer">, years: string, days: readonly RosterDay[], asOf: Date): string {
  const calendar = icalendar().default({
    name: `Pico preparedness: ${spec.customer} ${years}`,
    prodId: { company: "Pico", product: "pico-monitoring", language: "EN" },
  });
  for (const d of days) {
    calendar.createEvent({
      id: `preparedness-${spec.customer}-${d.date}@pico-monitoring`,
      // UTC instants need no VTIMEZONE and mean the same in every client.
      start: new Date(d.start),
      end: new Date(d.end),
      stamp: asOf,
      summary: `${spec.customer} preparedness (${preparednessKindTitles[d.kind]})`,
      description: roles
        .map((r) => {
          const c = d.changes?.[r];
          return `${roleTitles[r]}: ${d.onDuty[r]}${c ? ` (covers for ${c.from}: ${c.reason})` : ""}`;
        })
        .join("\n"),
    });
  }
  return calendar.toString();
}

async function loadFromStacks(customerOrPath: string): Promise<LoadResult> {
  // Loaded here, so that other commands and --help don't pay for zod, yaml and ajv.
  const { loadCustomer } = await import("../plan/loadCustomer.js");
  return loadCustomer(customerOrPath);
}

/** The approved maintenance windows running at an instant, and who is still paged for the rest of the alerts. */
export interface MaintenanceAt {
  windows: WindowEffect[];
  stillPaged: StillPaged[];
}

/** Undefined unless `at` falls inside a window of the customer; with `role`, only that role's alerts. */
async function maintenanceAtInstant(loaded: LoadResult, at: Date, role: Role | undefined): Promise<MaintenanceAt | undefined> {
  if (!loaded.ok) return undefined;
  const { spec } = loaded;
  const { windowsAt } = await import("../plan/maintenance.js");
  if (windowsAt(spec, at).length === 0) return undefined;
  const { maintenanceAt } = await import("../plan/maintenanceReport.js");
  const { planCustomer } = await import("../plan/plan.js");
  let { catalog } = loaded as { catalog?: import("../catalog/entry.js").Catalog };
  if (catalog === undefined) {
    const { readCatalog } = await import("../catalog/load.js");
    const read = readCatalog();
    if (!read.ok) throw new InputError(read.problems);
    catalog = read.catalog;
  }
  const { windows, stillPaged } = maintenanceAt(spec, planCustomer(spec, catalog, at).alerts, at);
  if (role === undefined) return { windows, stillPaged };
  return {
    windows: windows.map((w) => ({ ...w, silenced: w.silenced.filter((s) => s.alert.provenance.role === role) })),
    stillPaged: stillPaged.filter((s) => s.role === role),
  };
}

/** What `roster --at` adds inside a maintenance window: which alerts it silences, until when, and who still gets the rest. */
export function maintenanceText(spec: CustomerSpec, at: Date, m: MaintenanceAt, role?: Role): string {
  const lines: string[] = [];
  for (const w of m.windows) {
    const { window } = w.placed;
    lines.push(
      `\n${spec.customer}: inside approved maintenance window ${window.id} until ${untilWhen(w.placed, spec.timezone, at)} ` +
        `(${approvalText(w.placed)}); systems ${window.systems.join(", ")}. Silenced until then, so they page nobody:`,
      ...silencedLines(w),
    );
  }
  const none = role === undefined ? undefined : `nobody: every ${roleTitles[role]}'s alert is silenced`;
  lines.push("Still paged for the rest of the alerts:", ...stillPagedLines(spec, m.stillPaged, "  ", none));
  return `${lines.join("\n")}\n`;
}

function maintenanceJson(zone: string, m: MaintenanceAt) {
  return {
    windows: m.windows.map((w) => ({
      id: w.placed.window.id,
      change: w.placed.window.change,
      approvedBy: w.placed.window.approvedBy,
      reason: w.placed.window.reason,
      systems: w.placed.window.systems,
      start: luxon().DateTime.fromJSDate(w.placed.interval.start, { zone }).toISO({ suppressMilliseconds: true }),
      end: luxon().DateTime.fromJSDate(w.placed.interval.end, { zone }).toISO({ suppressMilliseconds: true }),
      silenced: w.silenced.map((s) => ({ alert: s.alert.name, role: s.alert.provenance.role, silencedBy: s.silence })),
    })),
    stillPaged: Object.fromEntries(m.stillPaged.map((s) => [s.role, s.alerts.map((a) => a.name)])),
  };
}
