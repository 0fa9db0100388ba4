// The pack over the Analyzer gRPC interface, sent the CLI's view (src/offline/cliView.ts) of what the real
// components register for every example customer, on a first preview and on an update: what a real
// `pulumi preview --policy-pack policies` / `pulumi up --policy-pack policies` hands it.
// The pack runs from dist/: build first (`npm run build`).
import { customerIdsIn } from "../src/customer/customerFiles.js";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pack as repositoryPack } from "./support/pack.js";
import { loadCatalog } from "../src/catalog/load.js";
import { runPolicies } from "../src/offline/policyResults.js";
import { cliPhases, type AnalyzedResource, type CliPhase } from "../src/offline/cliView.js";
import { stacksDir } from "../src/facts/paths.js";
import { judgeCustomer, judgedStack, type JudgedCustomer } from "../src/preview/customer.js";
import { alertingTypes } from "../src/facts/alertingResources.js";
import { loadCustomer } from "../src/plan/loadCustomer.js";
import type { PolicyPackProcess } from "./support/analyzer/client.js";
import { analyzeInput, fromAnalyzerView } from "./support/analyzer/fakeEngine.js";
import type { Diagnostic } from "./support/analyzer/wire.js";
import { runCli } from "./support/cli.js";
import { packs } from "./support/closedWorld.js";

const catalog = loadCatalog();
const asOf = new Date("2027-01-10T12:00:00Z");
const customers = customerIdsIn(stacksDir()).sort();

async function judge(customer: string, phase: CliPhase): Promise<JudgedCustomer> {
  const loaded = loadCustomer(join(stacksDir(), `${customer}.yaml`), catalog);
  return judgeCustomer(loaded.spec, catalog, asOf, { phase });
}

/** Everything the CLI reports for a stack: Analyze per resource, then AnalyzeStack once. */
async function overGrpc(pack: PolicyPackProcess, view: AnalyzedResource[]): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const r of view) out.push(...(await pack.analyze(analyzeInput(r))).map((d) => ({ ...d, urn: d.urn || r.urn })));
  out.push(...(await pack.analyzeStack(view.map(fromAnalyzerView))));
  return out;
}

/** Violations as (policy, urn, message), sorted; the CLI prints description, newline, message. */
const key = (policy: string, urn: string | undefined, message: string) => JSON.stringify([policy, urn ?? "", message]);
/**
 * A policy @pulumi/policy could not run during preview comes back as an advisory "can't run policy …"; the
 * in-process runner lists it under `undecided` instead. Compared apart: violations here, undecided policies below.
 */
const cantRun = (d: Diagnostic) => d.message.startsWith(`can't run policy '${d.policyName}'`);
const fromGrpc = (ds: Diagnostic[]) =>
  ds
    .filter((d) => !cantRun(d))
    .map((d) => key(d.policyName, d.urn, d.message.slice(d.message.indexOf("\n") + 1)))
    .sort();
const undecidedOverGrpc = (ds: Diagnostic[]) => [...new Set(ds.filter(cantRun).map((d) => d.policyName))].sort();
const undecidedInProcess = (j: JudgedCustomer) =>
  j.report.results
    .filter((r) => r.undecided.length > 0)
    .map((r) => r.policy)
    .sort();
type Results = { policy: string; violations: { urn?: string; message: string }[] }[];
const fromResults = (results: Results) => results.flatMap((r) => r.violations.map((v) => key(r.policy, v.urn, v.message))).sort();
const fromReport = (j: JudgedCustomer) => fromResults(j.report.results);

/** One `audit` of every example customer, as CI runs it, read by each customer's first preview. */
let auditRun: ReturnType<typeof runCli> | undefined;
const auditOfAll = () => (auditRun ??= runCli(["audit", "--format", "json", "--at", asOf.toISOString()]));

describe.each(customers)("the pack over gRPC, given the CLI's view of %s", (customer) => {
  describe.each(cliPhases)("%s", (phase) => {
    let pack: PolicyPackProcess;
    let judged: JudgedCustomer;
    /** What the pack reports over gRPC for the view as it is: read by the first three tests. */
    let reported: Diagnostic[];
    beforeAll(async () => {
      judged = await judge(customer, phase);
      // The stack's own pack process, as the CLI starts one per stack (shared with the other files over gRPC).
      pack = await packs.get(customer, phase);
      reported = await overGrpc(pack, judged.view);
    });

    it("raises no mandatory violation", async () => {
      expect(reported.filter((d) => d.enforcementLevel === "mandatory").map((d) => [d.policyName, d.message])).toEqual([]);
    });

    it("reports what the offline preview, audit and diff report for the same stack", async () => {
      expect(fromGrpc(reported)).toEqual(fromReport(judged));
      expect(undecidedOverGrpc(reported)).toEqual(undecidedInProcess(judged));
    });

    it("equals what the `preview --json` and `audit` commands report (diff reads preview --json)", async () => {
      const grpc = fromGrpc(reported);
      const preview = runCli(["preview", customer, "--json", "--at", asOf.toISOString(), ...(phase === "update" ? ["--update"] : [])]);
      expect(preview.stderr).toBe("");
      const previewed = JSON.parse(preview.stdout) as { phase: CliPhase; policies: { results: Results } };
      expect(previewed.phase).toBe(phase);
      expect(fromResults(previewed.policies.results)).toEqual(grpc);
      if (phase === "update") return; // audit, like CI, judges a first preview
      const audit = auditOfAll();
      expect(audit.code).toBe(0);
      const audited = (JSON.parse(audit.stdout) as { customers: { customer: string; policies: Results }[] }).customers;
      expect(fromResults(audited.find((c) => c.customer === customer)!.policies)).toEqual(grpc);
    });

    it("still rejects a field the catalogue doesn't render, smuggled in with a __defaults list", async () => {
      const monitor = judged.view.find((r) => r.type === alertingTypes.datadogMonitor);
      if (!monitor) return; // a customer without Datadog monitors has nothing to smuggle into
      const smuggled: AnalyzedResource = { ...monitor, props: { ...monitor.props, newHostDelay: 0, __defaults: ["newHostDelay"] } };
      const view = judged.view.map((r) => (r === monitor ? smuggled : r));
      const ds = await overGrpc(pack, view);
      expect(fromGrpc(ds)).toEqual(
        fromResults((await runPolicies(view, { pack: repositoryPack, stack: judgedStack(customer, asOf, phase) })).results),
      );
      expect(ds.filter((d) => d.policyName === "no-custom-alerts").map((d) => d.message.split("\n")[1])).toEqual([
        // The first extra key is named; either way the monitor is not a catalogue alert.
        expect.stringMatching(new RegExp(`^monitor '${monitor.name}': field '(__defaults|newHostDelay)' is not part of catalogue entry `)),
      ]);
    });
  });
});
