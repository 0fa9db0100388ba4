/**
 * Inside the program a secret keeps the engine's form (src/facts/engineValues.ts): the value, wrapped.
 * Only the printers mask it. This drives the printers through the built command and checks that the
 * secret values the mock engine makes (the fake PagerDuty integration keys, and the webhook URIs
 * built from them) appear in none of the formats of preview, audit and diff. Audit and diff preview a
 * first `pulumi preview`, where the keys are not known yet (the secrets there wrap the unknown
 * sentinel), so the update is what puts a known key in front of preview's printers, and diff's are
 * given a base document that printed one.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.js";
import { customerDiff, diffReport, reportJson } from "../src/diff/report.js";
import { reportMarkdown } from "../src/diff/markdown.js";
import { isSecretValue, revealed, UNKNOWN_SENTINEL } from "../src/facts/engineValues.js";
import { previewCustomer } from "../src/preview/customer.js";
import type { PreviewDoc } from "../src/preview/document.js";
import { loadCustomer } from "../src/plan/loadCustomer.js";
import { runCli } from "./support/cli.js";

const at = "2027-01-10T12:00:00Z";
const customer = "nordlys";
/** The engine's secret signature (`specialSigKey`): an unmasked wrapper would print it. */
const secretSignature = "4dabf18193072939515e22adb298388d";

let secrets: string[] = [];
let out: string;

/** Every printed text must hold none of the secrets, and none of the engine's own forms. */
function expectNoSecret(label: string, text: string) {
  expect(text.length, label).toBeGreaterThan(0);
  for (const s of secrets) expect(text.includes(s), `${label} prints a secret`).toBe(false);
  expect(text.includes(secretSignature), `${label} prints a secret wrapper`).toBe(false);
  expect(text.includes(UNKNOWN_SENTINEL), `${label} prints the unknown sentinel`).toBe(false);
}

beforeAll(async () => {
  // What the engine holds on an update, where the providers' keys are known: the control that the
  // secrets exist, inside the wrapper, as real values.
  const { spec } = loadCustomer(customer);
  const preview = await previewCustomer(spec, loadCatalog(), new Date(at), "update");
  const held = preview.resources.flatMap((r) =>
    (r.secretPaths ?? []).map((p) => {
      const top = /^[^.[]+/.exec(p)![0];
      return { r, value: r.props[top] };
    }),
  );
  const links = held.filter(({ r }) => r.type === "datadog:pagerduty/serviceObject:ServiceObject");
  expect(links.length).toBeGreaterThan(0);
  for (const { value } of links) {
    expect(isSecretValue(value)).toBe(true);
    expect(revealed(value)).toMatch(/^[0-9a-f]{32}$/);
  }
  secrets = [...new Set(links.map(({ value }) => revealed(value) as string))];
  out = mkdtempSync(join(tmpdir(), "pico-secrets-"));
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("a secret value reaches no printed format", () => {
  it("preview: the table and the JSON document, first preview and update", () => {
    for (const phase of [[], ["--update"]]) {
      const table = runCli(["preview", customer, "--at", at, ...phase]);
      expect(table.code, table.stderr).toBe(0);
      expectNoSecret(`preview ${phase.join(" ")}`, table.stdout);
      const json = runCli(["preview", customer, "--json", "--at", at, ...phase]);
      expect(json.code, json.stderr).toBe(0);
      expectNoSecret(`preview --json ${phase.join(" ")}`, json.stdout);
      const doc = JSON.parse(json.stdout) as PreviewDoc;
      const link = doc.resources.find((r) => r.type === "datadog:pagerduty/serviceObject:ServiceObject")!;
      expect(link.props.serviceKey).toBe("[secret]");
    }
  });

  it("audit: every format", () => {
    const dir = join(out, "audit");
    const r = runCli(["audit", customer, "--at", at, "--out", dir, "--format", "all"]);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(dir);
    expect(files.sort()).toEqual(["audit.html", "audit.json", "audit.md", "audit.sarif"]);
    for (const f of files) expectNoSecret(`audit ${f}`, readFileSync(join(dir, f), "utf8"));
    expectNoSecret("audit stdout", r.stdout + r.stderr);
  });

  it("diff: JSON and Markdown, even when the base revision printed the key in plain", () => {
    // diff compares the two sides' `preview --json` documents. A base from a revision that did not yet
    // keep the key secret printed it; the change to a secret must still print as "[secret]".
    const head = JSON.parse(runCli(["preview", customer, "--json", "--at", at, "--update"]).stdout) as PreviewDoc;
    const base = structuredClone(head);
    const link = base.resources.find((r) => r.type === "datadog:pagerduty/serviceObject:ServiceObject")!;
    link.props.serviceKey = secrets[0];
    link.secretPaths = (link.secretPaths ?? []).filter((p) => p !== "serviceKey");
    const reasons = [{ kind: "customer-file" as const, path: `stacks/${customer}.yaml`, change: "modified" as const }];
    const report = diffReport({
      base: "main",
      baseCommit: "0".repeat(40),
      asOf: at,
      customers: [customerDiff(customer, reasons, { status: "ok", doc: base }, { status: "ok", doc: head })],
    });
    const json = reportJson(report);
    const change = JSON.parse(json).customers[0].changes.changed.find((c: { urn: string }) => c.urn === link.urn);
    expect(change.props).toEqual([{ path: "serviceKey", before: "[secret]", after: "[secret]" }]);
    expectNoSecret("diff --format json", json);
    const markdown = reportMarkdown(report);
    expect(markdown).toContain('"[secret]"');
    expectNoSecret("diff markdown", markdown);
  });
});
