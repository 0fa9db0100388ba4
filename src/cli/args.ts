import { readAsOf } from "../asOf";
import { InputError } from "../problems";
import type { CustomerSpec } from "../spec/schema";
import type { Catalog } from "../catalog/entry";
import { resolveCustomer } from "./customers";
import { UsageError } from "./exit";

/** `--at`, read like every as-of (see src/asOf.ts). Default: now. */
export function parseAsOf(at: string | undefined, zone: string, now = new Date()): Date {
  if (at === undefined) return now;
  const asOf = readAsOf(at, zone);
  if (typeof asOf === "string") throw new UsageError(`--at ${asOf}`);
  return asOf;
}

/**
 * `--at` for commands over many customers: checked now, kept as written, and read per customer
 * (`readAsOf`), because without an offset it is local to each customer, as in preview and roster.
 * Default: now, as an instant.
 */
export function readAtOption(at: string | undefined, now = new Date()): string {
  if (at === undefined) return now.toISOString();
  const instant = parseAsOf(at, "UTC");
  // With an offset it names one instant whatever the zone: written the same way as the default.
  return instant.getTime() === parseAsOf(at, "Pacific/Kiritimati").getTime() ? instant.toISOString() : at;
}

/** Loads a customer by id (`stacks/<id>.yaml`) or path: exit 2 if unknown, 1 if invalid. */
export async function loadCustomerOrExit(idOrPath: string): Promise<{ spec: CustomerSpec; catalog: Catalog; file: string }> {
  const file = resolveCustomer(idOrPath);
  // Loaded here, so that a command's --help doesn't pay for zod, yaml and ajv.
  const { readCatalog } = await import("../catalog/load.js");
  const { loadCustomerFile } = await import("../spec/load.js");
  const catalog = readCatalog();
  if (!catalog.ok) throw new InputError(catalog.problems);
  const loaded = loadCustomerFile(file, catalog.catalog);
  if (!loaded.ok) throw new InputError(loaded.problems);
  return { spec: loaded.spec, catalog: catalog.catalog, file: loaded.file };
}
