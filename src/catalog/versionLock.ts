/**
 * A released catalogue version is immutable: `catalog-version:1` in an alert's tags must mean the
 * same alert to an auditor next year as it does today. `catalog/versions.lock.json` records, per
 * `<id>@<version>`, a digest of everything in the entry that reaches a rendered resource. Changing
 * any of it means raising the entry's version; `npm run generate` then appends the new digest.
 * The lock is append-only: a digest, once written, is never rewritten, and versions the catalogue
 * has moved past stay in it as evidence.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Problem } from "../facts/problems.js";
import { readYamlFile } from "../facts/yamlSource.js";
import type { Catalog, CatalogEntry } from "./entry.js";

export type VersionLock = Record<string, string>;

export const lockKey = (entry: Pick<CatalogEntry, "id" | "version">) => `${entry.id}@${entry.version}`;

/** The lock that belongs to a catalogue's entries directory: `catalog/entries` → `catalog/versions.lock.json`. */
export const versionLockPath = (entriesDir: string) => join(dirname(entriesDir), "versions.lock.json");

/** JSON with object keys sorted at every level, so that key order in YAML never changes a digest. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * sha256 over what a rendered resource or a customer's choice depends on: the template, the tunables
 * and their bounds, owner (whom it pages), kind, target, title (names and descriptions) and runbook
 * (it is in every message). `description` and `source` only document the entry, so rewording them
 * needs no new version; `id` and `version` are the lock's key.
 */
export function entryDigest(entry: CatalogEntry): string {
  const { kind, target, owner, title, runbook, tunables, template } = entry;
  const content = canonicalJson({ kind, target, owner, title, runbook, tunables, template });
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

export interface VersionLockProblem {
  entry: CatalogEntry;
  message: string;
}

/** Entries whose released version no longer has its released content. Unreleased versions are not problems. */
export function versionLockProblems(catalog: Catalog, lock: VersionLock): VersionLockProblem[] {
  const problems: VersionLockProblem[] = [];
  for (const entry of catalog.entries.values()) {
    const released = lock[lockKey(entry)];
    if (released !== undefined && released !== entryDigest(entry)) {
      problems.push({ entry, message: `catalogue entry '${entry.id}' v${entry.version} changed since it was released; raise its version` });
    }
  }
  return problems;
}

/** The lock with a digest added for every id@version it lacks; existing digests are kept as they are. */
export function appendToVersionLock(catalog: Catalog, lock: VersionLock): VersionLock {
  const next: VersionLock = { ...lock };
  for (const entry of catalog.entries.values()) {
    const key = lockKey(entry);
    if (!Object.hasOwn(next, key)) next[key] = entryDigest(entry);
  }
  return next;
}

/** The lock file's text: keys in natural order (`x@2` before `x@10`), one per line. */
export function versionLockText(lock: VersionLock): string {
  const keys = Object.keys(lock).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return `${JSON.stringify(Object.fromEntries(keys.map((k) => [k, lock[k]])), null, 2)}\n`;
}

const isLock = (v: unknown): v is VersionLock =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((d) => typeof d === "string");

/** The lock at `file`; `{}` when there is none (nothing released yet, or a catalogue copied without it). */
export function readVersionLock(file: string): { ok: true; lock: VersionLock } | { ok: false; problem: Problem } {
  if (!existsSync(file)) return { ok: true, lock: {} };
  const display = relative(process.cwd(), file) || file;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    data = undefined;
  }
  if (!isLock(data)) {
    return {
      ok: false,
      problem: {
        file: display,
        line: 1,
        col: 1,
        message: 'not a version lock: expected a JSON object of "<id>@<version>": "sha256:<hex>"',
      },
    };
  }
  return { ok: true, lock: data };
}

/** readCatalog's check: each changed entry, reported at its `version:` line (the line to change). */
export function checkVersionLock(entriesDir: string, catalog: Catalog): Problem[] {
  const read = readVersionLock(versionLockPath(entriesDir));
  if (!read.ok) return [read.problem];
  return versionLockProblems(catalog, read.lock).map(({ entry, message }) => {
    // Only read again when something is wrong; the id equals the file name by then.
    const source = readYamlFile(join(entriesDir, `${entry.id}.yaml`), entry.file);
    return source.ok ? source.source.problem(["version"], message) : { file: entry.file, line: 1, col: 1, message };
  });
}

/**
 * Entries whose version the lock doesn't record: not released. The pack rejects alerts of such a
 * version (policies/releasedCatalogVersions.ts) and `validate` reports them; `npm run generate`
 * releases them, in a commit that CODEOWNERS puts before the catalogue's owners.
 */
export function unreleasedEntries(catalog: Catalog, lock: VersionLock): VersionLockProblem[] {
  return [...catalog.entries.values()]
    .filter((entry) => !Object.hasOwn(lock, lockKey(entry)))
    .map((entry) => ({
      entry,
      message: `catalogue entry '${entry.id}' v${entry.version} is unreleased: catalog/versions.lock.json doesn't record it (run \`npm run generate\` to release it)`,
    }));
}

/** `validate`'s check: each unreleased entry, reported at its `version:` line. */
export function checkReleased(entriesDir: string, catalog: Catalog): Problem[] {
  const read = readVersionLock(versionLockPath(entriesDir));
  if (!read.ok) return [read.problem];
  return unreleasedEntries(catalog, read.lock).map(({ entry, message }) => {
    const source = readYamlFile(join(entriesDir, `${entry.id}.yaml`), entry.file);
    return source.ok ? source.source.problem(["version"], message) : { file: entry.file, line: 1, col: 1, message };
  });
}
