import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { readCatalog } from "../catalog/load";
import { checkReleased } from "../catalog/versionLock";
import { catalogDir, stacksDir } from "../paths";
import { formatProblem, type Problem } from "../problems";
import { isCustomerFileName } from "../spec/fleet";
import { displayPath, loadCustomerFile } from "../spec/load";
import { exitWith, UsageError } from "./exit";

/** Customer files in stacks/: every `*.yaml` except Pulumi's own stack settings and the fleet settings. */
export function customerFiles(): string[] {
  return readdirSync(stacksDir())
    .filter(isCustomerFileName)
    .sort()
    .map((f) => join(stacksDir(), f));
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check the catalogue and customer files (default: every stacks/*.yaml)")
    .argument("[files...]", "customer files to check")
    .option("--catalog <dir>", "catalogue entries to check instead of catalog/entries")
    .action((files: string[], opts: { catalog?: string }) => {
      const problems: Problem[] = [];
      const catalog = readCatalog(opts.catalog);
      if (!catalog.ok) problems.push(...catalog.problems);
      const targets = files.length ? files : customerFiles();
      const warnings: Problem[] = [];
      let valid = 0;
      if (catalog.ok) {
        problems.push(...checkReleased(opts.catalog ?? catalogDir(), catalog.catalog));
        for (const file of targets) {
          const result = loadCustomerFile(file, catalog.catalog);
          if (result.ok) {
            valid++;
            warnings.push(...result.warnings);
          } else problems.push(...result.problems);
        }
      } else if (files.length === 0 && targets.length === 0) {
        throw new UsageError("no customer files in stacks/");
      }
      for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
      for (const w of warnings) process.stderr.write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}\n`);
      const entries = catalog.ok ? `catalogue: ${catalog.catalog.entries.size} entries ok` : "catalogue: invalid";
      process.stderr.write(`${entries}; customers: ${valid} of ${targets.length} valid${targets.length ? ` (${targets.map(displayPath).join(", ")})` : ""}\n`);
      exitWith(problems.length ? 1 : 0);
    });
}
