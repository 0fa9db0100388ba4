// The stack a customer's file renders, as the CLI would hand it to this pack: the REAL components run
// through the mock engine for the phase the CLI is in, and passed through the CLI-view model
// (src/offline/stackPlanner.ts builds it). The closed-world policy compares the actual stack with this.
//
// What the mock engine makes up (resource ids, a service integration's key, the ids PagerDuty's data
// sources return) is recorded as a *placeholder*: the real stack holds real values there, which the
// comparison binds once and then requires everywhere the plan reuses them.
import type { AnalyzedResource, CliPhase } from "../src/facts/analyzedResource.js";

export interface Placeholder {
  /** What the real value is, for messages: `the id of 'pico-nordlys-backend'`. */
  origin: string;
}

export interface PlannedStack {
  customer: string;
  phase: CliPhase;
  asOf: Date;
  resources: AnalyzedResource[];
  placeholders: Map<string, Placeholder>;
}

export type PlanOutcome = { ok: true; plan: PlannedStack } | { ok: false; problem: string };

/** The stack configuration key the program reads its as-of instant from (src/program.ts). */
export const asOfConfigKey = "pico-monitoring:asOf";

const cache = new Map<string, Promise<PlanOutcome>>();
let queue: Promise<unknown> = Promise.resolve();

/**
 * Re-plans a customer's stack the way the CLI would see it. The pack can't build one itself: that takes
 * the components and the mock engine, which sit above it. Whoever constructs the pack hands one in
 * (policies/index.ts for the CLI, src/offline/policyResults.ts offline); without one, repository mode
 * fails closed.
 */
export type StackPlanner = (customer: string, stacksDir: string, phase: CliPhase, asOfText: string | undefined) => Promise<PlanOutcome>;

let planner: StackPlanner | undefined;

export function useStackPlanner(p: StackPlanner): void {
  planner = p;
}

async function plan(customer: string, stacksDir: string, phase: CliPhase, asOfText: string | undefined): Promise<PlanOutcome> {
  if (!planner) return { ok: false, problem: "the pack was built without a stack planner, so the customer file can't be re-planned" };
  return planner(customer, stacksDir, phase, asOfText);
}

/**
 * The planned stack for `customer` (cached: the same file, phase and as-of always plan the same).
 * Runs one at a time: the mock engine's runtime state is process-global.
 */
export function plannedStack(customer: string, stacksDir: string, phase: CliPhase, asOfText: string | undefined): Promise<PlanOutcome> {
  const key = JSON.stringify([customer, stacksDir, phase, asOfText ?? ""]);
  const cached = asOfText === undefined ? undefined : cache.get(key);
  if (cached) return cached;
  const result = queue.then(() => plan(customer, stacksDir, phase, asOfText));
  queue = result.catch(() => undefined);
  if (asOfText !== undefined) cache.set(key, result);
  return result;
}
