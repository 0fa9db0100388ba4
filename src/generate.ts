/**
 * Generated, committed files: the customer JSON Schema (for editors), the catalogue README, the
 * catalogue's version lock, the holiday tables date-holidays would compute (holidayTables.ts), and
 * the output properties the installed provider SDKs declare (providerOutputs.ts), and the golden stacks
 * the policy tests start from (test/golden/). `npm run generate` rewrites them; tests fail when they are stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { customerFilesIn } from "./customer/customerFiles.js";
import { join, dirname } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { holidayTablesFile, holidayTablesText } from "./facts/holidayTables.js";
import type { Catalog, CatalogEntry } from "./catalog/entry.js";
import { loadCatalog } from "./catalog/load.js";
import { queryMetric } from "./catalog/render.js";
import { appendToVersionLock, readVersionLock, versionLockPath, versionLockText } from "./catalog/versionLock.js";
import Holidays from "date-holidays";
import { defaultCountry, maxAlerts, roles, roleTitles } from "./facts/extended.js";
import { catalogDir, projectRoot, stacksDir } from "./facts/paths.js";
import { InputError } from "./facts/problems.js";
import { customerSpecSchema } from "./customer/schema.js";
import { providerOutputsFile, type OutputKind } from "./facts/providerOutputs.js";
import { providerCredentialsFile, providerSdks } from "./facts/providerCredentials.js";
import { sdkDeclarations } from "./facts/providerCheck.js";
import { goldenAsOf, goldenDir, goldenStackFile, goldenStacks } from "./offline/goldenStacks.js";

type JsonSchema = Record<string, unknown>;

/** The node at `path` (property names; `[]` steps into `items`); throws if the schema's shape moved, so nothing is skipped silently. */
function at(schema: JsonSchema, ...path: string[]): JsonSchema {
  let node = schema;
  for (const seg of path) {
    const next = seg === "[]" ? node.items : (node.properties as Record<string, JsonSchema> | undefined)?.[seg];
    if (!next || typeof next !== "object") throw new Error(`customer schema: no ${path.join(".")} (at ${seg})`);
    node = next as JsonSchema;
  }
  return node;
}

/**
 * What the loader checks in code, stated to editors as far as JSON Schema can. zod's refinements
 * don't reach `z.toJSONSchema`, so they are added here from the same sources the loader reads.
 * Time zones get a pattern, not an enum: the list is the ICU data of whichever Node runs
 * `npm run generate`, and the committed file must not depend on that.
 */
