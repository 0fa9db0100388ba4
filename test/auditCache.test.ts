/**
 * `audit --cache`: a customer whose inputs are unchanged gets its stored record, and the report
 * built from it is byte-identical to the one an uncached audit writes; any changed input misses.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openAuditCache } from "../src/audit/cache.js";
import { auditContext } from "../src/audit/customer.js";
import type { CustomerAudit } from "../src/audit/model.js";
import { repoRoot, runCli } from "./support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "pico-audit-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const stacks = join(scratch, "stacks");
const cache = join(scratch, "cache");
for (const id of ["havblik", "nordlys"]) cpSync(join(repoRoot, "stacks", `${id}.yaml`), join(stacks, `${id}.yaml`));

function audit(at: string, extra: string[] = []) {
  const r = runCli(["audit", "--stacks", stacks, "--format", "md", "--at", at, "--jobs", "1", ...extra]);
  expect(r.stderr).not.toMatch(/internal error/);
  return { ...r, fromCache: Number(/audit: (\d+) of \d+ customers from the cache/.exec(r.stderr)?.[1] ?? Number.NaN) };
}
// The report's one line that is the time it was written.
const undated = (md: string) => md.replace(/^\| Generated \|.*$/m, "| Generated | - |");

describe("audit --cache", () => {
  it("a hit reports byte for byte what previewing gave; a changed file or as-of misses", () => {
    const at = "2027-01-10T12:00:00Z";
    const computed = audit(at, ["--cache", cache]);
    const cached = audit(at, ["--cache", cache]);
    expect(computed.fromCache).toBe(0);
    expect(cached.fromCache).toBe(2);
    expect(cached.code).toBe(computed.code);
    expect(undated(cached.stdout)).toBe(undated(computed.stdout));

    const file = join(stacks, "nordlys.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^name: .*$/m, "name: Nordlys Renamed A/S"));
    const edited = audit(at, ["--cache", cache]);
    expect(edited.fromCache).toBe(1);
    expect(edited.stdout).toContain("Nordlys Renamed A/S");
    expect(audit("2027-06-01T12:00:00Z", ["--cache", cache]).fromCache).toBe(0);
  });
});

describe("the audit cache key", () => {
  it("misses when the released-versions lock changes, though no file, catalogue entry or as-of did", () => {
    const made = auditContext(undefined, "2027-01-10T12:00:00Z");
    if (!made.ok) throw new Error("the repository's catalogue is invalid");
    const dir = join(scratch, "lock-cache");
    const file = join(stacks, "havblik.yaml");
    const record = { customer: "havblik" } as unknown as CustomerAudit;
    openAuditCache(dir, made.ctx).put(file, record);
    expect(openAuditCache(dir, made.ctx).get(file)).toEqual(record);
    const [released] = Object.keys(made.ctx.releasedVersions);
    expect(released).toBeDefined();
    const withdrawn = Object.fromEntries(Object.entries(made.ctx.releasedVersions).filter(([k]) => k !== released));
    expect(openAuditCache(dir, { ...made.ctx, releasedVersions: withdrawn }).get(file)).toBeUndefined();
  });
});
