import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { alertingResourceTypes, countAlerts, isAlertingResourceType, normalizeResourceType } from "../src/facts/alertingResources.js";
import {
  fakeIntegrationKey,
  loadedPulumiCopies,
  MockRunError,
  previewMocks,
  runUnderMocks,
  stableId,
  type RegisteredResource,
} from "../src/offline/mockEngine.js";
import { formatPreviewTable, previewJson, resourceForest } from "../src/preview/render.js";
import { isSecretValue, masked, secretValue, specialSecretSig, specialSigKey, UNKNOWN_SENTINEL } from "../src/facts/engineValues.js";
import {
  convertRequestsOnce,
  isProviderTypeAliases,
  mockRunPatches,
  passThroughDebuggablePromise,
  plainStructs,
  pulumiVersionPatchable,
  type StructClass,
} from "../src/offline/fastStart.js";

const WEBHOOK_SECRET = "https://events.pagerduty.com/integration/s3cr3t-token/enqueue";
const opts = { project: "pico-monitoring", stack: "acme" };

interface ProgramOptions {
  /** Mark the ServiceIntegration's integrationKey secret through the resource option. */
  secretKey?: boolean;
  /** Throw inside an apply that feeds a resource input. */
  failInApply?: boolean;
  /** Throw synchronously while constructing. */
  failSync?: boolean;
  /** Register two resources with the same URN. */
  duplicate?: boolean;
  /** Observed `pulumi.runtime.isDryRun()` while the program runs. */
  seen?: { dryRun?: boolean };
}

/** The throwaway program: loads the providers only once mocks are in place, as the CLI does. */
function program(o: ProgramOptions = {}) {
  return async () => {
    const datadog = await import("@pulumi/datadog");
    const pagerduty = await import("@pulumi/pagerduty");
    const monitor = await import("@pulumi/azure-native/monitor");
    if (o.seen) o.seen.dryRun = pulumi.runtime.isDryRun();

    class Paging extends pulumi.ComponentResource {
      readonly integrationKey: pulumi.Output<string>;
      constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("pico:test:Paging", name, {}, opts);
        const user = pagerduty.getUserOutput({ email: "ana@pico.dk" }, { parent: this });
        const vendor = pagerduty.getVendorOutput({ name: "Datadog" }, { parent: this });
        const svc = new pagerduty.Service(`${name}-svc`, { name: "Acme backend", escalationPolicy: user.id }, { parent: this });
        const integration = new pagerduty.ServiceIntegration(
          `${name}-datadog`,
          { service: svc.id, vendor: vendor.id },
          { parent: this, additionalSecretOutputs: o.secretKey === false ? [] : ["integrationKey"] },
        );
        this.integrationKey = integration.integrationKey;
        this.registerOutputs({});
      }
    }

    class Root extends pulumi.ComponentResource {
      constructor(name: string) {
        super("pico:test:CustomerMonitoring", name, {});
        const paging = new Paging(`${name}-paging`, { parent: this });
        new datadog.Monitor(
          `${name}-cpu`,
          {
            name: "[acme] CPU high",
            type: "metric alert",
            query: o.failInApply
              ? pulumi.output(90).apply((): string => {
                  throw new Error("threshold template exploded");
                })
              : "avg(last_15m):avg:azure.web_serverfarms.cpu_percentage{*} > 90",
            message: "CPU is high @pagerduty-acme",
            monitorThresholds: { critical: 90 },
            tags: ["customer:acme", "catalog:app-service-cpu"],
          },
          { parent: this },
        );
        new monitor.ActionGroup(
          `${name}-ag`,
          {
            resourceGroupName: "rg-acme",
            groupShortName: "acme",
            enabled: true,
            webhookReceivers: [
              { name: "pd-static", serviceUri: pulumi.secret(WEBHOOK_SECRET), useCommonAlertSchema: true },
              {
                name: "pd-integration",
                serviceUri: pulumi.interpolate`https://events.pagerduty.com/integration/${paging.integrationKey}/enqueue`,
                useCommonAlertSchema: true,
              },
            ],
          },
          { parent: this },
        );
        new monitor.MetricAlert(
          `${name}-5xx`,
          {
            resourceGroupName: "rg-acme",
            severity: 1,
            enabled: true,
            scopes: ["/subscriptions/0/resourceGroups/rg-acme/providers/Microsoft.Web/sites/app-acme"],
            evaluationFrequency: "PT5M",
            windowSize: "PT15M",
            criteria: { odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria" },
          },
          { parent: this },
        );
        if (o.duplicate)
          new datadog.Monitor(`${name}-cpu`, { name: "dup", type: "metric alert", query: "x", message: "m" }, { parent: this });
        if (o.failSync) throw new Error("bad customer file");
        this.registerOutputs({});
      }
    }
    new Root("acme");
  };
}

