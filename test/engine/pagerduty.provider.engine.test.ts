// Engine tier: the PagerDuty plugin (the real pulumi-terraform-bridge v3.20.0 over the Terraform provider
// v2.4.0 transcribed in test/engine/providers/pagerduty) driven over gRPC the way the Pulumi engine drives
// it, against the REST stand-in in test/engine/apis/pagerduty.ts. What Check returns here (defaults and
// `__defaults` at each depth) is the bridge's own answer, not a model of it.
// The plugin binary comes from PICO_PROVIDER_PAGERDUTY (built by the engine tier's build script).
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb.js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import * as structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PagerdutyApi, startPagerdutyApi } from "./apis/pagerduty.js";

type Props = Record<string, unknown>;
const token = "engine-tier-token";
const urn = (type: string, name: string) => `urn:pulumi:test::pico-monitoring::${type}::${name}`;
const types = {
  schedule: "pagerduty:index/schedule:Schedule",
  policy: "pagerduty:index/escalationPolicy:EscalationPolicy",
  service: "pagerduty:index/service:Service",
  integration: "pagerduty:index/serviceIntegration:ServiceIntegration",
};

/** The Engine service a resource plugin is handed on its command line; it only logs here. */
async function startEngine(logs: string[]): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  server.addService(engineGrpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<enginePb.LogRequest, emptyPb.Empty>, cb: grpc.sendUnaryData<emptyPb.Empty>) => {
      logs.push(call.request.getMessage());
      cb(null, new emptyPb.Empty());
    },
    getRootResource: (_c: unknown, cb: grpc.sendUnaryData<enginePb.GetRootResourceResponse>) =>
      cb(null, new enginePb.GetRootResourceResponse()),
    setRootResource: (_c: unknown, cb: grpc.sendUnaryData<enginePb.SetRootResourceResponse>) =>
      cb(null, new enginePb.SetRootResourceResponse()),
    startDebugging: (_c: unknown, cb: grpc.sendUnaryData<emptyPb.Empty>) => cb(null, new emptyPb.Empty()),
    requirePulumiVersion: (_c: unknown, cb: grpc.sendUnaryData<emptyPb.Empty>) => cb(null, new emptyPb.Empty()),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return { server, address: `127.0.0.1:${port}` };
}

const struct = (p: Props) => structPb.Struct.fromJavaScript(p as Record<string, structPb.JavaScriptValue>);
const plain = (s: structPb.Struct | undefined): Props => (s ? (s.toJavaScript() as Props) : {});

