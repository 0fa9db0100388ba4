#!/usr/bin/env node
/**
 * pico-monitoring: what works without a cloud. Exit 0 on success, 1 on invalid input or a
 * failed mandatory policy, 2 on a usage error.
 */
// First: defers parts of @pulumi/pulumi that only closure serialization uses (see fastStart.ts).
import "../preview/fastStart";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { projectRoot } from "../paths";
import { InputError, formatProblem } from "../problems";
import { registerDiff } from "./diff";
import { registerAudit } from "./audit";
import { UsageError } from "./exit";
import { registerPreview } from "./preview";
import { registerRoster } from "./roster";
import { registerValidate } from "./validate";

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

registerValidate(program);
registerRoster(program);
registerPreview(program);
registerAudit(program);
registerDiff(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UsageError) {
    process.stderr.write(`pico-monitoring: ${e.message}\n`);
    process.exitCode = 2;
  } else if (e instanceof InputError) {
    for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`pico-monitoring: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
});