const find = (rs: RegisteredResource[], type: string, name?: string) => {
  const r = rs.find((x) => x.type === type && (name === undefined || x.name === name));
  if (!r) throw new Error(`no ${type} ${name ?? ""} in ${rs.map((x) => x.urn).join(", ")}`);
  return r;
};

describe("the engine's forms (src/facts/engineValues.ts)", () => {
  it("are the installed SDK's own: its secret signature and its unknown sentinel", () => {
    expect([specialSigKey, specialSecretSig]).toEqual([pulumi.runtime.specialSigKey, pulumi.runtime.specialSecretSig]);
    expect(UNKNOWN_SENTINEL).toBe(pulumi.runtime.unknownValue);
  });
});

describe("runUnderMocks", () => {
  it("records every resource, components included, with parent links", async () => {
    const rs = await runUnderMocks(program(), opts);
    const root = find(rs, "pico:test:CustomerMonitoring");
    const paging = find(rs, "pico:test:Paging");
    expect(rs.map((r) => r.urn)).toEqual([
      "urn:pulumi:acme::pico-monitoring::pico:test:CustomerMonitoring$azure-native:monitor:ActionGroup::acme-ag",
      "urn:pulumi:acme::pico-monitoring::pico:test:CustomerMonitoring$azure-native:monitor:MetricAlert::acme-5xx",
      "urn:pulumi:acme::pico-monitoring::pico:test:CustomerMonitoring$datadog:index/monitor:Monitor::acme-cpu",
      "urn:pulumi:acme::pico-monitoring::pico:test:CustomerMonitoring$pico:test:Paging$pagerduty:index/service:Service::acme-paging-svc",
      "urn:pulumi:acme::pico-monitoring::pico:test:CustomerMonitoring$pico:test:Paging$pagerduty:index/serviceIntegration:ServiceIntegration::acme-paging-datadog",
      "urn:pulumi:acme::pico-monitoring::pico:test:CustomerMonitoring$pico:test:Paging::acme-paging",
      "urn:pulumi:acme::pico-monitoring::pico:test:CustomerMonitoring::acme",
    ]);
    expect(root.parent).toBeUndefined();
    expect(root.custom).toBe(false);
    expect(paging.custom).toBe(false);
    expect(paging.parent).toBe(root.urn);
    expect(find(rs, "datadog:index/monitor:Monitor").parent).toBe(root.urn);
    expect(find(rs, "pagerduty:index/service:Service").parent).toBe(paging.urn);
    expect(find(rs, "pagerduty:index/serviceIntegration:ServiceIntegration").parent).toBe(paging.urn);
    // The forest used by the table mirrors the same links.
    const [tree] = resourceForest(rs);
    expect(tree?.r.urn).toBe(root.urn);
    expect(tree?.children.map((c) => c.r.name)).toEqual(["acme-paging", "acme-ag", "acme-5xx", "acme-cpu"]);
    expect(loadedPulumiCopies()).toHaveLength(1);
  });

  it("returns the props as registered, with deterministic call answers", async () => {
    const rs = await runUnderMocks(program(), opts);
    expect(find(rs, "datadog:index/monitor:Monitor").props).toEqual({
      name: "[acme] CPU high",
      type: "metric alert",
      query: "avg(last_15m):avg:azure.web_serverfarms.cpu_percentage{*} > 90",
      message: "CPU is high @pagerduty-acme",
      monitorThresholds: { critical: 90 },
      tags: ["customer:acme", "catalog:app-service-cpu"],
    });
    const userId = stableId("P", "ana@pico.dk");
    expect(userId).toMatch(/^P[0-9A-F]{6}$/);
    // getUser's answer and the SDK's default description both reach the registered inputs.
    expect(find(rs, "pagerduty:index/service:Service").props).toEqual({
      name: "Acme backend",
      escalationPolicy: userId,
      description: "Managed by Pulumi",
    });
    // Ids of other resources are `<Type>-<name>_id`; getVendor answers with a stable V-id.
    expect(find(rs, "pagerduty:index/serviceIntegration:ServiceIntegration").props).toEqual({
      service: "Service-acme-paging-svc_id",
      vendor: stableId("V", "Datadog"),
    });
    expect(find(rs, "pico:test:CustomerMonitoring").props).toEqual({});
  });

  it("keeps secrets in the engine's form where they occur and nowhere else; printers mask them", async () => {
    const rs = await runUnderMocks(program(), opts);
    const ag = find(rs, "azure-native:monitor:ActionGroup");
    const hooks = ag.props.webhookReceivers as Array<Record<string, unknown>>;
    expect(hooks[0]).toEqual({ name: "pd-static", serviceUri: secretValue(WEBHOOK_SECRET), useCommonAlertSchema: true });
    expect(isSecretValue(hooks[1]?.serviceUri)).toBe(true);
    expect(masked(ag.props.webhookReceivers)).toEqual([
      { name: "pd-static", serviceUri: "[secret]", useCommonAlertSchema: true },
      { name: "pd-integration", serviceUri: "[secret]", useCommonAlertSchema: true },
    ]);
    expect(ag.props.groupShortName).toBe("acme");
    expect(ag.secretPaths).toEqual(["webhookReceivers[0].serviceUri", "webhookReceivers[1].serviceUri"]);
    const printed =
      previewJson({ customer: "acme", asOf: "2026-07-01T00:00:00Z", resources: rs, summary: { alerts: countAlerts(rs), maxAlerts: 10 } }) +
      formatPreviewTable(rs, { maxAlerts: 10 });
    expect(printed).toContain("[secret]");
    expect(printed).not.toContain("s3cr3t-token");
    expect(printed).not.toContain(fakeIntegrationKey("acme-paging-datadog"));
  });

  it("honours additionalSecretOutputs like the real engine; without it the key leaks", async () => {
    // Control: the pagerduty SDK does not mark integrationKey secret, and neither does the mock
    // (the real provider returns it plain). Without the option the key shows in the webhook URI.
    const rs = await runUnderMocks(program({ secretKey: false }), opts);
    const hooks = find(rs, "azure-native:monitor:ActionGroup").props.webhookReceivers as Array<Record<string, unknown>>;
    expect(hooks[1]?.serviceUri).toBe(`https://events.pagerduty.com/integration/${fakeIntegrationKey("acme-paging-datadog")}/enqueue`);
    expect(hooks[0]?.serviceUri).toEqual(secretValue(WEBHOOK_SECRET));
  });

  it("masks top-level props named in additionalSecretOutputs", async () => {
    const rs = await runUnderMocks(async () => {
      const pagerduty = await import("@pulumi/pagerduty");
      new pagerduty.ServiceIntegration(
        "given-key",
        { service: "PSVC", integrationKey: "plain-but-sensitive" },
        { additionalSecretOutputs: ["integrationKey"] },
      );
    }, opts);
    expect(rs[0]?.props).toEqual({ service: "PSVC", integrationKey: secretValue("plain-but-sensitive") });
    expect(rs[0]?.secretPaths).toEqual(["integrationKey"]);
  });

  it("waits for resources registered inside applies, however deep", async () => {
    const rs = await runUnderMocks(async () => {
      const datadog = await import("@pulumi/datadog");
      const make = (i: number): void => {
        const m = new datadog.Monitor(`chain-${i}`, { name: `chain ${i}`, type: "metric alert", query: "q", message: "m" });
        if (i < 4) m.id.apply(() => make(i + 1));
      };
      make(0);
      // Async work the program awaits (here a timer) is part of the program.
      await new Promise((r) => setTimeout(r, 20));
      pulumi.output("late").apply(() => make(10));
    }, opts);
    expect(rs.map((r) => r.name)).toEqual(["chain-0", "chain-1", "chain-10", "chain-2", "chain-3", "chain-4"]);
  });

  it("is deterministic: two runs give byte-identical JSON, sorted by URN", async () => {
    const render = (rs: RegisteredResource[]) =>
      previewJson({ customer: "acme", asOf: "2026-07-01T00:00:00Z", resources: rs, summary: { alerts: countAlerts(rs), maxAlerts: 10 } });
    const a = render(await runUnderMocks(program(), opts));
    const b = render(await runUnderMocks(program(), opts));
    expect(a).toBe(b);
    const urns = (JSON.parse(a) as { resources: { urn: string }[] }).resources.map((r) => r.urn);
    expect(urns).toEqual([...urns].sort());
  });

  it("runs as a preview by default, and as an update when asked", async () => {
    const seen: { dryRun?: boolean } = {};
    await runUnderMocks(program({ seen }), opts);
    expect(seen.dryRun).toBe(true);
    await runUnderMocks(program({ seen }), { ...opts, preview: false });
    expect(seen.dryRun).toBe(false);
  });

  it("surfaces an error thrown inside an apply", async () => {
    const run = runUnderMocks(program({ failInApply: true }), opts);
    await expect(run).rejects.toBeInstanceOf(MockRunError);
    await expect(run).rejects.toThrow(
      'Pulumi program failed: acme-cpu [datadog:index/monitor:Monitor]: error serializing property "query": threshold template exploded',
    );
  });

  it("surfaces an error raised by a registration", async () => {
    const mocks = {
      ...previewMocks,
      newResource(args: pulumi.runtime.MockResourceArgs) {
        if (args.type === "azure-native:monitor:MetricAlert") throw new Error("quota exceeded");
        return previewMocks.newResource(args);
      },
    };
    await expect(runUnderMocks(program(), { ...opts, mocks })).rejects.toThrow(
      /failed to register new resource acme-5xx \[azure-native:monitor:MetricAlert\]: .*quota exceeded/,
    );
  });

  it("surfaces a synchronous throw and a duplicate URN, then still runs cleanly", async () => {
    await expect(runUnderMocks(program({ failSync: true }), opts)).rejects.toThrow(/bad customer file/);
    await expect(runUnderMocks(program({ duplicate: true }), opts)).rejects.toThrow(/Duplicate resource URN .*acme-cpu/);
    expect(await runUnderMocks(program(), opts)).toHaveLength(7);
  });

  it("skips the SDK's unread stack captures during a run only, and keeps the program's stacks", async () => {
    const Resource = pulumi.Resource as unknown as { callsites: () => unknown[] };
    const debuggable = createRequire(import.meta.url)("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
    const original = Resource.callsites;
    const originalDebuggable = debuggable.debuggablePromise;
    let during: unknown[] | undefined;
    let debuggableDuring: unknown;
    const run = runUnderMocks(() => {
      during = Resource.callsites();
      debuggableDuring = debuggable.debuggablePromise;
      throw new Error("from the program");
    }, opts);
    const err = (await run.catch((e: unknown) => e)) as MockRunError;
    expect(during).toEqual([]);
    expect(debuggableDuring).not.toBe(originalDebuggable);
    expect(debuggable.debuggablePromise).toBe(originalDebuggable);
    expect(Resource.callsites).toBe(original);
    expect(Resource.callsites().length).toBeGreaterThan(0);
    expect((err.errors[0] as Error).stack).toContain("mockEngine.test.ts");
  });

  it("times out with a clear error when a registration never settles, and recovers", async () => {
    const run = runUnderMocks(
      async () => {
        const datadog = await import("@pulumi/datadog");
        new datadog.Monitor("stuck", { name: "stuck", type: "metric alert", query: new Promise<string>(() => {}), message: "m" });
      },
      { ...opts, timeoutMs: 300 },
    );
    await expect(run).rejects.toThrow(/still being registered after 300 ms/);
    expect(await runUnderMocks(program(), opts)).toHaveLength(7);
  });

  it("refuses overlapping runs", async () => {
    const first = runUnderMocks(program(), opts);
    await expect(runUnderMocks(program(), opts)).rejects.toThrow(/another run is in progress/);
    expect(await first).toHaveLength(7);
  });
});

describe("alerts", () => {
  it("counts alerting resource types only", async () => {
    const rs = await runUnderMocks(program(), opts);
    // datadog Monitor + azure-native MetricAlert; not the ActionGroup, PagerDuty or components.
    expect(countAlerts(rs)).toBe(2);
    expect(
      countAlerts([
        { type: "azure-native:monitor/v20260101:MetricAlert" },
        { type: "azure-native:insights:ActivityLogAlert" },
        { type: "azure:monitoring/scheduledQueryRulesAlertV2:ScheduledQueryRulesAlertV2" },
        { type: "datadog:index/syntheticsTest:SyntheticsTest" },
        { type: "azure-native:applicationinsights:WebTest" },
        { type: "azure-native:monitor:ActionGroup" },
        { type: "pagerduty:index/service:Service" },
      ]),
    ).toBe(4);
  });

  it("keeps the token list well-formed", () => {
    expect(new Set(alertingResourceTypes).size).toBe(alertingResourceTypes.length);
    for (const t of alertingResourceTypes) expect(t).toMatch(/^[a-z-]+:[A-Za-z0-9/]+:[A-Z][A-Za-z0-9]+$/);
    expect(normalizeResourceType("azure-native:insights/v20180301:MetricAlert")).toBe("azure-native:insights:MetricAlert");
    expect(isAlertingResourceType("azure-native:monitor:ScheduledQueryRule")).toBe(true);
  });

  it("uses the SDKs' own type tokens", async () => {
    const datadog = await import("@pulumi/datadog");
    const monitor = await import("@pulumi/azure-native/monitor");
    for (const cls of [
      datadog.Monitor,
      datadog.MonitorJson,
      datadog.SyntheticsTest,
      monitor.MetricAlert,
      monitor.ActivityLogAlert,
      monitor.ScheduledQueryRule,
    ]) {
      expect(alertingResourceTypes).toContain((cls as unknown as { __pulumiType: string }).__pulumiType);
    }
  });
});

describe("render", () => {
  it("prints the tree grouped by component, with the alert budget", async () => {
    const rs = await runUnderMocks(program(), opts);
    const text = formatPreviewTable(rs, { maxAlerts: 1 });
    const lines = text.split("\n");
    const row = (needle: string) => lines.find((l) => l.includes(needle)) ?? "";
    expect(row("pico:CustomerMonitoring")).toMatch(/^\+ pico:CustomerMonitoring {2}acme$/);
    expect(row("pico:Paging")).toMatch(/^\+ ├─ pico:Paging {2}acme-paging$/);
    expect(row("pagerduty:ServiceIntegration")).toMatch(/^\+ │  └─ pagerduty:ServiceIntegration {2}acme-paging-datadog$/);
    const monitor = lines.findIndex((l) => /└─ datadog:Monitor {2}acme-cpu {2}\(alert\)$/.test(l));
    expect(monitor).toBeGreaterThan(-1);
    expect(lines[monitor + 1]!.trim()).toBe("[acme] CPU high");
    expect(text).toContain("Resources: 7 to create (2 components, 5 cloud resources)");
    expect(text).toContain("Alerts:    2 of 1 allowed, 1 OVER THE LIMIT");
    expect(text).toContain("Secrets:   2 values hidden");
    expect(text).not.toContain("s3cr3t");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("writes stable JSON with sorted props keys", () => {
    const r: RegisteredResource = {
      urn: "urn:pulumi:s::p::datadog:index/monitor:Monitor::m",
      type: "datadog:index/monitor:Monitor",
      name: "m",
      custom: true,
      props: { query: "q", monitorThresholds: { warning: 1, critical: 2 }, tags: ["b", "a"] },
    };
    const json = previewJson({
      customer: "acme",
      asOf: new Date("2026-07-01T06:00:00Z"),
      resources: [r],
      summary: { alerts: 1, maxAlerts: 10 },
    });
    expect(json).toBe(
      [
        "{",
        '  "customer": "acme",',
        '  "asOf": "2026-07-01T06:00:00.000Z",',
        '  "summary": {',
        '    "alerts": 1,',
        '    "maxAlerts": 10,',
        '    "resources": 1',
        "  },",
        '  "resources": [',
        "    {",
        '      "urn": "urn:pulumi:s::p::datadog:index/monitor:Monitor::m",',
        '      "type": "datadog:index/monitor:Monitor",',
        '      "name": "m",',
        '      "custom": true,',
        '      "alert": true,',
        '      "props": {',
        '        "monitorThresholds": {',
        '          "critical": 2,',
        '          "warning": 1',
        "        },",
        '        "query": "q",',
        '        "tags": [',
        '          "b",',
        '          "a"',
        "        ]",
        "      }",
        "    }",
        "  ]",
        "}",
        "",
      ].join("\n"),
    );
  });
});

describe("fastStart", () => {
  it("defers TypeScript and arborist until used, and closure serialization still works", () => {
    // A fresh process: the hook must be installed before @pulumi/pulumi loads.
    const script = `
      const fast = require("./src/offline/fastStart.ts");
      const pulumi = require("@pulumi/pulumi");
      const loaded = (re) => Object.keys(require.cache).some((k) => re.test(k));
      const before = { typescript: loaded(/node_modules[\\/]typescript[\\/]/), arborist: loaded(/@npmcli[\\/]arborist[\\/]/) };
      pulumi.runtime.serializeFunction(function answer() { return 42; }).then((f) => {
        process.stdout.write(JSON.stringify({ before, after: fast.deferredModulesLoaded(), serialized: f.text.includes("42") }));
      });`;
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, PICO_EAGER_PULUMI: "" },
    });
    expect(JSON.parse(out)).toEqual({ before: { typescript: false, arborist: false }, after: ["../../typescript-shim"], serialized: true });
  });
});

