/**
 * Audits one customer file: validate, preview under the mock engine, run the real policies over
 * what was registered, and assess. Never throws for a bad customer: an invalid file or a failing
 * preview is a finding about that customer, and the other customers still get audited.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { Catalog } from "../catalog/entry.js";
import { readCatalog } from "../catalog/load.js";
import type { VersionLock } from "../catalog/versionLock.js";
import { repositoryReleasedVersions } from "../../policies/releasedCatalogVersions.js";
import { catalogDir, projectRoot, stacksDir } from "../facts/paths.js";
import type { PolicyConfigInput } from "../offline/policyResults.js";
import type { Problem } from "../facts/problems.js";
import { loadCustomerFile } from "../plan/load.js";
import { readAsOf } from "../facts/asOf.js";
import { assessCustomer } from "./assess.js";
import { auditedWindows } from "./maintenance.js";
import type { CustomerAudit } from "./model.js";

export interface AuditContext {
  /** What the alerts are rendered from (the repository's catalogue unless `--catalog`). */
  catalog: Catalog;
  /** What the policies judge by; titles and defaults in the report come from it. */
  reference: Catalog;
  /** `--at` as written (see readAtOption); without an offset it is local to each customer. */
  asOf: string;
  /** As `--policy-pack-config` gives it to the pack: levels and properties per policy. */
  policyConfig?: Record<string, PolicyConfigInput>;
  /** The versions the pack accepts as released: the repository's lock, read once per audit. */
  releasedVersions: VersionLock;
  /** The stacks directory audited: each customer is held against its other files (src/plan/fleetCheck.ts). */
  stacksDir: string;
}

/**
 * The catalogues an audit needs. The policies always judge by the repository's catalogue (the pack
 * is built from `reference`); `dir` only changes what the alerts are rendered from.
 */
export function auditContext(
  dir: string | undefined,
  asOf: string,
  policyConfig?: Record<string, PolicyConfigInput>,
  fleetDir = stacksDir(),
): { ok: true; ctx: AuditContext } | { ok: false; problems: Problem[] } {
  const other = dir !== undefined && resolve(dir) !== resolve(catalogDir());
  const rendered = other ? readCatalog(dir) : readCatalog();
  if (!rendered.ok) return rendered;
  const shared = { asOf, ...(policyConfig ? { policyConfig } : {}), releasedVersions: repositoryReleasedVersions(), stacksDir: fleetDir };
  if (!other) return { ok: true, ctx: { catalog: rendered.catalog, reference: rendered.catalog, ...shared } };
  const reference = readCatalog();
  if (!reference.ok) return reference;
  return { ok: true, ctx: { catalog: rendered.catalog, reference: reference.catalog, ...shared } };
}

/** A path as reports show it: relative to the repository root with `/`, or absolute outside it. */
export function reportPath(file: string, root = projectRoot()): string {
  const rel = relative(root, file);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return file.split(sep).join("/");
  return rel.split(sep).join("/");
}

export const customerIdOf = (file: string) => basename(file).replace(/\.ya?ml$/, "");

export async function auditCustomerFile(file: string, ctx: AuditContext): Promise<CustomerAudit> {
  const customer = customerIdOf(file);
  const shown = reportPath(file);
  let sha256: string | undefined;
  try {
    sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");
  } catch {
    // loadCustomerFile reports the unreadable file as a problem of its own.
  }
  // In the model's field order, so every customer reads the same in the JSON report.
  const unaudited = (status: "invalid" | "error", more: { name?: string; problems?: Problem[]; error?: string }): CustomerAudit => ({
    customer,
    ...(more.name ? { name: more.name } : {}),
    file: shown,
    ...(sha256 ? { sha256 } : {}),
    status,
    ...(more.problems ? { problems: more.problems.map(({ line, col, message }) => ({ line, col, message })) } : {}),
    ...(more.error ? { error: more.error } : {}),
    alerts: [],
    policies: [],
  });

  const loaded = loadCustomerFile(file, ctx.catalog, ctx.stacksDir);
  if (!loaded.ok) {
    return unaudited("invalid", { problems: loaded.problems });
  }

  try {
    const { judgeCustomer } = await import("../preview/customer.js");
    const asOf = readAsOf(ctx.asOf, loaded.spec.timezone);
    if (typeof asOf === "string") throw new Error(`as-of ${asOf}`);
    const { preview, report } = await judgeCustomer(loaded.spec, ctx.catalog, asOf, {
      stacksDir: dirname(resolve(file)),
      file,
      reference: ctx.reference,
      releasedVersions: ctx.releasedVersions,
      ...(ctx.policyConfig ? { config: ctx.policyConfig } : {}),
    });
    const data = loaded.source.data as Record<string, unknown>;
    const audit = assessCustomer({
      customer,
      file: shown,
      sha256,
      spec: loaded.spec,
      locate: loaded.source.locate,
      hasKey: (key) => Object.hasOwn(data, key),
      resources: preview.resources,
      report,
      catalog: ctx.reference,
    });
    // An offset-less --at is a different instant per time zone; the record says which one this was.
    return {
      ...audit,
      asOf: asOf.toISOString(),
      roster: {
        timezone: loaded.spec.timezone,
        days: preview.roster,
        // Every change the file records, past ones too: the audit trail of who covered for whom.
        ...(preview.rosterChanges.length ? { changes: preview.rosterChanges } : {}),
      },
      // Every window the file holds, ended ones too: the record of what was silenced, on whose approval.
      ...(loaded.spec.maintenance.length ? { maintenance: auditedWindows(loaded.spec, asOf, loaded.source.locate) } : {}),
    };
  } catch (e) {
    return unaudited("error", { name: loaded.spec.name, error: (e as Error)?.message ?? String(e) });
  }
}
