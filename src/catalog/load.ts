/**
 * Loads the Best Practice catalogue from `catalog/entries/*.yaml`, checks every entry against
 * `catalog/catalog.schema.json` (ajv), then checks what a schema can't: placeholders, bounds,
 * and that each entry renders with its defaults.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, extname, join, relative } from "node:path";
import { buildCacheFile, keepJson, readKept } from "../facts/buildCache.js";
import { catalogDir, projectRoot } from "../facts/paths.js";
import { InputError, type Problem } from "../facts/problems.js";
import { parseYamlText } from "../facts/yamlSource.js";
import type { Catalog, CatalogEntry } from "./entry.js";
import { catalogSchemaValidator } from "./schemaValidator.js";
import { bindingKeys, RenderError, renderAlert } from "./render.js";
import { checkVersionLock, versionLockPath } from "./versionLock.js";

type ReadResult = { ok: true; catalog: Catalog } | { ok: false; problems: Problem[] };
let cached: ReadResult | undefined;

/** The catalogue, loaded once per process; throws InputError listing every problem. */
export function loadCatalog(dir = catalogDir()): Catalog {
  const result = readCatalog(dir);
  if (!result.ok) throw new InputError(result.problems);
  return result.catalog;
}

/**
 * The catalogue or every problem with it. The repository's catalogue is read and checked once per
 * process (the CLI, the policies and the audit all ask for it); another directory on every call.
 */
export function readCatalog(dir = catalogDir()): ReadResult {
  if (dir !== catalogDir()) return readCatalogDir(dir);
  return (cached ??= readCatalogDir(dir));
}

/**
 * Checking the catalogue (YAML parse, schema, render with defaults, version lock) costs about a
 * tenth of a preview, and its outcome depends only on the bytes below: the entry files, the schema,
 * the lock and the checking code. A catalogue that passed is kept in dist/.cache under their digest;
 * a catalogue with problems is never kept, so its problems are found afresh every time.
 */
const checkingCode = ["load", "render", "versionLock", "schemaValidator", "../facts/yamlSource"];

function checkedCacheFile(dir: string, files: readonly string[], texts: readonly Buffer[]): string {
  const key = createHash("sha256");
  files.forEach((f, i) => {
    key.update(`entry ${f}\0`).update(texts[i]!).update("\0");
  });
  const lock = versionLockPath(dir);
  key
    .update("lock\0")
    .update(existsSync(lock) ? readFileSync(lock) : "none")
    .update("\0");
  key
    .update("schema\0")
    .update(readFileSync(join(projectRoot(), "catalog", "catalog.schema.json")))
    .update("\0");
  for (const m of checkingCode)
    key
      .update(`code ${m}\0`)
      .update(readFileSync(join(__dirname, `${m}${extname(__filename)}`)))
      .update("\0");
  return buildCacheFile(`catalog-checked-${key.digest("hex").slice(0, 32)}.json`);
}

/** What is kept of a catalogue that passed: its entries without `file` (relative to the working directory). */
type CheckedCatalog = { digest: string; entries: [file: string, entry: Omit<CatalogEntry, "file">][] };

function readCheckedCatalog(cacheFile: string, dir: string): Catalog | undefined {
  const kept = readKept<CheckedCatalog>(cacheFile);
  if (!kept) return undefined;
  const entries = new Map<string, CatalogEntry>();
  for (const [f, entry] of kept.entries) {
    const path = join(dir, f);
    entries.set(entry.id, { ...entry, file: relative(process.cwd(), path) || path } as CatalogEntry);
  }
  return { entries, digest: kept.digest };
}

function keepCheckedCatalog(cacheFile: string, catalog: Catalog): void {
  const kept: CheckedCatalog = {
    digest: catalog.digest,
    entries: [...catalog.entries.values()].map(({ file, ...entry }) => [basename(file), entry]),
  };
  keepJson(cacheFile, kept);
}

function readCatalogDir(dir: string): ReadResult {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const texts = files.map((f) => readFileSync(join(dir, f)));
  const cacheFile = checkedCacheFile(dir, files, texts);
  const kept = readCheckedCatalog(cacheFile, dir);
  if (kept) return { ok: true, catalog: kept };
  const result = checkCatalogDir(dir, files, texts);
  if (result.ok) keepCheckedCatalog(cacheFile, result.catalog);
  return result;
}

