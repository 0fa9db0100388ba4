// The side-door suite of issue 11: every hostile stack of test/support/hostileStacks.ts that the pack
// judges as the customer's own stack, sent over the Analyzer gRPC interface the way the CLI sends it
// (one pack process per phase, many calls). Each must be rejected by a mandatory policy that the
// compliant stack it was made from does not trigger. Each case sends the call its policy answers
// (`callFor`): the other call never runs that policy, so its diagnostics could not change the verdict.
// Cases that need the pack told another stack or configuration run in their policy's own test file.
import { describe, expect, it } from "vitest";
import type { CliPhase } from "../../src/offline/cliView.js";
import {
  type AnalyzerCall,
  callFor,
  compliantView,
  hostileStack,
  overGrpc,
  packs,
  type SideDoor,
  type Violation,
} from "../support/closedWorld.js";
import { hostileStacks } from "../support/hostileStacks.js";

const cases = hostileStacks.filter((c) => c.stackName === undefined && c.config === undefined);
const doors: SideDoor[] = ["kinds", "binding", "versions", "routing", "unknowns", "keys"];

describe("side doors, over gRPC", () => {
  const compliantRuns = new Map<string, Promise<Violation[]>>();
  const compliant = (customer: string, stack: string, phase: CliPhase, call: AnalyzerCall) => {
    const key = `${customer}|${stack}|${phase}|${call}`;
    if (!compliantRuns.has(key))
      compliantRuns.set(key, (async () => overGrpc(await packs.get(stack, phase), await compliantView(customer, phase), call))());
    return compliantRuns.get(key)!;
  };

  it("has at least 60 hostile stacks, in each of the six classes", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    for (const d of doors) expect(cases.filter((c) => c.door === d).length, d).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.door, c.name, c] as const))("%s: %s", async (_door, _name, c) => {
    const { hostile, phase, stack } = await hostileStack(c);
    const pack = await packs.get(stack, phase);
    const call = callFor(c.policy);
    const passed = await compliant(c.customer ?? "nordlys", stack, phase, call);
    const found = await overGrpc(pack, hostile, call);
    expect(passed.filter((v) => v.policy === c.policy)).toEqual([]);
    expect(found.filter((v) => v.policy === c.policy).map((v) => v.message)).toContainEqual(expect.stringMatching(c.expect));
  });
});
