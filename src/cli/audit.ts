import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EnforcementLevel } from "@pulumi/policy";
import type { Command } from "commander";
import type { PolicyConfigInput } from "../policyResults";
import { stacksDir } from "../paths";
import { isCustomerFileName } from "../spec/fleet";
import { InputError } from "../problems";
import { parseAsOf } from "./args";
import { UsageError } from "./exit";

const formats = ["md", "json", "sarif", "html"] as const;
type Format = (typeof formats)[number];

interface AuditOptions {
  format?: string;
  out?: string;
  at?: string;
  stacks?: string;
  catalog?: string;
  jobs?: string;
  policyConfig?: string;
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
    .option("--out <dir>", "write audit.<format> files into this directory (created) instead of printing to stdout")
    .option("--at <iso>", "as-of instant for the roster layers; without an offset, UTC (default: now)")
    .option("--stacks <dir>", "directory of customer files (default: stacks/)")
    .option("--catalog <dir>", "render alerts from these catalogue entries (the policies still judge by catalog/entries)")
    .option("--policy-config <file>", "policy configuration as for `pulumi preview --policy-pack-config` (levels and properties)")
    .option("--jobs <n>", "worker processes; 1 audits in this process (default: by customer count and cores)")
    .action(async (customers: string[], opts: AuditOptions) => {
      const chosen = parseFormats(opts.format, opts.out !== undefined);
      // One instant for every customer, so an offset-less --at can't mean different times per time zone.
      const asOf = parseAsOf(opts.at, "UTC");
      const jobs = opts.jobs === undefined ? undefined : parseJobs(opts.jobs);
      const dir = opts.stacks ?? stacksDir();
      if (opts.stacks !== undefined && !isDirectory(dir)) throw new UsageError(`--stacks '${dir}' is not a directory`);
      if (opts.catalog !== undefined && !isDirectory(opts.catalog)) throw new UsageError(`--catalog '${opts.catalog}' is not a directory`);
      const files = customerFilesIn(dir, customers);
      const policyConfig = opts.policyConfig === undefined ? undefined : readPolicyConfig(opts.policyConfig);
      const { runPolicies } = await import("../policyResults.js");
      let levels: Map<string, string>;
      try {
        // Over no resources: checks the configuration, and says which level each policy runs at.
        levels = new Map((await runPolicies([], policyConfig ? { config: policyConfig.config } : {})).results.map((r) => [r.policy, r.enforcementLevel]));
      } catch (e) {
        throw new UsageError(`--policy-config '${opts.policyConfig}': ${(e as Error).message}`);
      }

      const { auditContext, reportPath } = await import("../audit/customer.js");
      const { auditFiles, defaultJobs } = await import("../audit/pool.js");
      const context = auditContext(opts.catalog, asOf, policyConfig?.config);
      if (!context.ok) throw new InputError(context.problems);
      const { ctx } = context;

      const progress = progressReporter(files.length);
      const audits = await auditFiles(
        files,
        {
          jobs: jobs ?? defaultJobs(files.length),
          catalogDir: opts.catalog,
          asOf,
          ...(policyConfig ? { policyConfig: policyConfig.config } : {}),
          onProgress: progress.update,
        },
        () => ctx,
      );
      progress.end();

      const { collectEvidence } = await import("../audit/evidence.js");
      const { buildReport } = await import("../audit/report.js");
      const { auditPassed } = await import("../audit/model.js");
      const { PACK_NAME, packArgs, policies } = await import("../../policies/pack.js");
      const { packVersion } = await import("../policyResults.js");
      const evidence = collectEvidence({
        pack: { name: PACK_NAME, version: packVersion() },
        reference: ctx.reference,
        ...(ctx.catalog !== ctx.reference ? { rendered: { dir: resolve(opts.catalog!), catalog: ctx.catalog } } : {}),
        ...(policyConfig ? { policyConfig: { path: reportPath(resolve(opts.policyConfig!)), sha256: policyConfig.sha256, config: policyConfig.config } } : {}),
        asOf,
        generatedAt: new Date(),
      });
      const report = buildReport(
        evidence,
        policies.map((p) => ({
          name: p.name,
          description: p.description,
          enforcementLevel: (levels.get(p.name) ?? p.enforcementLevel ?? packArgs.enforcementLevel ?? "advisory") as EnforcementLevel,
          ...(p.severity ? { severity: p.severity } : {}),
          ...(p.remediationSteps ? { remediation: p.remediationSteps } : {}),
        })),
        audits,
      );

      const render = await renderers();
      if (opts.out === undefined) {
        process.stdout.write(render[chosen[0]!](report));
      } else {
        mkdirSync(opts.out, { recursive: true });
        for (const f of chosen) {
          const file = join(opts.out, `audit.${f}`);
          writeFileSync(file, render[f](report));
          process.stderr.write(`audit: wrote ${file}\n`);
        }
      }
      const s = report.summary;
      process.stderr.write(
        `audit: ${s.customers} ${s.customers === 1 ? "customer" : "customers"}, ${s.passed} passed, ${s.failed} failed` +
          `${s.invalid ? `, ${s.invalid} invalid` : ""}${s.errors ? `, ${s.errors} not audited` : ""}\n`,
      );
      process.exitCode = auditPassed(report) ? 0 : 1;
    });
}

async function renderers(): Promise<Record<Format, (r: import("../audit/model").AuditReport) => string>> {
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

/** Customer files in `dir` (every `*.yaml` but Pulumi's stack settings and the fleet settings), or the ones named. */
function customerFilesIn(dir: string, named: string[]): string[] {
  if (named.length === 0) {
    const files = readdirSync(dir)
      .filter(isCustomerFileName)
      .sort()
      .map((f) => join(dir, f));
    if (files.length === 0) throw new UsageError(`no customer files in ${dir}`);
    return files;
  }
  const files = named.map((n) => {
    if (/[\\/]|\.ya?ml$/.test(n)) {
      if (!existsSync(n)) throw new UsageError(`no such customer file '${n}'`);
      return n;
    }
    const file = join(dir, `${n}.yaml`);
    if (!existsSync(file)) throw new UsageError(`unknown customer '${n}': no ${join(dir, `${n}.yaml`)}`);
    return file;
  });
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