class Plugin {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerGrpc.ResourceProviderClient,
  ) {}

  static async start(binary: string, engineAddress: string): Promise<Plugin> {
    const child = spawn(binary, [engineAddress], { stdio: ["ignore", "pipe", "pipe"] });
    child.stderr!.resume();
    // The plugin prints its gRPC port as its first stdout line, as every Pulumi plugin does.
    const port = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once("line", (l) => resolve(l.trim()));
      child.once("exit", (code) => reject(new Error(`${binary} exited with ${code} before printing its port`)));
    });
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new Plugin(child, client);
  }

  private call<Req, Res>(method: string, req: Req): Promise<Res> {
    const fn = (this.client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method]!;
    return new Promise((resolve, reject) => fn.call(this.client, req, (e, r) => (e ? reject(e) : resolve(r))));
  }

  async checkConfig(news: Props): Promise<Props> {
    const req = new providerPb.CheckRequest()
      .setUrn(urn("pulumi:providers:pagerduty", "default"))
      .setNews(struct(news))
      .setOlds(struct({}));
    return plain((await this.call<providerPb.CheckRequest, providerPb.CheckResponse>("checkConfig", req)).getInputs());
  }

  async configure(variables: Record<string, string>): Promise<void> {
    const req = new providerPb.ConfigureRequest().setAcceptsecrets(true).setAcceptresources(true);
    for (const [k, v] of Object.entries(variables)) req.getVariablesMap().set(`pagerduty:config:${k}`, v);
    await this.call("configure", req);
  }

  async check(type: string, name: string, news: Props, olds?: Props): Promise<{ inputs: Props; failures: string[] }> {
    const req = new providerPb.CheckRequest().setUrn(urn(type, name)).setNews(struct(news));
    if (olds) req.setOlds(struct(olds));
    const res = await this.call<providerPb.CheckRequest, providerPb.CheckResponse>("check", req);
    return { inputs: plain(res.getInputs()), failures: res.getFailuresList().map((f) => f.getReason()) };
  }

  async create(type: string, name: string, inputs: Props): Promise<{ id: string; outputs: Props }> {
    const req = new providerPb.CreateRequest().setUrn(urn(type, name)).setProperties(struct(inputs));
    const res = await this.call<providerPb.CreateRequest, providerPb.CreateResponse>("create", req);
    return { id: res.getId(), outputs: plain(res.getProperties()) };
  }

  async read(type: string, name: string, id: string, state: Props, inputs: Props): Promise<{ id: string; outputs: Props; inputs: Props }> {
    const req = new providerPb.ReadRequest().setUrn(urn(type, name)).setId(id).setProperties(struct(state)).setInputs(struct(inputs));
    const res = await this.call<providerPb.ReadRequest, providerPb.ReadResponse>("read", req);
    return { id: res.getId(), outputs: plain(res.getProperties()), inputs: plain(res.getInputs()) };
  }

  async diff(
    type: string,
    name: string,
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: number; diffs: string[]; replaces: string[] }> {
    const req = new providerPb.DiffRequest().setUrn(urn(type, name)).setId(id).setOlds(struct(olds)).setNews(struct(news));
    const res = await this.call<providerPb.DiffRequest, providerPb.DiffResponse>("diff", req);
    return { changes: res.getChanges(), diffs: res.getDiffsList(), replaces: res.getReplacesList() };
  }

  async update(type: string, name: string, id: string, olds: Props, news: Props): Promise<Props> {
    const req = new providerPb.UpdateRequest()
      .setUrn(urn(type, name))
      .setId(id)
      .setOlds(struct(olds))
      .setNews(struct(news))
      .setTimeout(120);
    return plain((await this.call<providerPb.UpdateRequest, providerPb.UpdateResponse>("update", req)).getProperties());
  }

  async invoke(tok: string, args: Props): Promise<{ result: Props; failures: string[] }> {
    const req = new providerPb.InvokeRequest().setTok(tok).setArgs(struct(args));
    const res = await this.call<providerPb.InvokeRequest, providerPb.InvokeResponse>("invoke", req);
    return { result: plain(res.getReturn()), failures: res.getFailuresList().map((f) => f.getReason()) };
  }

  close(): void {
    this.client.close();
    this.child.kill();
  }
}

/** Every `__defaults` list in a value, by path ("" = top level), so a test can state them all at once. */
function defaultsByPath(v: unknown, path = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) Object.assign(out, defaultsByPath(x, `${path}[${i}]`));
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k === "__defaults") out[path || "."] = x;
      else Object.assign(out, defaultsByPath(x, path ? `${path}.${k}` : k));
    }
  }
  return out;
}

const binary = process.env.PICO_PROVIDER_PAGERDUTY;
const seedUsers = [
  { email: "ann@pico.example", name: "Ann Lindqvist" },
  // Sorts before Ann and contains her e-mail: the API's `query` returns both.
  { email: "joann@pico.example", name: "Aaron Joann" },
  { email: "bo@pico.example", name: "Bo Berg" },
  { email: "standing@pico.example", name: "Standing Support" },
];
const standingSchedule = {
  name: "Pico standing support",
  timeZone: "Europe/Stockholm",
  layers: [
    {
      start: "2026-01-01T00:00:00Z",
      rotationVirtualStart: "2026-01-01T00:00:00Z",
      rotationTurnLengthSeconds: 604_800,
      users: ["standing@pico.example"],
    },
  ],
};

