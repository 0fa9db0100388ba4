import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EnforcementLevel } from "@pulumi/policy";
import type { Command } from "commander";
import type { PolicyConfigInput } from "../offline/policyResults.js";
import { projectRoot, stacksDir } from "../facts/paths.js";
import { refuseIfStaleBuild } from "../facts/staleBuild.js";
import { InputError, UsageError } from "../facts/problems.js";
import { readAtOption } from "../facts/asOf.js";
import { listCustomers, resolveCustomer } from "../customer/resolve.js";

const formats = ["md", "json", "sarif", "html"] as const;
type Format = (typeof formats)[number];

interface AuditOptions {
  format?: string;
  json?: boolean;
  out?: string;
  at?: string;
  stacks?: string;
  catalog?: string;
  jobs?: string;
  policyConfig?: string;
  cache?: string;
}

export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description(
      "preview every customer offline, run the policy pack over each, and report alerts with their catalogue provenance, " +
        "every policy result and the evidence (exit 1 when a mandatory policy fails or a customer file is invalid)",
    )
    .argument("[customers...]", "customer ids or customer files (default: every customer file in the stacks directory)")
    .option("--format <formats>", `${formats.join(", ")}; with --out, a comma-separated list or 'all' (default: md)`)
    .option("--json", "the JSON report (the same as --format json)")
    .option("--out <dir>", "write audit.<format> files into this directory (created) instead of printing to stdout")
    .option("--at <iso>", "as-of instant for the roster layers; without an offset, local to each customer (default: now)")
    .option("--stacks <dir>", "directory of customer files (default: stacks/)")
    .option("--catalog <dir>", "render alerts from these catalogue entries (the policies still judge by catalog/entries)")
    .option("--policy-config <file>", "policy configuration as for `pulumi preview --policy-pack-config` (levels and properties)")
    .option("--jobs <n>", "worker processes; 1 audits in this process (default: by customer count and cores)")
    .option(
      "--cache <dir>",
      "reuse the record of a customer whose file, catalogue, code, as-of and policy configuration are unchanged (default: none)",
    )
    .action(async (customers: string[], opts: AuditOptions) => {
      if (opts.json && opts.format !== undefined && opts.format !== "json")
        throw new UsageError(`--json and --format ${opts.format} disagree; choose one`);
      const chosen = parseFormats(opts.json ? "json" : opts.format, opts.out !== undefined);
      // As diff does: an audit of code that isn't the working tree's would be evidence of nothing.
      refuseIfStaleBuild(projectRoot());
      // Checked now, so a typo can't fail the run after every customer has been previewed.
      const asOf = readAtOption(opts.at);
      const jobs = opts.jobs === undefined ? undefined : parseJobs(opts.jobs);
      const dir = opts.stacks ?? stacksDir();
      if (opts.stacks !== undefined && !isDirectory(dir)) throw new UsageError(`--stacks '${dir}' is not a directory`);
      if (opts.catalog !== undefined && !isDirectory(opts.catalog)) throw new UsageError(`--catalog '${opts.catalog}' is not a directory`);
      if (opts.out !== undefined) prepareOutDir(opts.out);
      const files = customerFilesIn(dir, customers);
      const policyConfig = opts.policyConfig === undefined ? undefined : readPolicyConfig(opts.policyConfig);
      const { auditContext } = await import("../audit/customer.js");
      const { auditFiles, defaultJobs } = await import("../audit/pool.js");
      const context = auditContext(opts.catalog, asOf, policyConfig?.config, dir);
      if (!context.ok) throw new InputError(context.problems);
      const { ctx } = context;

      // The pack the workers judge with, as the report describes it; it plans nothing here.
      const { createPack, PACK_NAME } = await import("../../policies/pack.js");
      const { disabledPromises, enforcementLevels, packVersion } = await import("../offline/policyResults.js");
      const pack = createPack({
        catalog: ctx.reference,
        planStack: async (request) => (await import("../offline/stackPlanner.js")).planStack(request),
        releasedVersions: ctx.releasedVersions,
      });
      let levels: Map<string, EnforcementLevel>;
      try {
        levels = enforcementLevels(pack, policyConfig?.config);
      } catch (e) {
        throw new UsageError(`--policy-config '${opts.policyConfig}': ${(e as Error).message}`);
      }
      // A disabled policy is never run, and no pack can prevent that: an audit that skipped a promise would vouch for it.
      const disabled = disabledPromises(pack, policyConfig?.config);
      if (disabled.length > 0) {
        throw new UsageError(
          `--policy-config '${opts.policyConfig}': disables ${disabled.join(", ")}; every policy of ${PACK_NAME} is a promise of ` +
            "the Extended package and must run (a level of advisory or mandatory is reported as mandatory)",
        );
      }

      const progress = progressReporter(files.length);
      let fromCache = 0;
      const audits = await auditFiles(
        files,
        {
          jobs: jobs ?? defaultJobs(files.length),
          catalogDir: opts.catalog,
          asOf,
          stacksDir: dir,
          ...(policyConfig ? { policyConfig: policyConfig.config } : {}),
          ...(opts.cache !== undefined ? { cacheDir: opts.cache } : {}),
          onProgress: (done, total, audit, cached) => {
            if (cached) fromCache++;
            progress.update(done, total, audit);
          },
        },
        () => ctx,
      );
      progress.end();
      if (opts.cache !== undefined)
        process.stderr.write(`audit: ${fromCache} of ${files.length} customers from the cache in ${opts.cache}\n`);

      const { collectEvidence } = await import("../audit/evidence.js");
      const { buildReport } = await import("../audit/report.js");
      const { auditPassed } = await import("../audit/model.js");
      const evidence = collectEvidence({
        pack: { name: PACK_NAME, version: packVersion() },
        reference: ctx.reference,
        ...(ctx.catalog !== ctx.reference ? { rendered: { dir: resolve(opts.catalog!), catalog: ctx.catalog } } : {}),
        ...(policyConfig
          ? // As given on the command line: an absolute path would show the auditor's home directory in a shared report.
            { policyConfig: { path: opts.policyConfig!, sha256: policyConfig.sha256, config: policyConfig.config } }
          : {}),
        asOf,
        generatedAt: new Date(),
      });
      const report = buildReport(
        evidence,
        pack.policies.map((p) => ({
          name: p.name,
          description: p.description,
          enforcementLevel: levels.get(p.name)!,
          ...(p.severity ? { severity: p.severity } : {}),
          ...(p.remediationSteps ? { remediation: p.remediationSteps } : {}),
        })),
        audits,
      );

      const render = await renderers();
      if (opts.out === undefined) {
        process.stdout.write(render[chosen[0]!](report));
      } else {
        for (const f of chosen) {
          const file = join(opts.out, `audit.${f}`);
          try {
            writeFileSync(file, render[f](report));
          } catch (e) {
            throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
          }
          process.stdout.write(`audit: wrote ${file}\n`);
        }
      }
      const s = report.summary;
      // The summary is the result when the report went to files; beside a report on stdout it goes to stderr.
      (opts.out === undefined ? process.stderr : process.stdout).write(
        `audit: ${s.customers} ${s.customers === 1 ? "customer" : "customers"}, ${s.passed} passed, ${s.failed} failed` +
          `${s.invalid ? `, ${s.invalid} invalid` : ""}${s.errors ? `, ${s.errors} not audited` : ""}\n`,
      );
      process.exitCode = auditPassed(report) ? 0 : 1;
    });
}

