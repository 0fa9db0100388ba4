// Engine tier: the Datadog plugin (the real pulumi-terraform-bridge v3.135.0 over datadog_monitor and
// datadog_integration_pagerduty_service_object transcribed from terraform-provider-datadog@701d55bc4 in
// test/engine/providers/datadog) driven over gRPC as the Pulumi engine drives it, against the REST
// stand-in in test/engine/apis/datadog.ts. What Check returns here (defaults and `__defaults` at each
// depth) is the bridge's own answer, not a model of it.
// The plugin binary comes from PICO_PROVIDER_DATADOG (built by the engine tier's build script).
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb.js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import * as structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCustomer } from "../../src/plan/loadCustomer.js";
import { planCustomer } from "../../src/plan/plan.js";
import { type DatadogApi, startDatadogApi } from "./apis/datadog.js";
import { recordingAsOf } from "./harness.js";

type Props = Record<string, unknown>;
const MONITOR = "datadog:index/monitor:Monitor";
const SERVICE_OBJECT = "datadog:pagerduty/serviceObject:ServiceObject";
const keys = { apiKey: "engine-api-key", appKey: "engine-app-key" };
const urn = (type: string, name: string) => `urn:pulumi:nordlys::pico-monitoring::${type}::${name}`;
// How the engine marks a secret inside a Struct (sdk/go/common/resource/sig: the Secret signature).
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": secretSig, value });

/** The Engine service a resource plugin is handed on its command line; it only collects logs here. */
async function startEngine(logs: string[]): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  const empty = (_c: unknown, cb: grpc.sendUnaryData<emptyPb.Empty>) => cb(null, new emptyPb.Empty());
  server.addService(engineGrpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<enginePb.LogRequest, emptyPb.Empty>, cb: grpc.sendUnaryData<emptyPb.Empty>) => {
      logs.push(call.request.getMessage());
      cb(null, new emptyPb.Empty());
    },
    getRootResource: (_c: unknown, cb: grpc.sendUnaryData<enginePb.GetRootResourceResponse>) =>
      cb(null, new enginePb.GetRootResourceResponse()),
    setRootResource: (_c: unknown, cb: grpc.sendUnaryData<enginePb.SetRootResourceResponse>) =>
      cb(null, new enginePb.SetRootResourceResponse()),
    startDebugging: empty,
    requirePulumiVersion: empty,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { server, address: `127.0.0.1:${port}` };
}

const toStruct = (p: Props) => structPb.Struct.fromJavaScript(p as Record<string, structPb.JavaScriptValue>);
const fromStruct = (s: structPb.Struct | undefined): Props => (s ? (s.toJavaScript() as Props) : {});

