// Shared by the per-policy tests and the side-door suite: the CLI's view (src/offline/cliView.ts) of what the
// real components register for each example customer, and hostile stacks as mutations of it, judged
// in-process (src/offline/policyResults.ts) and over the Analyzer gRPC interface (./analyzer/client.ts).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { asOfConfigKey } from "../../policies/plannedStack.js";
import { cliPhases, type AnalyzedResource, type CliPhase } from "../../src/offline/cliView.js";
import { stacksDir } from "../../src/facts/paths.js";
import { asOf, changed, find, golden } from "./goldenStacks.js";
import { catalog, pack } from "./pack.js";
import { runPolicies, type PolicyInputResource, type RunPoliciesOptions } from "../../src/offline/policyResults.js";
import { judgedStack, pulumiProject } from "../../src/preview/customer.js";
import { customerIdsIn } from "../../src/customer/customerFiles.js";
import { PolicyPackProcess } from "./analyzer/client.js";
import { planStack } from "../../src/offline/stackPlanner.js";
import { analyzeInput, fromAnalyzerView } from "./analyzer/fakeEngine.js";

export { asOf, changed, find };
export const customers = customerIdsIn(stacksDir()).sort();

/**
 * The CLI's view of the customer's compliant stack in `phase`: its golden stack, what the real
 * components register through the CLI-view model (test/support/goldenStacks.ts; stale ones fail
 * test/generated.test.ts).
 */
export const compliantView = async (customer: string, phase: CliPhase): Promise<AnalyzedResource[]> => golden(customer, phase);

/** What the pack is told about a stack, in-process. */
export const stackOf = (customer: string, phase: CliPhase) => judgedStack(customer, asOf, phase);

export type Violation = { policy: string; urn?: string; message: string };

/** In-process: every violation of every policy. */
export async function inProcess(
  view: readonly PolicyInputResource[],
  stack: string,
  phase: CliPhase,
  config: Record<string, string> = {},
  policyConfig?: RunPoliciesOptions["config"],
): Promise<Violation[]> {
  const ctx = stackOf(stack, phase);
  const report = await runPolicies(view, {
    pack,
    stack: { ...ctx, stack: stack || undefined, config: { ...ctx.config, ...config } },
    ...(policyConfig ? { config: policyConfig } : {}),
  });
  return report.results.flatMap((r) => r.violations.map((v) => ({ policy: r.policy, ...v })));
}

/**
 * Pack processes, one per (stack, phase, config, environment) as the CLI starts one per stack, each
 * started on first use. There is one registry, `packs`, for every test file a process runs:
 * vitest.config.mts runs most files several to a fork, so a file finds the packs an earlier one
 * started (the fake engine kills them all when the process ends).
 */
class Packs {
  private packs = new Map<string, Promise<PolicyPackProcess>>();
  get(stack: string, phase: CliPhase, config: Record<string, string> = {}, env: Record<string, string> = {}): Promise<PolicyPackProcess> {
    const key = JSON.stringify([stack, phase, config, env]);
    let p = this.packs.get(key);
    if (!p) {
      p = PolicyPackProcess.start({
        stack,
        project: pulumiProject,
        dryRun: phase === "first-preview",
        // A pack starts in about 8 s on an idle 2-core machine; with every fork starting its own, far later.
        startTimeoutMs: 45_000,
        config: { [asOfConfigKey]: asOf.toISOString(), ...config },
        // No stack at all: what a pack started outside the CLI sees.
        env: { ...clockAt(asOf), ...(stack === "" ? { PULUMI_NODEJS_STACK: "", PULUMI_STACK: "" } : {}), ...env },
      });
      this.packs.set(key, p);
    }
    return p;
  }
}

export const packs = new Packs();

/**
 * Environment for a pack process whose clock reads `at` (./clockAt.cjs): the golden stacks' as-of is
 * fixed, and the pack holds it to its clock (resource-matches-plan "as-of").
 */
