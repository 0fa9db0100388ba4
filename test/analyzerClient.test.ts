// Drives the compiled policy pack through the Analyzer gRPC interface, the way the Pulumi CLI does, and
// checks it reports exactly what the same policies report in-process (src/offline/policyResults.ts).
// The pack runs from dist/: `npm test` builds first (pretest); with bare `npx vitest`, run `npm run build` first
// (the harness fails fast with that advice when dist is missing or stale).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pack } from "./support/pack.js";
import { UNKNOWN_SENTINEL } from "../policies/resourceProps.js";
import type { RunPoliciesOptions } from "../src/offline/policyResults.js";
import { PolicyPackProcess } from "./support/analyzer/client.js";
import { clockAt } from "./support/closedWorld.js";
import { analyzeInput, DEFAULT_PACK_DIR, fromAnalyzerView } from "./support/analyzer/fakeEngine.js";
import {
  type AnalyzedResource,
  asOf,
  changed,
  copyOf,
  extra,
  fakeKey,
  find,
  golden,
  judge,
  provider,
  renderedAlerts,
  T,
} from "./support/goldenStacks.js";

const { policies } = pack;
const packVersion = (JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "package.json"), "utf8")) as { version: string }).version;
const descriptionOf = (name: string) => policies.find((p) => p.name === name)!.description;

// nordlys's golden stack on an update (test/support/goldenStacks.ts), as the pack's process is told below.
const stack = golden("nordlys", "update");
const fiveXX = renderedAlerts("nordlys").find((a) => a.provenance.entry === "app-service-5xx")!;
if (fiveXX.kind !== "datadog-monitor") throw new Error("fixture");
const monitor = find(stack, T.datadogMonitor, fiveXX.name);
const forgedQuery = "avg(last_5m):avg:azure.app_services.cpu_time{*} > 1";
/** The 5xx monitor, its checked inputs and outputs changed. */
const changedMonitor = (change: (p: Record<string, any>) => void) =>
  find(changed(stack, T.datadogMonitor, change, fiveXX.name), T.datadogMonitor, fiveXX.name);
const forgedMonitor = () =>
  changedMonitor((p) => {
    p.query = forgedQuery;
  });

const stackPolicies = new Set(policies.filter((p) => "validateStack" in p).map((p) => p.name));
const datadogApiKey = fakeKey("datadog-api-key");
const stackConfig = { "datadog:apiKey": datadogApiKey };

/**
 * What the same policies say in-process, as the CLI would print it (description, newline, message):
 * the resource policies (what Analyze runs) or the stack policies (what AnalyzeStack runs).
 */
async function inProcess(rpc: "Analyze" | "AnalyzeStack", resources: readonly AnalyzedResource[], config?: RunPoliciesOptions["config"]) {
  return (await judge(resources, { phase: "update", stackConfig, ...(config ? { config } : {}) })).results
    .filter((r) => stackPolicies.has(r.policy) === (rpc === "AnalyzeStack"))
    .flatMap((r) => r.violations.map((v) => ({ policyName: r.policy, message: `${r.description}\n${v.message}` })));
}

const only = <D extends { policyName: string }>(policy: string, ds: D[]) => ds.filter((d) => d.policyName === policy);
const namesAndMessages = (ds: { policyName: string; message: string }[]) => ds.map(({ policyName, message }) => ({ policyName, message }));

