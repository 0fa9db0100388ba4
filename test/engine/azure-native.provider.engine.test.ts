// The azure-native 3.28.0 stand-in plugin (test/engine/providers/azure-native/) driven over gRPC as the engine
// drives it, against the ARM stand-in (test/engine/apis/azure.ts). The plugin is started as the Node.js language
// host starts a plugin: `node <@pulumi/pulumi/cmd/run-plugin> <plugin dir>`, port on stdout's first line.
// Inputs are what the components register (test/golden/havblik.first-preview.json, nordlys.update.json). Nothing here is skipped:
// a missing plugin, SDK file or golden file fails the file.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as provGrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import * as provPb from "@pulumi/pulumi/proto/provider_pb.js";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import * as structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCustomer } from "../../src/plan/loadCustomer.js";
import { planCustomer } from "../../src/plan/plan.js";
import { type AzureApi, startAzureApi } from "./apis/azure.js";
import { recordingAsOf } from "./harness.js";

const repoRoot = resolve(__dirname, "..", "..");
const sourceDir = join(repoRoot, "test", "engine", "providers", "azure-native");
// Under the engine tier's setup, PICO_PROVIDER_AZURE_NATIVE is the PULUMI_HOME the plugin was installed into:
// then this drives the installed copy (so its node_modules must resolve there too); else the repository's folder.
const installedHome = process.env.PICO_PROVIDER_AZURE_NATIVE;
const pluginDir = installedHome ? join(installedHome, "plugins", "resource-azure-native-v3.28.0") : sourceDir;
const require_ = createRequire(__filename);
const { types } = require_(join(sourceDir, "types.cjs")) as {
  types: Record<string, { apiVersion: string; inputs: string[]; outputs: string[]; required: string[]; nameParam: string }>;
};

const subscriptionId = "c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f";
const PROCESSING_RULE = "azure-native:alertsmanagement:AlertProcessingRuleByName";
const rg = "rg-havblik-monitoring";
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const Kind = provPb.PropertyDiff.Kind;
const Changes = provPb.DiffResponse.DiffChanges;

/** The golden registration of the first resource of `type`, as the program sends it to Check (before Check adds azureApiVersion). */
function registered(type: string): { urn: string; props: Record<string, any> } {
  // havblik has no Resource Health alert; nordlys's update has one.
  const r = ["havblik.first-preview.json", "nordlys.update.json"]
    .flatMap((f) => JSON.parse(readFileSync(join(repoRoot, "test", "golden", f), "utf8")).resources)
    .find((x: any) => x.type === type);
  if (!r) throw new Error(`no ${type} in the golden file`);
  const props = structuredClone(r.props);
  delete props.azureApiVersion;
  // The golden file is a preview: the secret webhook URL is not known there. Create gets a real one.
  for (const w of props.webhookReceivers ?? [])
    if (w.serviceUri === unknown) w.serviceUri = "https://events.pagerduty.com/integration/key/enqueue";
  return { urn: r.urn, props };
}

let api: AzureApi;
let plugin: ChildProcess;
let client: provGrpc.ResourceProviderClient;

function call<Req, Res>(method: string, req: Req): Promise<Res> {
  return new Promise((ok, fail) => {
    (client as any)[method](req, (err: grpc.ServiceError | null, res: Res) => (err ? fail(err) : ok(res)));
  });
}

const struct = (o: object) => structPb.Struct.fromJavaScript(o as any);

async function check(urn: string, news: object, olds: object = {}, configureReq?: (r: provPb.CheckRequest) => void) {
  const req = new provPb.CheckRequest();
  req.setUrn(urn);
  req.setNews(struct(news));
  req.setOlds(struct(olds));
  req.setRandomseed(Buffer.from("seed-1"));
  configureReq?.(req);
  const res = await call<provPb.CheckRequest, provPb.CheckResponse>("check", req);
  return { inputs: res.getInputs()!.toJavaScript() as Record<string, any>, failures: res.getFailuresList().map((f) => f.getReason()) };
}

