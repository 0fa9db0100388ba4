/** Assembles the audit report from the customers' records; pure. */
import type { AuditReport, CustomerAudit, Evidence, PolicyDescription } from "./model.js";

export function buildReport(evidence: Evidence, policies: PolicyDescription[], customers: CustomerAudit[]): AuditReport {
  const count = (status: CustomerAudit["status"]) => customers.filter((c) => c.status === status).length;
  return {
    report: "pico-monitoring audit",
    formatVersion: 1,
    evidence,
    summary: {
      customers: customers.length,
      passed: count("pass"),
      failed: count("fail"),
      invalid: count("invalid"),
      errors: count("error"),
      policies: policies.map((p) => {
        const results = customers.flatMap((c) => c.policies.filter((r) => r.policy === p.name));
        return {
          policy: p.name,
          enforcementLevel: p.enforcementLevel,
          passed: results.filter((r) => r.status === "pass").length,
          failed: results.filter((r) => r.status === "fail").length,
        };
      }),
    },
    policies,
    customers,
  };
}

/** The policy's level as this audit ran it (the pack's default unless configured otherwise). */
export function levelOf(report: AuditReport, policy: string): string {
  return report.policies.find((p) => p.name === policy)?.enforcementLevel ?? "mandatory";
}

/** A customer's result for one policy, or undefined when the policies did not run (invalid, error). */
export function resultOf(c: CustomerAudit, policy: string) {
  return c.policies.find((r) => r.policy === policy);
}

export function statusText(c: CustomerAudit): string {
  switch (c.status) {
    case "pass":
      return "passed";
    case "fail":
      return "FAILED";
    case "invalid":
      return "INVALID FILE";
    case "error":
      return "NOT AUDITED";
  }
}

/** `5 (default 10)`, `10 (default)`, or the bare value when the default is unknown. */
export function tunableText(t: { value: number; default?: number; setInFile: boolean }): string {
  if (t.default === undefined) return String(t.value);
  if (t.value !== t.default) return `${t.value} (default ${t.default})`;
  return t.setInFile ? `${t.value} (default, set in file)` : `${t.value} (default)`;
}
