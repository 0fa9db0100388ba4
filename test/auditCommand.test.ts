/**
 * `pico-monitoring audit` end to end through the built command, over the example customers and
 * over fixtures an auditor meets in reality: catalogue entries edited locally (alerts rendered
 * from them are no longer the Best Practice ones), and invalid or hostile customer files. What no
 * customer file can produce (more than ten alerts, hand-edited resources) is covered in-process
 * on a real preview, through the same assessment and report code.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./support/pack.js";
import { assessCustomer } from "../src/audit/assess.js";
import { auditHtml, esc } from "../src/audit/html.js";
import { auditMarkdown } from "../src/audit/markdown.js";
import type { AuditReport, CustomerAudit, Evidence } from "../src/audit/model.js";
import { buildReport } from "../src/audit/report.js";
import { auditSarif } from "../src/audit/sarif.js";
import { loadCatalog } from "../src/catalog/load.js";
import { judgedStack, previewCustomer } from "../src/preview/customer.js";
import { formatPolicySummary, mandatoryFailures } from "../src/preview/render.js";
import type { RegisteredResource } from "../src/offline/mockEngine.js";
import { analyzerView } from "../src/offline/cliView.js";
import { runPolicies } from "../src/offline/policyResults.js";
import { readYamlFile } from "../src/facts/yamlSource.js";
import { repoRoot, runCli } from "./support/cli.js";
import { customerIdsIn } from "../src/customer/customerFiles.js";
import { loadCustomer } from "../src/plan/loadCustomer.js";

const at = "2027-01-10T12:00:00Z";
const packPolicies = pack.policies;
const policyNames = packPolicies.map((p) => p.name);
const packVersion = (JSON.parse(readFileSync(join(repoRoot, "policies", "package.json"), "utf8")) as { version: string }).version;
const examples = customerIdsIn(join(repoRoot, "stacks"));

/** 1-based line of the first line of `file` that contains every one of `parts`. */
function lineOf(file: string, ...parts: string[]): number {
  const lines = readFileSync(join(repoRoot, file), "utf8").split("\n");
  const i = lines.findIndex((l) => parts.every((p) => l.includes(p)));
  if (i < 0) throw new Error(`${file} has no line with ${parts.join(", ")}`);
  return i + 1;
}

const yamlAlertCount = (id: string) =>
  (readFileSync(join(repoRoot, "stacks", `${id}.yaml`), "utf8").match(/^ {2}- \{ use: /gm) ?? []).length;

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        rules: { id: string; shortDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }[];
      };
    };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } };
      }[];
      partialFingerprints: Record<string, string>;
    }[];
    invocations: { executionSuccessful: boolean }[];
    properties: { evidence: Evidence };
  }[];
}

