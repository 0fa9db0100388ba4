/**
 * `fleet plan`: every customer cut into shards for a CI matrix (the monthly refresh); `fleet run`:
 * one shard's customers through the Automation API, one after another (src/rollout/runner.ts).
 * A change's own roll-out plan (canaries, then the rest) comes from `diff --json` (`rollout`).
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { InputError, UsageError } from "../facts/problems.js";
import { exitWith } from "./exit.js";
import { checkOutFile, writeOutFile } from "./outFile.js";
import type { RolloutSettings } from "../plan/rollout.js";

/** The fleet file's `rollout` settings, with `--shards` (when given) as the most jobs per wave. */
export function rolloutSettings(shardsFlag: string | undefined): RolloutSettings {
  const { githubMatrixLimit, loadFleetSettings, defaultRollout } = require("../customer/fleet.js") as typeof import("../customer/fleet.js");
  let shards: number | undefined;
  if (shardsFlag !== undefined) {
    shards = Number(shardsFlag);
    if (!Number.isInteger(shards) || shards < 1 || shards > githubMatrixLimit)
      throw new UsageError(
        `--shards must be a whole number from 1 to ${githubMatrixLimit} (GitHub's jobs per matrix), not '${shardsFlag}'`,
      );
  }
  const fleet = loadFleetSettings();
  if (!fleet.ok) throw new InputError(fleet.problems);
  const r = fleet.fleet?.rollout ?? { canaries: [], ...defaultRollout };
  return { ...r, maxShards: shards ?? r.maxShards };
}

interface PlanFlags {
  shards?: string;
  json?: boolean;
  out?: string;
}

interface RunFlags {
  customers: string;
  mode: string;
  rolloutId: string;
  commit?: string;
  results: string;
  summary?: string;
  title?: string;
  policyPack?: string;
}

export function registerFleet(program: Command): void {
  const fleet = program.command("fleet").description("the whole fleet in CI: shards for a matrix, and one shard's run");

  fleet
    .command("plan")
    .description("every customer cut into shards balanced by resources to preview, for a CI matrix")
    .option("--shards <n>", "shards at most, 1 to 256 (default: rollout.maxShards in stacks/_fleet.yaml, else 256)")
    .option("--json", "the plan as JSON (the default is a table)")
    .option("--out <file>", "write the plan to this file instead of stdout")
    .action(async (flags: PlanFlags) => {
      const settings = rolloutSettings(flags.shards);
      checkOutFile("--out", flags.out, "the plan file");
      const { listCustomers } = await import("../customer/resolve.js");
      const { customerIdOfName } = await import("../customer/customerFiles.js");
      const { loadCustomer } = await import("../plan/loadCustomer.js");
      const { planCustomer } = await import("../plan/plan.js");
      const { planShards, resourcesToPreview } = await import("../plan/rollout.js");
      // The as-of moves layers inside a schedule, never the count of resources.
      const asOf = new Date();
      const files = listCustomers();
      let catalog: import("../catalog/entry.js").Catalog | undefined;
      const customers = files.map((file) => {
        const loaded = loadCustomer(file, catalog);
        catalog = loaded.catalog;
        return { customer: customerIdOfName(file)!, cost: resourcesToPreview(planCustomer(loaded.spec, loaded.catalog, asOf)) };
      });
      const shards = planShards(customers, settings.maxShards);
      const doc = { maxShards: settings.maxShards, customers: customers.map((c) => c.customer).sort(), shards };
      const text = flags.json
        ? `${JSON.stringify(doc, null, 2)}\n`
        : `${shards.map((s) => `shard ${s.index}: cost ${s.cost}: ${s.customers.join(", ")}`).join("\n")}\n`;
      if (flags.out) {
        writeOutFile(flags.out, text);
        process.stdout.write(`fleet plan: ${customers.length} customers in ${shards.length} shards, written to ${flags.out}\n`);
      } else process.stdout.write(text);
    });

  fleet
    .command("run")
    .description("one shard: preview each customer with the policy pack, update it if that passes (Pulumi Automation API)")
    .requiredOption("--customers <ids>", "the shard's customers, comma- or space-separated, run in this order")
    .option("--mode <mode>", "up (preview, then update), preview (the gate only) or drift (a refreshed preview expecting no changes)", "up")
    .requiredOption("--rollout-id <id>", "names the roll-out: a re-run with the same id and commit skips customers that succeeded")
    .option("--commit <sha>", "the commit being rolled out (default: git rev-parse HEAD)")
    .requiredOption("--results <file>", "per-customer results (JSON), read first to resume and rewritten after each customer")
    .option("--summary <file>", "append the Markdown table here (default: $GITHUB_STEP_SUMMARY when set)")
    .option("--title <text>", "the table's heading")
    .option("--policy-pack <dir>", "the CrossGuard pack (default: policies/ in the working directory)")
    .action(async (flags: RunFlags) => {
      const mode = flags.mode;
      if (mode !== "up" && mode !== "preview" && mode !== "drift")
        throw new UsageError(`--mode must be up, preview or drift, not '${mode}'`);
      const customers = flags.customers.split(/[\s,]+/).filter(Boolean);
      if (customers.length === 0) throw new UsageError("--customers names no customer");
      const bad = customers.find((c) => !/^[a-z][a-z0-9-]*$/.test(c));
      if (bad !== undefined) throw new UsageError(`--customers: '${bad}' is not a customer id`);
      if (new Set(customers).size !== customers.length) throw new UsageError("--customers names a customer twice");
      checkOutFile("--results", flags.results, "the results file");
      const workDir = process.cwd();
      const policyPack = resolve(flags.policyPack ?? "policies");
      // Checked now: a missing pack would fail every customer of the shard the same way.
      if (!existsSync(join(policyPack, "PulumiPolicy.yaml")))
        throw new UsageError(`${flags.policyPack ? "--policy-pack" : "policies/"} '${policyPack}' holds no PulumiPolicy.yaml`);
      let commit = flags.commit;
      if (commit === undefined) {
        try {
          commit = execFileSync("git", ["rev-parse", "HEAD"], {
            cwd: workDir,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
          }).trim();
        } catch {
          throw new UsageError("no --commit given and `git rev-parse HEAD` failed here");
        }
      }
      const { runShard } = await import("../rollout/runner.js");
      const { summaryMarkdown } = await import("../rollout/results.js");
      const { results } = await runShard({
        customers,
        mode,
        rolloutId: flags.rolloutId,
        commit,
        resultsFile: resolve(flags.results),
        workDir,
        policyPack,
        log: (line) => process.stderr.write(`fleet run: ${line}\n`),
      });
      const summary = flags.summary ?? process.env.GITHUB_STEP_SUMMARY;
      if (summary) appendFileSync(summary, summaryMarkdown(flags.title ?? `${mode}: ${flags.rolloutId}`, results));
      const failed = results.filter((r) => r.status === "failed").map((r) => r.customer);
      const drift = results.filter((r) => r.status === "drift").map((r) => r.customer);
      process.stdout.write(
        `fleet run: ${results.length} customers: ${results.filter((r) => r.status === "succeeded").length} succeeded, ` +
          `${results.filter((r) => r.status === "skipped").length} skipped` +
          `${drift.length ? `, drift in ${drift.join(", ")}` : ""}${failed.length ? `, failed: ${failed.join(", ")}` : ""}\n`,
      );
      // Drift fails the job too: the monthly workflow asks for its approval only then.
      exitWith(failed.length || drift.length ? 1 : 0);
    });
}
