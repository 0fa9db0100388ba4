// The stack a customer's file renders, as the CLI would hand it to this pack: the REAL components run
// through the mock engine for the phase the CLI is in, and passed through the CLI-view model
// (src/offline/stackPlanner.ts builds it). The closed-world policy compares the actual stack with this.
//
// What the mock engine makes up (resource ids, a service integration's key, the ids PagerDuty's data
// sources return) is recorded as a *placeholder*: the real stack holds real values there, which the
// comparison binds once and then requires everywhere the plan reuses them.
import type { Catalog } from "../src/catalog/entry.js";
import type { AnalyzedResource, CliPhase } from "../src/facts/analyzedResource.js";

export interface Placeholder {
  /** What the real value is, for messages: `the id of 'pico-nordlys-backend'`. */
  origin: string;
}

export interface PlannedStack {
  customer: string;
  /** The customer file as messages name it: `stacks/<customer>.yaml` or `.yml`, whichever it is. */
  file: string;
  phase: CliPhase;
  asOf: Date;
  resources: AnalyzedResource[];
  placeholders: Map<string, Placeholder>;
  /** Per resource URN, the explicit provider the program gives it (its URN); absent: the package's default provider. */
  providers: ReadonlyMap<string, string>;
}

export type PlanOutcome = { ok: true; plan: PlannedStack } | { ok: false; problem: string };

/** The stack configuration key the program reads its as-of instant from (src/program.ts). */
export const asOfConfigKey = "pico-monitoring:asOf";

/** What the pack asks its planner for: the customer's stack in `phase`, planned with the pack's own catalogue. */
export interface PlanRequest {
  catalog: Catalog;
  customer: string;
  stacksDir: string;
  phase: CliPhase;
  /** The stack's configured as-of; undefined: now. */
  asOfText: string | undefined;
}

/**
 * Re-plans a customer's stack the way the CLI would see it. The pack can't build one itself: that takes
 * the components and the mock engine, which sit above it. Whoever constructs the pack hands one in
 * (src/policyPack.ts for the CLI, src/preview/customer.ts offline).
 */
export type StackPlanner = (request: PlanRequest) => Promise<PlanOutcome>;

/** The planned stack of a customer file, as the closed-world policies ask for it. */
export type PlannedStacks = (customer: string, stacksDir: string, phase: CliPhase, asOfText: string | undefined) => Promise<PlanOutcome>;

/**
 * One pack's plans: `planner` asked with `catalog`, cached per file, phase and as-of (the same three
 * always plan the same; without a configured as-of nothing is cached, as "now" moves).
 */
export function plannedStacks(catalog: Catalog, planner: StackPlanner): PlannedStacks {
  const cache = new Map<string, Promise<PlanOutcome>>();
  return (customer, stacksDir, phase, asOfText) => {
    if (asOfText === undefined) return planner({ catalog, customer, stacksDir, phase, asOfText });
    const key = JSON.stringify([customer, stacksDir, phase, asOfText]);
    let plan = cache.get(key);
    if (!plan) {
      plan = planner({ catalog, customer, stacksDir, phase, asOfText });
      cache.set(key, plan);
    }
    return plan;
  };
}
