/**
 * `audit --cache`: a customer whose inputs are unchanged gets its stored record, and the report
 * built from it is byte-identical to the one an uncached audit writes; any changed input misses.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./support/cli";

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
  it("a hit gives the same report as an uncached audit, byte for byte", () => {
    const at = "2027-01-10T12:00:00Z";
    const uncached = audit(at);
    const first = audit(at, ["--cache", cache]);
    const second = audit(at, ["--cache", cache]);
    expect(first.fromCache).toBe(0);
    expect(second.fromCache).toBe(2);
    expect(second.code).toBe(uncached.code);
    expect(undated(second.stdout)).toBe(undated(uncached.stdout));
    expect(undated(first.stdout)).toBe(undated(uncached.stdout));
  });

  it("misses for a changed file, and for another as-of", () => {
    const at = "2027-01-10T12:00:00Z";
    audit(at, ["--cache", cache]);
    const file = join(stacks, "nordlys.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^name: .*$/m, "name: Nordlys Renamed A/S"));
    const edited = audit(at, ["--cache", cache]);
    expect(edited.fromCache).toBe(1);
    expect(edited.stdout).toContain("Nordlys Renamed A/S");
    expect(audit("2027-06-01T12:00:00Z", ["--cache", cache]).fromCache).toBe(0);
  });
});
