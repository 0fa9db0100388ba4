/**
 * Customer arguments, read the same way by every command: an id (`nordlys`), a file name in the
 * stacks directory (`nordlys.yaml`), or a path. An argument that names no file is a usage error
 * that suggests the nearest customer, checked before any work starts.
 */
import { existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { ambiguousCustomers, customerFilesIn, customerIdOfName, filesForId } from "./customerFiles.js";
import { displayPath, stacksDir } from "../facts/paths.js";
import { didYouMean } from "../facts/suggest.js";
import { UsageError } from "../facts/problems.js";
import { fleetFileName } from "./fleetFile.js";

/** Every customer file in `dir`; a usage error when one id has two files. */
export function listCustomers(dir = stacksDir()): string[] {
  const files = customerFilesIn(dir);
  const [clash] = ambiguousCustomers(files);
  if (clash) throw new UsageError(`${clash[1].map(displayPath).join(" and ")} are both customer '${clash[0]}'; keep one`);
  return files;
}

/** The file a customer argument names, or a usage error that suggests the nearest customer. */
export function resolveCustomer(arg: string, dir = stacksDir()): string {
  const ids = () => listCustomers(dir).map((f) => customerIdOfName(f)!);
  const hint = (word: string) => {
    const known = ids();
    return didYouMean(word, known) || (known.length ? `; customers: ${known.join(", ")}` : "");
  };
  notACustomer(arg);
  if (/[\\/]/.test(arg) || /\.ya?ml$/.test(arg)) {
    if (existsSync(arg) && statSync(arg).isFile()) return arg;
    // `nordlys.yaml` from anywhere means the customer's file in the stacks directory.
    if (!/[\\/]/.test(arg) && existsSync(join(dir, arg))) return join(dir, arg);
    const id = customerIdOfName(basename(arg)) ?? basename(arg);
    throw new UsageError(`no such customer file '${arg}'${hint(id)}`);
  }
  const files = filesForId(dir, arg);
  if (files.length > 1) throw new UsageError(`${files.map(displayPath).join(" and ")} are both customer '${arg}'; keep one`);
  if (files.length === 0) throw new UsageError(`unknown customer '${arg}': no ${displayPath(join(dir, `${arg}.yaml`))}${hint(arg)}`);
  return files[0]!;
}

/**
 * The fleet settings (`_fleet`, `stacks/_fleet.yaml`) and Pulumi's stack settings (`Pulumi.<stack>.yaml`)
 * sit beside the customer files but are none: naming one is a usage error that says what it is,
 * never a check of it as a customer (which would report every customer key as missing).
 */
function notACustomer(arg: string): void {
  const name = basename(arg);
  const asFile = /\.ya?ml$/.test(name) ? name : `${name}.yaml`;
  if (customerIdOfName(asFile) !== undefined) return;
  if (asFile === fleetFileName || name === fleetFileName.replace(/\.yaml$/, ""))
    throw new UsageError(
      `'${arg}' is the fleet settings (stacks/${fleetFileName}), not a customer; every command reads them with each customer`,
    );
  throw new UsageError(`'${arg}' is not a customer file: files named Pulumi.* hold Pulumi's stack settings, and _* files the fleet's`);
}
