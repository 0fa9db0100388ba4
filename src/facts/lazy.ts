/**
 * A package loaded on first use instead of at import: for modules every command's `--help`
 * imports (to describe itself) but only a running command calls.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

/** luxon, on first use (about a fifth of `--help`'s start-up otherwise). */
export const luxon = lazyRequire<typeof import("luxon")>("luxon");
