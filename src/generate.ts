/**
 * Generated, committed files: the customer JSON Schema (for editors), the catalogue README, the
 * catalogue's version lock, and the holiday tables date-holidays would compute (holidayTables.ts). `npm run generate` rewrites them; tests fail when they are stale.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { holidayTablesFile, holidayTablesText } from "./calendar/holidayTables";
import type { Catalog } from "./catalog/entry";
import { loadCatalog } from "./catalog/load";
import { appendToVersionLock, readVersionLock, versionLockPath, versionLockText } from "./catalog/versionLock";
import { defaultCountry, maxAlerts, roleTitles } from "./extended";
import { catalogDir, projectRoot, stacksDir } from "./paths";
import { InputError } from "./problems";
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
    "A released version never changes: an alert tagged `catalog-version:N` is the same alert for as long as it exists.",
    "Changing anything an entry renders (template, tunables, owner, kind, target, title or runbook) means raising its",
    "`version`; `npm run generate` then appends the new version's digest to `versions.lock.json`, and `pico-monitoring validate`",
    "reports an entry that changed without one.",
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

/**
 * The committed lock plus a digest for each id@version it lacks; never a rewritten digest. A
 * released entry that changed stops loadCatalog first, so generation can't launder the change.
 */
export function catalogVersionLock(catalog: Catalog, lockFile = versionLockPath(catalogDir())): string {
  const read = readVersionLock(lockFile);
  if (!read.ok) throw new InputError([read.problem]);
  return versionLockText(appendToVersionLock(catalog, read.lock));
}

/** Countries whose holidays are tabulated: the default and every committed customer's. */
export function tabulatedCountries(): string[] {
  const countries = new Set([defaultCountry]);
  for (const f of readdirSync(stacksDir())) {
    if (!f.endsWith(".yaml") || f.startsWith("Pulumi.")) continue;
    const country = (parse(readFileSync(join(stacksDir(), f), "utf8")) as { country?: unknown } | null)?.country;
    if (typeof country === "string" && /^[A-Z]{2}$/.test(country)) countries.add(country);
  }
  return [...countries].sort();
}

export const generatedFiles = () => ({
  [join(projectRoot(), "stacks", "customer.schema.json")]: customerJsonSchema(),
  [join(projectRoot(), "catalog", "README.md")]: catalogReadme(loadCatalog()),
  [versionLockPath(catalogDir())]: catalogVersionLock(loadCatalog()),
  [holidayTablesFile()]: holidayTablesText(tabulatedCountries()),
});

if (require.main === module) {
  let files: Record<string, string>;
  try {
    files = generatedFiles();
  } catch (e) {
    // A released entry changed without a new version, or a broken lock: say where, write nothing.
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
