/**
 * The pull-request report of `pico-monitoring diff`: per affected customer, what changes, the
 * alert count against the limit, the policy results after the change and the roster days. As JSON
 * for machines (CI matrix, artifacts); ./markdown.ts renders it for one pull-request comment.
 *
 * Policy results come from the head preview, because `pulumi preview --json` drops them and
 * pulumi/actions posts nothing when a mandatory policy fails: this report is where a reviewer
 * sees them.
 */
import type { MaintenanceDiff } from "./maintenanceChanges.js";
import { diffRosterChanges, type RosterChangesDiff } from "./rosterChanges.js";
import { describeReason, type Reason } from "./affected.js";
import { blockingFailures, compareResources, rosterChange, type RosterChange, type ResourceChanges } from "./compare.js";
import type { PreviewDoc, PreviewPolicies } from "../preview/document.js";
import { masked } from "../facts/engineValues.js";
import { defaultRolloutSettings, planRollout, type RolloutPlan, type RolloutSettings } from "../plan/rollout.js";

/** One side of the comparison, as its `preview --json` run ended. */
export type SideResult =
  | { status: "ok"; doc: PreviewDoc }
  /** No customer file on that side: the customer was added or removed. */
  | { status: "absent" }
  /** The tool rejected the input; `problems` are its `file:line:col: message` lines. */
  | { status: "invalid"; problems: string[] }
  | { status: "error"; message: string };

export interface SideSummary {
  status: SideResult["status"];
  problems?: string[];
}

export interface CustomerDiff {
  customer: string;
  reason: string;
  reasons: Reason[];
  change: "added" | "removed" | "modified" | "unchanged" | "unknown";
  base: SideSummary;
  head: SideSummary;
  /** Null when either side could not be previewed. */
  changes: ResourceChanges | null;
  alerts: { before: number | null; after: number | null; max: number | null };
  /** The head preview's policy results; null when the head was not previewed or reports none. */
  policies: PreviewPolicies | null;
  roster: RosterChange | null;
  /** Roster changes the pull request adds or withdraws (`roster.changes`); null when either side could not be previewed. */
  rosterChanges: RosterChangesDiff | null;
  /**
   * Approved maintenance windows the pull request adds, widens, narrows, removes or re-approves,
   * compared by id between the two sides' customer files; null when either file can't be read.
   */
  maintenance: MaintenanceDiff | null;
  /** Whether the customer's stack passes after the change. */
  result: "pass" | "fail";
  /** Why it fails: failed mandatory policies and rejected input, one line each. */
  failures: string[];
  notes: string[];
}

export interface DiffReport {
  base: string;
  baseCommit: string;
  asOf: string;
  /** Every affected customer id, sorted. */
  affected: string[];
  /** Affected customers that still have a stack after the change: what CI previews and deploys. */
  stacks: string[];
  /** Affected customers whose file was removed: their stacks need a deliberate `pulumi destroy`. */
  removed: string[];
  customers: CustomerDiff[];
  result: "pass" | "fail";
  /**
   * How `stacks` reach the cloud: the canary wave and the rest, each cut into at most `maxShards`
   * shards balanced by resources to preview (one CI job per shard; src/plan/rollout.ts).
   */
  rollout: RolloutPlan;
  /**
   * How the base's code was obtained: `reused` when it is the same as the working tree's (only
   * data changed), `compiled` from its own sources; `errors` when tsc reported some but emitted.
   */
  baseBuild?: { method: "reused" | "compiled"; errors?: string[] };
}

function summarize(side: SideResult): SideSummary {
  if (side.status === "invalid") return { status: side.status, problems: side.problems };
  if (side.status === "error") return { status: side.status, problems: [side.message] };
  return { status: side.status };
}

