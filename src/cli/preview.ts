import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { parseAsOf } from "../facts/asOf.js";
import { projectRoot } from "../facts/paths.js";
import { refuseIfStaleBuild } from "../facts/staleBuild.js";
import { checkOutFile, emitResult } from "./outFile.js";

export function registerPreview(program: Command): void {
  program
    .command("preview")
    .description("show what `pulumi up` would create for a customer, offline (Pulumi mock engine)")
    .argument("<customer>", "customer id (stacks/<customer>.yaml) or path to a customer file")
    .option("--json", "one JSON document on stdout")
    .option("--at <iso>", "as-of instant for the roster layers; without an offset, local to the customer (default: now)")
    .option("--out <file>", "write the preview (table or JSON) to this file; stdout gets one summary line")
    .option("--update", "judge what `pulumi up` of an existing stack hands the policy pack (ids and keys known), not a first preview")
    .action(async (customer: string, opts: { json?: boolean; at?: string; update?: boolean; out?: string }) => {
      checkOutFile("--out", opts.out);
      // As diff does: a preview of code that isn't the working tree's would mislead.
      refuseIfStaleBuild(projectRoot());
      const { loadCustomer } = await import("../plan/loadCustomer.js");
      const { spec, catalog, file } = loadCustomer(customer);
      const asOf = parseAsOf(opts.at, spec.timezone);
      const { judgeCustomer } = await import("../preview/customer.js");
      const { formatPolicySummary, formatPreviewTable, mandatoryFailures, previewJson } = await import("../preview/render.js");
      const { preview, report: policies } = await judgeCustomer(spec, catalog, asOf, {
        phase: opts.update ? "update" : "first-preview",
        stacksDir: dirname(resolve(file)),
        file,
      });
      const text = opts.json
        ? previewJson({ ...preview, policies })
        : `${spec.name} (${spec.customer}), as of ${asOf.toISOString()}\n\n` +
          formatPreviewTable(preview.resources, {
            maxAlerts: preview.summary.maxAlerts,
            alertCount: preview.summary.alerts,
            // A terminal's own width; 80 in pipes, CI logs and files.
            ...(opts.out === undefined && process.stdout.isTTY && process.stdout.columns ? { width: process.stdout.columns } : {}),
          }) +
          formatPolicySummary(policies) +
          (await maintenanceSection(spec, catalog, asOf));
      const failing = mandatoryFailures(policies).length;
      emitResult(
        opts.out,
        text,
        `preview ${spec.customer}: ${preview.summary.alerts} of ${preview.summary.maxAlerts} alerts, ${failing ? `${failing} mandatory policies failing` : "every mandatory policy passes"}`,
      );
      // The preview is still written: it shows what the failing policy is about.
      if (mandatoryFailures(policies).length > 0) process.exitCode = 1;
    });
}

/** The approved maintenance windows the stack holds, for under the policy summary (nothing when the file has none). */
async function maintenanceSection(
  spec: import("../customer/schema.js").CustomerSpec,
  catalog: import("../catalog/entry.js").Catalog,
  asOf: Date,
): Promise<string> {
  if (spec.maintenance.length === 0) return "";
  const { placedWindows, windowsAhead } = await import("../plan/maintenance.js");
  const { windowEffect } = await import("../plan/maintenanceReport.js");
  const { planCustomer } = await import("../plan/plan.js");
  const { previewMaintenanceText } = await import("./maintenanceText.js");
  const { alerts } = planCustomer(spec, catalog, asOf);
  const ahead = windowsAhead(spec, asOf);
  const effects = ahead.map((p) => windowEffect(spec, alerts, p));
  return previewMaintenanceText(spec, effects, placedWindows(spec).length - ahead.length, asOf);
}
