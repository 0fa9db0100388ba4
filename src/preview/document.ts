/**
 * The document `preview --json` prints, declared once: previewJson writes it, and diff reads it back
 * from both sides of a change. A base from an older revision may lack the fields marked as absent
 * before they were added, so readers treat those as optional.
 */

/** One resource, in the fixed field order previewJson writes. */
export interface PreviewResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  custom?: boolean;
  provider?: string;
  read?: boolean;
  /** Counted against the limit (src/facts/alertingResources.ts). */
  alert?: boolean;
  /** Property paths masked as secrets, e.g. `webhookReceivers[0].serviceUri`. */
  secretPaths?: string[];
  props: Record<string, unknown>;
}

export interface PreviewPolicyResult {
  policy: string;
  enforcementLevel: string;
  status: "pass" | "fail";
  violations: readonly { urn?: string; message: string }[];
  description?: string;
}

/** The policy results a preview carries: `PolicyReport`'s shape, without what only audits need. */
export interface PreviewPolicies {
  pack: string;
  version: string;
  results: readonly PreviewPolicyResult[];
}

export interface PreviewDoc {
  customer: string;
  asOf: string;
  /** Which view of the CLI the policies judged (src/offline/cliView.ts); absent in older documents. */
  phase?: string;
  summary: { alerts: number; maxAlerts: number };
  resources: PreviewResource[];
  /** Absent from previews made before the policy results were added, and when none ran. */
  policies?: PreviewPolicies;
  /** Who covers each role per day; absent from previews made before it was added. */
  roster?: { date: string; layer?: string; onDuty: Record<string, string> }[];
  /** The customer file's roster changes; absent when it has none, or from previews made before they existed. */
  rosterChanges?: { day: string; role: string; from: string; to: string; reason: string }[];
}