export function customerDiff(
  customer: string,
  reasons: Reason[],
  base: SideResult,
  head: SideResult,
  maintenance: MaintenanceDiff | null = null,
): CustomerDiff {
  const resources = (s: SideResult) => (s.status === "ok" ? s.doc.resources : s.status === "absent" ? [] : undefined);
  const before = resources(base);
  const after = resources(head);
  const comparable = before !== undefined && after !== undefined;
  const changes = comparable ? compareResources(before, after) : null;
  const alertsOf = (s: SideResult) => (s.status === "ok" ? s.doc.summary.alerts : s.status === "absent" ? 0 : null);
  const max =
    head.status === "ok" && Number.isFinite(head.doc.summary.maxAlerts)
      ? head.doc.summary.maxAlerts
      : base.status === "ok" && Number.isFinite(base.doc.summary.maxAlerts)
        ? base.doc.summary.maxAlerts
        : null;

  const failures: string[] = [];
  const notes: string[] = [];
  let policies: PreviewPolicies | null = null;
  if (head.status === "ok") {
    policies = head.doc.policies ?? null;
    if (policies) {
      for (const f of blockingFailures(policies)) {
        for (const v of f.violations.length ? f.violations : [{ message: "failed" }]) failures.push(`${f.policy}: ${v.message}`);
      }
    } else {
      notes.push("This revision's preview reports no policy results; only the alert limit was checked.");
      const { alerts, maxAlerts } = head.doc.summary;
      if (alerts > maxAlerts) failures.push(`max-ten-alerts: ${alerts} alerts; the Extended package allows at most ${maxAlerts}`);
    }
  } else if (head.status === "invalid") {
    failures.push(...head.problems);
  } else if (head.status === "error") {
    failures.push(`the preview after the change failed: ${head.message}`);
  } else {
    notes.push(
      `The customer file is gone; the stack is not destroyed automatically: run \`pulumi destroy --stack ${customer}\` deliberately.`,
    );
  }
  if (base.status === "invalid" || base.status === "error") {
    notes.push("The base revision could not be previewed for this customer, so its changes can't be listed.");
  }

  const change: CustomerDiff["change"] = !comparable
    ? "unknown"
    : base.status === "absent"
      ? "added"
      : head.status === "absent"
        ? "removed"
        : changes!.added.length + changes!.removed.length + changes!.changed.length > 0
          ? "modified"
          : "unchanged";

  return {
    customer,
    reason: reasons.map(describeReason).join("; "),
    reasons,
    change,
    base: summarize(base),
    head: summarize(head),
    changes,
    alerts: { before: alertsOf(base), after: alertsOf(head), max },
    policies,
    roster: comparable
      ? rosterChange(before, after, {
          base: base.status === "ok" ? base.doc.roster : base.status === "absent" ? [] : undefined,
          head: head.status === "ok" ? head.doc.roster : head.status === "absent" ? [] : undefined,
        })
      : null,
    rosterChanges: comparable
      ? diffRosterChanges(
          base.status === "ok" ? (base.doc.rosterChanges ?? []) : [],
          head.status === "ok" ? (head.doc.rosterChanges ?? []) : [],
        )
      : null,
    maintenance,
    result: failures.length > 0 ? "fail" : "pass",
    failures,
    notes,
  };
}

export function diffReport(opts: {
  base: string;
  baseCommit: string;
  asOf: string;
  customers: CustomerDiff[];
  baseBuild?: DiffReport["baseBuild"];
  /** The fleet file's `rollout` settings; `--shards` may lower maxShards. */
  rollout?: RolloutSettings;
  /** Resources each customer's head preview holds, its cost in a shard. */
  costs?: ReadonlyMap<string, number>;
}): DiffReport {
  const customers = [...opts.customers].sort((a, b) => (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : 0));
  const deployed = customers.filter((c) => c.head.status !== "absent");
  const rollout = planRollout(
    deployed.map((c) => ({
      customer: c.customer,
      cost: opts.costs?.get(c.customer) ?? 1,
      ownFilesOnly: c.reasons.every((r) => r.kind === "customer-file" || r.kind === "stack-settings"),
    })),
    opts.rollout ?? defaultRolloutSettings,
  );
  return {
    base: opts.base,
    baseCommit: opts.baseCommit,
    asOf: opts.asOf,
    affected: customers.map((c) => c.customer),
    stacks: customers.filter((c) => c.head.status !== "absent").map((c) => c.customer),
    removed: customers.filter((c) => c.head.status === "absent").map((c) => c.customer),
    customers,
    result: customers.some((c) => c.result === "fail") ? "fail" : "pass",
    rollout,
    ...(opts.baseBuild ? { baseBuild: opts.baseBuild } : {}),
  };
}

export function reportJson(report: DiffReport): string {
  return `${JSON.stringify(masked(report), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Lets the workflow find and update its own comment instead of adding one per push. */