async function renderers(): Promise<Record<Format, (r: import("../audit/model.js").AuditReport) => string>> {
  const { auditMarkdown } = await import("../audit/markdown.js");
  const { auditSarif } = await import("../audit/sarif.js");
  const { auditHtml } = await import("../audit/html.js");
  return { md: auditMarkdown, json: (r) => JSON.stringify(r, null, 2) + "\n", sarif: auditSarif, html: auditHtml };
}

function parseFormats(value: string | undefined, toFiles: boolean): Format[] {
  if (value === undefined) return ["md"];
  const list = value === "all" ? [...formats] : value.split(",").map((s) => s.trim());
  for (const f of list) {
    if (!(formats as readonly string[]).includes(f)) throw new UsageError(`--format '${f}' is not one of ${formats.join(", ")}`);
  }
  if (list.length > 1 && !toFiles) throw new UsageError("several formats need --out <dir>; stdout takes one");
  return [...new Set(list)] as Format[];
}

/** A `--policy-pack-config` file: a JSON object of policy name (or `all`) to a level or properties. */
function readPolicyConfig(file: string): { config: Record<string, PolicyConfigInput>; sha256: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`--policy-config '${file}': cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let config: unknown;
  try {
    config = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new UsageError(`--policy-config '${file}': not JSON: ${(e as Error).message}`);
  }
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new UsageError(`--policy-config '${file}': expected an object of policy name to level or properties`);
  }
  return { config: config as Record<string, PolicyConfigInput>, sha256: createHash("sha256").update(bytes).digest("hex") };
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs '${value}' is not a whole number from 1 to 64`);
  return n;
}

const isDirectory = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** `--out <dir>`: created now, and a usage error when it is a file or can't be created. */
function prepareOutDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UsageError(`--out '${dir}' is a file; it names the directory the reports go into`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new UsageError(`--out '${dir}': cannot write there (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Customer files in `dir` (every customer file), or the ones named. */
function customerFilesIn(dir: string, named: string[]): string[] {
  if (named.length === 0) {
    const files = listCustomers(dir);
    if (files.length === 0) throw new UsageError(`no customer files in ${dir}`);
    return files;
  }
  const files = named.map((n) => resolveCustomer(n, dir));
  return [...new Set(files.map((f) => resolve(f)))].map((abs) => files.find((f) => resolve(f) === abs)!);
}

/** One updating line on a terminal; one line per customer otherwise (CI logs). */
function progressReporter(total: number) {
  const tty = process.stderr.isTTY === true;
  const width = String(total).length;
  return {
    update(done: number, _total: number, audit: { customer: string; status: string }) {
      const line = `audit: ${String(done).padStart(width)}/${total} ${audit.customer}${audit.status === "pass" ? "" : ` (${audit.status})`}`;
      // On a terminal a customer that did not pass keeps its line; the others are overwritten.
      process.stderr.write(tty ? `\r\x1b[K${line}${audit.status === "pass" ? "" : "\n"}` : `${line}\n`);
    },
    end() {
      if (tty && total > 0) process.stderr.write("\r\x1b[K");
    },
  };
}
