import type { Command } from "commander";
import { existsSync, statSync } from "node:fs";
import { UsageError } from "../facts/problems.js";

/**
 * `pico-monitoring customers`: the customer ids of a stacks directory, by the one rule of
 * src/customer/customerFiles.ts (`<id>.yaml` or `<id>.yml`; never `Pulumi.*` or `_*`), so a
 * workflow's matrix never reads stacks/ by a rule of its own (.github/workflows/scheduled.yml).
 */
export function registerCustomers(program: Command): void {
  program
    .command("customers")
    .description("list the customer ids in stacks/, one a line (the files every other command reads)")
    .option("--stacks <dir>", "directory of customer files (default: stacks/)")
    .option("--json", "one line of JSON: an array of the ids, for a CI matrix")
    .action(async (opts: { stacks?: string; json?: boolean }) => {
      const { listCustomers } = await import("../customer/resolve.js");
      const { customerIdOfName } = await import("../customer/customerFiles.js");
      const { stacksDir } = await import("../facts/paths.js");
      if (opts.stacks !== undefined && !(existsSync(opts.stacks) && statSync(opts.stacks).isDirectory()))
        throw new UsageError(`--stacks '${opts.stacks}' is not a directory`);
      // listCustomers refuses an id with both a .yaml and a .yml file, as every command does.
      const ids = listCustomers(opts.stacks ?? stacksDir()).map((f) => customerIdOfName(f)!);
      process.stdout.write(opts.json ? `${JSON.stringify(ids)}\n` : ids.map((id) => `${id}\n`).join(""));
    });
}