/** The provider plugin process and a gRPC client to it, with the calls the engine makes. */
class DatadogPlugin {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerGrpc.ResourceProviderClient,
  ) {}

  static async start(binary: string, engineAddress: string): Promise<DatadogPlugin> {
    const child = spawn(binary, [engineAddress], { stdio: ["ignore", "pipe", "pipe"] });
    child.stderr!.resume();
    // A Pulumi plugin prints the port it serves gRPC on as its first line.
    const port = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once("line", (l) => resolve(l.trim()));
      child.once("exit", (code) => reject(new Error(`${binary} exited with ${code} before printing its port`)));
    });
    return new DatadogPlugin(child, new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()));
  }

  private call<Req, Res>(method: string, req: Req): Promise<Res> {
    const client = this.client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>;
    return new Promise((resolve, reject) => client[method]!.call(this.client, req, (e, r) => (e ? reject(e) : resolve(r))));
  }

  async checkConfig(news: Props): Promise<{ inputs: Props; failures: string[] }> {
    const req = new providerPb.CheckRequest()
      .setUrn(urn("pulumi:providers:datadog", "default"))
      .setNews(toStruct(news))
      .setOlds(toStruct({}));
    const res = await this.call<providerPb.CheckRequest, providerPb.CheckResponse>("checkConfig", req);
    return { inputs: fromStruct(res.getInputs()), failures: res.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`) };
  }

  /** As the engine sends it: the checked config as `args` (which the bridge reads) and as `variables`. */
  async configure(config: Record<string, string>): Promise<void> {
    const req = new providerPb.ConfigureRequest().setAcceptsecrets(true).setAcceptresources(true).setArgs(toStruct(config));
    for (const [k, v] of Object.entries(config)) req.getVariablesMap().set(`datadog:config:${k}`, v);
    await this.call("configure", req);
  }

  async check(type: string, name: string, news: Props, olds: Props = {}): Promise<{ inputs: Props; failures: string[] }> {
    const req = new providerPb.CheckRequest().setUrn(urn(type, name)).setNews(toStruct(news)).setOlds(toStruct(olds));
    const res = await this.call<providerPb.CheckRequest, providerPb.CheckResponse>("check", req);
    return { inputs: fromStruct(res.getInputs()), failures: res.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`) };
  }

  async diff(
    type: string,
    name: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: number; diffs: string[]; replaces: string[] }> {
    const req = new providerPb.DiffRequest()
      .setUrn(urn(type, name))
      .setId(id)
      .setOlds(toStruct(olds))
      .setNews(toStruct(news))
      .setOldInputs(toStruct(news));
    const res = await this.call<providerPb.DiffRequest, providerPb.DiffResponse>("diff", req);
    return { changes: res.getChanges(), diffs: res.getDiffsList(), replaces: res.getReplacesList() };
  }

  async create(type: string, name: string, inputs: Props, preview = false): Promise<{ id: string; outputs: Props }> {
    const req = new providerPb.CreateRequest().setUrn(urn(type, name)).setProperties(toStruct(inputs)).setTimeout(120).setPreview(preview);
    const res = await this.call<providerPb.CreateRequest, providerPb.CreateResponse>("create", req);
    return { id: res.getId(), outputs: fromStruct(res.getProperties()) };
  }

  async read(type: string, name: string, id: string, state: Props, inputs: Props): Promise<{ id: string; outputs: Props; inputs: Props }> {
    const req = new providerPb.ReadRequest().setUrn(urn(type, name)).setId(id).setProperties(toStruct(state)).setInputs(toStruct(inputs));
    const res = await this.call<providerPb.ReadRequest, providerPb.ReadResponse>("read", req);
    return { id: res.getId(), outputs: fromStruct(res.getProperties()), inputs: fromStruct(res.getInputs()) };
  }

  async update(type: string, name: string, id: string, olds: Props, news: Props): Promise<Props> {
    const req = new providerPb.UpdateRequest()
      .setUrn(urn(type, name))
      .setId(id)
      .setOlds(toStruct(olds))
      .setNews(toStruct(news))
      .setTimeout(120);
    return fromStruct((await this.call<providerPb.UpdateRequest, providerPb.UpdateResponse>("update", req)).getProperties());
  }

  async delete(type: string, name: string, id: string, state: Props): Promise<void> {
    const req = new providerPb.DeleteRequest().setUrn(urn(type, name)).setId(id).setProperties(toStruct(state)).setTimeout(120);
    await this.call("delete", req);
  }

  close(): void {
    this.client.close();
    this.child.kill();
  }
}

/** The program's first Datadog monitor and service object for nordlys, as the golden preview records them. */
function goldenInputs(): { monitor: Props; serviceObject: Props } {
  const golden = JSON.parse(readFileSync("test/golden/nordlys.first-preview.json", "utf8")) as {
    resources: { type: string; props: Props }[];
  };
  const first = (type: string) => golden.resources.find((r) => r.type === type)!.props;
  return { monitor: first(MONITOR), serviceObject: first(SERVICE_OBJECT) };
}

/**
 * The plugin binary: PICO_PROVIDER_DATADOG names it, or names a PULUMI_HOME it is installed in (what
 * test/engine/setup.ts sets after test/engine/build.sh ran `pulumi plugin install`).
 */
function pluginBinary(): string | undefined {
  const env = process.env.PICO_PROVIDER_DATADOG;
  if (!env || !statSync(env).isDirectory()) return env;
  return join(env, "plugins", "resource-datadog-v5.11.0", "pulumi-resource-datadog");
}
const binary = pluginBinary();

