/**
 * Reuses a customer's audit record when nothing it depends on changed since it was written.
 *
 * An audit record is a function of: the customer file's bytes and its report path, the rendered
 * and the reference catalogue (their digests), the code that previews and judges it (a digest of
 * the build, the generated holiday tables and package-lock.json, so a dependency upgrade counts),
 * the as-of instant, the policy configuration and the released-versions lock the pack judges by. The key hashes all of them, so an entry is never
 * stale, only unused. A record that says "error" (a crashed worker, say) is never stored.
 */
import { createHash } from "node:crypto";
import { type Dirent, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { projectRoot } from "../facts/paths.js";
import { fleetFile } from "../customer/fleetFile.js";
import { fleetDigest } from "../plan/fleetCheck.js";
import type { AuditContext } from "./customer.js";
import { reportPath } from "./customer.js";
import type { CustomerAudit } from "./model.js";

/** Bump when the record format or the key changes meaning. */
const cacheFormat = 1;

let code: string | undefined;

/**
 * Digest of the code an audit runs: the compiled JavaScript when running from dist/ (the CLI), the
 * TypeScript sources otherwise (tests), with the generated data they read and the lock file.
 */
export function codeDigest(): string {
  if (code) return code;
  const root = projectRoot();
  const fromDist = __filename.endsWith(".js");
  const base = fromDist ? join(root, "dist") : root;
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(p);
      } else if (fromDist ? e.name.endsWith(".js") : e.name.endsWith(".ts")) {
        files.push(p);
      }
    }
  };
  for (const d of ["src", "components", "policies"]) walk(join(base, d));
  files.push(join(root, "src", "facts", "publicHolidays.generated.json"), join(root, "package-lock.json"));
  const hash = createHash("sha256");
  for (const f of files.sort()) {
    hash.update(relative(root, f)).update("\0");
    try {
      hash.update(readFileSync(f));
    } catch {
      hash.update("(missing)");
    }
    hash.update("\0");
  }
  return (code = `sha256:${hash.digest("hex")}`);
}

function fleetSettingsDigest(): string {
  try {
    return createHash("sha256").update(readFileSync(fleetFile())).digest("hex");
  } catch {
    return "none";
  }
}

export interface AuditCache {
  /** The stored record for this file, if every input is as it was. */
  get(file: string): CustomerAudit | undefined;
  put(file: string, audit: CustomerAudit): void;
  readonly hits: number;
}

export function openAuditCache(dir: string, ctx: AuditContext): AuditCache {
  mkdirSync(dir, { recursive: true });
  const shared = JSON.stringify({
    cacheFormat,
    code: codeDigest(),
    catalog: ctx.catalog.digest,
    reference: ctx.reference.digest,
    asOf: ctx.asOf,
    policyConfig: ctx.policyConfig ?? null,
    // catalog/versions.lock.json is data, not build: a release withdrawn there changes the verdict.
    releasedVersions: ctx.releasedVersions,
    // The other customer files' resources (the fleet check) and the fleet settings decide it too.
    fleet: fleetDigest(ctx.stacksDir),
    fleetSettings: fleetSettingsDigest(),
  });
  const keyOf = (file: string): string | undefined => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return undefined; // unreadable: audited afresh, which reports it
    }
    return createHash("sha256").update(shared).update("\0").update(reportPath(file)).update("\0").update(bytes).digest("hex");
  };
  let hits = 0;
  // The key of the bytes `get` saw, so a file edited during the run is not stored under its new content.
  const keys = new Map<string, string | undefined>();
  return {
    get(file) {
      const key = keyOf(file);
      keys.set(file, key);
      if (!key) return undefined;
      try {
        const audit = JSON.parse(readFileSync(join(dir, `${key}.json`), "utf8")) as CustomerAudit;
        hits++;
        return audit;
      } catch {
        return undefined;
      }
    },
    put(file, audit) {
      if (audit.status === "error") return;
      const key = keys.has(file) ? keys.get(file) : keyOf(file);
      if (!key) return;
      // Written whole, then renamed: a reader never sees half a record.
      const tmp = join(dir, `.${key}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(audit));
      renameSync(tmp, join(dir, `${key}.json`));
    },
    get hits() {
      return hits;
    },
  };
}
