/**
 * verify's report as text (one line per check, failures first), JSON, SARIF 2.1.0 (one rule per check,
 * one result per failed check located at the customer-file line it comes from, as `audit` does) and a
 * Markdown summary for a CI job summary.
 */
import { createHash } from "node:crypto";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { failedChecks, verifyRules, type Check, type VerifyReport, type VerifyRule } from "./model.js";

const mark: Record<Check["status"], string> = { pass: "ok  ", fail: "FAIL", note: "note" };

function line(c: Check): string {
  return `  ${mark[c.status]} ${c.rule} ${c.subject}: ${c.status === "pass" ? c.found : `expected ${c.expected}; found ${c.found}`}`;
}

export function verifyText(r: VerifyReport): string {
  const out: string[] = [];
  for (const c of r.customers) {
    const failed = c.checks.filter((k) => k.status === "fail").length;
    out.push(`${c.customer} (${c.file}), at ${c.at}: ${c.checks.length} checks, ${failed} failed`);
    // Failures and notes first: they are what the reader is looking for.
    const order = { fail: 0, note: 1, pass: 2 };
    for (const k of [...c.checks].sort((a, b) => order[a.status] - order[b.status])) out.push(line(k));
  }
  const failed = failedChecks(r).length;
  out.push(failed ? `verify: ${failed} checks failed` : "verify: every check passed");
  return `${out.join("\n")}\n`;
}

export function verifyJson(r: VerifyReport): string {
  return `${JSON.stringify({ ...r, failed: failedChecks(r).length }, null, 2)}\n`;
}

/** For $GITHUB_STEP_SUMMARY: the failed checks and notes as a table. */
export function verifyMarkdown(r: VerifyReport): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const out: string[] = [];
  for (const c of r.customers) {
    const shown = c.checks.filter((k) => k.status !== "pass");
    const failed = shown.filter((k) => k.status === "fail").length;
    out.push(
      `### verify ${c.customer}: ${failed ? `${failed} of ${c.checks.length} checks failed` : `all ${c.checks.length} checks passed`}`,
      "",
    );
    if (shown.length) {
      out.push("| | check | subject | expected | found |", "| --- | --- | --- | --- | --- |");
      for (const k of shown) out.push(`| ${k.status} | ${k.rule} | ${cell(k.subject)} | ${cell(k.expected)} | ${cell(k.found)} |`);
      out.push("");
    }
  }
  return `${out.join("\n")}\n`;
}

/** Same PascalCase rule names as the audit's SARIF. */
const ruleName = (id: string) => id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
const fingerprint = (...parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);
const artifact = (file: string) => (isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: file, uriBaseId: "%SRCROOT%" });

export function verifySarif(r: VerifyReport, tool: { name: string; version: string }): string {
  const ids = Object.keys(verifyRules) as VerifyRule[];
  const rules = ids.map((id) => ({
    id,
    name: ruleName(id),
    shortDescription: { text: verifyRules[id].title },
    fullDescription: { text: verifyRules[id].title },
    help: { text: verifyRules[id].help },
    defaultConfiguration: { level: "error" },
    // A check that fails means an alert that can't fire or reaches nobody: high, on GitHub's 0-10 scale.
    properties: { tags: ["pico-extended", "verify"], "security-severity": "8.0" },
  }));
  const results = r.customers.flatMap((c) =>
    c.checks
      .filter((k) => k.status === "fail")
      .map((k) => ({
        ruleId: k.rule,
        ruleIndex: ids.indexOf(k.rule),
        level: "error",
        message: { text: `${c.customer}: ${k.subject}: expected ${k.expected}; found ${k.found}` },
        locations: [{ physicalLocation: { artifactLocation: artifact(c.file), region: { startLine: k.at.line, startColumn: k.at.col } } }],
        partialFingerprints: { "picoFinding/v1": fingerprint(k.rule, c.customer, k.subject) },
        properties: { customer: c.customer },
      })),
  );
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: tool.name, version: tool.version, semanticVersion: tool.version, rules } },
        automationDetails: { id: "pico-monitoring/verify/" },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The root of the repository verify ran in" } } },
        invocations: [{ executionSuccessful: true }],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
