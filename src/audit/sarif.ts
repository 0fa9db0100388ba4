/**
 * The audit as SARIF 2.1.0, for GitHub code scanning: one rule per policy (plus one for invalid
 * customer files), one result per violation, located at the customer-file line that chose the
 * violating alert, so the finding shows on the pull request that changed it.
 */
import { createHash } from "node:crypto";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { AuditReport, CustomerAudit, SourcePosition } from "./model.js";

export const invalidFileRule = "valid-customer-file";

type Level = "error" | "warning" | "note" | "none";

const levelFor = (enforcementLevel: string): Level =>
  enforcementLevel === "mandatory" || enforcementLevel === "remediate" ? "error" : enforcementLevel === "advisory" ? "warning" : "none";

/**
 * GitHub code scanning ranks a rule by `properties["security-severity"]`, a score from 0.0 to 10.0:
 * over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low (GitHub Docs, "SARIF
 * support for code scanning", reportingDescriptor object). One score per policy severity, inside
 * its band.
 */
const securitySeverity: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0" };
/** Policies without a severity, and invalid files: nothing is provisioned, so a review finding, not a vulnerability. */
const defaultSecuritySeverity = "5.5";

/** Rule names are PascalCase identifiers in SARIF; ids stay the policy names. */
const ruleName = (id: string) => id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

function artifact(file: string) {
  // Relative paths are relative to the repository root, which is what code scanning resolves.
  return isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: file, uriBaseId: "%SRCROOT%" };
}

function location(c: CustomerAudit, at: SourcePosition) {
  return { physicalLocation: { artifactLocation: artifact(c.file), region: { startLine: at.line, startColumn: at.col } } };
}

// Stable across line moves, so code scanning tracks one finding instead of closing and reopening it.
const fingerprint = (...parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 32);

export function auditSarif(report: AuditReport): string {
  const e = report.evidence;
  const rules = [
    ...report.policies.map((p) => ({
      id: p.name,
      name: ruleName(p.name),
      shortDescription: { text: p.description },
      fullDescription: { text: p.description },
      help: { text: p.remediation ?? p.description },
      defaultConfiguration: { level: levelFor(p.enforcementLevel) },
      properties: {
        tags: ["pico-extended", "policy"],
        enforcementLevel: p.enforcementLevel,
        ...(p.severity ? { severity: p.severity } : {}),
        "security-severity": securitySeverity[p.severity ?? ""] ?? defaultSecuritySeverity,
      },
    })),
    {
      id: invalidFileRule,
      name: ruleName(invalidFileRule),
      shortDescription: { text: "The customer file is valid: schema, catalogue entries, targets, tunables and the alert limit." },
      fullDescription: { text: "A customer file with problems is not previewed or deployed, so none of its policies could be checked." },
      help: { text: "Fix each problem at the position given; `pico-monitoring validate` shows the same problems." },
      defaultConfiguration: { level: "error" as Level },
      properties: { tags: ["pico-extended", "validation"], "security-severity": defaultSecuritySeverity },
    },
  ];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const results: unknown[] = [];
  for (const c of report.customers) {
    for (const p of c.problems ?? []) {
      results.push({
        ruleId: invalidFileRule,
        ruleIndex: ruleIndex.get(invalidFileRule),
        level: "error",
        message: { text: `${c.customer}: ${p.message}` },
        locations: [location(c, p)],
        partialFingerprints: { "picoFinding/v1": fingerprint(invalidFileRule, c.file, p.message) },
        properties: { customer: c.customer },
      });
    }
    for (const r of c.policies) {
      const level = levelFor(r.enforcementLevel);
      if (level === "none") continue;
      for (const v of r.violations) {
        results.push({
          ruleId: r.policy,
          ruleIndex: ruleIndex.get(r.policy),
          level,
          message: { text: `${c.customer}: ${v.message}` },
          locations: [location(c, v.at)],
          partialFingerprints: { "picoFinding/v1": fingerprint(r.policy, c.customer, v.urn ?? "", v.message) },
          properties: { customer: c.customer, ...(v.urn ? { urn: v.urn } : {}) },
        });
      }
    }
  }

  const notAudited = report.customers.filter((c) => c.status === "error");
  // Approved maintenance windows are not findings (code scanning would raise each as an alert): they
  // travel in the run's property bag, each with the approval and where it stands at as-of.
  const maintenance = report.customers.flatMap((c) =>
    c.maintenance?.length ? [{ customer: c.customer, file: c.file, windows: c.maintenance }] : [],
  );
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: e.tool.name,
            version: e.tool.version,
            semanticVersion: e.tool.version,
            rules,
            properties: { pack: e.pack },
          },
        },
        automationDetails: { id: "pico-monitoring/audit/" },
        // Relative locations are relative to the repository root; the consumer knows where its checkout is.
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The root of the repository the audit ran in" } } },
        invocations: [
          {
            executionSuccessful: notAudited.length === 0,
            endTimeUtc: e.generatedAt,
            toolExecutionNotifications: notAudited.map((c) => ({
              level: "error",
              message: { text: `${c.customer}: not audited: ${c.error ?? "unknown error"}` },
              locations: [location(c, { line: 1, col: 1 })],
            })),
          },
        ],
        results,
        properties: { evidence: e, summary: report.summary, ...(maintenance.length ? { maintenance } : {}) },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
