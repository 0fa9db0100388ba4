import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { readAtOption } from "../facts/asOf.js";
import { projectRoot } from "../facts/paths.js";
import { UsageError } from "../facts/problems.js";
import { listCustomers, resolveCustomer } from "../customer/resolve.js";
import { checkOutFile, emitResult } from "./outFile.js";

const formats = ["text", "json", "sarif", "md"] as const;
type Format = (typeof formats)[number];

interface VerifyOptions {
  all?: boolean;
  json?: boolean;
  format?: string;
  at?: string;
  out?: string;
  summary?: string;
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description(
      "ask Datadog, PagerDuty and Azure whether each alert of a deployed customer can fire and reach a person " +
        "(exit 1 when a check fails, 2 on a usage problem or missing credentials)",
    )
    .argument("[customers...]", "customer ids or customer files")
    .option("--all", "every customer file in stacks/")
    .option("--json", "the JSON report (the same as --format json)")
    .option("--format <format>", `${formats.join(", ")} (default: text)`)
    .option("--at <iso>", "the instant to check at, also the plan's as-of; without an offset, local to each customer (default: now)")
    .option("--out <file>", "write the report to this file; stdout gets one summary line")
    .option("--summary <file>", "also append a Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)")
    .addHelpText(
      "after",
      "\nCredentials, as the providers read them: DATADOG_API_KEY, DATADOG_APP_KEY, PAGERDUTY_TOKEN, ARM_CLIENT_ID,\n" +
        "ARM_CLIENT_SECRET, ARM_TENANT_ID. Sites: DATADOG_HOST (unset: US1), PAGERDUTY_SERVICE_REGION=eu or\n" +
        "PAGERDUTY_API_URL_OVERRIDE, ARM_ENDPOINT (unset: https://management.azure.com), AZURE_AUTHORITY_HOST.\n",
    )
    .action(async (customers: string[], opts: VerifyOptions) => {
      // Every usage problem before any call: arguments, flags, then the credentials.
      if (opts.all && customers.length > 0) throw new UsageError("name customers or --all, not both");
      if (!opts.all && customers.length === 0) throw new UsageError("name a customer (or several), or --all");
      if (opts.json && opts.format !== undefined && opts.format !== "json")
        throw new UsageError(`--json and --format ${opts.format} disagree; choose one`);
      const format = (opts.json ? "json" : (opts.format ?? "text")) as Format;
      if (!formats.includes(format)) throw new UsageError(`--format '${opts.format}': one of ${formats.join(", ")}`);
      const atOption = opts.at === undefined ? undefined : readAtOption(opts.at);
      checkOutFile("--out", opts.out);
      checkOutFile("--summary", opts.summary);
      const files = opts.all ? listCustomers() : customers.map((c) => resolveCustomer(c));
      const { readCredentials } = await import("../verify/credentials.js");
      const credentials = readCredentials(process.env);

      const { liveServices } = await import("../verify/services.js");
      const { verifyCustomers } = await import("../verify/run.js");
      const report = await verifyCustomers(files, atOption, liveServices(credentials));
      const { failedChecks } = await import("../verify/model.js");
      const { verifyJson, verifyMarkdown, verifySarif, verifyText } = await import("../verify/report.js");
      const version = (JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { version: string }).version;
      const text =
        format === "json"
          ? verifyJson(report)
          : format === "sarif"
            ? verifySarif(report, { name: "pico-monitoring", version })
            : format === "md"
              ? verifyMarkdown(report)
              : verifyText(report);
      const failed = failedChecks(report).length;
      if (opts.summary !== undefined) appendFileSync(opts.summary, verifyMarkdown(report));
      const checks = report.customers.reduce((n, c) => n + c.checks.length, 0);
      emitResult(opts.out, text, `verify: ${report.customers.length} customers, ${checks} checks, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });
}
