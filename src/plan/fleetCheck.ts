/**
 * The fleet check: a customer file over Azure resources another customer's file already monitors
 * (same subscription) would double every alert and page twice per incident. Every place that judges
 * a customer runs it (validate, the loader behind preview, audit, diff's side previews, the Pulumi
 * program and the pack's re-plan), against the customer files of the stacks directory, so a file
 * that overlaps another one fails everywhere, not only in a full `validate`.
 *
 * The rule is symmetric: the file being judged is the one reported, at its resource, naming the
 * other file's line. Neither file "owns" a resource by its name's sort order, so `diff` reports the
 * overlap at the file a change adds or edits, and a full `validate` reports both files.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { customerFilesIn, customerIdOfName } from "../customer/customerFiles.js";
import type { CustomerSpec } from "../customer/schema.js";
import { buildCacheFile, keepJson, readKept } from "../facts/buildCache.js";
import { displayPath } from "../facts/paths.js";
import type { Problem } from "../facts/problems.js";
import { fieldName, readYamlFile, type Path, type YamlSource } from "../facts/yamlSource.js";
import { isRepositoryFile } from "./checkedCustomers.js";
import { resourceKey } from "./inputRules.js";

/** What one customer file claims in the fleet: its subscription's resources, each with where it is written. */
export interface Footprint {
  customer: string;
  /** Absolute, to tell a file from itself. */
  path: string;
  resources: { key: string; at: string }[];
}

/**
 * The footprint of a file as written, without the full check: another customer's file counts even
 * while it has problems of its own (it is reported for those), as long as it is YAML that names
 * resources. Read once per process per file content; a repository file's is kept in dist/.cache by
 * the digest of its bytes, so a preview of an unchanged fleet parses no YAML (./checkedCustomers.ts).
 */
const footprints = new Map<string, Footprint | null>();

export function footprintOf(file: string): Footprint | undefined {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const digest = createHash("sha256")
    .update(`footprint 1\0${path}\0${displayPath(path)}\0`)
    .update(bytes)
    .digest("hex");
  const seen = footprints.get(digest);
  if (seen !== undefined) return seen ?? undefined;
  const keep = isRepositoryFile(path) ? buildCacheFile(`fleet-footprint-${digest.slice(0, 32)}.json`) : undefined;
  const kept = keep === undefined ? undefined : readKept<{ footprint: Footprint | null }>(keep);
  const footprint = kept ? kept.footprint : (readFootprint(path) ?? null);
  if (keep !== undefined && !kept) keepJson(keep, { footprint });
  footprints.set(digest, footprint);
  return footprint ?? undefined;
}

function readFootprint(path: string): Footprint | undefined {
  const customer = customerIdOfName(path);
  if (customer === undefined) return undefined;
  const shown = displayPath(path);
  const read = readYamlFile(path, shown);
  if (!read.ok) return undefined;
  const data = read.source.data as { azure?: { subscriptionId?: unknown }; systems?: unknown };
  const subscription = data?.azure?.subscriptionId;
  if (typeof subscription !== "string" || !Array.isArray(data.systems)) return undefined;
  const resources: Footprint["resources"] = [];
  data.systems.forEach((s: unknown, i) => {
    const list = (s as { resources?: unknown } | null)?.resources;
    if (!Array.isArray(list)) return;
    list.forEach((r: unknown, j) => {
      const { type, resourceGroup, server, name } = (r ?? {}) as Record<string, unknown>;
      if (typeof type !== "string" || typeof resourceGroup !== "string" || typeof name !== "string") return;
      if (server !== undefined && typeof server !== "string") return;
      const at = read.source.locate(["systems", i, "resources", j]);
      resources.push({ key: keyOf(subscription, { type, resourceGroup, server, name }), at: `${shown}:${at.line}:${at.col}` });
    });
  });
  return { customer, path, resources };
}

const keyOf = (subscription: string, r: Parameters<typeof resourceKey>[0]) => `${subscription.toLowerCase()}/${resourceKey(r)}`;

/** The footprints of every customer file in a stacks directory but `except` (none when it doesn't exist). */
export function fleetIn(dir: string, except?: string): Footprint[] {
  let files: string[];
  try {
    files = customerFilesIn(dir);
  } catch {
    return [];
  }
  const skip = except === undefined ? undefined : resolve(except);
  return files
    .filter((f) => resolve(f) !== skip)
    .map(footprintOf)
    .filter((f): f is Footprint => f !== undefined);
}

/**
 * Where the checked customer in `file` overlaps another customer's file of `fleet`: one problem
 * per resource, at the resource, naming the other file's line. Files of the same customer id
 * (a scratch copy of its own file, say) are the same customer, not an overlap.
 */
export function overlapProblems(checked: { spec: CustomerSpec; source: YamlSource }, file: string, fleet: readonly Footprint[]): Problem[] {
  const self = resolve(file);
  const claimed = new Map<string, { customer: string; at: string }>();
  for (const other of fleet) {
    if (other.path === self || other.customer === checked.spec.customer) continue;
    for (const r of other.resources) if (!claimed.has(r.key)) claimed.set(r.key, { customer: other.customer, at: r.at });
  }
  const problems: Problem[] = [];
  if (claimed.size === 0) return problems;
  const subscription = checked.spec.azure.subscriptionId;
  checked.spec.systems.forEach((s, i) => {
    s.resources.forEach((r, j) => {
      const first = claimed.get(keyOf(subscription, r));
      if (!first) return;
      const path: Path = ["systems", i, "resources", j];
      problems.push(
        checked.source.problem(
          path,
          `${fieldName(path)}: customer '${first.customer}' already monitors this Azure resource in subscription ${subscription} (${first.at}); one customer file per solution`,
        ),
      );
    });
  });
  return problems;
}

/** A digest of what the fleet check reads in `dir`: changes when any file's claimed resources do. */
export function fleetDigest(dir: string): string {
  const hash = createHash("sha256");
  for (const f of fleetIn(dir)) hash.update(`${f.path}\0${f.customer}\0${f.resources.map((r) => `${r.key} ${r.at}`).join("\0")}\0\0`);
  return hash.digest("hex");
}