describe("Datadog provider plugin (real bridge over the transcribed terraform-provider-datadog)", () => {
  let api: DatadogApi;
  let engine: { server: grpc.Server; address: string };
  let plugin: DatadogPlugin;
  const logs: string[] = [];

  beforeAll(async () => {
    if (!binary) throw new Error("PICO_PROVIDER_DATADOG must name the built pulumi-resource-datadog plugin");
    api = await startDatadogApi({ ...keys, now: "2026-12-01T09:00:00Z" });
    engine = await startEngine(logs);
    plugin = await DatadogPlugin.start(binary, engine.address);
    await plugin.configure({ apiKey: keys.apiKey, appKey: keys.appKey, apiUrl: api.url });
  });

  afterAll(async () => {
    plugin?.close();
    engine?.server.forceShutdown();
    await api?.close();
  });

  it("Configure checks the API and application keys with GET /api/v1/validate", () => {
    expect(api.state().requests[0]).toBe("GET /api/v1/validate");
  });

  it("CheckConfig marks the keys secret and adds nothing else", async () => {
    const res = await plugin.checkConfig({ apiKey: "k", appKey: "a", apiUrl: api.url });
    expect(res).toEqual({ inputs: { apiKey: secret("k"), appKey: secret("a"), apiUrl: api.url }, failures: [] });
  });

  describe("Check of a Monitor", () => {
    const minimal = { name: "m", type: "query alert", query: "avg(last_5m):avg:system.cpu.user{*} > 90", message: "cpu" };

    it("fills the four non-falsy, non-deprecated schema defaults and lists them in __defaults", async () => {
      const res = await plugin.check(MONITOR, "minimal", minimal);
      expect(res.failures).toEqual([]);
      // Not filled: notifyNoData (Default false: the bridge skips falsy defaults) and newHostDelay (Default 300, but Deprecated).
      expect(res.inputs).toEqual({
        ...minimal,
        draftStatus: "published",
        includeTags: true,
        noDataTimeframe: 10,
        requireFullWindow: true,
        __defaults: ["draftStatus", "includeTags", "noDataTimeframe", "requireFullWindow"],
      });
    });

    it("leaves noDataTimeframe out when its ConflictsWith peer onMissingData is set", async () => {
      const res = await plugin.check(MONITOR, "missing-data", { ...minimal, onMissingData: "show_no_data" });
      expect(res.inputs.noDataTimeframe).toBeUndefined();
      expect(res.inputs.__defaults).toEqual(["draftStatus", "includeTags", "requireFullWindow"]);
    });

    it("puts an empty __defaults in every nested block and list element, at every depth", async () => {
      const res = await plugin.check(MONITOR, "nested", {
        ...minimal,
        monitorThresholds: { critical: "90", warning: "80" },
        monitorThresholdWindows: { triggerWindow: "last_15m" },
        schedulingOptions: {
          evaluationWindow: { dayStarts: "04:00" },
          customSchedule: { recurrence: { rrule: "FREQ=DAILY", timezone: "Europe/Oslo" } },
        },
        assets: [{ name: "runbook", url: "/notebook/1", category: "runbook" }],
        tags: ["customer:nordlys"],
      });
      expect(res.failures).toEqual([]);
      expect(res.inputs).toMatchObject({
        monitorThresholds: { critical: "90", warning: "80", __defaults: [] },
        monitorThresholdWindows: { triggerWindow: "last_15m", __defaults: [] },
        schedulingOptions: {
          __defaults: [],
          evaluationWindow: { dayStarts: "04:00", __defaults: [] },
          customSchedule: { __defaults: [], recurrence: { rrule: "FREQ=DAILY", timezone: "Europe/Oslo", __defaults: [] } },
        },
        assets: [{ name: "runbook", url: "/notebook/1", category: "runbook", __defaults: [] }],
        tags: ["customer:nordlys"],
      });
    });

    it("adds nothing but empty __defaults to the monitor the program registers (it states the four defaults itself)", async () => {
      const { monitor } = goldenInputs();
      const res = await plugin.check(MONITOR, "golden", monitor);
      expect(res).toEqual({
        inputs: { ...monitor, __defaults: [], monitorThresholds: { ...(monitor.monitorThresholds as Props), __defaults: [] } },
        failures: [],
      });
    });

    it("refuses values outside the API client's enums, as the upstream validators do", async () => {
      const res = await plugin.check(MONITOR, "bad-enum", { ...minimal, draftStatus: "sketch", type: "cpu alert" });
      expect(res.failures).toHaveLength(2);
      expect(res.failures.join("\n")).toMatch(
        /invalid value 'sketch' for MonitorDraftStatus: valid values are \[draft published\].*'bad-enum\.draftStatus'/,
      );
      expect(res.failures.join("\n")).toMatch(/invalid value 'cpu alert' for MonitorType: .*'bad-enum\.type'/);
    });
  });

  it("Check of a ServiceObject adds only an empty __defaults and makes the Sensitive serviceKey secret", async () => {
    const res = await plugin.check(SERVICE_OBJECT, "link", { serviceName: "pico-nordlys-backend", serviceKey: "integration-key-1" });
    expect(res).toEqual({
      inputs: { serviceName: "pico-nordlys-backend", serviceKey: secret("integration-key-1"), __defaults: [] },
      failures: [],
    });
  });

  it("Create in preview: unknown id and restrictedRoles, newHostDelay 300, noDataTimeframe null, and only a validation call", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's sentinel for an unknown value
    const { monitor } = goldenInputs();
    const inputs = (await plugin.check(MONITOR, "preview", monitor)).inputs;
    const before = api.state().requests.length;
    const res = await plugin.create(MONITOR, "preview", inputs, true);
    expect(api.state().requests.slice(before)).toEqual(["POST /api/v1/monitor/validate"]);
    expect(res.id).toBe("");
    expect(res.outputs).toMatchObject({
      id: unknown,
      restrictedRoles: unknown,
      newHostDelay: 300,
      noDataTimeframe: null,
      notifyBies: null,
      notifyNoData: false,
      evaluationDelay: 900,
      renotifyInterval: 0,
      newGroupDelay: null,
      escalationMessage: null,
      assets: [],
      tags: [...(monitor.tags as string[])].sort(),
      monitorThresholds: { critical: "10", warning: null, ok: null, unknown: null, warningRecovery: null, criticalRecovery: null },
    });
  });

  describe("a Monitor's life: Create, Read, Diff (validated), Update, Delete", () => {
    let id = "";
    let outputs: Props = {};
    let inputs: Props = {};

    it("Create validates again, POSTs the upstream body, and returns every output key with its zero value", async () => {
      const before = api.state().requests.length;
      inputs = (await plugin.check(MONITOR, "golden", goldenInputs().monitor)).inputs;
      const res = await plugin.create(MONITOR, "golden", inputs);
      id = res.id;
      outputs = res.outputs;
      expect(id).toBe("1000001");
      // The bridge plans before it applies, so CustomizeDiff (and its validation call) runs in Create too.
      expect(api.state().requests.slice(before)).toEqual(["POST /api/v1/monitor/validate", "POST /api/v1/monitor"]);
      const { monitor } = goldenInputs();
      const { __pulumi_raw_state_delta: rawStateDelta, ...rest } = outputs;
      expect(rawStateDelta).toBeDefined();
      expect(rest).toEqual({
        id: "1000001",
        name: monitor.name,
        type: "query alert",
        query: monitor.query,
        message: monitor.message,
        priority: "2",
        tags: [...(monitor.tags as string[])].sort(),
        monitorThresholds: {
          critical: "10",
          criticalQuery: "",
          criticalRecovery: "",
          criticalRecoveryQuery: "",
          ok: "",
          unknown: "",
          warning: "",
          warningRecovery: "",
        },
        draftStatus: "published",
        evaluationDelay: 900,
        includeTags: true,
        notifyNoData: false,
        requireFullWindow: false,
        renotifyInterval: 0,
        // no_data_timeframe's DiffSuppressFunc hides it while notify_no_data is false, so the plan
        // drops it, the request leaves it out, and the API returns none: null, not the 10 Check filled.
        noDataTimeframe: null,
        // Always sent (upstream: "Don't check with GetOk, doesn't work with 0"); the API echoes it.
        newHostDelay: 300,
        newGroupDelay: 0,
        renotifyOccurrences: 0,
        timeoutH: 0,
        notifyAudit: false,
        escalationMessage: "",
        groupRetentionDuration: "",
        notificationPresetName: "",
        onMissingData: "",
        restrictedRoles: [],
        assets: [],
        enableLogsSample: null,
        enableSamples: null,
        forceDelete: null,
        groupbySimpleMonitor: null,
        ignoreTagKeys: null,
        monitorThresholdWindows: null,
        notifyBies: null,
        renotifyStatuses: null,
        schedulingOptions: null,
        validate: null,
        variables: null,
      });
      const sent = api.state().monitors[0]!;
      expect(sent.options).toEqual({
        notify_audit: false,
        silenced: {},
        evaluation_delay: 900,
        include_tags: true,
        new_host_delay: 300,
        notify_no_data: false,
        require_full_window: false,
        thresholds: { critical: 10 },
      });
      expect(sent).toMatchObject({
        priority: 2,
        draft_status: "published",
        overall_state: "No Data",
        created: "2026-12-01T09:00:00.000000+00:00",
      });
    });

    it("Read a day later gives the same outputs, except notifyBies: null after Create, [] after Read", async () => {
      api.setNow("2026-12-02T09:00:00Z");
      const res = await plugin.read(MONITOR, "golden", id, outputs, inputs);
      expect(res.id).toBe(id);
      expect(api.state().requests.at(-1)).toBe(`GET /api/v1/monitor/${id}`);
      // Upstream's Read sets notify_by from the API's absent list (an empty set); Create's planned
      // state had it null. Both mean "none" to Terraform, but a refresh records the change.
      const strip = ({ __pulumi_raw_state_delta: _, notifyBies: __, ...rest }: Props) => rest;
      expect(strip(res.outputs)).toEqual(strip(outputs));
      expect(outputs.notifyBies).toBeNull();
      expect(res.outputs.notifyBies).toEqual([]);
      outputs = res.outputs;
    });

    it("Diff of a changed threshold validates the new monitor with POST /api/v1/monitor/{id}/validate", async () => {
      const news = (
        await plugin.check(MONITOR, "golden", {
          ...goldenInputs().monitor,
          query: (inputs.query as string).replace("> 10", "> 20"),
          monitorThresholds: { critical: "20" },
        })
      ).inputs;
      const before = api.state().requests.length;
      const res = await plugin.diff(MONITOR, "golden", id, outputs, news);
      expect(api.state().requests.slice(before)).toEqual([`POST /api/v1/monitor/${id}/validate`]);
      expect(res.changes).toBe(providerPb.DiffResponse.DiffChanges.DIFF_SOME);
      expect(res.diffs).toEqual(["monitorThresholds", "query"]);
      expect(res.replaces).toEqual([]);

      const updated = await plugin.update(MONITOR, "golden", id, outputs, news);
      expect(updated).toMatchObject({ query: news.query, monitorThresholds: { critical: "20" } });
      expect(api.state().requests.at(-1)).toBe(`PUT /api/v1/monitor/${id}`);
      expect(api.state().monitors[0]).toMatchObject({
        modified: "2026-12-02T09:00:00.000000+00:00",
        created: "2026-12-01T09:00:00.000000+00:00",
      });
      outputs = updated;
      inputs = news;
    });

    it("Diff fails with the API's 400 when the validation endpoint rejects the query", async () => {
      const news = { ...inputs, query: "sum(last_15m):sum:azure.app_services.http5xx{*}" };
      await expect(plugin.diff(MONITOR, "golden", id, outputs, news)).rejects.toThrow(
        `error validating monitor from /api/v1/monitor/${id}/validate: 400 Bad Request: {"errors":["The value provided for parameter 'query' is invalid"]}`,
      );
    });

    it("Diff skips the validation call when the monitor says validate: false", async () => {
      const news = { ...inputs, validate: false, query: "sum(last_15m):sum:azure.app_services.http5xx{*}" };
      const before = api.state().requests.length;
      const res = await plugin.diff(MONITOR, "golden", id, outputs, news);
      expect(api.state().requests.slice(before)).toEqual([]);
      expect(res.diffs).toContain("query");
    });

    it("Delete removes it; a Read afterwards finds it gone", async () => {
      await plugin.delete(MONITOR, "golden", id, outputs);
      expect(api.state().requests.at(-1)).toBe(`DELETE /api/v1/monitor/${id}`);
      expect(api.state().monitors).toEqual([]);
      const res = await plugin.read(MONITOR, "golden", id, outputs, inputs);
      expect(res.id).toBe("");
    });
  });

  it("a ServiceObject: Create POSTs name and key, Read keeps the key the API never returns, Delete removes it", async () => {
    const inputs = (
      await plugin.check(SERVICE_OBJECT, "link", { serviceName: "pico-nordlys-backend", serviceKey: secret("integration-key-1") })
    ).inputs;
    const before = api.state().requests.length;
    const created = await plugin.create(SERVICE_OBJECT, "link", inputs);
    expect(created.id).toBe("pico-nordlys-backend");
    expect(api.state().requests.slice(before)).toEqual([
      "POST /api/v1/integration/pagerduty/configuration/services",
      "GET /api/v1/integration/pagerduty/configuration/services/pico-nordlys-backend",
    ]);
    expect(api.state().pagerdutyServices).toEqual([{ service_name: "pico-nordlys-backend", service_key: "integration-key-1" }]);
    const { __pulumi_raw_state_delta: _, ...outputs } = created.outputs;
    expect(outputs).toEqual({ id: "pico-nordlys-backend", serviceName: "pico-nordlys-backend", serviceKey: secret("integration-key-1") });

    const read = await plugin.read(SERVICE_OBJECT, "link", created.id, created.outputs, inputs);
    expect(read.outputs).toEqual(created.outputs);
    // Without a key in state (an import), Read can only put upstream's mask there.
    const imported = await plugin.read(SERVICE_OBJECT, "link", created.id, {}, {});
    expect(imported.outputs.serviceKey).toEqual(secret("*****"));

    await plugin.delete(SERVICE_OBJECT, "link", created.id, created.outputs);
    expect(api.state().requests.at(-1)).toBe("DELETE /api/v1/integration/pagerduty/configuration/services/pico-nordlys-backend");
    expect(api.state().pagerdutyServices).toEqual([]);
  });

  it("touched no route the stand-in does not serve", () => {
    expect(api.state().unhandled).toEqual([]);
  });
});