/** What GitHub code scanning requires of a SARIF 2.1.0 upload, and what this project promises on top. */
function expectValidSarif(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  expect(log.version).toBe("2.1.0");
  expect(log.$schema).toMatch(/sarif-2\.1\.0/);
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0]!;
  expect(run.tool.driver.name).toBe("pico-monitoring");
  const ruleIds = run.tool.driver.rules.map((r) => r.id);
  expect(ruleIds).toEqual(expect.arrayContaining(policyNames));
  expect(new Set(ruleIds).size).toBe(ruleIds.length);
  for (const rule of run.tool.driver.rules) {
    expect(rule.shortDescription.text.length).toBeGreaterThan(10);
    expect(rule.help.text.length).toBeGreaterThan(10);
    expect(["error", "warning", "note", "none"]).toContain(rule.defaultConfiguration.level);
  }
  for (const p of packPolicies) {
    expect(run.tool.driver.rules.find((r) => r.id === p.name)!.help.text).toBe(p.remediationSteps);
  }
  for (const r of run.results) {
    expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    expect(["error", "warning", "note"]).toContain(r.level);
    expect(r.message.text).not.toBe("");
    expect(r.locations).toHaveLength(1);
    const loc = r.locations[0]!.physicalLocation;
    if (loc.artifactLocation.uriBaseId !== undefined) {
      expect(loc.artifactLocation.uriBaseId).toBe("%SRCROOT%");
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|\.\.|[a-z]+:)/);
      expect(existsSync(join(repoRoot, loc.artifactLocation.uri))).toBe(true);
    } else {
      expect(loc.artifactLocation.uri).toMatch(/^file:\/\//);
    }
    expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
    expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
    expect(Object.values(r.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
  }
  return log;
}

/** One page: no scripts, no stylesheets or images from elsewhere, nothing fetched. */
function expectSelfContainedHtml(html: string): void {
  expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
  expect(html.trimEnd()).toMatch(/<\/html>$/);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<link/i);
  expect(html).not.toMatch(/<(img|iframe|object|embed)\b/i);
  expect(html).not.toMatch(/\bsrc\s*=/i);
  expect(html).not.toMatch(/href\s*=\s*["']?(https?:)?\/\//i);
  expect(html).not.toMatch(/url\(|@import/i);
  expect(html).toMatch(/<style>[\s\S]+<\/style>/);
  expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
}

describe("pico-monitoring audit over the example customers", () => {
  let out: string;
  let report: AuditReport;
  let run: ReturnType<typeof runCli>;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "pico-audit-"));
    run = runCli(["audit", "--at", at, "--out", join(out, "reports"), "--format", "all"]);
    report = JSON.parse(readFileSync(join(out, "reports", "audit.json"), "utf8")) as AuditReport;
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("exits 0 and writes audit.<format> for every format into the created directory", () => {
    expect(run.code).toBe(0);
    expect(readdirSync(join(out, "reports")).sort()).toEqual(["audit.html", "audit.json", "audit.md", "audit.sarif"]);
    // With the reports in files, stdout says what was written and how it went; progress stays on stderr.
    expect(run.stdout).toMatch(/^audit: wrote .*audit\.md$/m);
    expect(run.stderr).toMatch(new RegExp(`^audit: 1/${examples.length} ${examples[0]}$`, "m"));
    expect(run.stdout).toMatch(new RegExp(`audit: ${examples.length} customers, ${examples.length} passed, 0 failed\\n$`));
    expect(run.stderr).not.toMatch(/customers, .* passed/);
  });

  it("reports every customer with every policy passed", () => {
    expect(report.customers.map((c) => c.customer)).toEqual(examples);
    expect(report.summary).toMatchObject({ customers: examples.length, passed: examples.length, failed: 0, invalid: 0, errors: 0 });
    expect(report.policies.map((p) => p.name)).toEqual(policyNames);
    // The closed-world policies of issue 11, for every customer.
    expect(policyNames).toEqual(
      expect.arrayContaining([
        "only-known-resource-kinds",
        "stack-matches-customer-file",
        "released-catalog-versions",
        "unknowns-only-where-planned",
      ]),
    );
    for (const c of report.customers) {
      expect(c.status).toBe("pass");
      expect(c.file).toBe(`stacks/${c.customer}.yaml`);
      expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(c.policies.map((p) => [p.policy, p.enforcementLevel, p.status, p.violations])).toEqual(
        policyNames.map((p) => [p, "mandatory", "pass", []]),
      );
    }
  });

  it("lists each alert with the provenance read back from its tags", () => {
    for (const c of report.customers) {
      expect(c.alerts).toHaveLength(yamlAlertCount(c.customer));
      for (const a of c.alerts) {
        expect(a.provenance).toBeDefined();
        expect(a.provenance!.title).toBeTruthy();
        expect(a.alertIndex).toBeTypeOf("number");
        expect(a.failedPolicies).toEqual([]);
      }
    }
    const havblik = report.customers.find((c) => c.customer === "havblik")!;
    const first = havblik.alerts[0]!;
    expect(first).toMatchObject({
      name: "havblik-app-service-5xx-web-app",
      type: "datadog:index/monitor:Monitor",
      alertIndex: 0,
      at: { line: lineOf("stacks/havblik.yaml", "use: app-service-5xx", "on: web-app"), col: 5 },
      provenance: {
        entry: "app-service-5xx",
        version: 2,
        title: "App Service HTTP 5xx errors",
        role: "frontend",
        target: "web-app",
        tunables: [{ name: "threshold", value: 25, default: 10, setInFile: true }],
      },
    });
    // An availability test is listed by its metric alert, the resource that pages.
    const b2b = havblik.alerts.find((a) => a.provenance?.target === "b2b")!;
    expect(b2b.type).toBe("azure-native:monitor:MetricAlert");
    expect(b2b.provenance!.tunables).toContainEqual({ name: "expectedStatus", value: 204, default: 200, setInFile: true });
    expect(b2b.provenance!.tunables).toContainEqual({ name: "frequencySeconds", value: 300, default: 300, setInFile: false });
  });

  it("carries the evidence: tool, pack, catalogue digest, commit, as-of and generation time", () => {
    const e = report.evidence;
    expect(e.tool).toEqual({ name: "pico-monitoring", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(e.pack).toEqual({ name: "pico-extended", version: packVersion, package: "@pico/monitoring-policies" });
    expect(e.catalog).toEqual({
      path: "catalog/entries",
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      entries: expect.any(Number),
    });
    expect(e.catalog.digest).toBe(loadCatalog().digest);
    expect(e.renderedFrom).toBeUndefined();
    expect(e.git.commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
    expect([true, false, "unknown"]).toContain(e.git.dirty);
    expect(e.asOf).toBe("2027-01-10T12:00:00.000Z");
    expect(Date.now() - Date.parse(e.generatedAt)).toBeLessThan(10 * 60_000);
  });

  it("writes SARIF that code scanning accepts, with no results when everything passes", () => {
    const log = expectValidSarif(readFileSync(join(out, "reports", "audit.sarif"), "utf8"));
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.invocations[0]!.executionSuccessful).toBe(true);
    expect(log.runs[0]!.properties.evidence).toEqual(report.evidence);
  });

  it("writes one self-contained HTML page with the summary, the alerts and the evidence", () => {
    const html = readFileSync(join(out, "reports", "audit.html"), "utf8");
    expectSelfContainedHtml(html);
    for (const c of examples) expect(html).toContain(`<a href="#customer-${c}">${c}</a>`);
    for (const p of policyNames) expect(html).toContain(`<th>${p}<br>`);
    expect(html).toContain('<td class="mono">app-service-5xx</td>');
    expect(html).toContain(report.evidence.catalog.digest);
    expect(html).toContain(report.evidence.git.commit);
  });

  it("writes Markdown with a customer × policy table", () => {
    const md = readFileSync(join(out, "reports", "audit.md"), "utf8");
    expect(md).toMatch(/^# Extended monitoring audit\n/);
    expect(md).toContain(`| [havblik](#customer-havblik) | passed | pass | pass | pass | pass |`);
    expect(md).toContain(report.evidence.catalog.digest);
  });

  it("prints Markdown to stdout by default, for the customers named", () => {
    const r = runCli(["audit", "havblik", "--at", at]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Extended monitoring audit\n\n1 customer: 1 passed, 0 failed\. As of 2027-01-10T12:00:00\.000Z\./);
    expect(r.stdout).toContain("## Customer havblik");
    expect(r.stdout).not.toContain("## Customer nordlys");
  });

  it("gives the same report from worker processes as in-process", () => {
    const r = runCli(["audit", "--at", at, "--format", "json", "--jobs", "2"]);
    expect(r.code).toBe(0);
    const fromWorkers = JSON.parse(r.stdout) as AuditReport;
    const strip = (x: AuditReport) => ({ ...x, evidence: { ...x.evidence, generatedAt: "" } });
    expect(strip(fromWorkers)).toEqual(strip(report));
  });
});

describe("pico-monitoring audit over customers that break the policies", () => {
  let tmp: string;
  let catalogDir: string;
  let hostile: string;
  let run: ReturnType<typeof runCli>;
  let report: AuditReport;
  let sarif: SarifLog;
  let html: string;
  const byId = (id: string) => report.customers.find((c) => c.customer === id)!;
  const result = (id: string, policy: string) => byId(id).policies.find((p) => p.policy === policy)!;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "pico-audit-fixtures-"));
    // A catalogue as an engineer might have it after editing entries locally without a review:
    // ids and versions unchanged, so the alerts still claim to be the Best Practice ones.
    catalogDir = join(tmp, "catalog");
    cpSync(join(repoRoot, "catalog", "entries"), catalogDir, { recursive: true });
    const edit = (entry: string, from: string, to: string) => {
      const file = join(catalogDir, `${entry}.yaml`);
      const text = readFileSync(file, "utf8");
      if (!text.includes(from)) throw new Error(`catalog/entries/${entry}.yaml no longer contains '${from}'`);
      writeFileSync(file, text.replace(from, to));
    };
    edit("app-service-5xx", "sum(last_15m)", "sum(last_5m)");
    edit("sql-cpu", "{{/is_recovery}}\n", "{{/is_recovery}}\n    Escalate to @pagerduty-ops-oncall.\n");
    edit("redis-memory", "{{/is_recovery}}\n", "{{/is_recovery}}\n    Webhook token 0123456789abcdef0123456789abcdef.\n");
    // A customer file whose values try to become markup in the reports.
    hostile = join(tmp, "hostile.yaml");
    writeFileSync(
      hostile,
      readFileSync(join(repoRoot, "test", "fixtures", "audit", "clean.yaml"), "utf8")
        .replace("customer: clean", "customer: hostile")
        // Its own app: a second file over clean's would fail the fleet check before any policy ran.
        .replace("name: app-clean-portal", "name: app-hostile-portal")
        .replace("name: Clean Fixture A/S", 'name: "<script>alert(1)</script> | *x* [a](javascript:x)"'),
    );

    run = runCli([
      "audit",
      "--stacks",
      "test/fixtures/audit",
      "--catalog",
      catalogDir,
      "--at",
      at,
      "--out",
      join(tmp, "out"),
      "--format",
      "json,sarif,html,md",
      "clean",
      "tampered-query",
      "extra-pager",
      "pasted-key",
      "test/fixtures/invalid/eleven-alerts.yaml",
      hostile,
    ]);
    report = JSON.parse(readFileSync(join(tmp, "out", "audit.json"), "utf8")) as AuditReport;
    sarif = expectValidSarif(readFileSync(join(tmp, "out", "audit.sarif"), "utf8"));
    html = readFileSync(join(tmp, "out", "audit.html"), "utf8");
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("exits 1 and still writes every report", () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/audit: 6 customers, 2 passed, 3 failed, 1 invalid\n$/);
    expect(report.customers.map((c) => [c.customer, c.status])).toEqual([
      ["clean", "pass"],
      ["tampered-query", "fail"],
      ["extra-pager", "fail"],
      ["pasted-key", "fail"],
      ["eleven-alerts", "invalid"],
      ["hostile", "pass"],
    ]);
  });

  it("records which catalogue the alerts were rendered from, beside the one the policies judge by", () => {
    expect(report.evidence.renderedFrom).toMatchObject({ digest: expect.stringMatching(/^sha256:/) });
    expect(report.evidence.renderedFrom!.digest).not.toBe(report.evidence.catalog.digest);
    expect(report.evidence.catalog.path).toBe("catalog/entries");
  });

  it("no-custom-alerts: a locally edited query is not the catalogue's alert", () => {
    const r = result("tampered-query", "no-custom-alerts");
    expect(r.status).toBe("fail");
    expect(r.violations).toEqual([
      {
        urn: expect.stringMatching(/::tampered-query-app-service-5xx-portal-app$/),
        message: "monitor 'tampered-query-app-service-5xx-portal-app': field 'query' differs from catalogue entry app-service-5xx v2",
        difference: { field: "query", expected: expect.any(String), actual: expect.any(String) },
        at: { line: lineOf("test/fixtures/audit/tampered-query.yaml", "use: app-service-5xx"), col: 5 },
      },
    ]);
    // Only the alert rendered from the edited entry is flagged; it is also not what the released catalogue renders for the file.
    expect(byId("tampered-query").alerts.map((a) => a.failedPolicies)).toEqual([
      [],
      ["no-custom-alerts", "stack-matches-customer-file", "resource-matches-plan"],
    ]);
    expect(result("tampered-query", "alerts-route-to-preparedness").status).toBe("pass");
  });

  it("alerts-route-to-preparedness: an alert that also pages a service outside the roster", () => {
    const r = result("extra-pager", "alerts-route-to-preparedness");
    expect(r.status).toBe("fail");
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]!.message).toMatch(
      /^monitor 'extra-pager-sql-cpu-pim-db' pages @pagerduty-ops-oncall, but no datadog\.pagerduty\.ServiceObject/,
    );
    expect(r.violations[0]!.at.line).toBe(lineOf("test/fixtures/audit/extra-pager.yaml", "use: sql-cpu"));
    expect(result("extra-pager", "no-custom-alerts").status).toBe("fail");
  });

  it("no-plaintext-secrets: a key pasted into an alert message", () => {
    const r = result("pasted-key", "no-plaintext-secrets");
    expect(r.status).toBe("fail");
    expect(r.violations.map((v) => v.message)).toEqual([
      "monitor 'pasted-key-redis-memory-cache': field 'message' holds what looks like a literal API or integration key",
    ]);
    expect(r.violations[0]!.at.line).toBe(lineOf("test/fixtures/audit/pasted-key.yaml", "use: redis-memory"));
    // The report names the field, and never repeats the key.
    expect(readFileSync(join(tmp, "out", "audit.json"), "utf8")).not.toContain("0123456789abcdef0123456789abcdef");
    expect(html).not.toContain("0123456789abcdef0123456789abcdef");
  });

  it("max-ten-alerts: an eleventh alert never gets past the customer file, which is reported invalid", () => {
    const c = byId("eleven-alerts");
    expect(c.file).toBe("test/fixtures/invalid/eleven-alerts.yaml");
    expect(c.problems).toEqual([{ line: 20, col: 1, message: "alerts: 11 alerts; the Extended package allows at most 10 per customer" }]);
    expect(c.policies).toEqual([]);
  });

  it("locates every violation in SARIF at the customer-file line that chose the alert", () => {
    const results = sarif.runs[0]!.results.map((r) => ({
      rule: r.ruleId,
      level: r.level,
      uri: r.locations[0]!.physicalLocation.artifactLocation.uri,
      line: r.locations[0]!.physicalLocation.region.startLine,
    }));
    expect(results).toEqual(
      expect.arrayContaining([
        {
          rule: "no-custom-alerts",
          level: "error",
          uri: "test/fixtures/audit/tampered-query.yaml",
          line: lineOf("test/fixtures/audit/tampered-query.yaml", "use: app-service-5xx"),
        },
        {
          rule: "no-custom-alerts",
          level: "error",
          uri: "test/fixtures/audit/extra-pager.yaml",
          line: lineOf("test/fixtures/audit/extra-pager.yaml", "use: sql-cpu"),
        },
        {
          rule: "alerts-route-to-preparedness",
          level: "error",
          uri: "test/fixtures/audit/extra-pager.yaml",
          line: lineOf("test/fixtures/audit/extra-pager.yaml", "use: sql-cpu"),
        },
        {
          rule: "no-custom-alerts",
          level: "error",
          uri: "test/fixtures/audit/pasted-key.yaml",
          line: lineOf("test/fixtures/audit/pasted-key.yaml", "use: redis-memory"),
        },
        {
          rule: "no-plaintext-secrets",
          level: "error",
          uri: "test/fixtures/audit/pasted-key.yaml",
          line: lineOf("test/fixtures/audit/pasted-key.yaml", "use: redis-memory"),
        },
        { rule: "valid-customer-file", level: "error", uri: "test/fixtures/invalid/eleven-alerts.yaml", line: 20 },
        // The edited catalogue renders each of these alerts differently from the pack's released one.
        // Its inputs show the same (resource-matches-plan), as its outputs do.
        ...[
          ["tampered-query", "use: app-service-5xx"],
          ["extra-pager", "use: sql-cpu"],
          ["pasted-key", "use: redis-memory"],
        ].flatMap(([c, use]) =>
          ["stack-matches-customer-file", "resource-matches-plan"].map((rule) => ({
            rule,
            level: "error",
            uri: `test/fixtures/audit/${c}.yaml`,
            line: lineOf(`test/fixtures/audit/${c}.yaml`, use!),
          })),
        ),
      ]),
    );
    expect(results).toHaveLength(12);
  });

  it("shows the expected and the deployed value of the field that differs, never a key", () => {
    const query = result("tampered-query", "no-custom-alerts").violations[0]!.difference!;
    expect(query.field).toBe("query");
    expect(query.expected).toContain("sum(last_15m)");
    expect(query.actual).toContain("sum(last_5m)");
    expect(html).toContain(
      `Field <code>query</code>: the catalogue renders <code>${esc(query.expected!)}</code>; deployed is <code>${esc(query.actual!)}</code>.`,
    );
    // The pasted key differs from the catalogue too: its values are withheld, in every format.
    const pasted = result("pasted-key", "no-custom-alerts").violations[0]!.difference!;
    expect(pasted).toEqual({ field: "message", withheld: true });
    expect(html).not.toContain("0123456789abcdef0123456789abcdef");
    expect(JSON.stringify(report)).not.toContain("0123456789abcdef0123456789abcdef");
  });

  it("renders remediation Markdown, prints every section open, and shows each customer's roster", () => {
    expect(html).toContain("Remove alerts from the customer file&#39;s <code>alerts:</code> list");
    expect(html).not.toMatch(/Remediation: [^<]*`/);
    expect(html.slice(html.indexOf("@media print {"))).toMatch(
      /^@media print \{\n(?:  .*\n)*  details::details-content \{ content-visibility: visible; display: block; \}\n/,
    );
    const clean = byId("clean");
    expect(clean.roster!.days.length).toBeGreaterThan(0);
    const first = clean.roster!.days[0]!;
    const section = html.slice(html.indexOf('id="customer-clean"'));
    expect(section).toContain(`<h3>Preparedness roster (${clean.roster!.days.length} days from as-of, Europe/Copenhagen)</h3>`);
    expect(section).toContain(`<tr><td>${esc(first.layer)}</td><td>${esc(first.onDuty.backend!)}</td>`);
  });

  it("escapes whatever a customer file holds, in HTML and Markdown", () => {
    expectSelfContainedHtml(html);
    expect(byId("hostile").file).toMatch(/^\/.*hostile\.yaml$/);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt; | *x* [a](javascript:x)");
    const md = readFileSync(join(tmp, "out", "audit.md"), "utf8");
    expect(md).not.toContain("<script>");
    expect(md).toContain("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*x\\* \\[a\\](javascript:x)");
  });

  it("shows failures in the HTML summary and per customer", () => {
    expect(html).toMatch(/<a href="#customer-tampered-query">tampered-query<\/a>[\s\S]*?<td class="fail">FAILED<\/td>/);
    expect(html).toContain('<details id="customer-tampered-query" open>');
    expect(html).toContain('<details id="customer-clean">');
    expect(html).toContain("test/fixtures/invalid/eleven-alerts.yaml:20:1");
  });
});

describe("pico-monitoring audit --policy-config", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "pico-audit-config-"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("max-ten-alerts: a stack over a configured limit fails, located at the alerts: list", () => {
    // The pack run with the configuration CI uses (`pulumi preview --policy-pack-config`) must be audited with it too.
    const config = join(tmp, "policy-config.json");
    writeFileSync(config, JSON.stringify({ "max-ten-alerts": { maxAlerts: 8 }, "no-plaintext-secrets": "advisory" }));
    const r = runCli([
      "audit",
      "--at",
      at,
      "--policy-config",
      config,
      "--format",
      "sarif",
      "--out",
      join(tmp, "out"),
      "havblik",
      "baltic-freight",
    ]);
    expect(r.code).toBe(1);
    const log = expectValidSarif(readFileSync(join(tmp, "out", "audit.sarif"), "utf8"));
    const run = log.runs[0]!;
    expect(
      run.results.map((x) => [
        x.ruleId,
        x.locations[0]!.physicalLocation.artifactLocation.uri,
        x.locations[0]!.physicalLocation.region.startLine,
      ]),
    ).toEqual([["max-ten-alerts", "stacks/havblik.yaml", lineOf("stacks/havblik.yaml", "alerts:")]]);
    expect(run.results[0]!.message.text).toMatch(/^havblik: this stack has 10 alerts; the Extended package allows at most 8: /);
    // Advisory can't weaken a promise (policies/promise.ts): the rule stays an error, as it reads without the configuration.
    expect(run.tool.driver.rules.find((x) => x.id === "no-plaintext-secrets")!.defaultConfiguration.level).toBe("error");
    expect(run.properties.evidence.policyConfig).toMatchObject({
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      config: { "max-ten-alerts": { maxAlerts: 8 } },
    });
  });

  it('{"all": "advisory"} still fails the stack over the limit: every policy is a promise', () => {
    const config = join(tmp, "advisory.json");
    writeFileSync(config, JSON.stringify({ all: "advisory", "max-ten-alerts": { maxAlerts: 8 } }));
    const r = runCli(["audit", "--at", at, "--policy-config", config, "--json", "havblik"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { policies: { name: string; enforcementLevel: string }[] };
    expect(new Set(report.policies.map((p) => p.enforcementLevel))).toEqual(new Set(["mandatory"]));
  });

  it.each([
    [{ "max-ten-alerts": "disabled" }, "max-ten-alerts"],
    [{ all: "disabled" }, "no-custom-alerts, max-ten-alerts, alerts-route-to-preparedness"],
    [{ "resource-matches-plan": { enforcementLevel: "disabled" } }, "resource-matches-plan"],
  ])("exits 2 on %j: a disabled policy is never run, and no pack can prevent that", (given, named) => {
    const config = join(tmp, "disabled.json");
    writeFileSync(config, JSON.stringify(given));
    const r = runCli(["audit", "--policy-config", config, "havblik"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--policy-config '${config}': disables ${named}`);
    expect(r.stdout).toBe("");
  });

  it("names the configuration file as given, and no remediation contradicts the configured limit", () => {
    writeFileSync(join(tmp, "tight.json"), JSON.stringify({ "max-ten-alerts": { maxAlerts: 8 } }));
    const r = runCli(
      [
        "audit",
        "--at",
        at,
        "--policy-config",
        "tight.json",
        "--format",
        "html,md",
        "--out",
        "report",
        join(repoRoot, "stacks", "havblik.yaml"),
      ],
      {
        cwd: tmp,
      },
    );
    expect(r.code, r.stderr).toBe(1);
    const html = readFileSync(join(tmp, "report", "audit.html"), "utf8");
    const md = readFileSync(join(tmp, "report", "audit.md"), "utf8");
    for (const text of [html, md]) {
      expect(text).toContain("tight.json");
      expect(text).not.toContain(tmp);
      expect(text).toMatch(/allows at most 8/);
      expect(text).not.toMatch(/until at most 10 remain/);
    }
  });

  it("exits 2 on a configuration the pack rejects", () => {
    const config = join(tmp, "bad.json");
    writeFileSync(config, JSON.stringify({ "max-ten-alerts": { maxAlerts: 0 } }));
    const r = runCli(["audit", "--policy-config", config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/policy configuration is invalid:\n {2}max-ten-alerts\.maxAlerts: must be >= 1/);
  });
});