describe("fastStart: the Automation API and tracing", () => {
  it("are loaded only when used, and then work", () => {
    const script = `
      const fast = require("./src/offline/fastStart.ts");
      const pulumi = require("@pulumi/pulumi");
      const loaded = (re) => Object.keys(require.cache).some((k) => re.test(k));
      const before = { automation: loaded(/@pulumi[\\/]pulumi[\\/]automation[\\/]/), otel: loaded(/@opentelemetry[\\/]api[\\/]/) };
      const used = typeof pulumi.automation.LocalWorkspace.create;
      process.stdout.write(JSON.stringify({ before, used, after: fast.deferredModulesLoaded() }));`;
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, PICO_EAGER_PULUMI: "" },
    });
    // The Automation API builds its gRPC server as it loads, so it brings the deferred gRPC with it.
    expect(JSON.parse(out)).toEqual({
      before: { automation: false, otel: false },
      used: "function",
      after: ["./automation", "@grpc/grpc-js"],
    });
  });
});

describe("fastStart: gRPC", () => {
  it("is loaded only when used, and then works", () => {
    // 14 is grpc.status.UNAVAILABLE (grpc/grpc-node packages/grpc-js/src/constants.ts); isGrpcError
    // reads it through errors.js's deferred import.
    const script = `
      const fast = require("./src/offline/fastStart.ts");
      const pulumi = require("@pulumi/pulumi");
      const loaded = (re) => Object.keys(require.cache).some((k) => re.test(k));
      const before = loaded(/@grpc[\\/]grpc-js[\\/]/);
      const unavailable = pulumi.isGrpcError({ code: 14 });
      const other = pulumi.isGrpcError({ code: 3 });
      process.stdout.write(JSON.stringify({ before, unavailable, other, after: fast.deferredModulesLoaded(), nowLoaded: loaded(/@grpc[\\/]grpc-js[\\/]/) }));`;
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, PICO_EAGER_PULUMI: "" },
    });
    expect(JSON.parse(out)).toEqual({ before: false, unavailable: true, other: false, after: ["@grpc/grpc-js"], nowLoaded: true });
  });
});

