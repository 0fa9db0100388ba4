/**
 * `diff --base <ref>`: what a change does to every customer it touches, for a pull request. This
 * module reads the flags and writes the report; the run is src/diff/run.ts.
 *
 * Each side is previewed by its own revision's code: the base revision is extracted to a
 * temporary directory, transpiled there with the current TypeScript (no type check) and previewed
 * by its own long-lived workers (src/audit/worker.ts, as `audit` uses them), so a change to a
 * component shows up as a change. A base too old to have those workers runs its CLI
 * (`preview <customer> --json`) per customer instead. Both sides get the same as-of instant,
 * because the roster layers depend on it.
 */
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { checkOutFile, writeOutFile } from "./outFile.js";
import { readAtOption } from "../facts/asOf.js";
import { exitWith } from "./exit.js";
import { UsageError } from "../facts/problems.js";

interface DiffFlags {
  base: string;
  format?: string;
  json?: boolean;
  at?: string;
  out?: string;
  jsonOut?: string;
  jobs?: string;
  shards?: string;
}

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description("what a change does to each affected customer, compared with a base revision (for pull requests)")
    .requiredOption("--base <ref>", "git revision to compare the working tree with, e.g. origin/main")
    .option("--format <format>", "md (a pull-request comment) or json (default: md)")
    .option("--json", "the JSON report (the same as --format json)")
    .option("--at <iso>", "as-of instant for the roster layers on both sides; without an offset, local to each customer (default: now)")
    .option("--out <file>", "write the report here instead of stdout")
    .option("--json-out <file>", "also write the JSON report here (one run for a comment and a CI matrix)")
    .option("--jobs <n>", "previews run at once (default: the number of CPUs, at most 4)")
    .option("--shards <n>", "CI jobs per roll-out wave at most, 1 to 256 (default: rollout.maxShards in stacks/_fleet.yaml, else 256)")
    .action(async (flags: DiffFlags) => {
      if (flags.json && flags.format !== undefined && flags.format !== "json")
        throw new UsageError(`--json and --format ${flags.format} disagree; choose one`);
      const format = flags.json ? "json" : (flags.format ?? "md");
      if (format !== "md" && format !== "json") throw new UsageError(`--format must be md or json, not '${format}'`);
      const jobs = flags.jobs === undefined ? Math.max(1, Math.min(availableParallelism(), 4)) : Number(flags.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a whole number of at least 1, not '${flags.jobs}'`);
      const { rolloutSettings } = await import("./fleet.js");
      const rollout = rolloutSettings(flags.shards);
      // The same setting for both sides; each preview reads an offset-less one in its customer's zone.
      const asOf = readAtOption(flags.at);
      // Checked now: a path that can't be written must not fail the run after every preview.
      checkOutFile("--out", flags.out, "the report file");
      checkOutFile("--json-out", flags.jsonOut, "the report file");
      const { runDiff } = await import("../diff/run.js");
      const report = await runDiff({ base: flags.base, asOf, jobs, rollout, log: (s) => process.stderr.write(`diff: ${s}\n`) });
      const { reportJson } = await import("../diff/report.js");
      const { reportMarkdown } = await import("../diff/markdown.js");
      const text = format === "json" ? reportJson(report) : reportMarkdown(report);
      if (flags.out) writeOutFile(flags.out, text);
      else process.stdout.write(text);
      if (flags.jsonOut) writeOutFile(flags.jsonOut, reportJson(report));
      const failing = report.customers.filter((c) => c.result === "fail").map((c) => c.customer);
      // The summary is the result when the report went to a file; beside a report on stdout it goes to stderr.
      (flags.out ? process.stdout : process.stderr).write(
        `diff: ${report.affected.length} affected${failing.length ? `; failing after the change: ${failing.join(", ")}` : "; all pass after the change"}\n`,
      );
      exitWith(report.result === "fail" ? 1 : 0);
    });
}