async function create(urn: string, inputs: object, preview = false) {
  const req = new provPb.CreateRequest();
  req.setUrn(urn);
  req.setProperties(struct(inputs));
  req.setPreview(preview);
  const res = await call<provPb.CreateRequest, provPb.CreateResponse>("create", req);
  return { id: res.getId(), outputs: res.getProperties()!.toJavaScript() as Record<string, any> };
}

async function diff(urn: string, oldInputs: object, oldState: object, news: object) {
  const req = new provPb.DiffRequest();
  req.setUrn(urn);
  req.setId("id");
  req.setOldInputs(struct(oldInputs));
  req.setOlds(struct(oldState));
  req.setNews(struct(news));
  const res = await call<provPb.DiffRequest, provPb.DiffResponse>("diff", req);
  const detailed: Record<string, number> = {};
  res.getDetaileddiffMap().forEach((v, k) => {
    detailed[k] = v.getKind();
  });
  return { changes: res.getChanges(), replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace(), detailed };
}

async function read(urn: string, id: string, state: object, inputs?: object) {
  const req = new provPb.ReadRequest();
  req.setUrn(urn);
  req.setId(id);
  req.setProperties(struct(state));
  if (inputs) req.setInputs(struct(inputs));
  const res = await call<provPb.ReadRequest, provPb.ReadResponse>("read", req);
  return {
    id: res.getId(),
    outputs: res.getProperties()?.toJavaScript() as Record<string, any>,
    inputs: res.getInputs()?.toJavaScript() as Record<string, any>,
  };
}

function configureRequest(vars: Record<string, string>, sendsOldInputs = true): provPb.ConfigureRequest {
  const req = new provPb.ConfigureRequest();
  for (const [k, v] of Object.entries(vars)) req.getVariablesMap().set(k, v);
  req.setSendsOldInputs(sendsOldInputs);
  req.setSendsOldInputsToDelete(sendsOldInputs);
  return req;
}

beforeAll(async () => {
  api = await startAzureApi({ resourceGroups: { [subscriptionId]: { [rg]: "northeurope" } } });
  // The language host resolves run-plugin from the plugin's own directory (locateModule); so does this.
  const runPlugin = createRequire(join(pluginDir, "package.json")).resolve("@pulumi/pulumi/cmd/run-plugin");
  plugin = spawn(process.execPath, [runPlugin, pluginDir], {
    cwd: pluginDir,
    env: { ...process.env, PICO_ARM_URL: api.url, ARM_SUBSCRIPTION_ID: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  plugin.stderr!.on("data", (d) => (stderr += d));
  const port = await new Promise<string>((ok, fail) => {
    let out = "";
    plugin.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) ok(out.split("\n")[0]!.trim());
    });
    plugin.on("exit", (code) => fail(new Error(`the plugin exited (${code}) before printing its port: ${stderr}`)));
  });
  client = new provGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client?.close();
  plugin?.kill();
  await api?.close();
});

