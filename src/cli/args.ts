import { readCatalog } from "../catalog/load";
import { InputError } from "../problems";
import { customerFile, loadCustomerFile } from "../spec/load";
import type { CustomerSpec } from "../spec/schema";
import type { Catalog } from "../catalog/entry";
import { UsageError } from "./exit";

/** `--at <ISO date-time>`; an instant without an offset is read as UTC. Default: now. */
export function parseAsOf(at: string | undefined, now = new Date()): Date {
  if (at === undefined) return now;
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(at)) {
    throw new UsageError(`--at '${at}' is not an ISO date-time such as 2027-03-22T09:00:00+01:00`);
  }
  const d = new Date(/[T ]\d{2}:\d{2}/.test(at) && !/(Z|[+-]\d{2}:?\d{2})$/.test(at) ? `${at}Z` : at);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--at '${at}' is not a real date-time`);
  return d;
}

/** Loads a customer by id (`stacks/<id>.yaml`) or path: exit 2 if unknown, 1 if invalid. */
export function loadCustomerOrExit(idOrPath: string): { spec: CustomerSpec; catalog: Catalog; file: string } {
  const file = customerFile(idOrPath);
  if (!file) throw new UsageError(`unknown customer '${idOrPath}': no stacks/${idOrPath}.yaml`);
  const catalog = readCatalog();
  if (!catalog.ok) throw new InputError(catalog.problems);
  const loaded = loadCustomerFile(file, catalog.catalog);
  if (!loaded.ok) throw new InputError(loaded.problems);
  return { spec: loaded.spec, catalog: catalog.catalog, file: loaded.file };
}
