/**
 * Loading a customer with the catalogue: the one place that turns a customer argument (an id such
 * as `nordlys`, a file name in stacks/, or a path) into a validated spec and the catalogue it was
 * validated against. The Pulumi program, every CLI command, diff's side previews and the tests call
 * this; only the audit, which reports an invalid file instead of stopping, reads the result itself
 * (`loadCustomerFile`). Commands import this module on use, so `--help` does not load zod, yaml and ajv.
 */
import type { Catalog } from "../catalog/entry.js";
import { readCatalog } from "../catalog/load.js";
import { resolveCustomer } from "../customer/resolve.js";
import { InputError } from "../facts/problems.js";
import { loadCustomerFile, type LoadResult } from "./load.js";

export type LoadedCustomer = Extract<LoadResult, { ok: true }> & { catalog: Catalog };

/**
 * The customer `idOrPath` names, validated against `catalog` (default: the repository's).
 * Throws UsageError when it names no customer file (exit 2), InputError when the file or the
 * catalogue is invalid (exit 1).
 */
export function loadCustomer(idOrPath: string, catalog?: Catalog): LoadedCustomer {
  const file = resolveCustomer(idOrPath);
  let using = catalog;
  if (using === undefined) {
    const read = readCatalog();
    if (!read.ok) throw new InputError(read.problems);
    using = read.catalog;
  }
  const loaded = loadCustomerFile(file, using);
  if (!loaded.ok) throw new InputError(loaded.problems);
  // Not a spread: a kept customer's `source` is parsed only when read (./checkedCustomers.ts).
  return Object.assign(loaded, { catalog: using });
}