describe("pico-monitoring preview runs the policies too", () => {
  it("--json carries every policy's result under `policies`", () => {
    const r = runCli(["preview", "nordlys", "--json", "--at", at]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { policies: { pack: string; version: string; results: unknown[] } };
    expect(Object.keys(doc)).toEqual(["customer", "asOf", "phase", "summary", "policies", "roster", "resources"]);
    expect(doc.policies).toEqual({
      pack: "pico-extended",
      version: packVersion,
      results: policyNames.map((policy) => ({ policy, enforcementLevel: "mandatory", status: "pass", violations: [] })),
    });
  });

  it("prints a policy summary under the table", () => {
    const r = runCli(["preview", "havblik", "--at", at]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `\\nPolicies: {2}pico-extended ${packVersion.replace(/\./g, "\\.")}: ${packPolicies.length} of ${packPolicies.length} passed\\n$`,
      ),
    );
  });

  it("names failed policies and their first violations; only mandatory ones fail the command", () => {
    const policies = {
      pack: "pico-extended",
      version: "1.0.0",
      results: [
        {
          policy: "no-custom-alerts",
          enforcementLevel: "mandatory",
          status: "fail" as const,
          violations: [1, 2, 3, 4].map((i) => ({ urn: `u${i}`, message: `monitor 'm${i}': field 'query' differs` })),
        },
        {
          policy: "max-ten-alerts",
          enforcementLevel: "advisory",
          status: "fail" as const,
          violations: [{ message: "this stack has 11 alerts" }],
        },
        { policy: "alerts-route-to-preparedness", enforcementLevel: "mandatory", status: "pass" as const, violations: [] },
      ],
    };
    expect(formatPolicySummary(policies)).toBe(
      [
        "Policies:  pico-extended 1.0.0: 1 of 3 passed, 1 mandatory policy FAILED",
        "  FAIL no-custom-alerts (mandatory): 4 violations",
        "       - monitor 'm1': field 'query' differs",
        "       - monitor 'm2': field 'query' differs",
        "       - monitor 'm3': field 'query' differs",
        "       … and 1 more (--json lists all)",
        "  warn max-ten-alerts (advisory): 1 violation",
        "       - this stack has 11 alerts",
        "",
      ].join("\n"),
    );
    expect(mandatoryFailures(policies).map((r) => r.policy)).toEqual(["no-custom-alerts"]);
  });
});