function checkCatalogDir(dir: string, files: readonly string[], texts: readonly Buffer[]): ReadResult {
  const validate = catalogSchemaValidator();
  const problems: Problem[] = [];
  const entries = new Map<string, CatalogEntry>();
  const hash = createHash("sha256");
  for (const [i, f] of files.entries()) {
    const path = join(dir, f);
    const display = relative(process.cwd(), path) || path;
    hash.update(f).update("\0").update(texts[i]!).update("\0");
    const read = parseYamlText(texts[i]!, display);
    if (!read.ok) {
      problems.push(...read.problems);
      continue;
    }
    const { source } = read;
    const data = source.data as Record<string, unknown>;
    const label = `catalogue entry '${typeof data.id === "string" ? data.id : basename(f, ".yaml")}'`;
    if (!validate(data)) {
      for (const err of validate.errors ?? []) {
        const path: (string | number)[] = err.instancePath
          .split("/")
          .slice(1)
          .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        const where = err.instancePath ? err.instancePath.slice(1).replace(/\//g, ".") : "entry";
        if (err.keyword === "additionalProperties") {
          const key = (err.params as { additionalProperty: string }).additionalProperty;
          problems.push(source.problem([...path, key], `${label}: ${where} has unknown field '${key}'`, "key"));
        } else {
          const allowed = err.keyword === "enum" ? `: ${(err.params as { allowedValues: unknown[] }).allowedValues.join(", ")}` : "";
          problems.push(source.problem(path, `${label}: ${where} ${err.message}${allowed}`));
        }
      }
      continue;
    }
    const before = problems.length;
    const entry = { tunables: {}, ...data, file: display } as CatalogEntry;
    if (entry.id !== basename(f, ".yaml")) {
      problems.push(source.problem(["id"], `${label}: id must equal the file name '${basename(f, ".yaml")}'`));
    }
    if (entries.has(entry.id)) problems.push(source.problem(["id"], `${label}: id is used by another entry`));
    for (const [name, t] of Object.entries(entry.tunables)) {
      if (t.min > t.max || t.default < t.min || t.default > t.max) {
        problems.push(source.problem(["tunables", name], `${label}: tunable '${name}' default ${t.default} is outside ${t.min}..${t.max}`));
      }
      if (bindingKeys[entry.target].includes(name) || name === "customer" || name === "target") {
        problems.push(source.problem(["tunables", name], `${label}: tunable '${name}' clashes with a binding of the same name`));
      }
    }
    const used = new Set<string>();
    for (const [, k] of JSON.stringify(entry.template).matchAll(/\$\{([A-Za-z]+)\}/g)) used.add(k!);
    const known = new Set(["customer", "target", ...bindingKeys[entry.target], ...Object.keys(entry.tunables)]);
    for (const k of used) {
      if (!known.has(k)) problems.push(source.problem(["template"], `${label}: template uses unknown placeholder \${${k}}`));
    }
    for (const k of Object.keys(entry.tunables)) {
      if (!used.has(k)) problems.push(source.problem(["tunables", k], `${label}: tunable '${k}' is never used by the template`));
    }
    if (problems.length === before) entries.set(entry.id, entry);
  }
  const catalog: Catalog = { entries, digest: `sha256:${hash.digest("hex")}` };
  // Every entry must render with its defaults; this catches a threshold that disagrees with its query.
  for (const entry of entries.values()) {
    try {
      renderAlert(catalog, sampleProvenance(entry));
    } catch (e) {
      if (!(e instanceof RenderError)) throw e;
      problems.push({ file: entry.file, line: 1, col: 1, message: `catalogue entry '${entry.id}': ${e.message}` });
    }
  }
  problems.push(...checkVersionLock(dir, catalog));
  return problems.length ? { ok: false, problems } : { ok: true, catalog };
}

/** A provenance with placeholder bindings and default tunables, for checking an entry renders. */
export function sampleProvenance(entry: CatalogEntry) {
  const samples: Record<string, string> = {
    url: "https://example.com/health",
    subscriptionId: "00000000-0000-0000-0000-000000000000",
    location: "westeurope",
    resourceGroups: "rg-sample",
  };
  const bindings = Object.fromEntries(bindingKeys[entry.target].map((k) => [k, samples[k] ?? `sample-${k.toLowerCase()}`]));
  const tunables = Object.fromEntries(Object.entries(entry.tunables).map(([k, t]) => [k, t.default]));
  return { customer: "sample", entry: entry.id, version: entry.version, role: entry.owner, target: "sample", bindings, tunables };
}
