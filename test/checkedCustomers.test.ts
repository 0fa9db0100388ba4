import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { loadCatalog } from "../src/catalog/load.js";
import { displayPath } from "../src/facts/paths.js";
import { checkedCustomerCacheFile } from "../src/plan/checkedCustomers.js";
import { checkCustomerFile, loadCustomerFile } from "../src/plan/load.js";
import { repoRoot, runCliLoading } from "./support/cli.js";

// Inside the repository (only its files are kept), in a directory no other test uses.
const dir = mkdtempSync(join(repoRoot, "test", ".checked-"));
const scratch = mkdtempSync(join(tmpdir(), "pico-checked-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

const catalog = loadCatalog();
const copy = (to: string) => {
  copyFileSync(join(repoRoot, "stacks", "havblik.yaml"), to);
  return to;
};
const keptKey = (file: string) =>
  (JSON.parse(readFileSync(checkedCustomerCacheFile(file, displayPath(file)), "utf8")) as { key: string }).key;

describe("a checked customer kept by digest", () => {
  it("is kept once it passed, and a kept one is what a fresh check gives, source positions included", () => {
    const file = copy(join(dir, "havblik.yaml"));
    expect(existsSync(checkedCustomerCacheFile(file, displayPath(file)))).toBe(false);
    const first = loadCustomerFile(file, catalog);
    expect(existsSync(checkedCustomerCacheFile(file, displayPath(file)))).toBe(true);
    const kept = loadCustomerFile(file, catalog);
    const fresh = checkCustomerFile(file, catalog);
    if (!first.ok || !kept.ok || !fresh.ok) throw new Error("havblik.yaml should be valid");
    for (const r of [first, kept]) {
      expect(r.spec).toStrictEqual(fresh.spec);
      expect(r.warnings).toStrictEqual(fresh.warnings);
      expect(r.file).toBe(fresh.file);
      expect(r.source.data).toStrictEqual(fresh.source.data);
      expect(r.source.problem(["roster", "lead", 0], "m")).toStrictEqual(fresh.source.problem(["roster", "lead", 0], "m"));
    }
  });

  it("is checked again when the file, the catalogue or the year changes", () => {
    const file = copy(join(dir, "havblik.yaml"));
    loadCustomerFile(file, catalog);
    const key = keptKey(file);

    writeFileSync(file, readFileSync(file, "utf8").replace(/^name: (.*)$/m, "name: $1 (renamed)"));
    const renamed = loadCustomerFile(file, catalog);
    expect(renamed.ok && renamed.spec.name).toMatch(/\(renamed\)$/);
    const renamedKey = keptKey(file);
    expect(renamedKey).not.toBe(key);

    loadCustomerFile(file, { ...catalog, digest: `${catalog.digest}-other` });
    expect(keptKey(file)).not.toBe(renamedKey);

    loadCustomerFile(file, catalog);
    expect(keptKey(file)).toBe(renamedKey);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(`${new Date().getUTCFullYear() + 3}-06-01T00:00:00Z`));
    loadCustomerFile(file, catalog);
    expect(keptKey(file)).not.toBe(renamedKey);
  });

  it("never keeps a file with problems, nor one outside the repository", () => {
    const bad = join(dir, "havblik-bad.yaml");
    copy(bad); // the customer id is not the file name
    const once = loadCustomerFile(bad, catalog);
    expect(once.ok).toBe(false);
    expect(existsSync(checkedCustomerCacheFile(bad, displayPath(bad)))).toBe(false);
    expect(loadCustomerFile(bad, catalog)).toStrictEqual(once);

    const outside = copy(join(scratch, "havblik.yaml"));
    expect(loadCustomerFile(outside, catalog).ok).toBe(true);
    expect(existsSync(checkedCustomerCacheFile(outside, displayPath(outside)))).toBe(false);
  });

  it("lets a preview of an unchanged customer skip zod and yaml, with the same bytes", () => {
    const file = copy(join(dir, "havblik.yaml"));
    const preview = (n: number) =>
      runCliLoading(["preview", file, "--json", "--at", "2027-01-10T12:00:00Z"], join(scratch, `modules-${n}.txt`));
    const checked = preview(1);
    const kept = preview(2);
    expect(checked.code).toBe(0);
    expect(checked.packages).toEqual(expect.arrayContaining(["zod", "yaml"]));
    expect(kept.packages).not.toContain("zod");
    expect(kept.packages).not.toContain("yaml");
    expect(kept.code).toBe(0);
    expect(kept.stdout).toBe(checked.stdout);
    expect(JSON.parse(kept.stdout).customer).toBe("havblik");
  });
});