describe("pico-monitoring audit usage", () => {
  it.each([
    [["--format", "pdf"], /--format 'pdf' is not one of md, json, sarif, html/],
    [["--format", "md,json"], /several formats need --out <dir>/],
    [["nobody"], /unknown customer 'nobody'/],
    [["--stacks", "no/such/dir"], /--stacks 'no\/such\/dir' is not a directory/],
    [["--jobs", "0"], /--jobs '0' is not a whole number/],
    [["--at", "next tuesday"], /--at 'next tuesday' is not an ISO date-time/],
  ])("exits 2 on %j", (args, message) => {
    const r = runCli(["audit", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});

/**
 * What no customer file can make the components register, an auditor still meets: resources
 * edited by hand or added by another program in the same stack. Here a real preview is edited the
 * same way, and goes through the same policies, assessment and reports as the CLI's.
 */
describe("audit of hand-edited resources (in-process)", () => {
  const file = "stacks/havblik.yaml";
  let resources: RegisteredResource[];

  beforeAll(async () => {
    const catalog = loadCatalog();
    const loaded = loadCustomer(join(repoRoot, file), catalog);
    resources = (await previewCustomer(loaded.spec, catalog, new Date(at))).resources;
  });

  // The edits below test where the audit shows each policy's findings, the whole pack judging them.
  async function audit(edited: RegisteredResource[]): Promise<{ customer: CustomerAudit; report: AuditReport }> {
    const catalog = loadCatalog();
    const loaded = loadCustomer(join(repoRoot, file), catalog);
    const read = readYamlFile(join(repoRoot, file), file);
    if (!loaded.ok || !read.ok) throw new Error("unreadable");
    const customer = assessCustomer({
      customer: "havblik",
      file,
      spec: loaded.spec,
      locate: read.source.locate,
      hasKey: (k) => k in (read.source.data as object),
      resources: edited,
      report: await runPolicies(analyzerView(edited, "first-preview"), {
        pack,
        stack: judgedStack("havblik", new Date(at), "first-preview"),
      }),
      catalog,
    });
    const evidence: Evidence = {
      tool: { name: "pico-monitoring", version: "0.0.0" },
      pack: { name: "pico-extended", version: packVersion, package: "@pico/monitoring-policies" },
      catalog: { path: "catalog/entries", digest: catalog.digest, entries: catalog.entries.size },
      git: { commit: "unknown", dirty: "unknown" },
      asOf: at,
      generatedAt: at,
      node: process.version,
    };
    const policies = packPolicies.map((p) => ({
      name: p.name,
      description: p.description,
      enforcementLevel: p.enforcementLevel ?? "mandatory",
      remediation: p.remediationSteps,
    }));
    return { customer, report: buildReport(evidence, policies, [customer]) };
  }

  const find = (name: string) => resources.find((r) => r.name === name)!;
  const sarifLines = (report: AuditReport) =>
    (JSON.parse(auditSarif(report)) as SarifLog).runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.region.startLine]);

  it("passes untouched", async () => {
    expect((await audit(resources)).customer.status).toBe("pass");
  });

  it("max-ten-alerts: an eleventh monitor added beside the ten, shown at the alerts: list", async () => {
    const copy = structuredClone(find("havblik-sql-storage-pim-db"));
    copy.name = "havblik-sql-storage-pim-db-2";
    copy.urn = copy.urn.replace(/::havblik-sql-storage-pim-db$/, "::havblik-sql-storage-pim-db-2");
    const { customer, report } = await audit([...resources, copy]);
    expect(customer.status).toBe("fail");
    const max = customer.policies.find((p) => p.policy === "max-ten-alerts")!;
    expect(max.violations).toEqual([
      {
        message: expect.stringMatching(/^this stack has 11 alerts; the Extended package allows at most 10: /),
        at: { line: lineOf(file, "alerts:"), col: 1 },
      },
    ]);
    // The copy still carries the original's provenance, so it is listed against the same file item.
    expect(customer.alerts.filter((a) => a.provenance?.entry === "sql-storage")).toHaveLength(2);
    // The copy is also more than the file renders: shown at the item it copies, by the stack and,
    // before it would exist, by its own Analyze.
    expect(sarifLines(report)).toEqual([
      ["max-ten-alerts", lineOf(file, "alerts:")],
      ["stack-matches-customer-file", lineOf(file, "use: sql-storage", "on: pim-db")],
      ["resource-matches-plan", lineOf(file, "use: sql-storage", "on: pim-db")],
    ]);
    expect(auditMarkdown(report)).toMatch(
      /\*\*FAIL\*\*: max-ten-alerts \(mandatory\)\n {2}- stacks\/havblik\.yaml:\d+:1: this stack has 11 alerts/,
    );
  });

  it("alerts-route-to-preparedness and no-custom-alerts: the paging handle edited out of a monitor", async () => {
    const monitor = structuredClone(find("havblik-redis-server-load-web-cache"));
    monitor.props.message = String(monitor.props.message).replace(/@pagerduty-\S+/, "");
    const { customer, report } = await audit(resources.map((r) => (r.urn === monitor.urn ? monitor : r)));
    const line = lineOf(file, "use: redis-server-load");
    // The message also differs from the plan, as the stack and as the monitor's inputs.
    expect(sarifLines(report)).toEqual([
      ["no-custom-alerts", line],
      ["alerts-route-to-preparedness", line],
      ["stack-matches-customer-file", line],
      ["resource-matches-plan", line],
    ]);
    expect(customer.alerts.find((a) => a.urn === monitor.urn)!.failedPolicies).toEqual([
      "no-custom-alerts",
      "alerts-route-to-preparedness",
      "stack-matches-customer-file",
      "resource-matches-plan",
    ]);
  });

  it("no-plaintext-secrets: an integration key no longer kept secret, shown at its role in the roster", async () => {
    const integration = structuredClone(find("pico-havblik-pim-datadog"));
    delete integration.additionalSecretOutputs;
    const { report } = await audit(resources.map((r) => (r.urn === integration.urn ? integration : r)));
    // The stack shows it, and so does the integration's own Analyze, before its key is stored.
    expect(sarifLines(report)).toEqual([
      ["no-plaintext-secrets", lineOf(file, "  pim: [")],
      ["resource-matches-plan", lineOf(file, "  pim: [")],
    ]);
  });

  it("no-custom-alerts: a hand-written monitor without provenance, listed and shown at the alerts: list", async () => {
    const stray = structuredClone(find("havblik-redis-server-load-web-cache"));
    stray.name = "hand-made";
    stray.urn = stray.urn.replace(/::[^:]+$/, "::hand-made");
    delete stray.props.tags;
    const { customer, report } = await audit([...resources.filter((r) => r.name !== "havblik-sql-storage-pim-db"), stray]);
    const listed = customer.alerts.find((a) => a.name === "hand-made")!;
    expect(listed).toMatchObject({
      noProvenance: "it has no tags",
      // Nothing the file renders, too: as the stack shows it, and as its own Analyze does.
      failedPolicies: ["no-custom-alerts", "stack-matches-customer-file", "resource-matches-plan"],
      at: { line: lineOf(file, "alerts:") },
    });
    // The stack comparison: the hand-made monitor is nothing the file renders, and the one it replaced is missing.
    expect(customer.policies.find((p) => p.policy === "stack-matches-customer-file")!.violations.map((v) => v.message)).toEqual([
      "monitor 'havblik-sql-storage-pim-db' is missing: stacks/havblik.yaml renders it",
      "monitor 'hand-made' is not something stacks/havblik.yaml renders",
    ]);
    expect(sarifLines(report)).toEqual([
      ["no-custom-alerts", lineOf(file, "alerts:")],
      ["stack-matches-customer-file", lineOf(file, "alerts:")],
      ["stack-matches-customer-file", lineOf(file, "alerts:")],
      ["resource-matches-plan", lineOf(file, "alerts:")],
    ]);
    expect(auditHtml(report)).toContain("no provenance: it has no tags");
  });
});
