// Drives the compiled policy pack through the Analyzer gRPC interface, the way the Pulumi CLI does, and
// checks it reports exactly what the same policies report in-process (src/offline/policyResults.ts).
// The pack runs from dist/: `npm test` builds first (pretest); with bare `npx vitest`, run `npm run build` first
// (the harness fails fast with that advice when dist is missing or stale).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./support/pack.js";
import { runPolicies } from "../src/offline/policyResults.js";
import {
  DEFAULT_PACK_DIR,
  PolicyPackProcess,
  secret,
  unknown,
  type PropertyMap,
  type PropertyValue,
  type StackResourceInput,
} from "./support/analyzerClient.js";
import {
  asPolicyInput,
  customerAlerts,
  customerStack,
  fakeKey,
  openWorldOnly,
  resourceTypes as T,
  urnOf,
  type TestResource,
} from "./support/policyHarness.js";

const packVersion = (JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "package.json"), "utf8")) as { version: string }).version;
const { policies } = pack;
const descriptionOf = (name: string) => policies.find((p) => p.name === name)!.description;

const stack = customerStack("nordlys");
const fiveXX = customerAlerts("nordlys").find((a) => a.provenance.entry === "app-service-5xx")!;
if (fiveXX.kind !== "datadog-monitor") throw new Error("fixture");
const renderedMonitor = () => JSON.parse(JSON.stringify(fiveXX.monitor)) as Record<string, PropertyValue>;
const forgedMonitor = () => ({ ...renderedMonitor(), query: "avg(last_5m):avg:azure.app_services.cpu_time{*} > 1" });

/** Keys travel as secrets, the way the engine sends them. */
function overTheWire(resources: readonly TestResource[]): StackResourceInput[] {
  return resources.map((r) => {
    const props = { ...(r.props ?? {}) } as PropertyMap;
    if (r.type === T.serviceObject) props.serviceKey = secret(props.serviceKey as string);
    if (r.type === T.integration) props.integrationKey = secret(props.integrationKey as string);
    if (r.type === T.actionGroup) props.webhookReceivers = secret(props.webhookReceivers as PropertyValue);
    return { ...r, props, urn: urnOf(r) } as StackResourceInput;
  });
}

const stackPolicies = new Set(policies.filter((p) => "validateStack" in p).map((p) => p.name));

/**
 * What the same policies say in-process, as the CLI would print it (description, newline, message):
 * the resource policies (what Analyze runs) or the stack policies (what AnalyzeStack runs).
 */
async function inProcess(
  rpc: "Analyze" | "AnalyzeStack",
  resources: readonly TestResource[],
  opts: Omit<Parameters<typeof runPolicies>[1], "pack"> = {},
) {
  // Hand-built stacks test the open-world policies (see openWorldOnly); the pack below runs with the same levels.
  return (await runPolicies(asPolicyInput(resources), { ...opts, pack, config: { ...openWorldOnly, ...opts.config } })).results
    .filter((r) => stackPolicies.has(r.policy) === (rpc === "AnalyzeStack"))
    .flatMap((r) => r.violations.map((v) => ({ policyName: r.policy, message: `${r.description}\n${v.message}` })));
}

