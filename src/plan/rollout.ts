/**
 * A roll-out plan: which affected customers go first (the canary wave) and which follow (the rest),
 * and, within each wave, the shards, one GitHub Actions job each. Pure and deterministic: the same
 * customers, costs and fleet settings give the same plan on every machine, so a re-run job finds
 * the same customers in its shard.
 *
 * Why shards: GitHub generates at most 256 jobs per matrix, so a job per customer stops at 256
 * customers. Each shard's job runs its customers one after another (src/rollout/runner.ts).
 */
import type { RenderedAlert } from "../catalog/render.js";
import { roles } from "../facts/extended.js";
import type { CustomerPlan } from "./plan.js";
import { defaultRollout, githubMatrixLimit } from "../customer/fleet.js";

export interface RolloutSettings {
  canaries: readonly string[];
  canaryShare: number;
  directUpTo: number;
  maxShards: number;
}

export const defaultRolloutSettings: RolloutSettings = { canaries: [], ...defaultRollout };

/** One affected customer: its id, what previewing it costs, and whether only its own files changed. */
export interface RolloutCustomer {
  customer: string;
  /** Resources to preview: the preview's count, or `resourcesToPreview` of its plan. */
  cost: number;
  /** Only the customer's own file or stack settings changed: such a change deploys directly. */
  ownFilesOnly: boolean;
}

export interface Shard {
  /** 0-based, the matrix value of the job that runs it. */
  index: number;
  customers: string[];
  cost: number;
}

export interface Wave {
  name: "canary" | "rest";
  customers: string[];
  shards: Shard[];
}

export interface RolloutPlan {
  /** `direct`: one wave, as a customer-file change always deployed; `waves`: canaries first. */
  kind: "direct" | "waves";
  why: string;
  maxShards: number;
  /** Always two, canary first; the canary wave of a direct roll-out is empty. */
  waves: [Wave, Wave];
  /** Every customer in one matrix, for what needs no waves: the pull request's previews. */
  all: Shard[];
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Cuts customers into at most `maxShards` shards of nearly equal cost: the largest first, each to
 * the shard with the least cost so far (longest-processing-time first; within 4/3 of the best).
 * Within a shard the customers run in id order.
 */
export function planShards(customers: readonly Pick<RolloutCustomer, "customer" | "cost">[], maxShards: number): Shard[] {
  if (!Number.isInteger(maxShards) || maxShards < 1 || maxShards > githubMatrixLimit)
    throw new RangeError(`shards must be a whole number from 1 to ${githubMatrixLimit}, not ${maxShards}`);
  const count = Math.min(maxShards, customers.length);
  const shards: Shard[] = Array.from({ length: count }, (_, index) => ({ index, customers: [], cost: 0 }));
  const order = [...customers].sort((a, b) => b.cost - a.cost || byId(a.customer, b.customer));
  for (const c of order) {
    let least = shards[0]!;
    for (const s of shards) if (s.cost < least.cost) least = s;
    least.customers.push(c.customer);
    least.cost += Math.max(1, c.cost);
  }
  for (const s of shards) s.customers.sort(byId);
  return shards;
}

/** A stable spread over the ids (FNV-1a), so a fixed share of canaries is not always the first names. */
function spread(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The waves of a change. A change that only touches customers' own files, or at most `directUpTo`
 * customers, goes directly (one wave). Otherwise the affected canaries named in the fleet file go
 * first, or, when none of them is affected, `canaryShare` of the affected customers (at least one).
 */
export function planRollout(customers: readonly RolloutCustomer[], settings: RolloutSettings = defaultRolloutSettings): RolloutPlan {
  const ids = customers.map((c) => c.customer);
  if (new Set(ids).size !== ids.length) throw new Error("a customer is listed twice in the roll-out");
  const wave = (name: Wave["name"], members: readonly RolloutCustomer[]): Wave => ({
    name,
    customers: members.map((c) => c.customer).sort(byId),
    shards: planShards(members, settings.maxShards),
  });
  const direct = (why: string): RolloutPlan => ({
    kind: "direct",
    why,
    maxShards: settings.maxShards,
    waves: [wave("canary", []), wave("rest", customers)],
    all: planShards(customers, settings.maxShards),
  });
  if (customers.length === 0) return direct("no customer is affected");
  if (customers.every((c) => c.ownFilesOnly)) return direct("only the customers' own files changed");
  if (customers.length <= settings.directUpTo)
    return direct(`${customers.length} affected, at most ${settings.directUpTo} (rollout.directUpTo) go directly`);

  const named = new Set(settings.canaries);
  let canaries = customers.filter((c) => named.has(c.customer));
  let why = `canaries named in the fleet file: ${canaries.map((c) => c.customer).join(", ")}`;
  if (canaries.length === 0) {
    const n = Math.max(1, Math.ceil(customers.length * settings.canaryShare));
    canaries = [...customers].sort((a, b) => spread(a.customer) - spread(b.customer) || byId(a.customer, b.customer)).slice(0, n);
    why = `no named canary is affected: ${n} of ${customers.length} (rollout.canaryShare ${settings.canaryShare}) go first`;
  }
  const first = new Set(canaries.map((c) => c.customer));
  return {
    kind: "waves",
    why,
    maxShards: settings.maxShards,
    waves: [
      wave("canary", canaries),
      wave(
        "rest",
        customers.filter((c) => !first.has(c.customer)),
      ),
    ],
    all: planShards(customers, settings.maxShards),
  };
}

/**
 * What one stack's preview holds, counted from its plan: the resources the components register
 * (components/*.ts). Held equal to the offline preview's count for every example customer by
 * test/rollout.test.ts. Only a cost for balancing shards: a miscount makes a shard slower, never wrong.
 */
const perAlert: Record<RenderedAlert["kind"], number> = {
  // The monitor.
  "datadog-monitor": 1,
  // The Application Insights web test and its metric alert.
  "azure-availability-test": 2,
  // The activity-log alert.
  "azure-resource-health": 1,
};
/**
 * Per stack, whatever its alerts: the four components (CustomerMonitoring and its three parts), the
 * azure-native provider, one action group per role, and per role a schedule, an escalation policy,
 * a service, its two integrations and the Datadog service object.
 */
const perStack = 4 + 1 + roles.length * (1 + 6);

export function resourcesToPreview(plan: Pick<CustomerPlan, "alerts">): number {
  return perStack + plan.alerts.reduce((n, a) => n + perAlert[a.kind], 0);
}