function gone(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

describe("policy pack over the Analyzer gRPC interface", () => {
  let pack: PolicyPackProcess;

  beforeAll(async () => {
    pack = await PolicyPackProcess.start({
      stack: "nordlys",
      project: "pico-monitoring",
      dryRun: false,
      tags: { customer: "nordlys" },
      config: { ...stackConfig, "pico-monitoring:asOf": asOf.toISOString() },
      env: clockAt(asOf),
      startTimeoutMs: 45_000,
    });
    console.log(`policy pack started in ${pack.startupMs} ms: node ${pack.argv.join(" ")}`);
  });

  afterEach(async () => {
    await pack.configure({}); // back to the pack's own levels and defaults
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
      ["silences-match-approved-windows", "resource", "mandatory", "critical"],
      ["stack-matches-customer-file", "stack", "mandatory", "critical"],
      ["unknowns-only-where-planned", "resource", "mandatory", "high"],
    ]);
    for (const p of info.policies) expect(p.description).toBe(descriptionOf(p.name));
    expect(info.policies.find((p) => p.name === "max-ten-alerts")?.configSchema?.properties).toEqual({
      maxAlerts: { type: "integer", minimum: 1, maximum: 10, default: 10 },
    });
  });

  it("Analyze reports a forged monitor, exactly as in-process, and passes the rendered one", async () => {
    const forged = forgedMonitor();
    const ds = await pack.analyze(analyzeInput(forged));
    expect(only("no-custom-alerts", ds)).toEqual([
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
    // The plan has another query there too.
    expect(ds.map((d) => d.policyName)).toEqual(["no-custom-alerts", "resource-matches-plan"]);
    expect(namesAndMessages(ds)).toEqual(await inProcess("Analyze", [forged]));
    expect(await pack.analyze(analyzeInput(monitor))).toEqual([]);
  });

  it("Analyze hides no field behind a __defaults list, which the CLI would have dropped anyway", async () => {
    // The engine never sends `__` keys (SkipInternalKeys, see src/offline/cliView.ts); a sender that does
    // gets them judged like any other field, and the field they name is still not the catalogue's.
    const smuggled = changedMonitor((p) => {
      p.__defaults = ["newHostDelay"];
      p.newHostDelay = 0;
    });
    const ds = await pack.analyze(analyzeInput(smuggled));
    expect(only("no-custom-alerts", ds).map((d) => d.message)).toEqual([
      `${descriptionOf("no-custom-alerts")}\nmonitor '${fiveXX.name}': field '__defaults' is not part of catalogue entry ${fiveXX.provenance.entry} v${fiveXX.provenance.version}`,
    ]);
    expect(namesAndMessages(ds)).toEqual(await inProcess("Analyze", [smuggled]));

    const dropped = changedMonitor((p) => {
      p.newHostDelay = 0;
    });
    expect(only("no-custom-alerts", await pack.analyze(analyzeInput(dropped))).map((d) => d.message)).toEqual([
      `${descriptionOf("no-custom-alerts")}\nmonitor '${fiveXX.name}': field 'newHostDelay' is not part of catalogue entry ${fiveXX.provenance.entry} v${fiveXX.provenance.version}`,
    ]);
  });

  // That the stacks the components create pass, first preview and update, is shown with what they
  // really register, through the CLI-view model: test/cliView.grpc.test.ts.

  it("Analyze reports kinds the catalogue never renders, and leaves other resources alone", async () => {
    const classic = extra(stack, "azure:monitoring/metricAlert:MetricAlert", "classic");
    const ds = await pack.analyze(analyzeInput(classic));
    expect(ds.map((d) => d.message)).toEqual([
      `${descriptionOf("no-custom-alerts")}\n'classic' (azure:monitoring/metricAlert:MetricAlert) is not a kind the Best Practice catalogue renders`,
      `${descriptionOf("only-known-resource-kinds")}\n'classic' is a azure:monitoring/metricAlert:MetricAlert, which the pico-monitoring components never create`,
      `${descriptionOf("resource-matches-plan")}\n'classic' (azure:monitoring/metricAlert:MetricAlert) is not something stacks/nordlys.yaml renders`,
    ]);
    expect(namesAndMessages(ds)).toEqual(await inProcess("Analyze", [classic]));
    const result = await pack.analyzeResult(analyzeInput(find(stack, T.azureActionGroup)));
    expect(result.diagnostics).toEqual([]);
    expect(result.notApplicable).toContainEqual({ policyName: "no-custom-alerts", reason: "not an alerting resource" });
  });

  it("Analyze treats an unknown (preview) alert field as non-standard, not as can't-run", async () => {
    const pending = changedMonitor((p) => {
      p.query = UNKNOWN_SENTINEL;
    });
    const ds = await pack.analyze(analyzeInput(pending));
    expect(only("no-custom-alerts", ds).map((d) => [d.enforcementLevel, d.message])).toEqual([
      [
        "mandatory",
        `${descriptionOf("no-custom-alerts")}\nmonitor '${fiveXX.name}': field 'query' is not known during preview; catalogue entry ${fiveXX.provenance.entry} v${fiveXX.provenance.version} fixes it in advance`,
      ],
    ]);
    expect(ds.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
    expect(namesAndMessages(ds)).toEqual(await inProcess("Analyze", [pending]));
  });

  it("AnalyzeStack reports an eleventh alert, exactly as in-process", async () => {
    const all = [...stack, ...[1, 2].map((i) => copyOf(monitor, `${fiveXX.name}-copy-${i}`))];
    const ds = await pack.analyzeStack(all.map(fromAnalyzerView));
    expect(only("max-ten-alerts", ds).map((d) => [d.policyName, d.enforcementLevel, d.urn])).toEqual([["max-ten-alerts", "mandatory", ""]]);
    expect(only("max-ten-alerts", ds)[0]!.message).toMatch(/\nthis stack has 11 alerts; the Extended package allows at most 10: /);
    // The copies are standard alerts the customer file does not render.
    expect(only("stack-matches-customer-file", ds).map((d) => d.urn)).toEqual(all.slice(-2).map((r) => r.urn));
    expect(namesAndMessages(ds)).toEqual(await inProcess("AnalyzeStack", all));
  });

  it("AnalyzeStack reports routing and plaintext keys per resource, exactly as in-process", async () => {
    let changedStack = changed(
      stack,
      T.datadogMonitor,
      (p) => {
        p.message = "{{#is_alert}}@pagerduty-pico-nordlys-frontend{{/is_alert}}";
      },
      fiveXX.name,
    );
    changedStack = changed(
      changedStack,
      T.datadogPagerdutyServiceObject,
      (_, r) => {
        r.propertyDependencies = { serviceName: r.propertyDependencies!.serviceName! };
      },
      /backend/,
    );
    const literalProvider = provider(stack, "datadog", "dd", { apiKey: fakeKey("typed-in") });
    const configProvider = provider(stack, "datadog", "dd-config", { apiKey: datadogApiKey });
    const all = [...changedStack, literalProvider, configProvider];
    const ds = await pack.analyzeStack(all.map(fromAnalyzerView));
    const link = find(stack, T.datadogPagerdutyServiceObject, "pico-nordlys-backend-datadog-link");
    expect(ds.filter((d) => d.policyName !== "stack-matches-customer-file").map((d) => [d.policyName, d.urn])).toEqual([
      ["alerts-route-to-preparedness", monitor.urn],
      ["no-plaintext-secrets", link.urn],
      ["no-plaintext-secrets", literalProvider.urn],
    ]);
    // In-process the pack is told the same stack configuration.
    expect(namesAndMessages(ds)).toEqual(await inProcess("AnalyzeStack", all));
  });

  it("an unknown (preview) message makes the routing policy an advisory can't-run, as in-process it is undecided", async () => {
    const pending = changed(
      stack,
      T.datadogMonitor,
      (p) => {
        p.message = UNKNOWN_SENTINEL;
      },
      fiveXX.name,
    );
    const ds = await pack.analyzeStack(pending.map(fromAnalyzerView));
    expect(only("alerts-route-to-preparedness", ds).map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["alerts-route-to-preparedness", "advisory"],
    ]);
    expect(only("alerts-route-to-preparedness", ds)[0]!.message).toMatch(
      /can't run policy 'alerts-route-to-preparedness' .* during preview: string value at \.message can't be known during preview/,
    );
    const report = await judge(pending, { stackConfig });
    expect(report.results.find((r) => r.policy === "alerts-route-to-preparedness")).toMatchObject({
      violations: [],
      undecided: [{ message: expect.stringMatching(/during preview: the message of monitor '.*' can't be known during preview$/) }],
    });
  });

  it("policy config reaches max-ten-alerts and is validated", async () => {
    const sent = await pack.configure({ "max-ten-alerts": { maxAlerts: 5 } });
    expect(sent["max-ten-alerts"]).toEqual({ enforcementLevel: "mandatory", properties: { maxAlerts: 5 } });
    const ds = await pack.analyzeStack(stack.map(fromAnalyzerView));
    expect(ds.map((d) => d.message)).toEqual(
      (await inProcess("AnalyzeStack", stack, { "max-ten-alerts": { maxAlerts: 5 } })).map((v) => v.message),
    );
    expect(ds.map((d) => d.policyName)).toEqual(["max-ten-alerts"]);
    expect(ds[0]!.message).toMatch(/this stack has 9 alerts; the Extended package allows at most 5/);

    // Every policy is a promise: configured advisory, its violations are still mandatory (policies/promise.ts).
    await pack.configure({ all: "advisory" });
    const advisory = await pack.analyze(analyzeInput(forgedMonitor()));
    expect(advisory.map((d) => d.policyName)).toEqual(["no-custom-alerts", "resource-matches-plan"]);
    expect(advisory.map((d) => d.enforcementLevel)).toEqual(["mandatory", "mandatory"]);

    await pack.configure({ "no-custom-alerts": "disabled" });
    expect((await pack.analyze(analyzeInput(forgedMonitor()))).map((d) => d.policyName)).toEqual(["resource-matches-plan"]);

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

describe("process bookkeeping", () => {
  it("a test process ended by SIGTERM, as vitest ends its forks, takes its pack processes with it", async () => {
    // Test files share pack processes until their fork ends (test/support/closedWorld.ts); a signal skips "exit" hooks.
    const script = [
      `const { PolicyPackProcess } = require(${JSON.stringify(path.join(__dirname, "support", "analyzer", "client.ts"))});`,
      `PolicyPackProcess.start({ packDir: ${JSON.stringify(DEFAULT_PACK_DIR)} }).then((p) => console.log(p.pid));`,
      "setInterval(() => {}, 1000);",
    ].join("\n");
    const holder = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const packPid = await new Promise<number>((resolve, reject) => {
      holder.stdout!.setEncoding("utf8").on("data", (d: string) => resolve(Number(d.trim())));
      holder.on("exit", (code) => reject(new Error(`the holder exited (${code}) before its pack started`)));
    });
    expect(alive(packPid)).toBe(true);
    const exited = new Promise((resolve) => holder.on("exit", resolve));
    holder.kill("SIGTERM");
    await exited;
    for (let i = 0; i < 50 && alive(packPid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(packPid)).toBe(false);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
