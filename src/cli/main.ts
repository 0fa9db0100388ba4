#!/usr/bin/env node
/**
 * pico-monitoring: what works without a cloud. Exit 0 on success, 1 on invalid input or a
 * failed mandatory policy, 2 on a usage error.
 */
// First: defers parts of @pulumi/pulumi that only closure serialization uses (see fastStart.ts).
import "../offline/fastStart.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { projectRoot } from "../facts/paths.js";
import { describeFailure } from "../facts/problems.js";

/**
 * Each command's module, loaded only when it runs (or for the overview help), so that `validate`
 * never pays for Pulumi and `--help` for nothing but commander. In help order. `require`, not
 * `import()`: this file only ever runs built, and the ESM loader would cost `--help` a tenth more.
 */
const commands: Record<string, () => (program: Command) => unknown> = {
  validate: () => (require("./validate.js") as typeof import("./validate.js")).registerValidate,
  roster: () => (require("./roster.js") as typeof import("./roster.js")).registerRoster,
  maintenance: () => (require("./maintenance.js") as typeof import("./maintenance.js")).registerMaintenance,
  preview: () => (require("./preview.js") as typeof import("./preview.js")).registerPreview,
  audit: () => (require("./audit.js") as typeof import("./audit.js")).registerAudit,
  diff: () => (require("./diff.js") as typeof import("./diff.js")).registerDiff,
  customers: () => (require("./customers.js") as typeof import("./customers.js")).registerCustomers,
  fleet: () => (require("./fleet.js") as typeof import("./fleet.js")).registerFleet,
  verify: () => (require("./verify.js") as typeof import("./verify.js")).registerVerify,
};

// `pico-monitoring preview x | head` closes the pipe early; that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

const program = new Command("pico-monitoring")
  .description("Pico Extended monitoring: customer YAML to Datadog, Azure and PagerDuty")
  .version((JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version: string }).version, "-V, --version")
  // A usage problem is one line: commander's message, its "did you mean" hint, and where help is.
  .configureOutput({ outputError: (str, write) => write(`${str.trim().replace(/\s*\n\s*/g, " ")} (--help shows the usage)\n`) })
  .exitOverride();

async function main(): Promise<void> {
  const named = process.argv.slice(2).find((a) => !a.startsWith("-"));
  const wanted = named !== undefined && Object.hasOwn(commands, named) ? [named] : Object.keys(commands);
  for (const name of wanted) commands[name]!()(program);
  await program.parseAsync(process.argv);
}

main().catch((e: unknown) => {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else {
    const { code, lines } = describeFailure(e);
    for (const line of lines) process.stderr.write(`${line}\n`);
    process.exitCode = code;
  }
});
