/**
 * Checked customer files, kept by digest. Checking a customer file (YAML parse, the zod schema,
 * the roster rules over two years of preparedness days) is about a fifth of a preview, and the
 * preview does it twice (the CLI, then the pack's stack planner). Its outcome depends only on what
 * the key below holds: the file's bytes and the name it is reported under, the fleet file, the
 * catalogue's digest, the current year (the roster rules check this year and the next), the
 * checking code (every file of src/{facts,customer,calendar,catalog,plan} as this process runs
 * them, by size and modification time) and the versions of Node and the packages it calls. A file that passed is kept in
 * dist/.cache, as the catalogue is (src/catalog/load.ts); a file with problems never is, so its
 * problems are found afresh every time.
 *
 * Only the repository's own files are kept (stacks/, test fixtures), so that scratch directories
 * (generated fleets, test copies) don't fill the cache; the audit keeps its own results (--cache).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import type { Catalog } from "../catalog/entry.js";
import type { CustomerSpec } from "../customer/schema.js";
import { fleetFile } from "../customer/fleetFile.js";
import { buildCacheFile, keepJson, readKept } from "../facts/buildCache.js";
import { projectRoot } from "../facts/paths.js";
import type { Problem } from "../facts/problems.js";
import { readYamlFile, type YamlSource } from "../facts/yamlSource.js";

type Checked = { ok: true; spec: CustomerSpec; file: string; source: YamlSource; warnings: Problem[] };
type Outcome = Checked | { ok: false; problems: Problem[] };

/** What is kept of a file that passed: the full key, and the result without its parsed source. */
interface KeptCustomer {
  key: string;
  spec: CustomerSpec;
  warnings: Problem[];
}

/** The layers whose code decides a customer file's outcome (see test/layers.test.ts). */
const checkingLayers = ["facts", "customer", "calendar", "catalog", "plan"];
const packagesCalled = ["zod", "yaml", "luxon", "date-holidays"];

let codeDigest: string | undefined;

/** The checking code as this process runs it (dist/src/**.js built, src/**.ts under the tests). */
function checkingCodeDigest(): string {
  if (codeDigest) return codeDigest;
  const hash = createHash("sha256").update(`${process.version} ${JSON.stringify(process.versions)}\0`);
  const src = dirname(__dirname);
  for (const layer of checkingLayers) {
    for (const f of readdirSync(join(src, layer)).sort()) {
      const path = join(src, layer, f);
      if (f.endsWith(".map") || f.endsWith(".d.ts")) continue;
      // Size and modification time, as make does: reading every file would cost a fortieth of a preview.
      const st = statSync(path);
      if (st.isFile()) hash.update(`${layer}/${f} ${st.size} ${st.mtimeMs}\0`);
    }
  }
  // The generated tables the checks read (holidayTables.ts) live in src/ also when dist/ runs.
  for (const f of readdirSync(join(projectRoot(), "src", "facts"))
    .filter((f) => f.endsWith(".json"))
    .sort())
    hash
      .update(`tables ${f}\0`)
      .update(readFileSync(join(projectRoot(), "src", "facts", f)))
      .update("\0");
  for (const p of packagesCalled) {
    hash
      .update(`package ${p}\0`)
      .update(readFileSync(require.resolve(`${p}/package.json`)))
      .update("\0");
  }
  codeDigest = hash.digest("hex");
  return codeDigest;
}

/** Whether a file is one of the repository's own (not a scratch copy, an install or the build). */
export function isRepositoryFile(file: string): boolean {
  const rel = relative(projectRoot(), file);
  if (!rel || rel.startsWith("..") || rel.startsWith(sep)) return false;
  const top = rel.split(sep)[0];
  return top !== "node_modules" && top !== "dist";
}

/** Where a file's kept outcome lives: one cache file per file, name and checking code. */
export function checkedCustomerCacheFile(file: string, display: string): string {
  const name = createHash("sha256").update(`${resolve(file)}\0${display}\0${extname(__filename)}\0${checkingCodeDigest()}`);
  return buildCacheFile(`customer-checked-${name.digest("hex").slice(0, 32)}.json`);
}

function outcomeKey(file: string, display: string, catalog: Catalog): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined; // the check reports it
  }
  const fleet = fleetFile();
  const key = createHash("sha256")
    .update(`file ${resolve(file)}\0${display}\0`)
    .update(bytes)
    .update(`\0fleet ${fleet}\0`)
    .update(existsSync(fleet) ? readFileSync(fleet) : "none")
    .update(`\0catalogue ${catalog.digest}\0year ${new Date().getUTCFullYear()}\0code ${checkingCodeDigest()}`);
  return key.digest("hex");
}

/** The parsed source of a kept file, parsed only when asked for (the audit and `validate` read positions). */
function lazySource(file: string, display: string): () => YamlSource {
  let source: YamlSource | undefined;
  return () => {
    if (source) return source;
    const read = readYamlFile(file, display);
    if (!read.ok) throw new Error(`${display} changed while it was read: ${read.problems[0]?.message}`);
    source = read.source;
    return source;
  };
}

/** A checked result with `source` read on first use. */
export function withLazySource<T extends object>(result: T, source: () => YamlSource): T & { source: YamlSource } {
  return Object.defineProperty(result, "source", { get: source, enumerable: true, configurable: true }) as T & { source: YamlSource };
}

/**
 * `check(file, catalog)`'s outcome, read from the cache when everything it depends on is unchanged.
 * A hit has the same spec, file and warnings, and the same source (parsed on first use).
 */
export function checkedCustomer<R extends Outcome>(
  file: string,
  display: string,
  catalog: Catalog,
  check: (file: string, catalog: Catalog) => R,
): R {
  if (!isRepositoryFile(resolve(file))) return check(file, catalog);
  const key = outcomeKey(file, display, catalog);
  if (key === undefined) return check(file, catalog);
  const cacheFile = checkedCustomerCacheFile(file, display);
  const kept = readKept<KeptCustomer>(cacheFile);
  if (kept?.key === key) {
    return withLazySource({ ok: true, spec: kept.spec, file: display, warnings: kept.warnings }, lazySource(file, display)) as R;
  }
  const result = check(file, catalog);
  if (result.ok && result.file === display)
    keepJson(cacheFile, { key, spec: result.spec, warnings: result.warnings } satisfies KeptCustomer);
  return result;
}