describe("provider-level validate = false", () => {
  /** A fresh stand-in and plugin configured with validate = "false"; creates the program's monitor. */
  async function createWithProviderValidateOff(): Promise<DatadogApi> {
    if (!binary) throw new Error("PICO_PROVIDER_DATADOG must name the built pulumi-resource-datadog plugin");
    const api = await startDatadogApi(keys);
    const engine = await startEngine([]);
    const plugin = await DatadogPlugin.start(binary, engine.address);
    try {
      await plugin.configure({ apiKey: keys.apiKey, appKey: keys.appKey, apiUrl: api.url, validate: "false" });
      expect(api.state().requests).toEqual([]);
      const { inputs } = await plugin.check(MONITOR, "golden", goldenInputs().monitor);
      await plugin.create(MONITOR, "golden", inputs);
      return api;
    } finally {
      plugin.close();
      engine.server.forceShutdown();
      await api.close();
    }
  }

  it("skips the key check at Configure but not the monitor validation (upstream reads only the monitor's own validate there)", async () => {
    const api = await createWithProviderValidateOff();
    expect(api.state().requests).toEqual(["POST /api/v1/monitor/validate", "POST /api/v1/monitor"]);
  });

  it("a second run leaves byte-identical API state (counter ids, fixed clock)", async () => {
    const first = JSON.stringify((await createWithProviderValidateOff()).state());
    const second = JSON.stringify((await createWithProviderValidateOff()).state());
    expect(second).toBe(first);
    expect(first).toContain('"id":1000001');
  });
});

