/** The catalogue renders into safe, consistent alerts, and provenance survives the round trip through tags. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { roles } from "../src/facts/extended.js";
import { targetKinds } from "../src/customer/resources.js";
import { loadCatalog, readCatalog, sampleProvenance } from "../src/catalog/load.js";
import { fromAzureTags, fromDatadogTags, toAzureTags, toDatadogTags } from "../src/catalog/provenance.js";
import { noDataWindows, queryMetric, queryThreshold, queryWindowMinutes, RenderError, renderAlert } from "../src/catalog/render.js";
import { catalogReadme } from "../src/generate.js";
import { pagerdutyHandle } from "../src/facts/paging.js";

const catalog = loadCatalog();
const entries = [...catalog.entries.values()];

describe("Best Practice catalogue", () => {
  it("its JSON Schema names the same roles and target kinds as the code", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, "..", "catalog", "catalog.schema.json"), "utf8"));
    expect(schema.properties.owner.enum).toEqual([...roles]);
    expect(schema.properties.target.enum).toEqual([...targetKinds]);
  });

  it("has at least 12 entries covering the package's Azure services", () => {
    expect(entries.length).toBeGreaterThanOrEqual(12);
    const targets = new Set(entries.map((e) => e.target));
    for (const t of [
      "app-service",
      "app-service-plan",
      "sql-database",
      "service-bus",
      "function-app",
      "storage-account",
      "redis",
      "endpoint",
      "system",
    ]) {
      expect(targets, t).toContain(t);
    }
  });

  describe.each(entries.filter((e) => e.kind === "datadog-monitor").map((e) => [e.id, e] as const))("%s", (_id, entry) => {
    const rendered = renderAlert(catalog, sampleProvenance(entry));
    if (rendered.kind !== "datadog-monitor") throw new Error("expected a monitor");
    const m = rendered.monitor;

    it("has a critical threshold equal to the number in its query", () => {
      expect(typeof m.monitorThresholds.critical).toBe("string");
      expect(queryThreshold(m.query)).toBe(Number(m.monitorThresholds.critical));
    });

    it("pages its owner's PagerDuty service outside conditional blocks, within 1,024 characters", () => {
      const handle = pagerdutyHandle("sample", entry.owner);
      const outside = m.message.replace(/\{\{#(\w+)\}\}[\s\S]*?\{\{\/\1\}\}/g, "");
      expect(outside).toContain(handle);
      expect(m.message.length).toBeLessThanOrEqual(1024);
      expect(m.message).toContain(`Runbook: ${entry.runbook}`);
    });

    it("carries its provenance in its tags", () => {
      expect(fromDatadogTags(m.tags)).toEqual(sampleProvenance(entry));
    });

    it("cites where Datadog publishes the metric its query reads, and each tag key it filters on", () => {
      const read = queryMetric(m.query);
      expect(read, m.query).toBeDefined();
      expect(entry.sources.metric).toContain(read!.metric);
      expect(read!.tagKeys.length).toBeGreaterThan(0);
      for (const key of read!.tagKeys) expect(entry.sources.metric, key).toContain(key);
    });

    it("says in its message when it fires through no data, and waits at least two windows for it", () => {
      if (!m.notifyNoData) return;
      expect(m.message).toMatch(/\{\{#is_no_data\}\}[\s\S]+?\{\{\/is_no_data\}\}/);
      expect(m.noDataTimeframe).toBeGreaterThanOrEqual(2 * queryWindowMinutes(m.query)!);
    });
  });

  it.each(entries.map((e) => [e.id, e] as const))("%s cites its threshold source, and the README shows every citation", (_id, entry) => {
    const readme = catalogReadme(catalog);
    expect(entry.sources.threshold.length).toBeGreaterThan(10);
    for (const cited of Object.values(entry.sources)) expect(readme).toContain(cited.replace(/\|/g, "\\|"));
  });

  it("rejects an entry without citations, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "catalog-sources-"));
    try {
      cpSync(join(__dirname, "..", "catalog"), join(dir, "catalog"), { recursive: true });
      const file = join(dir, "catalog", "entries", "redis-memory.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace(/^sources:\n(?:  .*\n)+/m, ""));
      const read = readCatalog(join(dir, "catalog", "entries"));
      expect(read.ok).toBe(false);
      if (read.ok) return;
      expect(read.problems.map((p) => [p.file.endsWith("redis-memory.yaml"), p.message])).toEqual([
        [true, "catalogue entry 'redis-memory': entry must have required property 'sources'"],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the checked-catalogue cache", () => {
  it("gives back the catalogue it checked, and checks afresh when the lock changes", () => {
    const dir = mkdtempSync(join(tmpdir(), "catalog-cache-"));
    const cacheDir = join(__dirname, "..", "dist", ".cache");
    mkdirSync(cacheDir, { recursive: true });
    const kept = () => new Set(readdirSync(cacheDir).filter((f) => f.startsWith("catalog-checked-")));
    const before = kept();
    try {
      cpSync(join(__dirname, "..", "catalog"), join(dir, "catalog"), { recursive: true });
      const entriesDir = join(dir, "catalog", "entries");
      // A comment only this copy has, so its digest is one no earlier run has kept.
      const file = join(entriesDir, "redis-memory.yaml");
      writeFileSync(file, `${readFileSync(file, "utf8")}# ${dir}\n`);
      const first = readCatalog(entriesDir);
      expect(first.ok).toBe(true);
      const added = [...kept()].filter((f) => !before.has(f));
      expect(added).toHaveLength(1);
      const second = readCatalog(entriesDir);
      expect(second).toEqual(first);
      if (!first.ok) return;
      expect(first.catalog.digest).not.toBe(catalog.digest);

      const lockFile = join(dir, "catalog", "versions.lock.json");
      const lock = JSON.parse(readFileSync(lockFile, "utf8")) as Record<string, string>;
      const redis = first.catalog.entries.get("redis-memory")!;
      lock[`redis-memory@${redis.version}`] = `sha256:${"0".repeat(64)}`;
      writeFileSync(lockFile, JSON.stringify(lock));
      const third = readCatalog(entriesDir);
      expect(third.ok).toBe(false);
      if (third.ok) return;
      expect(third.problems.map((p) => p.message)).toEqual([
        `catalogue entry 'redis-memory' v${redis.version} changed since it was released; raise its version`,
      ]);
      expect([...kept()].filter((f) => !before.has(f))).toEqual(added);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      for (const f of kept()) if (!before.has(f)) rmSync(join(cacheDir, f), { force: true });
    }
  });
});

describe("renderAlert", () => {
  const entry = catalog.entries.get("app-service-5xx")!;
  const good = sampleProvenance(entry);

  it.each([
    ["a brace that closes the tag filter", "app} OR {*"],
    ["a comma that adds a tag", "app,env:prod"],
    ["a space", "app name"],
    ["an upper-case value Datadog would never match", "App-Portal"],
    ["a notification handle", "@pagerduty-evil"],
  ])("refuses a binding with %s", (_what, name) => {
    expect(() => renderAlert(catalog, { ...good, bindings: { ...good.bindings, name } })).toThrow(/unsafe value/);
  });

  it("refuses a message PagerDuty would cut", () => {
    const long = { ...entry, template: { ...entry.template, message: "x".repeat(1000) } } as typeof entry;
    const entries = new Map(catalog.entries).set(entry.id, long);
    expect(() => renderAlert({ ...catalog, entries }, good)).toThrow(/PagerDuty keeps at most 1024/);
  });

  it("sizes the no-data timeframe of 'no executions' by the window the customer chose", () => {
    const e = catalog.entries.get("function-app-no-executions")!;
    const r = renderAlert(catalog, { ...sampleProvenance(e), tunables: { windowMinutes: 360 } });
    if (r.kind !== "datadog-monitor") throw new Error("expected a monitor");
    expect(r.monitor.query).toMatch(/^sum\(last_360m\):/);
    expect(queryWindowMinutes(r.monitor.query)).toBe(360);
    expect(r.monitor.noDataTimeframe).toBe(noDataWindows * 360);
  });

  it("refuses a no-data timeframe shorter than Datadog's advised two windows", () => {
    const e = catalog.entries.get("function-app-no-executions")!;
    if (e.kind !== "datadog-monitor") throw new Error("expected a monitor");
    const short = {
      ...e,
      template: { ...e.template, options: { ...e.template.options, noDataTimeframe: "${windowMinutes}" } },
    } as typeof e;
    const entries = new Map(catalog.entries).set(e.id, short);
    expect(() => renderAlert({ ...catalog, entries }, sampleProvenance(e))).toThrow(/under 2x the \d+-minute query window/);
  });

  it("states the bounds of a tunable out of range", () => {
    expect(() => renderAlert(catalog, { ...good, tunables: { threshold: 501 } })).toThrow(
      "tunable 'threshold' is 501; it must be between 1 and 500 responses",
    );
  });

  it("refuses a version the catalogue doesn't have, a wrong role and an unknown tunable", () => {
    expect(() => renderAlert(catalog, { ...good, version: 3 })).toThrow(RenderError);
    expect(() => renderAlert(catalog, { ...good, role: "pim" })).toThrow(/belongs to role frontend/);
    expect(() => renderAlert(catalog, { ...good, tunables: { threshold: 10, window: 5 } })).toThrow(/'window' is not a tunable/);
  });

  it("renders an availability test whose alert watches that test, tagged for Application Insights", () => {
    const e = catalog.entries.get("endpoint-availability")!;
    const r = renderAlert(catalog, sampleProvenance(e));
    if (r.kind !== "azure-availability-test") throw new Error("expected an availability test");
    expect(r.webTest.kind).toBe("standard");
    expect(r.webTest.locations.length).toBeGreaterThanOrEqual(3);
    expect(r.webTest.validationRules.sSLCheck).toBe(true);
    expect(r.metricAlert.criteria.webTestId).toBe(r.metricAlert.scopes[0]);
    expect(r.webTest.tags[`hidden-link:${r.metricAlert.criteria.componentId}`]).toBe("Resource");
    expect(fromAzureTags(r.metricAlert.tags)).toEqual(sampleProvenance(e));
  });
});

describe("provenance tags", () => {
  const p = sampleProvenance(catalog.entries.get("app-service-response-time")!);

  it("round-trips through Datadog and Azure tags", () => {
    expect(fromDatadogTags(toDatadogTags(p))).toEqual(p);
    expect(fromAzureTags(toAzureTags(p))).toEqual(p);
  });

  it("explains why tags carry no provenance", () => {
    expect(fromDatadogTags(["team:web"])).toMatch(/no catalogue provenance/);
    expect(fromDatadogTags([...toDatadogTags(p), "catalog:sql-cpu"])).toMatch(/appears twice/);
    expect(fromDatadogTags(toDatadogTags(p).map((t) => (t.startsWith("tunable-") ? "tunable-threshold-seconds:lots" : t)))).toMatch(
      /not a number/,
    );
    expect(fromAzureTags(undefined)).toMatch(/no tags/);
  });
});