describe("the azure-native stand-in's transcribed tables", () => {
  it.each(Object.keys(types))("%s: apiVersion, inputs, outputs and required arguments match the installed 3.28.0 SDK", (token) => {
    const t = types[token]!;
    const [, mod, cls] = token.split(":") as [string, string, string];
    const base = join(repoRoot, "node_modules", "@pulumi", "azure-native", mod, cls.charAt(0).toLowerCase() + cls.slice(1));
    const dts = readFileSync(`${base}.d.ts`, "utf8");
    expect(dts).toContain(`Uses Azure REST API version ${t.apiVersion}.`);
    const js = readFileSync(`${base}.js`, "utf8");
    const split = js.indexOf("else {", js.indexOf("if (!opts.id)"));
    const argsBranch = js.slice(js.indexOf("if (!opts.id)"), split);
    const stateBranch = js.slice(split, js.indexOf("opts = pulumi.mergeOptions", split));
    const keys = (s: string, re: RegExp) => [...s.matchAll(re)].map((m) => m[1]);
    expect(t.inputs).toEqual(keys(argsBranch, /resourceInputs\["([^"]+)"\] = (?!undefined)/g));
    expect(t.outputs).toEqual(keys(stateBranch, /resourceInputs\["([^"]+)"\]/g));
    // Required = the SDK's required arguments plus the two Check fills (the resource name and location).
    expect(t.required.sort()).toEqual([...keys(argsBranch, /Missing required property '([a-zA-Z]+)'/g), t.nameParam, "location"].sort());
  });
});

describe("azure-native stand-in over gRPC", () => {
  it("reports version 3.28.0", async () => {
    const info = await call<emptyPb.Empty, any>("getPluginInfo", new emptyPb.Empty());
    expect(info.getVersion()).toBe("3.28.0");
  });

  it("Configure refuses an engine that does not send old inputs, and a missing subscription id, as the real one does", async () => {
    await expect(call("configure", configureRequest({ "azure-native:config:subscriptionId": subscriptionId }, false))).rejects.toThrow(
      /requires Pulumi CLI v3.74.0 or later/,
    );
    await expect(call("configure", configureRequest({}))).rejects.toThrow(/no subscription ID.*azure-native:subscriptionId/);
  });

  it("Configure takes the explicit provider's subscriptionId and answers as the real one (previews, autonaming, no secrets)", async () => {
    const res = await call<provPb.ConfigureRequest, provPb.ConfigureResponse>(
      "configure",
      configureRequest({ "azure-native:config:subscriptionId": subscriptionId }),
    );
    expect(res.getSupportspreview()).toBe(true);
    expect(res.getSupportsAutonamingConfiguration()).toBe(true);
    expect(res.getAcceptsecrets()).toBe(false);
  });

  it("CheckConfig passes the config through; DiffConfig answers 'unknown' and leaves the diff to the engine", async () => {
    const req = new provPb.CheckRequest();
    req.setNews(struct({ subscriptionId }));
    const checked = await call<provPb.CheckRequest, provPb.CheckResponse>("checkConfig", req);
    expect(checked.getInputs()!.toJavaScript()).toEqual({ subscriptionId });
    const d = await call<provPb.DiffRequest, provPb.DiffResponse>("diffConfig", new provPb.DiffRequest());
    expect(d.getChanges()).toBe(Changes.DIFF_UNKNOWN);
  });

  // The four types every stack registers (in the golden files); the fifth, the maintenance processing rule, below.
  const goldenTypes = Object.keys(types).filter((t) => t !== PROCESSING_RULE);
  it.each(goldenTypes)("Check of the program's %s adds only azureApiVersion", async (token) => {
    const { urn, props } = registered(token);
    const { inputs, failures } = await check(urn, props);
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ ...props, azureApiVersion: types[token]!.apiVersion });
  });

  it("Check auto-names a resource without its name: URN name + 8 hex characters, the same for the same seed, create-before-delete", async () => {
    const { urn, props } = registered("azure-native:monitor:MetricAlert");
    delete props.ruleName;
    const first = await check(urn, props);
    expect(first.inputs.ruleName).toMatch(/^havblik-endpoint-availability-b2b[0-9a-f]{8}$/);
    expect(first.inputs.__createBeforeDelete).toBe(true);
    expect((await check(urn, props)).inputs.ruleName).toBe(first.inputs.ruleName);
    // An existing resource keeps its name (from the old inputs).
    const again = await check(urn, props, { ruleName: "kept", __createBeforeDelete: true });
    expect(again.inputs.ruleName).toBe("kept");
    // With autonaming disabled by the engine, the name is missing.
    const disabled = await check(urn, props, {}, (r) => {
      const a = new provPb.CheckRequest.AutonamingOptions();
      a.setMode(provPb.CheckRequest.AutonamingOptions.Mode.DISABLE);
      r.setAutonaming(a);
    });
    expect(disabled.failures).toEqual(["missing required property 'ruleName'"]);
  });

  it("Check fills a missing location from the resource group (an ARM GET), and reports it missing when the group is unknown", async () => {
    const { urn, props } = registered("azure-native:applicationinsights:WebTest");
    delete props.location;
    expect((await check(urn, props)).inputs.location).toBe("northeurope");
    expect(api.state().requests).toContainEqual({
      method: "GET",
      path: `/subscriptions/${subscriptionId}/resourceGroups/${rg}`,
      apiVersion: "2020-10-01",
    });
    expect((await check(urn, { ...props, resourceGroupName: unknown })).inputs.location).toBe(unknown);
    const missing = await check(urn, { ...props, resourceGroupName: "rg-nobody" });
    expect(missing.failures).toEqual([
      "missing required property 'location'. Either set it explicitly or configure it with 'pulumi config set azure-native:location <value>'.",
    ]);
  });

  it("Check fails a type the stand-in does not know, saying so", async () => {
    await expect(check("urn:pulumi:s::p::azure-native:storage:StorageAccount::sa", {})).rejects.toThrow(
      /resource type azure-native:storage:StorageAccount is not one it knows; it implements only azure-native:monitor:MetricAlert/,
    );
  });

  it("Create in preview returns the inputs and every other output unknown", async () => {
    const { urn, props } = registered("azure-native:monitor:ActionGroup");
    const { inputs } = await check(urn, props);
    const { outputs } = await create(urn, inputs, true);
    expect(outputs.groupShortName).toBe("backend");
    expect(outputs.azureApiVersion).toBe("2024-10-01-preview");
    expect(outputs.name).toBe(unknown);
    expect(outputs.emailReceivers).toBe(unknown);
    expect(api.state().requests.filter((r) => r.method === "PUT")).toEqual([]);
  });

  it("Create PUTs each type at its ARM id and returns the response in SDK shape with id, name, type and azureApiVersion", async () => {
    const created: Record<string, { id: string; outputs: Record<string, any> }> = {};
    // The components' order: action groups, then web tests, then the alerts that name them.
    for (const token of [
      "azure-native:monitor:ActionGroup",
      "azure-native:applicationinsights:WebTest",
      "azure-native:monitor:MetricAlert",
    ]) {
      const { urn, props } = registered(token);
      const { inputs } = await check(urn, props);
      created[token] = await create(urn, inputs);
    }
    const group = created["azure-native:monitor:ActionGroup"]!;
    const groupId = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Insights/actionGroups/pico-havblik-backend`;
    expect(group.id).toBe(groupId);
    expect(group.outputs).toMatchObject({
      id: groupId,
      name: "pico-havblik-backend",
      type: "Microsoft.Insights/ActionGroups",
      location: "Global",
    });
    expect(group.outputs.azureApiVersion).toBe("2024-10-01-preview");
    expect(group.outputs.emailReceivers).toEqual([]);
    expect(group.outputs.resourceGroupName).toBeUndefined();

    const webTest = created["azure-native:applicationinsights:WebTest"]!;
    expect(webTest.id).toBe(`/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Insights/webtests/pico-havblik-b2b`);
    expect(webTest.outputs).toMatchObject({
      webTestName: "pico-havblik-b2b",
      kind: "standard",
      webTestKind: "standard",
      provisioningState: "Succeeded",
      locations: [
        { location: "emea-nl-ams-azr" },
        { location: "emea-gb-db3-azr" },
        { location: "emea-se-sto-edge" },
        { location: "emea-fr-pra-edge" },
        { location: "emea-ch-zrh-edge" },
      ],
      validationRules: { expectedHttpStatusCode: 204, sSLCheck: true, sSLCertRemainingLifetimeCheck: 14 },
      azureApiVersion: "2022-06-15",
    });
    // ARM got the web test in its own PascalCase shape (webTests_API.json 2022-06-15).
    const stored = api.state().resources[webTest.id.toLowerCase()]!;
    expect(stored.kind).toBe("standard");
    expect((stored.properties as any).Name).toBe("pico-havblik-b2b");
    expect((stored.properties as any).Locations[0]).toEqual({ Id: "emea-nl-ams-azr" });
    expect((stored.properties as any).ValidationRules).toEqual({
      ExpectedHttpStatusCode: 204,
      SSLCheck: true,
      SSLCertRemainingLifetimeCheck: 14,
    });
    expect((stored.properties as any).Request.RequestUrl).toBe("https://b2b.havblik.dk/health");

    const alert = created["azure-native:monitor:MetricAlert"]!;
    expect(alert.outputs).toMatchObject({
      name: "pico-havblik-endpoint-availability-b2b",
      type: "Microsoft.Insights/metricAlerts",
      isMigrated: false,
      lastUpdatedTime: "2027-01-10T12:00:00.000Z",
      criteria: { odataType: "Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria", failedLocationCount: 2 },
      azureApiVersion: "2018-03-01",
    });
    const storedAlert = api.state().resources[alert.id.toLowerCase()]!;
    expect((storedAlert.properties as any).criteria["odata.type"]).toBe("Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria");
    // No path parameter and no azureApiVersion in any ARM body.
    for (const r of Object.values(api.state().resources)) {
      expect(JSON.stringify(r)).not.toMatch(/resourceGroupName|azureApiVersion|ruleName|actionGroupName/);
    }
    // Every PUT carried the type's api-version.
    const puts = api.state().requests.filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.apiVersion)).toEqual(["2024-10-01-preview", "2022-06-15", "2018-03-01"]);
  });

  it("Create refuses a resource that already exists in Azure (the real provider's CanCreate GET)", async () => {
    const { urn, props } = registered("azure-native:monitor:ActionGroup");
    const { inputs } = await check(urn, props);
    await expect(create(urn, inputs)).rejects.toThrow(/cannot create already existing resource/);
  });

  it("Diff: location and the name replace (delete first unless auto-named), tags update in place, location spelling is no change", async () => {
    const { urn, props } = registered("azure-native:applicationinsights:WebTest");
    const { inputs } = await check(urn, props);
    const moved = await diff(urn, inputs, inputs, { ...inputs, location: "westeurope" });
    expect(moved).toMatchObject({
      changes: Changes.DIFF_SOME,
      replaces: ["location"],
      deleteBeforeReplace: true,
      detailed: { location: Kind.UPDATE_REPLACE },
    });
    expect((await diff(urn, inputs, inputs, { ...inputs, location: "North Europe" })).changes).toBe(Changes.DIFF_NONE);
    const retagged = await diff(urn, inputs, inputs, { ...inputs, tags: { ...inputs.tags, "pico-role": "backend" } });
    expect(retagged).toMatchObject({ changes: Changes.DIFF_SOME, replaces: [], detailed: { "tags.pico-role": Kind.UPDATE } });
    const renamed = await diff(urn, inputs, inputs, { ...inputs, webTestName: "other" });
    expect(renamed.replaces).toEqual(["webTestName"]);
    const autoNamed = { ...inputs, __createBeforeDelete: true };
    expect((await diff(urn, autoNamed, inputs, { ...autoNamed, location: "westeurope" })).deleteBeforeReplace).toBe(false);
    expect((await diff(urn, inputs, inputs, inputs)).changes).toBe(Changes.DIFF_NONE);
  });

  it("Read returns what Azure has now, and carries a change made outside Pulumi into the inputs", async () => {
    const { urn, props } = registered("azure-native:monitor:ActionGroup");
    const { inputs } = await check(urn, props);
    const id = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Insights/actionGroups/pico-havblik-backend`;
    const before = await read(urn, id, {}, inputs);
    // Someone disables the group in the portal (a PUT straight to ARM).
    const current = api.state().resources[id.toLowerCase()]!;
    const res = await fetch(`${api.url}${id}?api-version=2024-10-01-preview`, {
      method: "PUT",
      body: JSON.stringify({ ...current, properties: { ...(current.properties as object), enabled: false } }),
    });
    expect(res.status).toBe(200);
    const after = await read(urn, id, before.outputs, inputs);
    expect(after.id).toBe(id);
    expect(after.outputs.enabled).toBe(false);
    expect(after.inputs.enabled).toBe(false);
    expect(after.inputs.groupShortName).toBe("backend");
    expect(after.inputs.actionGroupName).toBe("pico-havblik-backend");
  });

  it("Update PUTs the new inputs; Delete removes the resource, and deleting it again is not an error", async () => {
    const { urn, props } = registered("azure-native:monitor:MetricAlert");
    const { inputs } = await check(urn, props);
    const id = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Insights/metricAlerts/pico-havblik-endpoint-availability-b2b`;
    const req = new provPb.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct({}));
    req.setNews(struct({ ...inputs, severity: 2 }));
    const updated = await call<provPb.UpdateRequest, provPb.UpdateResponse>("update", req);
    expect(updated.getProperties()!.toJavaScript()).toMatchObject({ severity: 2, azureApiVersion: "2018-03-01" });
    expect((api.state().resources[id.toLowerCase()]!.properties as any).severity).toBe(2);

    const del = new provPb.DeleteRequest();
    del.setUrn(urn);
    del.setId(id);
    await call("delete", del);
    expect(api.state().resources[id.toLowerCase()]).toBeUndefined();
    await call("delete", del);
    expect((await read(urn, id, {}, inputs)).id).toBe("");
    expect(
      api
        .state()
        .requests.filter((r) => r.method === "DELETE")
        .map((r) => r.apiVersion),
    ).toEqual(["2018-03-01", "2018-03-01"]);
  });

  describe("AlertProcessingRuleByName (an approved maintenance window's Azure silence, issue 22)", () => {
    const urn = `urn:pulumi:skagen::pico-monitoring::pico:monitoring:CustomerMonitoring$pico:monitoring:MaintenanceWindows$${PROCESSING_RULE}::skagen-maintenance-jan-pim-patches`;
    const ruleId = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.AlertsManagement/actionRules/pico-skagen-maintenance-jan-pim-patches`;
    /** The rule exactly as the program registers it: src/plan/maintenance.ts over test/fixtures/maintenance/skagen.yaml. */
    const specRule = (): Record<string, any> => {
      const loaded = loadCustomer("test/fixtures/maintenance/skagen.yaml");
      const rule = planCustomer(loaded.spec, loaded.catalog, new Date(recordingAsOf)).silences.find(
        (x) => x.kind === "azure-processing-rule",
      );
      if (rule?.kind !== "azure-processing-rule") throw new Error("the fixture renders no processing rule");
      return { ...structuredClone(rule.rule), resourceGroupName: rg };
    };
    let created: { id: string; outputs: Record<string, any> };
    let inputs: Record<string, any>;

    it("Check adds only azureApiVersion 2021-08-08; without a name it auto-names, without location it fails as for the others", async () => {
      const checked = await check(urn, specRule());
      expect(checked).toEqual({ inputs: { ...specRule(), azureApiVersion: "2021-08-08" }, failures: [] });
      inputs = checked.inputs;
      const { alertProcessingRuleName: _, ...unnamed } = specRule();
      expect((await check(urn, unnamed)).inputs.alertProcessingRuleName).toMatch(/^skagen-maintenance-jan-pim-patches[0-9a-f]{8}$/);
    });

    it("Create in preview: the inputs, with name, systemData and type unknown; nothing sent to ARM", async () => {
      const before = api.state().requests.length;
      const { outputs } = await create(urn, inputs, true);
      expect(outputs).toMatchObject({
        location: "Global",
        properties: specRule().properties,
        tags: specRule().tags,
        azureApiVersion: "2021-08-08",
      });
      expect([outputs.name, outputs.systemData, outputs.type]).toEqual([unknown, unknown, unknown]);
      expect(api.state().requests.slice(before)).toEqual([]);
    });

    it("Create PUTs Microsoft.AlertsManagement/actionRules at api-version 2021-08-08 with `properties` NOT flattened, and returns it nested", async () => {
      const before = api.state().requests.length;
      created = await create(urn, inputs);
      expect(created.id).toBe(ruleId);
      expect(api.state().requests.slice(before)).toEqual([
        { method: "GET", path: ruleId, apiVersion: "2021-08-08" },
        { method: "PUT", path: ruleId, apiVersion: "2021-08-08" },
        { method: "GET", path: ruleId, apiVersion: "2021-08-08" },
      ]);
      const stored = api.state().resources[ruleId.toLowerCase()]!;
      expect(stored).toMatchObject({
        id: ruleId,
        name: "pico-skagen-maintenance-jan-pim-patches",
        type: "Microsoft.AlertsManagement/actionRules",
        location: "Global",
        tags: specRule().tags,
        properties: specRule().properties,
      });
      expect(created.outputs).toEqual({
        id: ruleId,
        name: "pico-skagen-maintenance-jan-pim-patches",
        type: "Microsoft.AlertsManagement/actionRules",
        location: "Global",
        tags: specRule().tags,
        properties: specRule().properties,
        systemData: stored.systemData,
        azureApiVersion: "2021-08-08",
      });
    });

    it("ARM refuses what the 2021-08-08 spec refuses: a location other than Global, no actions, a schedule instant with a zone suffix", async () => {
      const put = (body: object) =>
        fetch(`${api.url}${ruleId.replace("jan-pim-patches", "bad")}?api-version=2021-08-08`, {
          method: "PUT",
          body: JSON.stringify(body),
        });
      const rule = specRule();
      const body = { location: "Global", tags: rule.tags, properties: rule.properties };
      expect((await put({ ...body, location: "westeurope" })).status).toBe(400);
      expect((await put({ ...body, properties: { ...rule.properties, actions: [] } })).status).toBe(400);
      const zoned = { ...rule.properties, schedule: { ...rule.properties.schedule, effectiveUntil: "2027-01-12T21:00:00Z" } };
      const refused = await put({ ...body, properties: zoned });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        error: {
          code: "BadRequest",
          message: "properties.schedule.effectiveUntil must be an ISO-8601 date-time without a timezone suffix.",
        },
      });
    });

    it("Read finds the rule as written: nothing of an ARM rule depends on its schedule (AlertProcessingRule has no status)", async () => {
      const res = await read(urn, ruleId, created.outputs, inputs);
      expect(res.id).toBe(ruleId);
      expect(res.outputs).toEqual(created.outputs);
      expect(res.inputs).toEqual(inputs);
    });

    it("Delete (as when its window has ended and it leaves the program): 200 and gone; a second Delete gets 204, not an error", async () => {
      const del = new provPb.DeleteRequest();
      del.setUrn(urn);
      del.setId(ruleId);
      del.setProperties(struct(created.outputs));
      del.setOldInputs(struct(inputs));
      const before = api.state().requests.length;
      await call("delete", del);
      await call("delete", del);
      expect(api.state().requests.slice(before)).toEqual([
        { method: "DELETE", path: ruleId, apiVersion: "2021-08-08" },
        { method: "DELETE", path: ruleId, apiVersion: "2021-08-08" },
      ]);
      expect(api.state().resources[ruleId.toLowerCase()]).toBeUndefined();
      expect((await read(urn, ruleId, created.outputs, inputs)).id).toBe("");
    });
  });

  it("never called an ARM route the stand-in does not serve", () => {
    expect(api.state().unhandled).toEqual([]);
  });
});

