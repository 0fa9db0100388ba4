/**
 * `roster --person <e-mail>`: one person's preparedness duties across every customer, roster
 * changes included, as a table, JSON or a personal iCalendar file. Without --year: the days not
 * yet over, through the end of next year (what the stacks hold); with --year, that whole year.
 */
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { preparednessKindTitles } from "../calendar/index.js";
import { roleTitles } from "../facts/extended.js";
import { InputError, UsageError, type Problem } from "../facts/problems.js";
import { lazyRequire, luxon } from "../facts/lazy.js";
import type { Duty } from "../plan/fleetDuties.js";
import { emitResult } from "./outFile.js";
import type { RosterFlags } from "./roster.js";

const icalendar = lazyRequire<{ default: typeof import("ical-generator").default }>("ical-generator");
const cliTable = lazyRequire<typeof import("cli-table3")>("cli-table3");

export async function personRoster(command: Command, flags: RosterFlags & { person: string }, now: Date): Promise<void> {
  const person = flags.person.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(person)) throw new UsageError(`--person must be an e-mail address, not '${flags.person}'`);
  const { existsSync, statSync } = await import("node:fs");
  if (flags.stacks !== undefined && !(existsSync(flags.stacks) && statSync(flags.stacks).isDirectory())) {
    throw new UsageError(`--stacks '${flags.stacks}' is not a directory`);
  }
  const { listCustomers } = await import("../customer/resolve.js");
  const { readCatalog } = await import("../catalog/load.js");
  const { loadCustomerFile } = await import("../plan/load.js");
  const { dutiesOf } = await import("../plan/fleetDuties.js");
  const { stacksDir } = await import("../facts/paths.js");

  const files = listCustomers(flags.stacks ?? stacksDir());
  const catalog = readCatalog();
  if (!catalog.ok) throw new InputError(catalog.problems);
  const problems: Problem[] = [];
  const members = files.flatMap((file) => {
    const loaded = loadCustomerFile(file, catalog.catalog);
    if (loaded.ok) return [loaded];
    problems.push(...loaded.problems);
    return [];
  });
  // A duty list missing a customer whose file is broken would look complete; it must not.
  if (problems.length) throw new InputError(problems);

  const thisYear = now.getUTCFullYear();
  const years = flags.year === undefined ? [thisYear, thisYear + 1] : [Number(flags.year)];
  const duties = dutiesOf(members, person, years).filter((d) => flags.year !== undefined || Date.parse(d.end) > now.getTime());
  const period = flags.year === undefined ? `from ${now.toISOString().slice(0, 10)} to the end of ${thisYear + 1}` : `in ${flags.year}`;
  const out = command.configureOutput();
  const writeOut = out.writeOut ?? ((s: string) => process.stdout.write(s));
  const writeErr = out.writeErr ?? ((s: string) => process.stderr.write(s));

  if (flags.ics !== undefined) {
    try {
      writeFileSync(flags.ics, personIcs(person, duties, now));
    } catch (err) {
      throw new UsageError(`cannot write ${flags.ics}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    writeErr(`roster: wrote ${flags.ics}: ${duties.length} duties of ${person} ${period}\n`);
  }
  const summary = `roster --person ${person}: ${duties.length} duties across ${new Set(duties.map((d) => d.customer)).size} customers ${period}`;
  emitResult(
    flags.out,
    flags.json ? personJson(person, period, duties) : personTable(person, period, members.length, duties),
    summary,
    writeOut,
  );
}

export function personJson(person: string, period: string, duties: readonly Duty[]): string {
  return `${JSON.stringify({ person, period, duties }, null, 2)}\n`;
}

function personTable(person: string, period: string, customers: number, duties: readonly Duty[]): string {
  const table = new (cliTable())({
    head: ["Date", "Customer", "Role", "Window", "Note"],
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const d of duties) {
    const start = luxon().DateTime.fromISO(d.start, { setZone: true });
    const end = luxon().DateTime.fromISO(d.end, { setZone: true });
    table.push([
      `${start.toFormat("ccc")} ${d.date}`,
      d.customer,
      roleTitles[d.role],
      `${start.toFormat("HH:mm")}–${end.toFormat("HH:mm")} ${start.toFormat("ZZ")}`,
      d.covers ? `covers for ${d.covers.from} (${d.covers.reason})` : preparednessKindTitles[d.kind],
    ]);
  }
  const heading = `${person}: ${duties.length} preparedness duties ${period}, across ${customers} customers`;
  return `${heading}\n${duties.length ? `${table.toString()}\n` : ""}`;
}

/** One event per duty; the UID names customer, day and role, so re-importing updates in place. */
export function personIcs(person: string, duties: readonly Duty[], stamp: Date): string {
  const calendar = icalendar().default({
    name: `Pico preparedness: ${person}`,
    prodId: { company: "Pico", product: "pico-monitoring", language: "EN" },
  });
  for (const d of duties) {
    calendar.createEvent({
      id: `preparedness-${d.customer}-${d.date}-${d.role}@pico-monitoring`,
      start: new Date(d.start),
      end: new Date(d.end),
      stamp,
      summary: `${d.customer} preparedness: ${roleTitles[d.role]}`,
      description: d.covers
        ? `Covers for ${d.covers.from}: ${d.covers.reason}`
        : `${preparednessKindTitles[d.kind]}; the rotation's turn for ${person}`,
    });
  }
  return calendar.toString();
}