export const clockAt = (at: Date): Record<string, string> => ({
  NODE_OPTIONS: `--require ${join(__dirname, "clockAt.cjs")}`,
  PICO_TEST_CLOCK_AT: at.toISOString(),
});

/** The two calls the CLI makes of a pack: Analyze per resource, AnalyzeStack once per stack. */
export type AnalyzerCall = "Analyze" | "AnalyzeStack";

/**
 * Over gRPC: Analyze per resource, then AnalyzeStack once, every mandatory diagnostic. `only` sends
 * just the calls a resource policy ("Analyze") or a stack policy ("AnalyzeStack") answers.
 */
export async function overGrpc(pack: PolicyPackProcess, view: readonly AnalyzedResource[], only?: AnalyzerCall): Promise<Violation[]> {
  const out: Violation[] = [];
  const keep = (ds: Awaited<ReturnType<PolicyPackProcess["analyze"]>>, urn?: string) => {
    for (const d of ds) {
      if (d.enforcementLevel !== "mandatory") continue;
      out.push({ policy: d.policyName, urn: d.urn || urn, message: d.message.slice(d.message.indexOf("\n") + 1) });
    }
  };
  // The CLI analyzes each resource as its step comes; the pack answers each call on its own, so sending them at once only saves time.
  if (only !== "AnalyzeStack") {
    // The provider, when the view says it, as the CLI tells Analyze (./withProviders).
    const each = await Promise.all(view.map((r) => pack.analyze({ ...analyzeInput(r), ...(r.provider ? { provider: r.provider } : {}) })));
    each.forEach((ds, i) => {
      keep(ds, view[i]!.urn);
    });
  }
  if (only !== "Analyze") keep(await pack.analyzeStack(view.map(fromAnalyzerView)));
  return out;
}

export const clone = <V>(v: V): V => structuredClone(v);

/** The name the CLI gives a package's default provider (`default_<version>`); any `default_…` name is one. */
export const defaultProviderName = "default_5_11_0";

/**
 * The view with each custom resource's provider, as the CLI tells Analyze: the explicit provider the
 * program gives it (the plan's, from a real run of the components, ../../src/offline/stackPlanner.ts
 * `providersOf`), else its package's default provider, whose settings the CLI takes from the stack
 * configuration (`<package>:<key>`).
 */
export async function withProviders(
  view: AnalyzedResource[],
  customer: string,
  phase: CliPhase,
  config: Record<string, string> = {},
): Promise<AnalyzedResource[]> {
  const outcome = await planStack({ catalog, customer, stacksDir: stacksDir(), phase, asOfText: asOf.toISOString() });
  if (!outcome.ok) throw new Error(outcome.problem);
  const byUrn = new Map(view.map((r) => [r.urn, r]));
  return view.map((r) => {
    if (!r.custom || r.type.startsWith("pulumi:providers:")) return r;
    const explicit = outcome.plan.providers.get(r.urn);
    const planned = explicit === undefined ? undefined : byUrn.get(explicit);
    if (planned) return { ...r, provider: { type: planned.type, name: planned.name, urn: planned.urn, props: planned.props } };
    const pkg = r.type.split(":")[0]!;
    const settings = Object.fromEntries(
      Object.entries(config)
        .filter(([k]) => k.startsWith(`${pkg}:`))
        .map(([k, v]) => [k.slice(pkg.length + 1), v]),
    );
    const type = `pulumi:providers:${pkg}`;
    const urn = `${r.urn.split("::").slice(0, 2).join("::")}::${type}::${defaultProviderName}`;
    return { ...r, provider: { type, name: defaultProviderName, urn, props: settings } };
  });
}

/** The one Analyzer call a policy answers: Analyze for a resource policy, AnalyzeStack for a stack policy (@pulumi/policy server.js runs each kind in its own call only). */
export const callFor = (policy: string): AnalyzerCall =>
  "validateStack" in pack.policies.find((p) => p.name === policy)! ? "AnalyzeStack" : "Analyze";

export type SideDoor = "kinds" | "binding" | "versions" | "routing" | "unknowns" | "keys";

