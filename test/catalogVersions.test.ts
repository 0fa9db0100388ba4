/** A released catalogue version never changes: catalog/versions.lock.json holds each one's digest. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Catalog, CatalogEntry } from "../src/catalog/entry.js";
import { loadCatalog, readCatalog } from "../src/catalog/load.js";
import {
  appendToVersionLock,
  entryDigest,
  readVersionLock,
  versionLockPath,
  versionLockProblems,
  versionLockText,
  type VersionLock,
} from "../src/catalog/versionLock.js";
import { catalogVersionLock } from "../src/generate.js";
import { catalogDir } from "../src/facts/paths.js";
import { runCli } from "./support/cli.js";

const lockFile = versionLockPath(catalogDir());
const committed = (): VersionLock => JSON.parse(readFileSync(lockFile, "utf8")) as VersionLock;
const clone = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V;

/** The catalogue with one entry changed in memory. */
function withEntry(id: string, change: (e: CatalogEntry & Record<string, any>) => void): Catalog {
  const catalog = loadCatalog();
  const entry = clone(catalog.entries.get(id)!) as CatalogEntry & Record<string, any>;
  change(entry);
  return { ...catalog, entries: new Map([...catalog.entries, [id, entry]]) };
}

const changedSqlCpu = (e: Record<string, any>) => (e.template.query = e.template.query.replace("last_15m", "last_10m"));

describe("catalogue version lock", () => {
  it("lives at catalog/versions.lock.json and holds every id@version of the catalogue", () => {
    const catalog = loadCatalog();
    const lock = committed();
    expect(lockFile.endsWith(join("catalog", "versions.lock.json"))).toBe(true);
    for (const entry of catalog.entries.values()) expect(lock[`${entry.id}@${entry.version}`], entry.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(appendToVersionLock(catalog, lock)).toEqual(lock);
  });

  it("the committed lock matches the catalogue", () => {
    expect(versionLockProblems(loadCatalog(), committed())).toEqual([]);
  });

  it("fails an entry whose template changed without a version bump", () => {
    const problems = versionLockProblems(withEntry("sql-cpu", changedSqlCpu), committed());
    expect(problems.map((p) => p.message)).toEqual(["catalogue entry 'sql-cpu' v1 changed since it was released; raise its version"]);
  });

  it("counts what reaches a resource or a customer's choice, not what only documents the entry", () => {
    const flagged = (change: (e: Record<string, any>) => void) => versionLockProblems(withEntry("sql-cpu", change), committed()).length;
    expect(flagged((e) => (e.runbook = `${e.runbook} Then call the DBA.`))).toBe(1); // the runbook is in every message
    expect(flagged((e) => (e.title = "SQL CPU"))).toBe(1);
    expect(flagged((e) => (e.owner = "backend"))).toBe(1);
    expect(flagged((e) => (e.tunables.threshold.max = 99))).toBe(1);
    expect(flagged((e) => (e.description = "Reworded."))).toBe(0);
    expect(flagged((e) => (e.sources.threshold = "AMBA, re-read at a later commit"))).toBe(0);
    expect(flagged((e) => (e.template = Object.fromEntries(Object.entries(e.template).reverse())))).toBe(0); // key order
  });

  it("accepts the change once the version is raised, and generation appends the new version", () => {
    const bumped = withEntry("sql-cpu", (e) => {
      changedSqlCpu(e);
      e.version = 2;
    });
    const lock = committed();
    expect(versionLockProblems(bumped, lock)).toEqual([]);
    const next = appendToVersionLock(bumped, lock);
    expect(next["sql-cpu@2"]).toBe(entryDigest(bumped.entries.get("sql-cpu")!));
    expect(next["sql-cpu@1"]).toBe(lock["sql-cpu@1"]); // the released version stays as evidence
    expect(Object.keys(next)).toHaveLength(Object.keys(lock).length + 1);
  });

  it("generation never rewrites an existing digest", () => {
    const lock = committed();
    expect(appendToVersionLock(withEntry("sql-cpu", changedSqlCpu), lock)).toEqual(lock);

    const dir = mkdtempSync(join(tmpdir(), "version-lock-"));
    try {
      const file = join(dir, "versions.lock.json");
      const stale = { ...lock, "sql-cpu@1": `sha256:${"0".repeat(64)}` };
      delete stale["redis-memory@1"];
      writeFileSync(file, versionLockText(stale));
      const generated = JSON.parse(catalogVersionLock(loadCatalog(), file)) as VersionLock;
      expect(generated["sql-cpu@1"]).toBe(stale["sql-cpu@1"]);
      expect(generated["redis-memory@1"]).toBe(lock["redis-memory@1"]);
      expect(generated).toEqual({ ...lock, "sql-cpu@1": stale["sql-cpu@1"] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("orders versions naturally and ends with a newline, so that appending is a one-line diff", () => {
    expect(versionLockText({ "b@1": "x", "a@10": "y", "a@2": "z" })).toBe('{\n  "a@2": "z",\n  "a@10": "y",\n  "b@1": "x"\n}\n');
  });

  describe("validate", () => {
    const dir = mkdtempSync(join(tmpdir(), "catalog-"));
    const entries = join(dir, "catalog", "entries");
    cpSync(catalogDir(), entries, { recursive: true });
    cpSync(lockFile, join(dir, "catalog", "versions.lock.json"));
    const sqlCpu = join(entries, "sql-cpu.yaml");
    writeFileSync(sqlCpu, readFileSync(sqlCpu, "utf8").replace("last_15m", "last_10m"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("reports a changed-without-bump entry at its version line", () => {
      const read = readCatalog(entries);
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.problems).toEqual([
        {
          file: expect.stringMatching(/sql-cpu\.yaml$/),
          line: 2,
          col: 10,
          message: "catalogue entry 'sql-cpu' v1 changed since it was released; raise its version",
        },
      ]);
    });

    it("pico-monitoring validate prints it as file:line:col and exits 1", () => {
      const r = runCli(["validate", "--catalog", entries]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/sql-cpu\.yaml:2:10: catalogue entry 'sql-cpu' v1 changed since it was released; raise its version\n/);
      expect(r.stdout).toMatch(/catalogue: invalid/);
    });

    it("pico-monitoring validate reports a raised version nobody released as unreleased, at its version line", () => {
      const saved = readFileSync(sqlCpu, "utf8");
      try {
        writeFileSync(sqlCpu, saved.replace(/^version: 1$/m, "version: 2"));
        const r = runCli(["validate", "--catalog", entries, "stacks/havblik.yaml"]);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(
          /sql-cpu\.yaml:2:10: catalogue entry 'sql-cpu' v2 is unreleased: catalog\/versions\.lock\.json doesn't record it \(run `npm run generate` to release it\)\n/,
        );
      } finally {
        writeFileSync(sqlCpu, saved);
      }
    });

    it("reports a lock that is not a lock, and checks nothing without one", () => {
      const lock = join(dir, "catalog", "versions.lock.json");
      const saved = readFileSync(lock, "utf8");
      try {
        writeFileSync(lock, "[]");
        const read = readCatalog(entries);
        expect(read.ok ? [] : read.problems.map((p) => [p.line, p.col, p.message])).toEqual([
          [1, 1, 'not a version lock: expected a JSON object of "<id>@<version>": "sha256:<hex>"'],
        ]);
        expect(readVersionLock(join(dir, "missing.json"))).toEqual({ ok: true, lock: {} });
      } finally {
        writeFileSync(lock, saved);
      }
    });
  });
});