// ---- DowntimeSchedule (issue 22): the terraform-plugin-framework resource, through the bridge's mux ----

const DOWNTIME = "datadog:index/downtimeSchedule:DowntimeSchedule";
/** The window of the SPEC's fixture: 2027-01-12 20:00 Europe/Copenhagen for 2h, i.e. 19:00 to 21:00 UTC. */
const windowStart = "2027-01-12T19:00:00Z";
const windowEnd = "2027-01-12T21:00:00Z";
/**
 * A DowntimeSchedule exactly as the program registers it: src/plan/maintenance.ts renders the test fixture
 * customer's window (test/fixtures/maintenance/skagen.yaml, jan-pim-patches) at the tests' as-of.
 */
function specDowntime(target = "pim-app"): Props {
  const loaded = loadCustomer("test/fixtures/maintenance/skagen.yaml");
  const silences = planCustomer(loaded.spec, loaded.catalog, new Date(recordingAsOf)).silences;
  const s = silences.find((x) => x.kind === "datadog-downtime" && x.target === target);
  if (s?.kind !== "datadog-downtime") throw new Error(`the fixture renders no downtime for ${target}`);
  expect(s.downtime.oneTimeSchedule).toEqual({ start: windowStart, end: windowEnd });
  return structuredClone(s.downtime) as unknown as Props;
}

