/**
 * Generated, committed files: the customer JSON Schema (for editors) and the catalogue README.
 * `npm run generate` rewrites them; tests fail when they are stale.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Catalog } from "./catalog/entry";
import { loadCatalog } from "./catalog/load";
import { maxAlerts, roleTitles } from "./extended";
import { projectRoot } from "./paths";
import { customerSpecSchema } from "./spec/schema";

export function customerJsonSchema(): string {
  const schema = z.toJSONSchema(customerSpecSchema, { io: "input", target: "draft-2020-12" }) as Record<string, unknown>;
  schema.title = "Pico Extended customer file (stacks/<customer>.yaml)";
  schema.description = `Generated from src/spec/schema.ts by \`npm run generate\`; do not edit. At most ${maxAlerts} alerts.`;
  return `${JSON.stringify(schema, null, 2)}\n`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function catalogReadme(catalog: Catalog): string {
  const entries = [...catalog.entries.values()];
  const lines = [
    "# Best Practice catalogue",
    "",
    "<!-- Generated from catalog/entries/*.yaml by `npm run generate`; do not edit. -->",
    "",
    `The standard alerts of Pico's Extended package. A customer file chooses at most ${maxAlerts} of them with`,
    "`alerts: [{ use: <id>, on: <target id>, tunables: {...} }]`; only the tunables listed here may vary.",
    "Each entry is one YAML file in `entries/`, checked against `catalog.schema.json`.",
    "",
    `Catalogue digest: \`${catalog.digest}\``,
    "",
    "| id | v | title | kind | watches | owner | tunables (default, bounds) | threshold source |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const e of entries) {
    const tunables = Object.entries(e.tunables)
      .map(([k, t]) => `\`${k}\` ${t.default}${t.unit ? ` ${t.unit}` : ""} (${t.min}..${t.max})`)
      .join("<br>");
    lines.push(
      `| \`${e.id}\` | ${e.version} | ${cell(e.title)} | ${e.kind} | ${e.target} | ${roleTitles[e.owner]} | ${tunables || "none"} | ${cell(e.source)} |`,
    );
  }
  lines.push("", "## Entries", "");
  for (const e of entries) {
    lines.push(`### \`${e.id}\`: ${e.title}`, "", e.description, "", `- **Runbook:** ${e.runbook}`);
    if (e.kind === "datadog-monitor") lines.push(`- **Query:** \`${e.template.query}\``);
    for (const [k, t] of Object.entries(e.tunables)) {
      lines.push(`- **Tunable \`${k}\`:** ${t.description}; default ${t.default}, from ${t.min} to ${t.max}${t.unit ? ` ${t.unit}` : ""}${t.integer ? ", whole numbers" : ""}.`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

export const generatedFiles = () => ({
  [join(projectRoot(), "stacks", "customer.schema.json")]: customerJsonSchema(),
  [join(projectRoot(), "catalog", "README.md")]: catalogReadme(loadCatalog()),
});

if (require.main === module) {
  for (const [file, text] of Object.entries(generatedFiles())) {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