describe("mock-run patches of Pulumi internals", () => {
  it("are checked against the installed @pulumi/pulumi; another version gets the SDK's own code", async () => {
    const { version } = createRequire(import.meta.url)("@pulumi/pulumi/version") as { version: string };
    // Fails on an SDK upgrade: re-read the internals fastStart.ts names, then widen the range.
    expect(pulumiVersionPatchable(version)).toBe(true);
    expect(pulumiVersionPatchable("3.247.9")).toBe(false);
    expect(pulumiVersionPatchable("4.0.0")).toBe(false);
    const debuggablePromise = async (p: Promise<unknown>) => p;
    const callsites = () => ["here"];
    const sdk = { version: "4.0.0", debuggable: { debuggablePromise }, Resource: { callsites } };
    const restore = mockRunPatches(sdk);
    expect(sdk.debuggable.debuggablePromise).toBe(debuggablePromise);
    expect(sdk.Resource.callsites).toBe(callsites);
    restore();
    const patched = { ...sdk, version, debuggable: { debuggablePromise }, Resource: { callsites } };
    const undo = mockRunPatches(patched);
    expect(patched.debuggable.debuggablePromise).toBe(passThroughDebuggablePromise);
    expect(patched.Resource.callsites()).toEqual([]);
    undo();
    expect(patched.debuggable.debuggablePromise).toBe(debuggablePromise);
    expect(patched.Resource.callsites).toBe(callsites);
  });

  it("the mock monitor converts each request's properties once, and leaves an unchecked SDK alone", async () => {
    const sdkRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
    const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb") as {
      Struct: { prototype: { toJavaScript: () => unknown } };
    };
    const original = Struct.prototype.toJavaScript;
    const conversions = new Map<unknown, number>();
    Struct.prototype.toJavaScript = function (this: unknown) {
      conversions.set(this, (conversions.get(this) ?? 0) + 1);
      return original.call(this);
    };
    let resources: RegisteredResource[];
    // Real protobuf Structs (mockRunPatches off), so every conversion goes through the prototype.
    const leaks = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    try {
      resources = await runUnderMocks(program(), opts);
    } finally {
      Struct.prototype.toJavaScript = original;
      if (leaks === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      else process.env.PULUMI_DEBUG_PROMISE_LEAKS = leaks;
    }
    expect(resources!.length).toBeGreaterThan(5);
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: unknown };
    expect(monitor.registerResource).not.toBe(Object.getPrototypeOf(monitor).registerResource);
    // MockMonitor deserializes each request's Struct and the recorder read it again: twice each.
    expect(Math.max(...conversions.values())).toBe(1);

    const untouched = { registerResource: () => undefined, readResource: () => undefined };
    const sdk = { version: "4.0.0", rpc: {}, Struct: {}, resourcePb: {} } as unknown as Parameters<typeof convertRequestsOnce>[1];
    expect(convertRequestsOnce(untouched as unknown as Parameters<typeof convertRequestsOnce>[0], sdk, () => {})).toBe(false);
    expect(Object.values(untouched).every((f) => f.name === "registerResource" || f.name === "readResource")).toBe(true);
  });

  it("plain Structs: a mock run builds no protobuf maps, and records what real Structs record", async () => {
    const sdkRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
    type Fields = (...a: unknown[]) => unknown;
    const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: { prototype: { getFieldsMap: Fields } } };
    const original = Struct.prototype.getFieldsMap;
    let maps = 0;
    Struct.prototype.getFieldsMap = function (this: unknown, ...a: unknown[]) {
      maps++;
      return original.apply(this, a);
    };
    let plain: RegisteredResource[];
    try {
      plain = await runUnderMocks(program(), opts);
    } finally {
      Struct.prototype.getFieldsMap = original;
    }
    expect(maps).toBe(0);
    const leaks = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    let real: RegisteredResource[];
    try {
      real = await runUnderMocks(program(), opts);
    } finally {
      if (leaks === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      else process.env.PULUMI_DEBUG_PROMISE_LEAKS = leaks;
    }
    expect(plain!.length).toBeGreaterThan(5);
    expect(plain!).toEqual(real!);
  });

  it("provider type aliases: a mock run merges none into resource options, and records what a run with them records", async () => {
    // @pulumi/pulumi's CommonJS exports: what the provider SDKs call `pulumi.mergeOptions` on.
    const index = createRequire(import.meta.url)("@pulumi/pulumi") as { mergeOptions: (a: object, b: object) => object };
    const original = index.mergeOptions;
    const run = async (patchesOff: boolean) => {
      const aliasMerges: object[] = [];
      index.mergeOptions = (a, b) => {
        if (isProviderTypeAliases(b)) aliasMerges.push(b);
        return original(a, b);
      };
      const leaks = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      if (patchesOff) process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
      try {
        return { resources: await runUnderMocks(program(), opts), aliasMerges };
      } finally {
        index.mergeOptions = original;
        if (leaks === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
        else process.env.PULUMI_DEBUG_PROMISE_LEAKS = leaks;
      }
    };
    const sdkOwn = await run(true);
    // The program's MetricAlert and ActionGroup bring azure-native's aliases.
    expect(sdkOwn.aliasMerges.length).toBeGreaterThanOrEqual(2);
    expect(sdkOwn.aliasMerges).toContainEqual({ aliases: expect.arrayContaining([{ type: "azure-native:insights:MetricAlert" }]) });
    const patched = await run(false);
    expect(patched.aliasMerges).toEqual([]);
    expect(patched.resources).toEqual(sdkOwn.resources);
    expect(index.mergeOptions).toBe(original);
  });

  it("provider type aliases are told from every other resource option", () => {
    expect(isProviderTypeAliases({ aliases: [{ type: "azure-native:insights:MetricAlert" }] })).toBe(true);
    expect(isProviderTypeAliases({ aliases: [{ type: "t", name: "renamed" }] })).toBe(false);
    expect(isProviderTypeAliases({ aliases: [{ name: "renamed" }] })).toBe(false);
    expect(isProviderTypeAliases({ aliases: ["urn:pulumi:acme::p::t::n"] })).toBe(false);
    expect(isProviderTypeAliases({ aliases: [{ type: "t" }], parent: {} })).toBe(false);
    expect(isProviderTypeAliases({ aliases: [] })).toBe(false);
    expect(isProviderTypeAliases(undefined)).toBe(false);
  });

  it("plain Structs answer fresh copies, refuse what a Struct can't hold, and become real when read as protobuf", () => {
    const sdkRequire = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
    const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb") as {
      Struct: StructClass & { deserializeBinary(b: Uint8Array): { toJavaScript(): Record<string, unknown> } };
    };
    const original = Struct.fromJavaScript;
    const input = { a: 1, b: [true, null, "x", { c: -0.5 }], d: { e: [] } };
    const restore = plainStructs(Struct);
    try {
      expect(Struct.fromJavaScript).not.toBe(original);
      const s = Struct.fromJavaScript(input) as { toJavaScript(): Record<string, unknown>; serializeBinary(): Uint8Array };
      input.a = 2;
      const first = s.toJavaScript();
      expect(first).toEqual({ a: 1, b: [true, null, "x", { c: -0.5 }], d: { e: [] } });
      (first.b as unknown[]).push("mutated");
      expect(s.toJavaScript()).toEqual({ a: 1, b: [true, null, "x", { c: -0.5 }], d: { e: [] } });
      expect(() => Struct.fromJavaScript({ u: undefined })).toThrow("Unexpected struct type.");
      expect(() => original.call(Struct, { u: undefined })).toThrow("Unexpected struct type.");
      // serializeBinary reads the fields map: the Struct is real from then on.
      expect(Struct.deserializeBinary(s.serializeBinary()).toJavaScript()).toEqual({
        a: 1,
        b: [true, null, "x", { c: -0.5 }],
        d: { e: [] },
      });
      expect(Object.hasOwn(s, "toJavaScript")).toBe(false);
      expect(s.toJavaScript()).toEqual({ a: 1, b: [true, null, "x", { c: -0.5 }], d: { e: [] } });
    } finally {
      restore();
    }
    expect(Struct.fromJavaScript).toBe(original);
  });

  it("pass-through debuggablePromise keeps the value, and the outermost context on a rejection", async () => {
    expect(await passThroughDebuggablePromise(Promise.resolve(42), "inner")).toBe(42);
    const failure = new Error("boom");
    const nested = passThroughDebuggablePromise(passThroughDebuggablePromise(Promise.reject(failure), "inner"), "resource:a[t]");
    const err = (await nested.catch((e: unknown) => e)) as Error & { promise?: { _debugCtx?: unknown } };
    expect(err).toBe(failure);
    expect(err.promise?._debugCtx).toBe("resource:a[t]");
    // A rejection with a primitive or a frozen error passes through untouched.
    expect(await passThroughDebuggablePromise(Promise.reject("plain"), "ctx").catch((e: unknown) => e)).toBe("plain");
    const frozen = Object.freeze(new Error("frozen"));
    expect(await passThroughDebuggablePromise(Promise.reject(frozen), "ctx").catch((e: unknown) => e)).toBe(frozen);
  });
});