/** A fresh stand-in and plugin (configured against it) for one scenario; `close` stops both. */
async function freshPlugin(
  seed: Partial<Parameters<typeof startDatadogApi>[0]> = {},
): Promise<{ api: DatadogApi; plugin: DatadogPlugin; close: () => Promise<void> }> {
  if (!binary) throw new Error("PICO_PROVIDER_DATADOG must name the built pulumi-resource-datadog plugin");
  const api = await startDatadogApi({ ...keys, now: "2027-01-10T12:00:00Z", ...seed });
  const engine = await startEngine([]);
  const plugin = await DatadogPlugin.start(binary, engine.address);
  await plugin.configure({ apiKey: keys.apiKey, appKey: keys.appKey, apiUrl: api.url });
  return {
    api,
    plugin,
    close: async () => {
      plugin.close();
      engine.server.forceShutdown();
      await api.close();
    },
  };
}

describe("DowntimeSchedule (terraform-plugin-framework resource, served through the bridge's muxer)", () => {
  let api: DatadogApi;
  let plugin: DatadogPlugin;
  let close: () => Promise<void>;
  const name = "skagen-maintenance-jan-pim-patches-pim-app";

  beforeAll(async () => {
    ({ api, plugin, close } = await freshPlugin());
  });
  afterAll(async () => close?.());

  it("Check returns the SPEC's inputs unchanged: no __defaults anywhere (the framework bridge marks none), no failures", async () => {
    expect(await plugin.check(DOWNTIME, name, specDowntime())).toEqual({ inputs: specDowntime(), failures: [] });
  });

  it("Check refuses what upstream's validators refuse: the combinations as CheckFailures, the time format as a gRPC error", async () => {
    const refusal = (news: Props) =>
      plugin.check(DOWNTIME, name, news).then(
        (r) => `failures: ${r.failures.join("; ")}`,
        (e: Error) => e.message,
      );
    expect(await refusal({ ...specDowntime(), oneTimeSchedule: { start: "2027-01-12T20:00:00+01:00", end: windowEnd } })).toBe(
      '2 UNKNOWN: property "one_time_schedule.start" must be of the format 2006-01-02T15:04:05Z: was 2027-01-12T20:00:00+01:00',
    );
    const both = await refusal({ ...specDowntime(), monitorIdentifier: { monitorId: 1000001, monitorTags: ["customer:skagen"] } });
    const schedules = await refusal({ ...specDowntime(), recurringSchedule: { recurrences: [{ duration: "2h", rrule: "FREQ=DAILY" }] } });
    expect(both).toBe(
      `failures: : Invalid Attribute Combination. 2 attributes specified when one (and only one) of [monitor_identifier.monitor_id.<.monitor_tags] is required. Examine values at '${name}.monitorIdentifier.monitorId'.`,
    );
    // The two ConflictsWith validators report in no fixed order.
    expect(
      schedules
        .replace(/^failures: /, "")
        .split("; ")
        .sort(),
    ).toEqual([
      `: Invalid Attribute Combination. Attribute "one_time_schedule" cannot be specified when "recurring_schedule" is specified. Examine values at '${name}.recurringSchedule'.`,
      `: Invalid Attribute Combination. Attribute "recurring_schedule" cannot be specified when "one_time_schedule" is specified. Examine values at '${name}.oneTimeSchedule'.`,
    ]);
  });

  it("a minimal DowntimeSchedule: Check adds nothing; in preview every unset Computed field is unknown (the API fills it)", async () => {
    const minimal = { scope: "*", monitorIdentifier: { monitorTags: ["customer:skagen"] }, oneTimeSchedule: { end: windowEnd } };
    expect(await plugin.check(DOWNTIME, "minimal", minimal)).toEqual({ inputs: minimal, failures: [] });
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const preview = await plugin.create(DOWNTIME, "minimal", minimal, true);
    expect(preview.outputs).toEqual({
      ...minimal,
      id: unknown,
      displayTimezone: unknown,
      muteFirstRecoveryNotification: unknown,
      notifyEndStates: unknown,
      notifyEndTypes: unknown,
      oneTimeSchedule: { end: windowEnd, start: unknown },
    });
    // Created: upstream sends "" for the unknown display_timezone and false for the mute flag, leaves the
    // unknown sets and start out; the API fills its defaults (reference: UTC, ["alert","no data","warn"],
    // ["expired"], start = now), and they come back as the outputs.
    const created = await plugin.create(DOWNTIME, "minimal", minimal);
    const { __pulumi_raw_state_delta: _, ...outputs } = created.outputs;
    expect(outputs).toEqual({
      ...minimal,
      id: created.id,
      displayTimezone: "UTC",
      muteFirstRecoveryNotification: false,
      notifyEndStates: ["alert", "no data", "warn"],
      notifyEndTypes: ["expired"],
      oneTimeSchedule: { end: windowEnd, start: "2027-01-10T12:00:00Z" },
    });
    await plugin.delete(DOWNTIME, "minimal", created.id, created.outputs);
  });

  it("Create in preview: the inputs with an unknown id; nothing is sent to the API", async () => {
    const before = api.state().requests.length;
    const res = await plugin.create(DOWNTIME, name, specDowntime(), true);
    expect(res).toEqual({ id: "", outputs: { ...specDowntime(), id: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } });
    expect(api.state().requests.slice(before)).toEqual([]);
  });

  describe("a downtime's life across its window: Create, Read while active and after it ended, Delete after the end", () => {
    let created: { id: string; outputs: Props };
    const outputsOf = (o: Props) => {
      const { __pulumi_raw_state_delta: _, ...rest } = o;
      return rest;
    };

    it("Create POSTs /api/v2/downtime once (no read-back) and the API holds it scheduled, as the SPEC asked", async () => {
      const before = api.state().requests.length;
      created = await plugin.create(DOWNTIME, name, specDowntime());
      expect(created.id).toBe("00000000-0000-4000-8000-000000000002");
      expect(api.state().requests.slice(before)).toEqual(["POST /api/v2/downtime"]);
      expect(outputsOf(created.outputs)).toEqual({ ...specDowntime(), id: created.id });
      expect(api.state().downtimes.filter((d) => d.id === created.id)).toEqual([
        expect.objectContaining({
          id: created.id,
          attributes: expect.objectContaining({
            scope: "*",
            monitor_identifier: { monitor_tags: ["customer:skagen", "package:extended", "target:pim-app"] },
            schedule: { start: "2027-01-12T19:00:00+00:00", end: "2027-01-12T21:00:00+00:00" },
            display_timezone: "Europe/Copenhagen",
            notify_end_states: ["alert", "no data", "warn"],
            notify_end_types: ["canceled", "expired"],
            mute_first_recovery_notification: false,
            status: "scheduled",
            canceled: null,
          }),
        }),
      ]);
    });

    it("Read inside the window: the API says active; the outputs are unchanged (the resource never reads status)", async () => {
      api.setNow("2027-01-12T20:00:00Z");
      const res = await plugin.read(DOWNTIME, name, created.id, created.outputs, specDowntime());
      expect((api.state().downtimes.find((d) => d.id === created.id)!.attributes as Props).status).toBe("active");
      expect(outputsOf(res.outputs)).toEqual(outputsOf(created.outputs));
      expect(res.inputs).toEqual(specDowntime());
    });

    it("Read after the window: the API still returns it, ended; a refresh keeps it in state unchanged", async () => {
      api.setNow("2027-01-13T12:00:00Z");
      const res = await plugin.read(DOWNTIME, name, created.id, created.outputs, specDowntime());
      expect((api.state().downtimes.find((d) => d.id === created.id)!.attributes as Props).status).toBe("ended");
      expect(res.id).toBe(created.id);
      expect(outputsOf(res.outputs)).toEqual(outputsOf(created.outputs));
    });

    it("Delete after the window ended (the window left the program): DELETE answers 404 and the provider counts it as deleted", async () => {
      const before = api.state().requests.length;
      await plugin.delete(DOWNTIME, name, created.id, created.outputs);
      expect(api.state().requests.slice(before)).toEqual([`DELETE /api/v2/downtime/${created.id}`]);
      // The stand-in keeps an ended downtime for two days, then forgets it: Read then drops it from state.
      api.setNow("2027-01-15T12:00:00Z");
      expect((await plugin.read(DOWNTIME, name, created.id, created.outputs, specDowntime())).id).toBe("");
    });
  });

  it("Delete while the window is open cancels it (204, status canceled); deleting it again (404) is not an error", async () => {
    api.setNow("2027-01-10T12:00:00Z");
    const created = await plugin.create(DOWNTIME, "again", specDowntime("pim-db"));
    api.setNow("2027-01-12T19:30:00Z");
    await plugin.delete(DOWNTIME, "again", created.id, created.outputs);
    const d = api.state().downtimes.find((x) => x.id === created.id)!;
    expect(d.attributes).toMatchObject({ status: "canceled", canceled: "2027-01-12T19:30:00.000000+00:00" });
    await plugin.delete(DOWNTIME, "again", created.id, created.outputs);
    // A canceled downtime is still returned for about two days (API reference, "Cancel a downtime"); Read keeps it.
    expect((await plugin.read(DOWNTIME, "again", created.id, created.outputs, specDowntime("pim-db"))).id).toBe(created.id);
    api.setNow("2027-01-15T12:00:00Z");
    expect((await plugin.read(DOWNTIME, "again", created.id, created.outputs, specDowntime("pim-db"))).id).toBe("");
  });

  it("touched no route the stand-in does not serve", () => {
    expect(api.state().unhandled).toEqual([]);
  });
});