function strictCustomerSchema(schema: JsonSchema, catalog: Catalog): JsonSchema {
  Object.assign(at(schema, "alerts"), { maxItems: maxAlerts });
  Object.assign(at(schema, "alerts", "[]", "use"), { enum: [...catalog.entries.keys()].sort() });
  for (const role of roles) Object.assign(at(schema, "roster", role), { uniqueItems: true });
  Object.assign(at(schema, "holidays", "summerWeeks"), { uniqueItems: true });
  for (const list of ["extraDays", "skipDays"]) {
    Object.assign(at(schema, "holidays", list), { uniqueItems: true });
    Object.assign(at(schema, "holidays", list, "[]"), { format: "date" });
  }
  // Each entry's tunables, by name and within bounds, chosen by the alert's `use`.
  Object.assign(at(schema, "alerts", "[]"), {
    allOf: [...catalog.entries.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((entry) => ({
        if: { properties: { use: { const: entry.id } }, required: ["use"] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
        then: {
          properties: {
            tunables: {
              type: "object",
              additionalProperties: false,
              properties: Object.fromEntries(
                Object.entries(entry.tunables).map(([name, t]) => [
                  name,
                  {
                    type: t.integer ? "integer" : "number",
                    minimum: t.min,
                    maximum: t.max,
                    default: t.default,
                    description: `${t.description}${t.unit ? ` (${t.unit})` : ""}`,
                  },
                ]),
              ),
            },
          },
        },
      })),
  });
  Object.assign(at(schema, "timezone"), { pattern: "^(UTC|[A-Z][A-Za-z_-]+(/[A-Za-z0-9_+-]+){1,2})$" });
  const country = at(schema, "country");
  delete country.pattern;
  Object.assign(country, { enum: Object.keys(new Holidays().getCountries()).sort() });
  return schema;
}

export function customerJsonSchema(catalog: Catalog = loadCatalog()): string {
  const schema = strictCustomerSchema(
    z.toJSONSchema(customerSpecSchema(), { io: "input", target: "draft-2020-12" }) as JsonSchema,
    catalog,
  );
  schema.title = "Pico Extended customer file (stacks/<customer>.yaml)";
  schema.description = `Generated from src/customer/schema.ts by \`npm run generate\`; do not edit. At most ${maxAlerts} alerts.`;
  return `${JSON.stringify(schema, null, 2)}\n`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The metric and tag keys, read from the query itself so the table can't disagree with it. */
function metricCell(e: CatalogEntry): string {
  if (e.kind !== "datadog-monitor") return "none (Azure alert)";
  // Placeholders hold braces and digits; any number stands in for them without changing the metric or tag keys.
  const q = queryMetric(e.template.query.replace(/\$\{[A-Za-z]+\}/g, "0"));
  return q ? `\`${q.metric}\` {${q.tagKeys.join(", ")}}` : "unparsed query";
}

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
    "Every entry cites where its facts come from: the Datadog page that publishes its metric and tag keys, and the",
    "AMBA rule (or vendor guidance) behind its threshold and window, with where and why the entry departs from it.",
    "",
    "| id | v | title | kind | watches | owner | tunables (default, bounds) | metric {tag keys} | threshold source |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const e of entries) {
    const tunables = Object.entries(e.tunables)
      .map(([k, t]) => `\`${k}\` ${t.default}${t.unit ? ` ${t.unit}` : ""} (${t.min}..${t.max})`)
      .join("<br>");
    lines.push(
      `| \`${e.id}\` | ${e.version} | ${cell(e.title)} | ${e.kind} | ${e.target} | ${roleTitles[e.owner]} | ${tunables || "none"} | ${metricCell(e)} | ${cell(e.sources.threshold)} |`,
    );
  }
  lines.push("", "## Entries", "");
  for (const e of entries) {
    lines.push(`### \`${e.id}\`: ${e.title}`, "", e.description, "", `- **Runbook:** ${e.runbook}`);
    if (e.kind === "datadog-monitor") lines.push(`- **Query:** \`${e.template.query}\``);
    if (e.sources.metric) lines.push(`- **Datadog metric source:** ${cell(e.sources.metric)}`);
    lines.push(`- **Threshold source:** ${cell(e.sources.threshold)}`);
    if (e.sources.departs) lines.push(`- **Departs from it:** ${cell(e.sources.departs)}`);
    for (const [k, t] of Object.entries(e.tunables)) {
      lines.push(
        `- **Tunable \`${k}\`:** ${t.description}; default ${t.default}, from ${t.min} to ${t.max}${t.unit ? ` ${t.unit}` : ""}${t.integer ? ", whole numbers" : ""}.`,
      );
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
  for (const f of customerFilesIn(stacksDir())) {
    const country = (parse(readFileSync(f, "utf8")) as { country?: unknown } | null)?.country;
    if (typeof country === "string" && /^[A-Z]{2}$/.test(country)) countries.add(country);
  }
  return [...countries].sort();
}

function kindOf(type: string): OutputKind {
  const t = type.replace(/\s*\|\s*undefined$/, "").trim();
  if (t.endsWith("[]")) return "list";
  return t === "string" || t === "number" || t === "boolean" ? t : "object";
}

/**
 * Per type token, every output property the installed SDK class declares (`readonly x:
 * pulumi.Output<T>`; the Args and State interfaces use pulumi.Input, so only the class matches) and
 * the shape of T. Throws when a class declares none: the SDK's layout moved.
 */
export function providerOutputsText(): string {
  const outputs: Record<string, Record<string, OutputKind>> = {};
  const sdks: Record<string, string> = {};
  for (const [type, file] of Object.entries(sdkDeclarations).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pkg = file.split("/").slice(0, 2).join("/");
    sdks[pkg] = (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
    const text = readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file.slice(pkg.length + 1)), "utf8");
    const found: Record<string, OutputKind> = {};
    for (const m of text.matchAll(/^ {4}readonly (\w+): pulumi\.Output<([^\n]*)$/gm)) {
      const rest = m[2]!;
      found[m[1]!] = rest.startsWith("{") ? "object" : kindOf(rest.replace(/>;\s*$/, ""));
    }
    if (Object.keys(found).length === 0) throw new Error(`${file}: no output properties found (has the SDK's layout changed?)`);
    outputs[type] = Object.fromEntries(Object.entries(found).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  const doc = {
    description: "Generated from the installed provider SDKs' .d.ts by `npm run generate`; do not edit. See src/providerOutputs.ts.",
    sdks,
    outputs,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Per provider package, the settings its SDK's Provider class marks secret: each
 * `resourceInputs["x"] = args?.x ? pulumi.secret(args.x)` in provider.js, which the class also lists
 * in `additionalSecretOutputs` when it has any. Throws when the two disagree: the SDK's layout moved.
 */
export function providerCredentialsText(): string {
  const credentials: Record<string, string[]> = {};
  const sdks: Record<string, string> = {};
  for (const [pkg, sdk] of Object.entries(providerSdks).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const dir = dirname(require.resolve(`${sdk}/package.json`));
    sdks[sdk] = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
    const text = readFileSync(join(dir, "provider.js"), "utf8");
    if (!text.includes(`__pulumiType = '${pkg}'`)) throw new Error(`${sdk}/provider.js: not the ${pkg} Provider class`);
    const secret = [...text.matchAll(/resourceInputs\["(\w+)"\] = [^;\n]*pulumi\.secret\(/g)].map((m) => m[1]!).sort();
    const listed = /additionalSecretOutputs: \[([^\]]*)\]/.exec(text)?.[1];
    const aso = listed === undefined ? [] : [...listed.matchAll(/"(\w+)"/g)].map((m) => m[1]!).sort();
    if (listed !== undefined && aso.join() !== secret.join()) {
      throw new Error(`${sdk}/provider.js: secret inputs (${secret.join()}) and additionalSecretOutputs (${aso.join()}) disagree`);
    }
    credentials[pkg] = secret;
  }
  const doc = {
    description:
      "Generated from the installed provider SDKs' Provider classes (the settings they mark secret) by `npm run generate`; do not edit. See src/facts/providerCredentials.ts.",
    sdks,
    credentials,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const generatedFiles = () => ({
  [join(projectRoot(), "stacks", "customer.schema.json")]: customerJsonSchema(),
  [join(projectRoot(), "catalog", "README.md")]: catalogReadme(loadCatalog()),
  [versionLockPath(catalogDir())]: catalogVersionLock(loadCatalog()),
  [holidayTablesFile()]: holidayTablesText(tabulatedCountries()),
  [providerOutputsFile()]: providerOutputsText(),
  [providerCredentialsFile()]: providerCredentialsText(),
});

/**
 * The golden stacks (src/offline/goldenStacks.ts says which and where): each is a mock-engine run of
 * the real components, through the CLI-view model, so this is asynchronous.
 */
export async function goldenStackFiles(): Promise<Record<string, string>> {
  // Loaded on use: generating the other files needs neither the mock engine nor the Pulumi SDK.
  const { previewCustomer } = await import("./preview/customer.js");
  const { analyzerView } = await import("./offline/cliView.js");
  const { loadCustomer } = await import("./plan/loadCustomer.js");
  const files: Record<string, string> = {};
  for (const { customer, phase } of goldenStacks()) {
    const { spec, catalog } = loadCustomer(customer);
    const preview = await previewCustomer(spec, catalog, goldenAsOf, phase);
    const doc = {
      description:
        "Generated by `npm run generate` from stacks/" +
        `${customer}.yaml; do not edit. What the components register, through the CLI-view model (src/offline/cliView.ts), as the analyzer receives it.`,
      customer,
      phase,
      asOf: goldenAsOf.toISOString(),
      resources: analyzerView(preview.resources, phase),
    };
    files[goldenStackFile(customer, phase)] = `${JSON.stringify(doc, null, 2)}\n`;
  }
  return files;
}

async function main(): Promise<void> {
  let files: Record<string, string>;
  try {
    files = { ...generatedFiles(), ...(await goldenStackFiles()) };
  } catch (e) {
    // A released entry changed without a new version, or a broken lock: say where, write nothing.
    if (!(e instanceof InputError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  mkdirSync(goldenDir(), { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}

if (require.main === module) void main();
