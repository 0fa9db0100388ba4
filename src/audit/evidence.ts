/**
 * What an auditor needs to trust a report: which tool, pack, catalogue and commit produced it,
 * for which instant, and when.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Catalog } from "../catalog/entry.js";
import { catalogDir, projectRoot } from "../facts/paths.js";
import { reportPath } from "./customer.js";
import type { Evidence } from "./model.js";

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { name: string; version: string };

/** HEAD and whether the working tree differs from it; "unknown" outside a git checkout or without git. */
export function gitState(dir = projectRoot()): Evidence["git"] {
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 });
  let commit: string;
  try {
    commit = git("rev-parse", "--verify", "HEAD").trim();
  } catch {
    return { commit: "unknown", dirty: "unknown" };
  }
  try {
    // Untracked files count: a new catalogue entry or customer file changes what is deployed.
    return { commit, dirty: git("status", "--porcelain").trim() !== "" };
  } catch {
    return { commit, dirty: "unknown" };
  }
}

export interface EvidenceInput {
  pack: { name: string; version: string };
  reference: Catalog;
  /** The catalogue alerts were rendered from, when it is not the reference. */
  rendered?: { dir: string; catalog: Catalog };
  policyConfig?: Evidence["policyConfig"];
  /** See AuditContext.asOf. */
  asOf: string;
  generatedAt: Date;
}

export function collectEvidence(input: EvidenceInput): Evidence {
  const root = projectRoot();
  const tool = readJson(join(root, "package.json"));
  const packPackage = readJson(join(root, "policies", "package.json"));
  return {
    tool: { name: tool.name, version: tool.version },
    pack: { name: input.pack.name, version: input.pack.version, package: packPackage.name },
    catalog: { path: reportPath(catalogDir()), digest: input.reference.digest, entries: input.reference.entries.size },
    ...(input.rendered
      ? {
          renderedFrom: {
            path: reportPath(input.rendered.dir),
            digest: input.rendered.catalog.digest,
            entries: input.rendered.catalog.entries.size,
          },
        }
      : {}),
    git: gitState(root),
    ...(input.policyConfig ? { policyConfig: input.policyConfig } : {}),
    // An offset-less as-of is one wall-clock time, local to each customer; say so beside it.
    asOf: hasOffset(input.asOf) ? new Date(input.asOf).toISOString() : `${input.asOf} (local to each customer)`,
    generatedAt: input.generatedAt.toISOString(),
    node: process.version,
  };
}

const hasOffset = (iso: string) => /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(iso) && iso.includes("T");