/** A hostile stack: a mutation of a compliant one, and the message the policy must give for it. */
export interface HostileCase {
  name: string;
  /** The mandatory policy that must reject it. */
  policy: string;
  /** Which class of the side doors it belongs to. */
  door: SideDoor;
  customer?: string;
  phase?: CliPhase;
  /** Which of the policy's messages it triggers (see the policy module's `messages`). */
  message: string;
  expect: RegExp;
  mutate: (view: AnalyzedResource[]) => AnalyzedResource[] | Promise<AnalyzedResource[]>;
  /** Stack configuration beyond the as-of (PULUMI_CONFIG under the CLI). */
  config?: Record<string, string>;
  /** The stack the pack is told it judges, when not the customer's own ("" = none). */
  stackName?: string;
}

/** The hostile stack of a case, and what the pack is told about it. */
export async function hostileStack(
  c: HostileCase,
): Promise<{ hostile: AnalyzedResource[]; phase: CliPhase; stack: string; config: Record<string, string> }> {
  const customer = c.customer ?? "nordlys";
  const phase = c.phase ?? "first-preview";
  return {
    hostile: await c.mutate(clone(await compliantView(customer, phase))),
    phase,
    stack: c.stackName ?? customer,
    config: c.config ?? {},
  };
}

/**
 * The uniform per-policy test: every example customer's compliant stack passes (both phases,
 * in-process; over gRPC for each pack the cases start), each case is rejected with its message both
 * ways, and every message the policy has is triggered by some case.
 */
export function policySuite(policy: string, messages: readonly string[], allCases: readonly HostileCase[]): void {
  const cases = allCases.filter((c) => c.policy === policy);
  // The other policies are judged in their own files: in-process they are off, and over gRPC only the call this policy answers is sent.
  const onlyThis = Object.fromEntries(
    pack.policies.map((p) => [p.name, p.name === policy ? "mandatory" : "disabled"]),
  ) as RunPoliciesOptions["config"];
  const rpc = callFor(policy);
  describe(`policy ${policy}`, () => {
    it("has a case for each of its violation messages", () => {
      expect([...new Set(cases.map((c) => c.message))].sort()).toEqual([...messages].sort());
    });

    describe.each(customers)("compliant stack of %s", (customer) => {
      it.each(cliPhases)("%s: passes in-process", async (phase) => {
        const found = await inProcess(await compliantView(customer, phase), customer, phase);
        expect(found.filter((v) => v.policy === policy)).toEqual([]);
      });
    });

    const grpcPhases = [
      ...new Set(
        cases
          .filter((c) => c.stackName === undefined && c.config === undefined)
          .map((c) => JSON.stringify([c.customer ?? "nordlys", c.phase ?? "first-preview"])),
      ),
    ];
    it.each(grpcPhases)("compliant stack passes over gRPC (%s)", async (key) => {
      const [customer, phase] = JSON.parse(key) as [string, CliPhase];
      const found = await overGrpc(await packs.get(customer, phase), await compliantView(customer, phase), rpc);
      expect(found.filter((v) => v.policy === policy)).toEqual([]);
    });

    // Every case in-process; over gRPC the first case of each message (the side-door suite sends them all).
    const overTheWire = new Set(messages.map((m) => cases.find((c) => c.message === m)).filter((c) => c !== undefined));
    it.each(cases.map((c) => [c.name, c] as const))("rejects %s", async (_name, c) => {
      const { hostile, phase, stack, config } = await hostileStack(c);
      const local = await inProcess(hostile, stack, phase, config, onlyThis);
      expect(local.filter((v) => v.policy === policy).map((v) => v.message)).toContainEqual(expect.stringMatching(c.expect));
      if (!overTheWire.has(c)) return;
      const remote = await overGrpc(await packs.get(stack, phase, config), hostile, rpc);
      expect(remote.filter((v) => v.policy === policy).map((v) => v.message)).toContainEqual(expect.stringMatching(c.expect));
    });
  });
}