describe("the ARM stand-in", () => {
  it("answers unknown routes 404 and records them, refuses another api-version, and is deterministic", async () => {
    const run = async () => {
      const a = await startAzureApi({ resourceGroups: { s: { g: "westeurope" } } });
      const id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Insights/activityLogAlerts/x";
      const put = await fetch(`${a.url}${id}?api-version=2020-10-01`, {
        method: "PUT",
        body: JSON.stringify({ location: "Global", properties: { scopes: [] } }),
      });
      const wrong = await fetch(`${a.url}${id}?api-version=2017-04-01`);
      const stray = await fetch(`${a.url}/subscriptions/s/providers/Microsoft.Web/sites?api-version=1`);
      const state = a.state();
      await a.close();
      return { codes: [put.status, wrong.status, stray.status], state };
    };
    const first = await run();
    expect(first.codes).toEqual([201, 400, 404]);
    expect(first.state.unhandled).toEqual([{ method: "GET", path: "/subscriptions/s/providers/Microsoft.Web/sites" }]);
    expect(Object.values(first.state.resources)[0]).toMatchObject({
      type: "Microsoft.Insights/ActivityLogAlerts",
      properties: { enabled: true },
    });
    expect(JSON.stringify((await run()).state)).toBe(JSON.stringify(first.state));
  });
});
