/**
 * dist/.cache: what one process keeps for the next (the checked catalogue and its compiled schema,
 * checked customer files, zone tables). Each kept file is named by the digest of everything it
 * depends on, so it is never stale, only unused; and it is written whole, then renamed, so a process
 * reading it at the same time never sees half of one.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { projectRoot } from "./paths.js";

/** Where a kept file named `name` lives. */
export const buildCacheFile = (name: string) => join(projectRoot(), "dist", ".cache", name);

/** Keeps `text` at `file`. An unwritable dist/ (a read-only install) only means it is worked out again next time. */
export function keepText(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, text);
    renameSync(partial, file);
  } catch {
    // Not kept: the next process computes it too.
  }
}

/** Keeps `value` as JSON, but only when JSON carries it exactly (an undefined, YAML's .inf or a class instance would come back changed). */
export function keepJson(file: string, value: unknown): void {
  const text = JSON.stringify(value);
  if (isDeepStrictEqual(JSON.parse(text), value)) keepText(file, text);
}

/** What `keepJson` kept at `file`; undefined when nothing is kept there. */
export function readKept<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}
