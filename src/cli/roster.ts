/**
 * `roster <customer>`: who covers each holiday preparedness day of a year, as a table, JSON or
 * an iCalendar file. Shows the whole year: who covers a day never depends on as-of.
 */
import { writeFileSync } from "node:fs";
import type Table from "cli-table3";
import type { Command } from "commander";
import type { default as ical } from "ical-generator";
import { dutyRoster, holidayWindows, preparednessKindTitles, type RosterDay } from "../calendar";
import { roles, roleTitles } from "../extended";
import { InputError } from "../problems";
import type { LoadResult } from "../spec/load";
import type { CustomerSpec } from "../spec/schema";
import { parseAsOf } from "./args";
import { lazyRequire, luxon } from "../lazy";
import { UsageError } from "./exit";

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

interface RosterFlags {
  year?: string;
  at?: string;
  json?: boolean;
  ics?: string;
}

export function registerRoster(program: Command, options: RosterCommandOptions = {}): Command {
  const now = options.now ?? (() => new Date());
  return program
    .command("roster")
    .description("show who covers each holiday preparedness day of a year")
    .argument("<customer>", "customer id, or path to the customer's YAML file")
    .option("--year <YYYY>", "calendar year to show (default: the as-of year)")
    .option("--at <ISO>", "as-of instant; without an offset, local to the customer (default: now)")
    .option("--json", "print JSON instead of a table")
    .option("--ics <FILE>", "also write the days to an iCalendar file (this year and next, unless --year)")
    .action(async function (this: Command, customer: string, flags: RosterFlags) {
      if (flags.year !== undefined && !(/^\d{4}$/.test(flags.year) && +flags.year >= 1900 && +flags.year <= 2200)) {
        throw new UsageError(`--year must be a year from 1900 to 2200, not '${flags.year}'`);
      }

      const loaded = await (options.loadCustomer ?? loadFromStacks)(customer);
      if (!loaded.ok) throw new InputError(loaded.problems);
      const { spec } = loaded;

      const asOf = luxon().DateTime.fromJSDate(parseAsOf(flags.at, spec.timezone, now()));
      const year = flags.year === undefined ? asOf.setZone(spec.timezone).year : Number(flags.year);
      const days = dutyRoster(holidayWindows(spec, year), spec.roster);

      const write = this.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
      write(flags.json ? rosterJson(spec, days) : rosterTable(spec, year, days));

      if (flags.ics !== undefined) {
        // A subscribed calendar should show what PagerDuty will page: this year and the next, unless --year picks one.
        const years = flags.year === undefined ? [year, year + 1] : [year];
        const icsDays = years.length === 1 ? days : dutyRoster(years.flatMap((y) => holidayWindows(spec, y)), spec.roster);
        try {
          writeFileSync(flags.ics, rosterIcs(spec, years.join("–"), icsDays, asOf.toJSDate()));
        } catch (err) {
          throw new UsageError(`cannot write ${flags.ics}: ${(err as Error).message}`);
        }
      }
    });
}

export function rosterJson(spec: Pick<CustomerSpec, "customer" | "timezone">, days: readonly RosterDay[]): string {
  const json = {
    customer: spec.customer,
    timezone: spec.timezone,
    days: days.map((d) => ({ date: d.date, kind: d.kind, start: d.start, end: d.end, onDuty: d.onDuty })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function rosterTable(
  spec: Pick<CustomerSpec, "customer" | "timezone">,
  year: number,
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
      ...roles.map((r) => d.onDuty[r]),
    ]);
  }
  const heading = `${spec.customer}: ${days.length} preparedness days in ${year} (${spec.timezone})`;
  return `${heading}\n${table.toString()}\n`;
}

/** One event per day; the UID is the customer and date, so re-importing updates in place. */
export function rosterIcs(
  spec: Pick<CustomerSpec, "customer">,
  years: string,
  days: readonly RosterDay[],
  asOf: Date,
): string {
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
      description: roles.map((r) => `${roleTitles[r]}: ${d.onDuty[r]}`).join("\n"),
    });
  }
  return calendar.toString();
}

async function loadFromStacks(customerOrPath: string): Promise<LoadResult> {
  // Loaded here, so that other commands and --help don't pay for zod, yaml and ajv.
  const { readCatalog } = await import("../catalog/load.js");
  const { customerFile, loadCustomerFile } = await import("../spec/load.js");
  const file = customerFile(customerOrPath);
  if (!file) throw new UsageError(`unknown customer '${customerOrPath}': no stacks/${customerOrPath}.yaml`);
  const catalog = readCatalog();
  if (!catalog.ok) return catalog;
  return loadCustomerFile(file, catalog.catalog);
}