describe("the PagerDuty plugin (bridge v3.20.0 over terraform-provider-pagerduty v2.4.0) over gRPC", () => {
  let api: PagerdutyApi;
  let plugin: Plugin;
  let engine: grpc.Server;
  const logs: string[] = [];
  let checkConfigError: unknown;

  beforeAll(async () => {
    if (!binary)
      throw new Error("PICO_PROVIDER_PAGERDUTY is not set: build the plugin (test/engine/providers/pagerduty) and point it at the binary");
    api = await startPagerdutyApi({ users: seedUsers, schedules: [standingSchedule], token });
    const e = await startEngine(logs);
    engine = e.server;
    plugin = await Plugin.start(binary, e.address);
    checkConfigError = await plugin.checkConfig({ token, apiUrlOverride: api.url }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await plugin.configure({ token, apiUrlOverride: api.url });
  });

  afterAll(async () => {
    plugin?.close();
    engine?.forceShutdown();
    await api?.close();
  });

  it("CheckConfig and DiffConfig are UNIMPLEMENTED in bridge v3.20.0: the engine passes provider config through unchecked", () => {
    expect(checkConfigError).toMatchObject({ code: grpc.status.UNIMPLEMENTED, details: "CheckConfig is not yet implemented" });
  });

  describe("Check: what the bridge adds to the program's inputs", () => {
    it("Service, given only what the schema requires: the TF defaults and the 'Managed by Pulumi' description, listed in __defaults", async () => {
      const { inputs, failures } = await plugin.check(types.service, "svc", { name: "pico-acme-prep", escalationPolicy: "PE0001" });
      expect(failures).toEqual([]);
      expect(inputs).toEqual({
        name: "pico-acme-prep",
        escalationPolicy: "PE0001",
        acknowledgementTimeout: "1800",
        alertCreation: "create_incidents",
        autoResolveTimeout: "14400",
        description: "Managed by Pulumi",
        __defaults: ["acknowledgementTimeout", "alertCreation", "autoResolveTimeout", "description"],
      });
    });

    it("Service, given the roster component's inputs: only alertCreation is added; the urgency rule gets an empty __defaults; 'null' stays as given", async () => {
      const { inputs, failures } = await plugin.check(types.service, "svc", {
        name: "pico-acme-prep",
        description: "Pico Extended: Preparedness for acme",
        escalationPolicy: "PE0001",
        incidentUrgencyRule: { type: "constant", urgency: "high" },
        autoResolveTimeout: "null",
        acknowledgementTimeout: "1800",
      });
      expect(failures).toEqual([]);
      expect(inputs).toEqual({
        name: "pico-acme-prep",
        description: "Pico Extended: Preparedness for acme",
        escalationPolicy: "PE0001",
        incidentUrgencyRule: { type: "constant", urgency: "high", __defaults: [] },
        autoResolveTimeout: "null",
        acknowledgementTimeout: "1800",
        alertCreation: "create_incidents",
        __defaults: ["alertCreation"],
      });
      expect(defaultsByPath(inputs)).toEqual({ ".": ["alertCreation"], incidentUrgencyRule: [] });
    });

    it("Schedule, given the roster component's inputs: nothing added but an empty __defaults on the top and on every layer", async () => {
      const layer = {
        name: "2026-12-24 Christmas Eve",
        start: "2026-12-24T07:00:00+01:00",
        end: "2026-12-24T17:00:00+01:00",
        rotationVirtualStart: "2026-12-24T07:00:00+01:00",
        rotationTurnLengthSeconds: 86_400,
        users: ["PU0001"],
      };
      const news = {
        name: "pico-acme-prep preparedness",
        description: "d",
        timeZone: "Europe/Stockholm",
        layers: [layer, { ...layer, name: "2026-12-31" }],
      };
      const { inputs, failures } = await plugin.check(types.schedule, "sched", news);
      expect(failures).toEqual([]);
      expect(inputs).toEqual({ ...news, layers: news.layers.map((l) => ({ ...l, __defaults: [] })), __defaults: [] });
    });

    it("Schedule: description defaults; every layer gets an empty __defaults (id and name stay out: Computed)", async () => {
      const { inputs, failures } = await plugin.check(types.schedule, "sched", {
        name: "pico-acme-prep preparedness",
        timeZone: "Europe/Stockholm",
        layers: [
          {
            name: "2026-12-24 Christmas Eve",
            start: "2026-12-24T07:00:00+01:00",
            end: "2026-12-24T17:00:00+01:00",
            rotationVirtualStart: "2026-12-24T07:00:00+01:00",
            rotationTurnLengthSeconds: 86_400,
            users: ["PU0001"],
          },
          {
            start: "2026-12-31T07:00:00+01:00",
            rotationVirtualStart: "2026-12-31T07:00:00+01:00",
            rotationTurnLengthSeconds: 86_400,
            users: ["PU0002"],
            restrictions: [{ type: "daily_restriction", startTimeOfDay: "08:00:00", durationSeconds: 3600 }],
          },
        ],
      });
      expect(failures).toEqual([]);
      expect(inputs.description).toBe("Managed by Pulumi");
      expect(defaultsByPath(inputs)).toEqual({ ".": ["description"], "layers[0]": [], "layers[1]": [], "layers[1].restrictions[0]": [] });
      const layers = inputs.layers as Props[];
      expect(Object.keys(layers[1]!).sort()).toEqual([
        "__defaults",
        "restrictions",
        "rotationTurnLengthSeconds",
        "rotationVirtualStart",
        "start",
        "users",
      ]);
    });

    it("Schedule: the transcribed validation fails Check (turn length below an hour, a daily restriction of a day)", async () => {
      const { failures } = await plugin.check(types.schedule, "sched", {
        timeZone: "Europe/Stockholm",
        layers: [
          {
            start: "2026-12-24T07:00:00+01:00",
            rotationVirtualStart: "2026-12-24T07:00:00+01:00",
            rotationTurnLengthSeconds: 60,
            users: ["PU0001"],
          },
        ],
      });
      expect(failures.join("\n")).toMatch(/rotation_turn_length_seconds|rotationTurnLengthSeconds/);
    });

    it("EscalationPolicy: description defaults, a target without type gets user_reference; __defaults on every rule and target", async () => {
      const { inputs, failures } = await plugin.check(types.policy, "ep", {
        name: "pico-acme-prep preparedness",
        numLoops: 2,
        rules: [
          { escalationDelayInMinutes: 15, targets: [{ type: "schedule_reference", id: "PS0002" }] },
          { escalationDelayInMinutes: 30, targets: [{ id: "PU0004" }] },
        ],
      });
      expect(failures).toEqual([]);
      expect(inputs).toEqual({
        name: "pico-acme-prep preparedness",
        numLoops: 2,
        description: "Managed by Pulumi",
        rules: [
          { escalationDelayInMinutes: 15, targets: [{ type: "schedule_reference", id: "PS0002", __defaults: [] }], __defaults: [] },
          { escalationDelayInMinutes: 30, targets: [{ id: "PU0004", type: "user_reference", __defaults: ["type"] }], __defaults: [] },
        ],
        __defaults: ["description"],
      });
    });

    it("EscalationPolicy: target type 'schedule' (the registry examples' spelling) fails Check", async () => {
      const { failures } = await plugin.check(types.policy, "ep", {
        name: "x",
        rules: [{ escalationDelayInMinutes: 15, targets: [{ type: "schedule", id: "PS0002" }] }],
      });
      expect(failures.join("\n")).toMatch(/"schedule" is an invalid value/);
    });

    it("ServiceIntegration: nothing is added but an empty __defaults", async () => {
      const { inputs } = await plugin.check(types.integration, "int", { name: "Datadog", service: "PX0001", vendor: "PV0001" });
      expect(inputs).toEqual({ name: "Datadog", service: "PX0001", vendor: "PV0001", __defaults: [] });
    });

    it("a resource without a name gets an auto-name (SetAutonaming(255, '-')) recorded in __defaults", async () => {
      const { inputs } = await plugin.check(types.integration, "int", { service: "PX0001", vendor: "PV0001" });
      expect(inputs.name).toMatch(/^int-[0-9a-f]{7}$/);
      expect(inputs.__defaults).toEqual(["name"]);
    });
  });

  describe("the program's calls, as `pulumi up` makes them", () => {
    let ids: Record<string, string>;
    let serviceOutputs: Props;
    let integrationOutputs: Props;
    let scheduleOutputs: Props;
    let policyOutputs: Props;
    let beforeCreate: number;
    /** Per resource: its type, name, id, checked inputs and Create outputs, for the Diff/Read test. */
    const created: { type: string; name: string; id: string; inputs: Props; outputs: Props }[] = [];

    beforeAll(async () => {
      const user = async (email: string) => (await plugin.invoke("pagerduty:index/getUser:getUser", { email })).result.id as string;
      const ann = await user("ann@pico.example");
      const bo = await user("bo@pico.example");
      const standing = (await plugin.invoke("pagerduty:index/getSchedule:getSchedule", { name: "Pico standing support" })).result
        .id as string;
      const datadog = (await plugin.invoke("pagerduty:index/getVendor:getVendor", { name: "Datadog" })).result.id as string;
      ids = { ann, bo, standing, datadog };

      beforeCreate = Date.now();
      const future = (days: number, hour: number) => new Date(Date.UTC(2030, 11, 24 + days, hour)).toISOString().replace(".000Z", "Z");
      const schedule = await plugin.check(types.schedule, "sched", {
        name: "pico-acme-prep preparedness",
        description: "Preparedness for acme",
        timeZone: "Europe/Stockholm",
        layers: [
          {
            name: "past start",
            start: "2020-01-01T00:00:00Z",
            end: future(0, 17),
            rotationVirtualStart: "2020-01-01T00:00:00Z",
            rotationTurnLengthSeconds: 86_400,
            users: [ann],
          },
          {
            name: "future",
            start: future(7, 7),
            end: future(7, 17),
            rotationVirtualStart: future(7, 7),
            rotationTurnLengthSeconds: 86_400,
            users: [bo],
          },
        ],
      });
      const s = await plugin.create(types.schedule, "sched", schedule.inputs);
      scheduleOutputs = s.outputs;
      created.push({ type: types.schedule, name: "sched", id: s.id, inputs: schedule.inputs, outputs: s.outputs });
      ids.schedule = s.id;

      const policy = await plugin.check(types.policy, "ep", {
        name: "pico-acme-prep preparedness",
        numLoops: 2,
        rules: [
          { escalationDelayInMinutes: 15, targets: [{ type: "schedule_reference", id: s.id }] },
          { escalationDelayInMinutes: 30, targets: [{ type: "schedule_reference", id: standing }] },
        ],
      });
      const p = await plugin.create(types.policy, "ep", policy.inputs);
      policyOutputs = p.outputs;
      created.push({ type: types.policy, name: "ep", id: p.id, inputs: policy.inputs, outputs: p.outputs });
      ids.policy = p.id;

      const service = await plugin.check(types.service, "svc", {
        name: "pico-acme-prep",
        description: "Pico Extended",
        escalationPolicy: p.id,
        incidentUrgencyRule: { type: "constant", urgency: "high" },
        autoResolveTimeout: "null",
        acknowledgementTimeout: "1800",
      });
      const sv = await plugin.create(types.service, "svc", service.inputs);
      serviceOutputs = sv.outputs;
      created.push({ type: types.service, name: "svc", id: sv.id, inputs: service.inputs, outputs: sv.outputs });
      ids.service = sv.id;

      const integration = await plugin.check(types.integration, "int", { name: "Datadog", service: sv.id, vendor: datadog });
      const i = await plugin.create(types.integration, "int", integration.inputs);
      integrationOutputs = i.outputs;
      created.push({ type: types.integration, name: "int", id: i.id, inputs: integration.inputs, outputs: i.outputs });
      ids.integration = i.id;
    }, 120_000);

    it("the data sources find the seeded user, schedule and vendor", () => {
      const state = api.state();
      expect(ids.ann).toBe(state.users.find((u) => u.email === "ann@pico.example")!.id);
      expect(ids.standing).toBe(state.schedules.find((s) => s.name === "Pico standing support")!.id);
      expect(ids.datadog).toBe(state.vendors.find((v) => v.name === "Datadog")!.id);
    });

    it("Schedule outputs: Read-back layers with their API ids, in the configuration's order; a past start reads back as the write time", () => {
      const layers = scheduleOutputs.layers as Props[];
      const stored = api.state().schedules.find((s) => s.id === ids.schedule)!.layers as Props[];
      expect(layers.map((l) => l.name)).toEqual(["past start", "future"]);
      expect(layers.map((l) => l.id)).toEqual(stored.map((l) => l.id));
      expect(Date.parse(layers[0]!.start as string)).toBeGreaterThanOrEqual(Math.floor(beforeCreate / 1000) * 1000);
      expect(layers[1]!.start).toBe("2030-12-31T08:00:00+01:00");
      expect(scheduleOutputs).toMatchObject({
        id: ids.schedule,
        description: "Preparedness for acme",
        timeZone: "Europe/Stockholm",
        teams: [],
      });
      // Sent in UTC in Go's time.String() form, as the provider sends it.
      const post = api.state().requests.find((r) => r.method === "POST" && r.path === "/schedules")!;
      const sent = (post.body as { schedule: { schedule_layers: Props[] } }).schedule.schedule_layers;
      expect(sent[1]!.rotation_virtual_start).toBe("2030-12-31 07:00:00 +0000 UTC");
      expect(sent[0]!.users).toEqual([{ user: { id: ids.ann, type: "user" } }]);
    });

    it("EscalationPolicy outputs: rule ids from the API, numLoops and the default description", () => {
      const stored = api.state().escalationPolicies.find((p) => p.id === ids.policy)!;
      expect(policyOutputs).toMatchObject({
        id: ids.policy,
        description: "Managed by Pulumi",
        numLoops: 2,
        rules: [
          {
            id: (stored.rules as Props[])[0]!.id,
            escalationDelayInMinutes: 15,
            targets: [{ id: ids.schedule, type: "schedule_reference" }],
          },
          {
            id: (stored.rules as Props[])[1]!.id,
            escalationDelayInMinutes: 30,
            targets: [{ id: ids.standing, type: "schedule_reference" }],
          },
        ],
      });
    });

    it("Service outputs: 'null' was sent as JSON null and reads back as 'null'; the API's computed fields arrive", () => {
      expect(serviceOutputs).toMatchObject({
        id: ids.service,
        autoResolveTimeout: "null",
        acknowledgementTimeout: "1800",
        alertCreation: "create_incidents",
        alertGroupingTimeout: "null",
        status: "active",
        type: "service",
        incidentUrgencyRule: { type: "constant", urgency: "high" },
        escalationPolicy: ids.policy,
      });
      const post = api.state().requests.find((r) => r.method === "POST" && r.path === "/services")!;
      expect((post.body as { service: Props }).service).toMatchObject({
        auto_resolve_timeout: null,
        acknowledgement_timeout: 1800,
        alert_grouping: null,
      });
    });

    it("ServiceIntegration outputs: the integration key arrives as a plain string (the schema doesn't mark it Sensitive)", () => {
      const stored = api.state().integrations.find((i) => i.id === ids.integration)!;
      expect(integrationOutputs.integrationKey).toBe(stored.integration_key);
      expect(integrationOutputs.integrationKey).toMatch(/^[0-9a-f]{32}$/);
      expect(integrationOutputs).toMatchObject({
        vendor: ids.datadog,
        service: ids.service,
        type: "generic_events_api_inbound_integration",
      });
    });

    it("a refresh (Read) right after changes nothing, and Diff against the same inputs finds no change (past layer starts are suppressed)", async () => {
      const addedByRead: Record<string, Props> = {};
      for (const r of created) {
        const read = await plugin.read(r.type, r.name, r.id, r.outputs, r.inputs);
        // Every output Create gave comes back unchanged; what Read adds is recorded below.
        expect(Object.fromEntries(Object.keys(r.outputs).map((k) => [k, read.outputs[k]]))).toEqual(r.outputs);
        addedByRead[r.name] = Object.fromEntries(Object.entries(read.outputs).filter(([k]) => !(k in r.outputs)));
        const diff = await plugin.diff(r.type, r.name, r.id, read.outputs, r.inputs);
        expect({ resource: r.name, changes: diff.changes }).toEqual({
          resource: r.name,
          changes: providerPb.DiffResponse.DiffChanges.DIFF_NONE,
        });
      }
      // The bridge's Read lists blocks the API left unset, as null (MaxItems 1) or [] (lists), where Create left them out.
      expect(addedByRead).toEqual({
        sched: {},
        ep: {},
        svc: { alertGroupingParameters: null, supportHours: null },
        int: { emailFilters: [], emailParsers: [] },
      });
    });

    it("no call hit a route the stand-in lacks, and the provider checked the token once (GET /abilities)", () => {
      const state = api.state();
      expect(state.unhandled).toEqual([]);
      expect(state.requests.filter((r) => r.path === "/abilities")).toHaveLength(1);
    });

    it("the stand-in's /oncalls renders what was provisioned, and a schedule override takes over where it covers", async () => {
      const rest = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${api.url}${path}`, {
          method,
          headers: {
            authorization: `Token token=${token}`,
            accept: "application/vnd.pagerduty+json;version=2",
            "content-type": "application/json",
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, json: res.status === 204 ? null : ((await res.json()) as Props) };
      };
      const window = "since=2030-12-31T08:00:00Z&until=2030-12-31T09:00:00Z";
      const oncalls = async () =>
        ((await rest("GET", `/oncalls?${window}&escalation_policy_ids[]=${ids.policy}`)).json!.oncalls as Props[]).map((o) => [
          o.escalation_level,
          (o.user as Props).id,
          o.start,
          o.end,
        ]);
      expect(await oncalls()).toEqual([
        [1, ids.bo, "2030-12-31T08:00:00Z", "2030-12-31T09:00:00Z"],
        [2, api.state().users.find((u) => u.email === "standing@pico.example")!.id, "2030-12-31T08:00:00Z", "2030-12-31T09:00:00Z"],
      ]);

      const created = await rest("POST", `/schedules/${ids.schedule}/overrides`, {
        overrides: [{ start: "2030-12-31T08:00:00Z", end: "2030-12-31T08:30:00Z", user: { id: ids.ann, type: "user_reference" } }],
      });
      expect(created.status).toBe(201);
      const override = ((created.json as unknown as Props[])[0]!.override as Props).id as string;
      expect((await oncalls()).filter((o) => o[0] === 1)).toEqual([
        [1, ids.ann, "2030-12-31T08:00:00Z", "2030-12-31T08:30:00Z"],
        [1, ids.bo, "2030-12-31T08:30:00Z", "2030-12-31T09:00:00Z"],
      ]);
      const listed = await rest("GET", `/schedules/${ids.schedule}/overrides?${window}`);
      expect((listed.json!.overrides as Props[]).map((o) => o.id)).toEqual([override]);

      expect((await rest("DELETE", `/schedules/${ids.schedule}/overrides/${override}`)).status).toBe(204);
      expect((await oncalls()).filter((o) => o[0] === 1)).toEqual([[1, ids.bo, "2030-12-31T08:00:00Z", "2030-12-31T09:00:00Z"]]);
    });
  });

  it("Read after a layer has ended drops it; the other layer keeps its id", async () => {
    const ann = (await plugin.invoke("pagerduty:index/getUser:getUser", { email: "ann@pico.example" })).result.id as string;
    const endsSoon = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3000).toISOString().replace(".000Z", "Z");
    const { inputs } = await plugin.check(types.schedule, "ending", {
      name: "ending",
      timeZone: "UTC",
      layers: [
        {
          name: "ends soon",
          start: "2020-01-01T00:00:00Z",
          end: endsSoon,
          rotationVirtualStart: "2020-01-01T00:00:00Z",
          rotationTurnLengthSeconds: 86_400,
          users: [ann],
        },
        {
          name: "open",
          start: "2020-01-01T00:00:00Z",
          rotationVirtualStart: "2020-01-01T00:00:00Z",
          rotationTurnLengthSeconds: 86_400,
          users: [ann],
        },
      ],
    });
    const created = await plugin.create(types.schedule, "ending", inputs);
    const [soon, open] = created.outputs.layers as Props[];
    expect([soon!.name, open!.name]).toEqual(["ends soon", "open"]);

    await new Promise((r) => setTimeout(r, Date.parse(endsSoon) - Date.now() + 1000));
    const read = await plugin.read(types.schedule, "ending", created.id, created.outputs, inputs);
    expect((read.outputs.layers as Props[]).map((l) => [l.id, l.name])).toEqual([[open!.id, "open"]]);
    // PagerDuty still has both: the layer ended, it wasn't deleted.
    expect(api.state().schedules.find((s) => s.id === created.id)!.layers).toHaveLength(2);
  }, 30_000);

  it("Update matches layers by position: dropping the first window moves every later layer onto its neighbour's id", async () => {
    const ann = (await plugin.invoke("pagerduty:index/getUser:getUser", { email: "ann@pico.example" })).result.id as string;
    const layer = (day: number) => ({
      name: `2031-01-0${day}`,
      start: `2031-01-0${day}T08:00:00Z`,
      end: `2031-01-0${day}T16:00:00Z`,
      rotationVirtualStart: `2031-01-0${day}T08:00:00Z`,
      rotationTurnLengthSeconds: 86_400,
      users: [ann],
    });
    const first = await plugin.check(types.schedule, "shift", { name: "shift", timeZone: "UTC", layers: [layer(1), layer(2), layer(3)] });
    const created = await plugin.create(types.schedule, "shift", first.inputs);
    const oldIds = (created.outputs.layers as Props[]).map((l) => l.id);

    const second = await plugin.check(
      types.schedule,
      "shift",
      { name: "shift", timeZone: "UTC", layers: [layer(2), layer(3)] },
      first.inputs,
    );
    const diff = await plugin.diff(types.schedule, "shift", created.id, created.outputs, second.inputs);
    // Bridge v3.20.0 names the top-level key once per changed attribute below it.
    expect([...new Set(diff.diffs)]).toEqual(["layers"]);
    expect(diff.replaces).toEqual([]);
    const updated = await plugin.update(types.schedule, "shift", created.id, created.outputs, second.inputs);
    // The bridge hands the provider the state's ids by index, so 2031-01-02 now lives on the old first id,
    // and the third id, absent from the new list, is the one the provider ends.
    expect((updated.layers as Props[]).map((l) => [l.id, l.name])).toEqual([
      [oldIds[0], "2031-01-02"],
      [oldIds[1], "2031-01-03"],
    ]);
    const put = api
      .state()
      .requests.filter((r) => r.method === "PUT" && r.path === `/schedules/${created.id}`)
      .at(-1)!;
    const sent = (put.body as { schedule: { schedule_layers: Props[] } }).schedule.schedule_layers;
    expect(sent.map((l) => l.id)).toEqual([oldIds[0], oldIds[1], oldIds[2]]);
    expect(sent[2]!.end).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0000 UTC$/);
  }, 30_000);

  describe("getUser matches the e-mail exactly within one page of `GET /users?query=`", () => {
    it("takes the exact e-mail although the query also returns a longer one first", async () => {
      const res = await plugin.invoke("pagerduty:index/getUser:getUser", { email: "ann@pico.example" });
      expect(res.failures).toEqual([]);
      expect(res.result).toMatchObject({ email: "ann@pico.example", name: "Ann Lindqvist" });
      const listed = api.state().requests.filter((r) => r.path === "/users?query=ann%40pico.example");
      expect(listed.length).toBeGreaterThan(0);
    });

    it("a different case is no match: the invoke fails", async () => {
      await expect(plugin.invoke("pagerduty:index/getUser:getUser", { email: "Ann@pico.example" })).rejects.toThrow(
        /Unable to locate any user with the email: Ann@pico.example/,
      );
    });

    it("a user past the first page is not found (the data source reads one page)", async () => {
      const small = await startPagerdutyApi({ users: seedUsers, token, pageSize: 1 });
      const e = await startEngine([]);
      const p = await Plugin.start(binary!, e.address);
      try {
        await p.configure({ token, apiUrlOverride: small.url });
        // "Aaron Joann" sorts first and fills the one-user page.
        await expect(p.invoke("pagerduty:index/getUser:getUser", { email: "ann@pico.example" })).rejects.toThrow(
          /Unable to locate any user/,
        );
        expect((await p.invoke("pagerduty:index/getUser:getUser", { email: "joann@pico.example" })).result.name).toBe("Aaron Joann");
      } finally {
        p.close();
        e.server.forceShutdown();
        await small.close();
      }
    });
  });

  it("the same calls against a fresh stand-in with the same clock give byte-identical state", async () => {
    const clock = () => new Date("2030-06-01T12:00:00Z");
    const run = async () => {
      const fresh = await startPagerdutyApi({ users: seedUsers, schedules: [standingSchedule], token, now: clock });
      const e = await startEngine([]);
      const p = await Plugin.start(binary!, e.address);
      try {
        await p.configure({ token, apiUrlOverride: fresh.url });
        const bo = (await p.invoke("pagerduty:index/getUser:getUser", { email: "bo@pico.example" })).result.id as string;
        const vendor = (await p.invoke("pagerduty:index/getVendor:getVendor", { name: "Microsoft Azure" })).result.id as string;
        const sched = await p.check(types.schedule, "s", {
          name: "s",
          timeZone: "Europe/Stockholm",
          layers: [
            {
              start: "2030-12-24T07:00:00+01:00",
              end: "2030-12-24T17:00:00+01:00",
              rotationVirtualStart: "2030-12-24T07:00:00+01:00",
              rotationTurnLengthSeconds: 86_400,
              users: [bo],
            },
          ],
        });
        const s = await p.create(types.schedule, "s", sched.inputs);
        const ep = await p.create(
          types.policy,
          "ep",
          (
            await p.check(types.policy, "ep", {
              name: "ep",
              rules: [{ escalationDelayInMinutes: 15, targets: [{ type: "schedule_reference", id: s.id }] }],
            })
          ).inputs,
        );
        const sv = await p.create(
          types.service,
          "sv",
          (await p.check(types.service, "sv", { name: "sv", escalationPolicy: ep.id })).inputs,
        );
        await p.create(
          types.integration,
          "i",
          (await p.check(types.integration, "i", { name: "Microsoft Azure", service: sv.id, vendor })).inputs,
        );
        return JSON.stringify(fresh.state());
      } finally {
        p.close();
        e.server.forceShutdown();
        await fresh.close();
      }
    };
    const first = await run();
    expect(JSON.parse(first).integrations).toHaveLength(1);
    expect(await run()).toBe(first);
  }, 30_000);

  it("a wrong token fails the first operation with the provider's credentials message", async () => {
    const e = await startEngine([]);
    const p = await Plugin.start(binary!, e.address);
    try {
      await p.configure({ token: "wrong", apiUrlOverride: api.url });
      await expect(p.invoke("pagerduty:index/getVendor:getVendor", { name: "Datadog" })).rejects.toThrow(
        /No valid credentials found for PagerDuty provider/,
      );
    } finally {
      p.close();
      e.server.forceShutdown();
    }
  });
});