function gone(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

const datadogApiKey = fakeKey("datadog-api-key");

describe("policy pack over the Analyzer gRPC interface", () => {
  let pack: PolicyPackProcess;

  beforeAll(async () => {
    pack = await PolicyPackProcess.start({
      policyConfig: openWorldOnly,
      stack: "nordlys",
      project: "pico-monitoring",
      tags: { customer: "nordlys" },
      config: { "datadog:apiKey": datadogApiKey, "pico-monitoring:asOf": "2027-01-01T00:00:00Z" },
    });
    console.log(`policy pack started in ${pack.startupMs} ms: node ${pack.argv.join(" ")}`);
  });

  afterEach(async () => {
    await pack.configure(openWorldOnly); // back to the levels these hand-built stacks are judged at
  });

  afterAll(async () => {
    const pid = pack?.pid;
    await pack?.close();
    expect(gone(pid)).toBe(true);
  });

  it("is started like the CLI starts it", () => {
    expect(pack.argv[0]).toMatch(/@pulumi[\\/]pulumi[\\/]cmd[\\/]run-policy-pack[\\/]index\.js$/);
    expect(pack.argv.slice(2)).toEqual([".", "-typescript=false"]);
    expect(pack.cwd).toBe(DEFAULT_PACK_DIR);
    expect(pack.startupMs).toBeLessThan(10_000);
    expect(pack.output.filter((l) => l.stream === "stderr")).toEqual([]);
  });

  it("GetAnalyzerInfo lists the pack, its version and its mandatory policies", async () => {
    const info = await pack.getAnalyzerInfo();
    expect(info.name).toBe("pico-extended");
    expect(info.version).toBe(packVersion);
    expect(info.supportsConfig).toBe(true);
    expect(info.policies.map((p) => [p.name, p.type, p.enforcementLevel, p.severity])).toEqual([
      ["alerts-route-to-preparedness", "stack", "mandatory", "high"],
      ["max-ten-alerts", "stack", "mandatory", "high"],
      ["no-custom-alerts", "resource", "mandatory", "high"],
      ["no-plaintext-secrets", "stack", "mandatory", "critical"],
      ["only-known-resource-kinds", "resource", "mandatory", "critical"],
      ["released-catalog-versions", "resource", "mandatory", "high"],
      ["resource-matches-plan", "resource", "mandatory", "critical"],
      ["stack-matches-customer-file", "stack", "mandatory", "critical"],
      ["unknowns-only-where-planned", "resource", "mandatory", "high"],
    ]);
    for (const p of info.policies) expect(p.description).toBe(descriptionOf(p.name));
    expect(info.policies.find((p) => p.name === "max-ten-alerts")?.configSchema?.properties).toEqual({
      maxAlerts: { type: "integer", minimum: 1, maximum: 10, default: 10 },
    });
  });

  it("Analyze reports a forged monitor, exactly as in-process, and passes the rendered one", async () => {
    const forged = { type: T.monitor, name: fiveXX.name, props: forgedMonitor() };
    const ds = await pack.analyze(forged);
    expect(ds).toEqual([
      {
        policyName: "no-custom-alerts",
        policyPackName: "pico-extended",
        policyPackVersion: packVersion,
        message: `${descriptionOf("no-custom-alerts")}\nmonitor '${fiveXX.name}': field 'query' differs from catalogue entry ${fiveXX.provenance.entry} v${fiveXX.provenance.version}`,
        urn: "", // reported without a URN; the CLI attributes it to the analyzed resource
        enforcementLevel: "mandatory",
        description: descriptionOf("no-custom-alerts"),
        severity: "high",
      },
    ]);
    expect(ds.map(({ policyName, message }) => ({ policyName, message }))).toEqual(await inProcess("Analyze", [forged as TestResource]));
    expect(await pack.analyze({ type: T.monitor, name: fiveXX.name, props: renderedMonitor() })).toEqual([]);
  });

  it("Analyze hides no field behind a __defaults list, which the CLI would have dropped anyway", async () => {
    // The engine never sends `__` keys (SkipInternalKeys, see src/offline/cliView.ts); a sender that does
    // gets them judged like any other field, and the field they name is still not the catalogue's.
    const smuggled = { type: T.monitor, name: fiveXX.name, props: { ...renderedMonitor(), __defaults: ["newHostDelay"], newHostDelay: 0 } };
    const ds = await pack.analyze(smuggled);
    expect(ds.map((d) => d.message)).toEqual([
      `${descriptionOf("no-custom-alerts")}\nmonitor '${fiveXX.name}': field '__defaults' is not part of catalogue entry ${fiveXX.provenance.entry} v${fiveXX.provenance.version}`,
    ]);
    expect(ds.map(({ policyName, message }) => ({ policyName, message }))).toEqual(await inProcess("Analyze", [smuggled as TestResource]));

    const { __defaults: _, ...asTheCliSendsIt } = smuggled.props;
    const dropped = { ...smuggled, props: asTheCliSendsIt };
    expect((await pack.analyze(dropped)).map((d) => d.message)).toEqual([
      `${descriptionOf("no-custom-alerts")}\nmonitor '${fiveXX.name}': field 'newHostDelay' is not part of catalogue entry ${fiveXX.provenance.entry} v${fiveXX.provenance.version}`,
    ]);
  });

  // That the stacks the components create pass, first preview and update, is shown with what they
  // really register, through the CLI-view model: test/cliView.grpc.test.ts.

  it("Analyze reports kinds the catalogue never renders, and leaves other resources alone", async () => {
    const ds = await pack.analyze({ type: "azure:monitoring/metricAlert:MetricAlert", name: "classic", props: {} });
    expect(ds.map((d) => d.message)).toEqual([
      `${descriptionOf("no-custom-alerts")}\n'classic' (azure:monitoring/metricAlert:MetricAlert) is not a kind the Best Practice catalogue renders`,
    ]);
    expect(await pack.analyzeResult({ type: T.actionGroup, name: "g", props: {} })).toEqual({
      diagnostics: [],
      notApplicable: [{ policyName: "no-custom-alerts", reason: "not an alerting resource" }],
    });
  });

  it("Analyze treats an unknown (preview) alert field as non-standard, not as can't-run", async () => {
    const ds = await pack.analyze({ type: T.monitor, name: "m", props: { ...renderedMonitor(), query: unknown } });
    expect(ds.map((d) => [d.enforcementLevel, d.message])).toEqual([
      [
        "mandatory",
        `${descriptionOf("no-custom-alerts")}\nmonitor 'm': field 'query' is not known during preview; catalogue entry ${fiveXX.provenance.entry} v${fiveXX.provenance.version} fixes it in advance`,
      ],
    ]);
  });

  it("AnalyzeStack reports an eleventh alert, exactly as in-process", async () => {
    const extra: TestResource[] = [1, 2].map((i) => ({
      type: T.monitor,
      name: `${fiveXX.name}-copy-${i}`,
      props: renderedMonitor(),
    }));
    const ds = await pack.analyzeStack(overTheWire([...stack, ...extra]));
    expect(ds.map((d) => [d.policyName, d.enforcementLevel, d.urn])).toEqual([["max-ten-alerts", "mandatory", ""]]);
    expect(ds[0]!.message).toMatch(/\nthis stack has 11 alerts; the Extended package allows at most 10: /);
    expect(ds.map(({ policyName, message }) => ({ policyName, message }))).toEqual(await inProcess("AnalyzeStack", [...stack, ...extra]));
  });

  it("AnalyzeStack reports routing and plaintext keys per resource, exactly as in-process", async () => {
    const changed = stack.map((r): TestResource => {
      if (r.type === T.monitor && r.name === fiveXX.name) {
        return { ...r, props: { ...r.props, message: "{{#is_alert}}@pagerduty-pico-nordlys-frontend{{/is_alert}}" } };
      }
      if (r.type === T.serviceObject && r.name.includes("backend"))
        return { ...r, propertyDependencies: { serviceName: r.propertyDependencies!.serviceName! } };
      return r;
    });
    const literalProvider: TestResource = { type: "pulumi:providers:datadog", name: "dd", props: { apiKey: fakeKey("typed-in") } };
    const configProvider: TestResource = { type: "pulumi:providers:datadog", name: "dd-config", props: { apiKey: datadogApiKey } };
    const all = [...changed, literalProvider, configProvider];
    const ds = await pack.analyzeStack(overTheWire(all));
    expect(ds.map((d) => [d.policyName, d.urn])).toEqual([
      ["alerts-route-to-preparedness", urnOf({ type: T.monitor, name: fiveXX.name })],
      ["no-plaintext-secrets", urnOf({ type: T.serviceObject, name: "pico-nordlys-backend-datadog-link" })],
      ["no-plaintext-secrets", urnOf(literalProvider)],
    ]);
    // In-process there is no stack configuration, so only the provider finding is the pack's alone.
    process.env["PULUMI_CONFIG"] = JSON.stringify({ "datadog:apiKey": datadogApiKey });
    try {
      expect(ds.map(({ policyName, message }) => ({ policyName, message }))).toEqual(await inProcess("AnalyzeStack", all));
    } finally {
      delete process.env["PULUMI_CONFIG"];
    }
  });

  it("an unknown (preview) message makes the routing policy an advisory can't-run, as in-process it is undecided", async () => {
    const pending = stack.map((r) =>
      r.type === T.monitor && r.name === fiveXX.name ? { ...r, props: { ...r.props, message: unknown } } : r,
    );
    const ds = await pack.analyzeStack(overTheWire(pending as TestResource[]));
    expect(ds.map((d) => [d.policyName, d.enforcementLevel])).toEqual([["alerts-route-to-preparedness", "advisory"]]);
    expect(ds[0]!.message).toMatch(
      /can't run policy 'alerts-route-to-preparedness' .* during preview: string value at \.message can't be known during preview/,
    );
  });

  it("policy config reaches max-ten-alerts and is validated", async () => {
    const sent = await pack.configure({ ...openWorldOnly, "max-ten-alerts": { maxAlerts: 5 } });
    expect(sent["max-ten-alerts"]).toEqual({ enforcementLevel: "mandatory", properties: { maxAlerts: 5 } });
    const ds = await pack.analyzeStack(overTheWire(stack));
    expect(ds.map((d) => d.message)).toEqual(
      (await inProcess("AnalyzeStack", stack, { config: { "max-ten-alerts": { maxAlerts: 5 } } })).map((v) => v.message),
    );
    expect(ds[0]!.message).toMatch(/this stack has 9 alerts; the Extended package allows at most 5/);

    await pack.configure({ ...openWorldOnly, all: "advisory" });
    expect((await pack.analyze({ type: T.monitor, name: "f", props: forgedMonitor() })).map((d) => d.enforcementLevel)).toEqual([
      "advisory",
    ]);

    await pack.configure({ ...openWorldOnly, "no-custom-alerts": "disabled" });
    expect(await pack.analyze({ type: T.monitor, name: "f", props: forgedMonitor() })).toEqual([]);

    await expect(pack.configure({ "max-ten-alerts": { maxAlerts: 0 } })).rejects.toThrow(
      /policy pack configuration is invalid: max-ten-alerts\/maxAlerts/,
    );
    // Config may lower the limit, never raise it.
    await expect(pack.configure({ "max-ten-alerts": { maxAlerts: 11 } })).rejects.toThrow(
      /policy pack configuration is invalid: max-ten-alerts\/maxAlerts/,
    );
  });
});

describe("start-up failures", () => {
  it("reports a pack that dies before printing its port, and leaves no process behind", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "broken-pack-"));
    try {
      fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "broken", version: "0.0.1", main: "index.js" }));
      fs.writeFileSync(path.join(dir, "index.js"), 'throw new Error("boom at load");\n');
      // Resolve @pulumi/pulumi from the repo, as a real pack would from its own node_modules.
      fs.symlinkSync(path.join(DEFAULT_PACK_DIR, "..", "node_modules"), path.join(dir, "node_modules"), "dir");
      await expect(PolicyPackProcess.start({ packDir: dir, startTimeoutMs: 20_000 })).rejects.toThrow(
        /exited before printing its port[\s\S]*boom at load/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
