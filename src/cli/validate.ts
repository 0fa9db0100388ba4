import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { catalogDir, displayPath, stacksDir } from "../facts/paths.js";
import { formatProblem, UsageError, type Problem } from "../facts/problems.js";
import type { Catalog } from "../catalog/entry.js";
import type { FleetMember } from "../plan/fleetDuties.js";
import { listCustomers, resolveCustomer } from "../customer/resolve.js";
import { exitWith } from "./exit.js";
import { checkOutFile, emitResult, writeOutFile } from "./outFile.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check the catalogue and customer files (default: every customer file in stacks/)")
    .argument("[customers...]", "customer ids or customer files to check")
    .option("--catalog <dir>", "catalogue entries to check instead of catalog/entries")
    .option("--stacks <dir>", "directory of customer files (default: stacks/)")
    .option("--json", "one JSON document on stdout: every problem as data")
    .option("--out <file>", "write the result (the problems, or with --json the document) to this file; stdout gets one summary line")
    .action(async (args: string[], opts: { catalog?: string; stacks?: string; json?: boolean; out?: string }) => {
      // Loaded here, so that other commands and --help don't pay for zod, yaml and ajv.
      const { readCatalog } = await import("../catalog/load.js");
      // Checked afresh, never read from the checked-customer cache: checking is this command's job.
      const { displayPath, checkCustomerFile } = await import("../plan/load.js");
      const { fleetIn, footprintOf, overlapProblems } = await import("../plan/fleetCheck.js");
      const { checkReleased } = await import("../catalog/versionLock.js");
      for (const [flag, dir] of [
        ["--catalog", opts.catalog],
        ["--stacks", opts.stacks],
      ] as const) {
        if (dir !== undefined && !(existsSync(dir) && statSync(dir).isDirectory()))
          throw new UsageError(`${flag} '${dir}' is not a directory`);
      }
      checkOutFile("--out", opts.out);
      const dir = opts.stacks ?? stacksDir();
      const targets = args.length ? [...new Set(args.map((a) => resolveCustomer(a, dir)))] : listCustomers(dir);
      if (targets.length === 0) throw new UsageError(`no customer files in ${displayPath(dir)}`);
      const problems: Problem[] = [];
      const catalog = readCatalog(opts.catalog);
      if (!catalog.ok) problems.push(...catalog.problems);
      const warnings: Problem[] = [];
      // Every entry version must be one the lock records: an unreleased one is reported, never used.
      if (catalog.ok) problems.push(...checkReleased(opts.catalog ?? catalogDir(), catalog.catalog));
      const customers: { file: string; valid: boolean | null }[] = [];
      // The fleet each file is held against: the stacks directory's customer files and the named files that pass their own check.
      const fleet = fleetIn(dir);
      const passed: [file: string, result: Extract<ReturnType<typeof checkCustomerFile>, { ok: true }>][] = [];
      for (const file of targets) {
        if (!catalog.ok) {
          // Without a catalogue there is nothing to check a customer's alerts against.
          customers.push({ file: displayPath(file), valid: null });
          continue;
        }
        const result = checkCustomerFile(file, catalog.catalog);
        customers.push({ file: displayPath(file), valid: result.ok });
        if (result.ok) {
          warnings.push(...result.warnings);
          passed.push([file, result]);
          const own = footprintOf(file);
          if (own) fleet.push(own);
        } else problems.push(...result.problems);
      }
      for (const [file, result] of passed) {
        const overlaps = overlapProblems(result, file, fleet);
        problems.push(...overlaps);
        if (overlaps.length) customers.find((c) => c.file === displayPath(file))!.valid = false;
      }
      if (catalog.ok) {
        // One person on duty for too many customers a day is judged across the whole fleet, named files included.
        const members = new Map<string, FleetMember>(passed.map(([file, result]) => [resolve(file), result]));
        const everyone: FleetMember[] = [];
        for (const file of existsSync(dir) ? listCustomers(dir) : []) {
          const member = members.get(resolve(file)) ?? loadOk(file, catalog.catalog, checkCustomerFile);
          if (member) everyone.push(member);
        }
        for (const m of members.values()) if (!everyone.includes(m)) everyone.push(m);
        const checked = new Set([...members.values()].map((m) => m.source.file));
        warnings.push(...(await overbookingWarnings(dir, everyone, (file) => checked.has(file), problems)));
      }
      const valid = customers.filter((c) => c.valid).length;
      if (opts.json) {
        const json = {
          valid: problems.length === 0,
          catalogue: catalog.ok ? { valid: true, entries: catalog.catalog.entries.size } : { valid: false },
          customers,
          problems,
          warnings,
        };
        emitResult(
          opts.out,
          `${JSON.stringify(json, null, 2)}\n`,
          `validate: ${valid} of ${targets.length} customers valid, ${problems.length} problems`,
        );
      } else {
        const lines = [...problems, ...warnings].map((p) => `${formatProblem(p)}\n`).join("");
        const entries = catalog.ok ? `catalogue: ${catalog.catalog.entries.size} entries ok` : "catalogue: invalid";
        const summary = `${entries}; customers: ${valid} of ${targets.length} valid (${customers.map((c) => c.file).join(", ")})`;
        // Problems go to stderr beside the summary, or into the file with --out.
        if (opts.out === undefined) {
          process.stderr.write(lines);
          process.stdout.write(`${summary}\n`);
        } else {
          writeOutFile(opts.out, lines);
          process.stdout.write(`${summary}; problems written to ${opts.out}\n`);
        }
      }
      exitWith(problems.length ? 1 : 0);
    });
}

function loadOk(
  file: string,
  catalog: Catalog,
  checkCustomerFile: typeof import("../plan/load.js").checkCustomerFile,
): FleetMember | undefined {
  const r = checkCustomerFile(file, catalog);
  return r.ok ? r : undefined;
}

/** One person on duty for too many customers on one day, across the whole fleet (src/plan/fleetDuties.ts). */
async function overbookingWarnings(
  dir: string,
  fleet: FleetMember[],
  shownIn: (file: string) => boolean,
  problems: Problem[],
): Promise<Problem[]> {
  const { defaultMaxCustomersPerPersonPerDay, fleetFile, fleetFileName, loadFleetSettings } = await import("../customer/fleet.js");
  const { overbookedWarnings } = await import("../plan/fleetDuties.js");
  // The fleet file beside the customers checked, else the repository's.
  const file = existsSync(join(dir, fleetFileName)) ? join(dir, fleetFileName) : fleetFile();
  const settings = loadFleetSettings(file);
  if (!settings.ok) {
    problems.push(...settings.problems);
    return [];
  }
  const limit = settings.fleet?.maxCustomersPerPersonPerDay ?? defaultMaxCustomersPerPersonPerDay;
  // The days the stacks hold layers for: from now to the end of next year (see upcomingWindows).
  return overbookedWarnings(fleet, limit, new Date(), `maxCustomersPerPersonPerDay: ${limit} in ${displayPath(file)}`, shownIn);
}