describe("Deleting an ENDED downtime under the other answers the real API might give", () => {
  /** Creates the SPEC's downtime before its window, moves past its end, and deletes it. */
  async function deleteAfterEnd(cancelEndedStatus: 204 | 400): Promise<{ error?: string; requests: string[] }> {
    const { api, plugin, close } = await freshPlugin({ cancelEndedStatus });
    try {
      const created = await plugin.create(DOWNTIME, "d", specDowntime());
      api.setNow("2027-01-13T12:00:00Z");
      const error = await plugin.delete(DOWNTIME, "d", created.id, created.outputs).then(
        () => undefined,
        (e: Error) => e.message,
      );
      return { ...(error === undefined ? {} : { error }), requests: api.state().requests };
    } finally {
      await close();
    }
  }

  it("204 (a cancel that changes nothing): the delete succeeds", async () => {
    const res = await deleteAfterEnd(204);
    expect(res.error).toBeUndefined();
    expect(res.requests.at(-1)).toMatch(/^DELETE \/api\/v2\/downtime\//);
  });

  it("a refusal such as 400: the delete fails with the API's message, so every later `up` would fail the same way", async () => {
    const res = await deleteAfterEnd(400);
    expect(res.error).toMatch(/error deleting downtime_schedule/);
    expect(res.error).toMatch(/cannot cancel a downtime that has ended/);
  });
});
