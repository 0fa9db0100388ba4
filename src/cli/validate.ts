import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { stacksDir } from "../paths";
import { formatProblem, type Problem } from "../problems";
import { exitWith, UsageError } from "./exit";

/** Customer files in stacks/: every `*.yaml` except Pulumi's own stack settings. */
export function customerFiles(): string[] {
  return readdirSync(stacksDir())
    .filter((f) => f.endsWith(".yaml") && !f.startsWith("Pulumi."))
    .sort()
    .map((f) => join(stacksDir(), f));
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check the catalogue and customer files (default: every stacks/*.yaml)")
    .argument("[files...]", "customer files to check")
    .option("--catalog <dir>", "catalogue entries to check instead of catalog/entries")
    .action(async (files: string[], opts: { catalog?: string }) => {
      // Loaded here, so that other commands and --help don't pay for zod, yaml and ajv.
      const { readCatalog } = await import("../catalog/load.js");
      const { displayPath, loadCustomerFile } = await import("../spec/load.js");
      const problems: Problem[] = [];
      const catalog = readCatalog(opts.catalog);
      if (!catalog.ok) problems.push(...catalog.problems);
      const targets = files.length ? files : customerFiles();
      let valid = 0;
      if (catalog.ok) {
        for (const file of targets) {
          const result = loadCustomerFile(file, catalog.catalog);
          if (result.ok) valid++;
          else problems.push(...result.problems);
        }
      } else if (files.length === 0 && targets.length === 0) {
        throw new UsageError("no customer files in stacks/");
      }
      for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
      const entries = catalog.ok ? `catalogue: ${catalog.catalog.entries.size} entries ok` : "catalogue: invalid";
      process.stderr.write(`${entries}; customers: ${valid} of ${targets.length} valid${targets.length ? ` (${targets.map(displayPath).join(", ")})` : ""}\n`);
      exitWith(problems.length ? 1 : 0);
    });
}
