/**
 * Which files are customer files: `<customer>.yaml` or `<customer>.yml` in a stacks directory.
 * `Pulumi.*` files there are Pulumi's own stack settings, and `_*` files fleet settings
 * (`_fleet.yaml`, see fleet.ts), never customers. Every command lists and
 * resolves customers through this module, so none of them can skip a file another one reads.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/**
 * Words that can't be customer ids, because a command reads them where a customer id goes:
 * `pico-monitoring roster swap ...` is the swap subcommand, never the roster of customer `swap`.
 * The schema rejects them at `customer:` (schema.ts).
 */
export const reservedCustomerIds: readonly string[] = ["swap"];

const customerName = /^(?!Pulumi\.|_)([^/\\]+)\.ya?ml$/;

/** The customer id a file name stands for, or undefined when it is not a customer file's name. */
export function customerIdOfName(name: string): string | undefined {
  return customerName.exec(basename(name))?.[1];
}

/** Every customer file in `dir`, sorted by customer id. */
export function customerFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => customerIdOfName(f) !== undefined && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => join(dir, f));
}

/** The customer ids in `dir`, sorted: what tests and reports iterate over. */
export function customerIdsIn(dir: string): string[] {
  return [...new Set(customerFilesIn(dir).map((f) => customerIdOfName(f)!))];
}

/** Customer ids that have more than one file (`x.yaml` and `x.yml`), with those files. */
export function ambiguousCustomers(files: readonly string[]): [id: string, files: string[]][] {
  const byId = new Map<string, string[]>();
  for (const f of files) {
    const id = customerIdOfName(f)!;
    byId.set(id, [...(byId.get(id) ?? []), f]);
  }
  return [...byId].filter(([, fs]) => fs.length > 1);
}

/** The files in `dir` that could be customer `id`: `<id>.yaml` and `<id>.yml`, those that exist. */
export function filesForId(dir: string, id: string): string[] {
  return [`${id}.yaml`, `${id}.yml`].map((f) => join(dir, f)).filter((f) => existsSync(f));
}

/** Whether a file name in a stacks directory is a customer's. */
export function isCustomerFileName(name: string): boolean {
  return customerIdOfName(name) !== undefined;
}
