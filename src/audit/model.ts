/**
 * What an audit finds, as plain data: it crosses a process boundary (worker → parent) as JSON and
 * is what every report format renders. Field order here is the order in the JSON report (the
 * code that builds each record keeps it).
 */
import type { EnforcementLevel } from "@pulumi/policy";

/** A place in a customer file, 1-based as editors and SARIF count. */
export interface SourcePosition {
  line: number;
  col: number;
}

export interface AuditedTunable {
  name: string;
  /** As deployed: read back from the alert's tags. */
  value: number;
  /** The catalogue's default; absent when the catalogue does not know the entry or tunable. */
  default?: number;
  /** Whether the customer file sets it (else it took the default when rendered). */
  setInFile: boolean;
}

export interface AlertProvenance {
  entry: string;
  version: number;
  /** The catalogue entry's title; absent when the catalogue the policies judge by lacks the entry. */
  title?: string;
  role: string;
  target: string;
  tunables: AuditedTunable[];
}

/** One alerting resource as registered, with where it came from. */
export interface AuditedAlert {
  urn: string;
  type: string;
  name: string;
  /** Present when the resource's tags name a catalogue entry. */
  provenance?: AlertProvenance;
  /** Why there is no provenance (tags missing or malformed). */
  noProvenance?: string;
  /** The customer file item it was chosen by (`alerts[i]`), when one matches its provenance. */
  alertIndex?: number;
  at: SourcePosition;
  /** Policies that reported a violation on this resource. */
  failedPolicies: string[];
}

export interface AuditedViolation {
  urn?: string;
  message: string;
  /**
   * For a field that differs from its catalogue entry: the rendered (expected) and deployed (actual)
   * values, as JSON. `withheld` instead when either could hold a key: reports are read widely.
   */
  difference?: { field: string; expected?: string; actual?: string; withheld?: true };
  /** Where in the customer file to look: the alert it came from, else the section it belongs to. */
  at: SourcePosition;
}

/** One approved maintenance window of a customer file, with its approval and where it stands at the audit's as-of. */
export interface AuditedMaintenanceWindow {
  id: string;
  /** Local wall time in `timezone`, `YYYY-MM-DD HH:MM`: the start as the file writes it, and the end. */
  start: string;
  end: string;
  timezone: string;
  /** The same interval in UTC. */
  startUtc: string;
  endUtc: string;
  /** As `2h`, `1h30m`; `minutes` is the same length. */
  duration: string;
  minutes: number;
  systems: string[];
  /** Who approved it: the e-mail the window names, and the name `approvers:` gives it. */
  approvedBy: { name?: string; email: string };
  change: string;
  reason: string;
  /** The preparedness window it overlaps (local times), and why the file says it may. */
  preparedness?: { date: string; kind: string; title: string; start: string; end: string; reason?: string };
  /** Where the window stands at the audit's as-of: not begun, silencing now, or over (it renders nothing). */
  state: "upcoming" | "running" | "ended";
  at: SourcePosition;
}

export interface AuditedPolicyResult {
  policy: string;
  enforcementLevel: EnforcementLevel;
  status: "pass" | "fail";
  violations: AuditedViolation[];
  /** Could not decide during preview; advisory, never a failure. */
  undecided: AuditedViolation[];
}

export type CustomerStatus = "pass" | "fail" | "invalid" | "error";

export interface CustomerAudit {
  /** The stack name: the file name without `.yaml`, even when the file is unreadable. */
  customer: string;
  /** Display name from the file, when it is valid. */
  name?: string;
  /** Relative to the repository root (forward slashes) when inside it, else absolute. */
  file: string;
  /** Of the file's bytes, so a reader can tell the audited file from a later edit. */
  sha256?: string;
  /**
   * pass: valid and every mandatory policy passed; fail: a mandatory policy failed; invalid: the
   * file has problems (nothing was previewed); error: the preview itself failed.
   */
  status: CustomerStatus;
  problems?: { line: number; col: number; message: string }[];
  error?: string;
  resources?: number;
  /** The as-of instant this customer was previewed at (see Evidence.asOf). */
  asOf?: string;
  /** The preparedness days the schedules hold from as-of on, and who covers each role. */
  roster?: {
    timezone: string;
    days: { date: string; layer: string; onDuty: Record<string, string> }[];
    /** The file's roster changes (`roster.changes`): who covers instead of whom, on which day, and why. */
    changes?: { day: string; role: string; from: string; to: string; reason: string }[];
  };
  /** The file's approved maintenance windows (`maintenance:`), ended ones too: the record of what was silenced. */
  maintenance?: AuditedMaintenanceWindow[];
  alerts: AuditedAlert[];
  policies: AuditedPolicyResult[];
}

export interface PolicyDescription {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity?: string;
  remediation?: string;
}

export interface Evidence {
  tool: { name: string; version: string };
  pack: { name: string; version: string; package: string };
  /** The catalogue the policies judge by (what "standard" means). */
  catalog: { path: string; digest: string; entries: number };
  /** Only when alerts were rendered from another catalogue (`--catalog`). */
  renderedFrom?: { path: string; digest: string; entries: number };
  git: { commit: string; dirty: boolean | "unknown" };
  /** Only when the policies ran with a configuration (`--policy-config`), as given. */
  policyConfig?: { path: string; sha256: string; config: Record<string, unknown> };
  asOf: string;
  generatedAt: string;
  node: string;
}

export interface AuditReport {
  report: "pico-monitoring audit";
  formatVersion: 1;
  evidence: Evidence;
  summary: {
    customers: number;
    passed: number;
    failed: number;
    invalid: number;
    errors: number;
    /** Per policy, over the customers that were previewed. */
    policies: { policy: string; enforcementLevel: EnforcementLevel; passed: number; failed: number }[];
  };
  policies: PolicyDescription[];
  customers: CustomerAudit[];
}

/** Exit status of an audit: 0 only when every customer was audited and passed. */
export function auditPassed(report: AuditReport): boolean {
  return report.customers.every((c) => c.status === "pass");
}
