// STAND-IN for the pulumi-resource-azure-native 3.28.0 provider plugin, for the real-engine tier only.
//
// Why a stand-in: the azure-native provider module is not served by this machine's Go module proxy (403 for
// github.com/pulumi/pulumi-azure-native/provider/v3@v3.28.0), and its binary embeds metadata generated from
// the azure-rest-api-specs submodule, which is not published as a module. So this is a Node.js provider
// plugin (PulumiPlugin.yaml, runtime nodejs) that speaks the same ResourceProvider gRPC protocol for exactly
// the five resource types the components create, and calls an ARM stand-in (test/engine/apis/azure.ts).
//
// What it follows, function by function, is pulumi/pulumi-azure-native provider/pkg/provider/provider.go
// (Configure, Check/applyDefaults/getDefaultName/getDefaultLocation, Diff, Create/defaultCreate/readAfterWrite,
// Read, Update, Delete, checkpointObjectVersioned), diff.go (calculateDetailedDiff, applyAzureSpecificDiff,
// calculateChangesAndReplacements) and auth.go (subscriptionId / ARM_SUBSCRIPTION_ID). Read from the stored
// copies the search index holds (provider.go at 006a62af, diff.go as stored with calculateChangesAndReplacements):
// the v3.28.0 tag itself could not be resolved here, because the repository snapshot (1.8 GB) is over the fetch
// limit. What the generated metadata would say per type (required properties, force-new properties, the
// SDK <-> ARM property names) is transcribed by hand: from the installed @pulumi/azure-native 3.28.0 SDK
// (each class's inputs, outputs and required arguments) and from azure-rest-api-specs (x-ms-mutability,
// x-ms-client-name, x-ms-client-flatten), in ./types.cjs with a source per field. test/engine/azure-native.provider.engine.test.ts
// checks the transcribed tables against the installed SDK.
//
// Why not @pulumi/pulumi/provider's `Provider` + `main()`: that server drops what this provider needs. Its
// Configure ignores the variables (so subscriptionId would never arrive), its Check gets neither the random
// seed nor the autonaming options, Diff/Update/Read/Delete get no old inputs, and Create/Update no preview
// flag. So this file serves the same generated gRPC service (@pulumi/pulumi/proto/provider_grpc_pb) with
// @grpc/grpc-js, and starts like `main()`: bind 127.0.0.1:0 and print the port on stdout's first line.
"use strict";

const crypto = require("node:crypto");
const grpc = require("@grpc/grpc-js");
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const plugproto = require("@pulumi/pulumi/proto/plugin_pb");
const { types, opaqueKeys } = require("./types.cjs");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");

const version = "3.28.0";
/** The engine's marker for a value not known during preview (sdk/go/common/resource/plugin/rpc.go UnknownStringValue). */
const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** provider.go: the flag Check sets on randomly auto-named resources so that Diff replaces them create-first. */
const createBeforeDeleteFlag = "__createBeforeDelete";
/** provider.go apiVersionResources: the api-version of the resource-group GET behind the location default. */
const apiVersionResources = "2020-10-01";

// ---------------------------------------------------------------------------------------------------------
// Values

const toJs = (struct) => (struct ? struct.toJavaScript() : {});
const toStruct = (obj) => structproto.Struct.fromJavaScript(obj);
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const isUnknown = (v) => v === unknown;
const hasValue = (obj, k) => obj[k] !== undefined && obj[k] !== null;
const deepEqual = (a, b) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v))
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical(v[k])]),
    );
  return v;
}
function containsUnknown(v) {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObject(v)) return Object.values(v).some(containsUnknown);
  return false;
}

/** The resource type of a URN: the last `$`-separated part of its type segment. */
function typeOf(urn) {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
}
const urnName = (urn) => urn.split("::").pop();

function lookup(urn) {
  const token = typeOf(urn);
  const t = types[token];
  if (!t) {
    // The real provider answers "Resource type %s not found" (lookupResourceFromURN); this says why.
    throw grpcError(
      grpc.status.INVALID_ARGUMENT,
      `azure-native stand-in ${version}: resource type ${token} is not one it knows; it implements only ${Object.keys(types).join(", ")} (see test/engine/providers/azure-native/README.md)`,
    );
  }
  return { token, t };
}

function grpcError(code, message) {
  const e = new Error(message);
  e.code = code;
  e.details = message;
  return e;
}

// ---------------------------------------------------------------------------------------------------------
// SDK shape <-> ARM shape (convert.SdkShapeConverter: SdkInputsToRequestBody / ResponseBodyToSdkOutputs)

const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

function sdkToArmValue(t, v) {
  if (Array.isArray(v)) return v.map((x) => sdkToArmValue(t, x));
  if (!isObject(v)) return v;
  const reverse = Object.fromEntries(Object.entries(t.renames).map(([arm, sdk]) => [sdk, arm]));
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    const armKey = reverse[k] ?? (t.pascal ? upperFirst(k) : k);
    out[armKey] = opaqueKeys.has(k) ? x : sdkToArmValue(t, x);
  }
  return out;
}

function armToSdkValue(t, v) {
  if (Array.isArray(v)) return v.map((x) => armToSdkValue(t, x));
  if (!isObject(v)) return v;
  const out = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    const sdkKey = t.renames[k] ?? (t.pascal ? lowerFirst(k) : k);
    out[sdkKey] = opaqueKeys.has(k) ? x : armToSdkValue(t, x);
  }
  return out;
}

/** The PUT body: top-level keys as they are, the rest under `properties`; path parameters and azureApiVersion stay out. */
function requestBody(t, inputs) {
  const reverse = Object.fromEntries(Object.entries(t.renames).map(([armKey, sdkKey]) => [sdkKey, armKey]));
  const body = { properties: {} };
  for (const [k, v] of Object.entries(inputs)) {
    if (k.startsWith("__") || k === "resourceGroupName" || k === "azureApiVersion") continue;
    if (k === t.nameParam && !t.nameInBody) continue;
    const value = opaqueKeys.has(k) ? v : sdkToArmValue(t, v);
    if (t.topLevel.includes(k)) body[k] = value;
    else body.properties[reverse[k] ?? (t.pascal ? upperFirst(k) : k)] = value;
  }
  return body;
}

/** Outputs: the response flattened to the SDK's output names (plus id), and azureApiVersion (checkpointObjectVersioned). */
function responseOutputs(t, response) {
  const flat = {};
  for (const [k, v] of Object.entries(response)) {
    if (k === "properties" && isObject(v) && !t.nestedProperties) Object.assign(flat, armToSdkValue(t, v));
    else if (v !== null) flat[k] = opaqueKeys.has(k) ? v : armToSdkValue(t, v);
  }
  const outputs = {};
  for (const k of ["id", ...t.outputs]) if (flat[k] !== undefined) outputs[k] = flat[k];
  outputs.azureApiVersion = t.apiVersion;
  return outputs;
}

/** convert.PreviewOutputs: the inputs in output shape, every other output unknown. */
function previewOutputs(t, inputs) {
  const outputs = {};
  for (const k of t.outputs) outputs[k] = inputs[k] !== undefined ? inputs[k] : unknown;
  return outputs;
}

// ---------------------------------------------------------------------------------------------------------
// ARM client (azure.AzureClient: Get / Put / Delete with ?api-version)

function armBase() {
  const base = process.env.PICO_ARM_URL;
  if (!base) {
    throw grpcError(
      grpc.status.FAILED_PRECONDITION,
      "azure-native stand-in: PICO_ARM_URL is not set (the base URL of the ARM stand-in, test/engine/apis/azure.ts); it never calls management.azure.com",
    );
  }
  return base.replace(/\/$/, "");
}

async function arm(method, id, apiVersion, body) {
  const res = await fetch(`${armBase()}${id}?api-version=${encodeURIComponent(apiVersion)}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (res.status >= 400) {
    const err = new Error(`${method} ${id}: ${res.status} ${json?.error?.code ?? ""}: ${json?.error?.message ?? text}`);
    err.status = res.status;
    throw err;
  }
  return json;
}

// ---------------------------------------------------------------------------------------------------------
// The provider

const state = { config: {}, subscriptionId: undefined, rgLocations: new Map() };

function resourceId(t, inputs) {
  for (const k of ["resourceGroupName", t.nameParam]) {
    if (typeof inputs[k] !== "string" || isUnknown(inputs[k])) throw new Error(`missing required property '${k}'`);
  }
  return `/subscriptions/${state.subscriptionId}/resourceGroups/${inputs.resourceGroupName}/providers/${t.namespace ?? "Microsoft.Insights"}/${t.segment}/${inputs[t.nameParam]}`;
}

/** provider.go getDefaultName: olds, then the engine's autonaming options, then URN name + 8 random hex characters. */
function defaultName(urn, randomSeed, autonaming, key, olds) {
  if (olds[key] !== undefined) return { value: olds[key], random: olds[createBeforeDeleteFlag] === true };
  if (autonaming) {
    const Mode = provproto.CheckRequest.AutonamingOptions.Mode;
    if (autonaming.getMode() === Mode.DISABLE) return undefined;
    // ENFORCE, and PROPOSE for the "random" strategy these five types are assumed to use.
    return { value: autonaming.getProposedName(), random: true };
  }
  // The real one draws the 8 characters from frand seeded with SHA-256(randomSeed) (resource.NewUniqueName);
  // this takes them from SHA-256 directly: the same shape and as deterministic per seed, other characters.
  const hex = crypto.createHash("sha256").update(Buffer.from(randomSeed)).update(urn).digest("hex").slice(0, 8);
  return { value: `${urnName(urn)}${hex}`, random: true };
}

/** provider.go getDefaultLocation: old inputs, then config `location`, then the resource group's location. */
async function defaultLocation(olds, news) {
  if (olds.location !== undefined) return olds.location;
  if (state.config.location !== undefined) return state.config.location;
  const rg = news.resourceGroupName;
  if (rg === undefined) return undefined;
  if (containsUnknown(rg)) return unknown;
  if (state.rgLocations.has(rg)) return state.rgLocations.get(rg);
  try {
    const group = await arm("GET", `/subscriptions/${state.subscriptionId}/resourceGroups/${rg}`, apiVersionResources);
    if (typeof group?.location !== "string") return undefined;
    state.rgLocations.set(rg, group.location);
    return group.location;
  } catch {
    // The real one logs and leaves location unset; Check then reports it missing.
    return undefined;
  }
}

async function check(req) {
  const urn = req.getUrn();
  const { t } = lookup(urn);
  const olds = toJs(req.getOlds());
  const news = toJs(req.getNews());
  // applyDefaults: auto-naming, auto-location, azureApiVersion (v3).
  if (!hasValue(news, t.nameParam)) {
    const name = defaultName(urn, req.getRandomseed_asU8(), req.getAutonaming(), t.nameParam, olds);
    if (name) {
      news[t.nameParam] = name.value;
      if (name.random) news[createBeforeDeleteFlag] = true;
    }
  }
  if (!hasValue(news, "location")) {
    const location = await defaultLocation(olds, news);
    if (location !== undefined) news.location = location;
  }
  if (!hasValue(news, "azureApiVersion")) news.azureApiVersion = t.apiVersion;
  // validateType: the required properties (type and pattern checks of the metadata are not transcribed).
  const failures = [];
  for (const k of t.required) {
    if (news[k] === undefined) {
      let reason = `missing required property '${k}'`;
      if (k === "location") reason += ". Either set it explicitly or configure it with 'pulumi config set azure-native:location <value>'.";
      failures.push(reason);
    }
  }
  const resp = new provproto.CheckResponse();
  resp.setInputs(toStruct(news));
  resp.setFailuresList(
    failures.map((reason) => {
      const f = new provproto.CheckFailure();
      f.setReason(reason);
      return f;
    }),
  );
  return resp;
}

/** diff.go: a detailed diff of old and new inputs; path parameters and force-new properties replace. */
function detailedDiff(t, oldInputs, newInputs) {
  const replaceKeys = new Set(["resourceGroupName", t.nameParam, ...t.forceNew]);
  const Kind = provproto.PropertyDiff.Kind;
  const out = {};
  const walk = (oldV, newV, path, replaceBase) => {
    if (Array.isArray(oldV) && Array.isArray(newV)) {
      const n = Math.max(oldV.length, newV.length);
      for (let i = 0; i < n; i++) {
        const p = `${path}[${i}]`;
        if (i >= oldV.length) out[p] = Kind.ADD;
        else if (i >= newV.length) out[p] = Kind.DELETE;
        else walk(oldV[i], newV[i], p, `${replaceBase}[]`);
      }
      return;
    }
    if (isObject(oldV) && isObject(newV)) {
      for (const k of new Set([...Object.keys(oldV), ...Object.keys(newV)])) {
        const p = `${path}.${k}`;
        if (!(k in newV)) out[p] = Kind.DELETE;
        else if (!(k in oldV)) out[p] = Kind.ADD;
        else walk(oldV[k], newV[k], p, `${replaceBase}.${k}`);
      }
      // A child of a replacing property replaces too.
      if (replaceKeys.has(replaceBase))
        for (const k of Object.keys(out)) if (k.startsWith(`${path}.`) && out[k] === Kind.UPDATE) out[k] = Kind.UPDATE_REPLACE;
      return;
    }
    if (!deepEqual(oldV, newV)) out[path] = replaceKeys.has(replaceBase) ? Kind.UPDATE_REPLACE : Kind.UPDATE;
  };
  for (const k of new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])) {
    if (k.startsWith("__")) continue;
    const o = oldInputs[k];
    const n = newInputs[k];
    if (o === undefined && n !== undefined) out[k] = replaceKeys.has(k) ? Kind.ADD_REPLACE : Kind.ADD;
    else if (n === undefined && o !== undefined) out[k] = replaceKeys.has(k) ? Kind.DELETE_REPLACE : Kind.DELETE;
    else if (o !== undefined) {
      // applyAzureSpecificDiff: resourceGroupName is case-insensitive; location ignores case and spaces.
      if (k === "resourceGroupName" && typeof o === "string" && typeof n === "string" && o.toLowerCase() === n.toLowerCase()) continue;
      const norm = (s) => s.replaceAll(" ", "").toLowerCase();
      if (k === "location" && typeof o === "string" && typeof n === "string" && norm(o) === norm(n)) continue;
      walk(o, n, k, k);
    }
  }
  return out;
}

function diff(req) {
  const { t } = lookup(req.getUrn());
  const oldState = toJs(req.getOlds());
  // v3: the old inputs come in the request (Configure insists the engine sends them).
  const oldInputs = req.hasOldInputs() ? toJs(req.getOldInputs()) : {};
  if (oldInputs.azureApiVersion === undefined && oldState.azureApiVersion !== undefined)
    oldInputs.azureApiVersion = oldState.azureApiVersion;
  const news = toJs(req.getNews());
  const detailed = detailedDiff(t, oldInputs, news);
  const resp = new provproto.DiffResponse();
  const Kind = provproto.PropertyDiff.Kind;
  // calculateChangesAndReplacements.
  const changes = [];
  const replaces = [];
  for (const [k, kind] of Object.entries(detailed)) {
    if (kind === Kind.ADD_REPLACE) {
      // A property newly set to the value the old outputs already had is no replacement.
      if (oldInputs[k] === undefined && news[k] !== undefined && oldState[k] !== undefined && deepEqual(news[k], oldState[k]))
        detailed[k] = Kind.ADD;
      else replaces.push(k);
    }
    if (kind === Kind.DELETE_REPLACE || kind === Kind.UPDATE_REPLACE) replaces.push(k);
    changes.push(k.split(".")[0]);
  }
  if (Object.keys(detailed).length === 0) {
    resp.setChanges(provproto.DiffResponse.DiffChanges.DIFF_NONE);
    return resp;
  }
  let deleteBeforeReplace = replaces.length > 0;
  if (typeof oldInputs[createBeforeDeleteFlag] === "boolean") deleteBeforeReplace = !oldInputs[createBeforeDeleteFlag];
  resp.setChanges(changes.length > 0 ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
  resp.setReplacesList(replaces.sort());
  resp.setDiffsList([...new Set(changes)].sort());
  resp.setDeletebeforereplace(deleteBeforeReplace);
  resp.setHasdetaileddiff(true);
  const map = resp.getDetaileddiffMap();
  for (const [k, kind] of Object.entries(detailed).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const d = new provproto.PropertyDiff();
    d.setKind(kind);
    d.setInputdiff(true);
    map.set(k, d);
  }
  return resp;
}

async function create(req) {
  const { t } = lookup(req.getUrn());
  const inputs = toJs(req.getProperties());
  const resp = new provproto.CreateResponse();
  if (req.getPreview()) {
    resp.setProperties(toStruct(previewOutputs(t, inputs)));
    return resp;
  }
  let id = resourceId(t, inputs);
  // azureClient.CanCreate: a GET first; a resource that is already there is not silently taken over.
  try {
    await arm("GET", id, t.apiVersion);
    throw grpcError(grpc.status.ALREADY_EXISTS, `cannot create already existing resource '${id}'`);
  } catch (e) {
    if (e.status !== 404) throw e;
  }
  let response = await arm("PUT", id, t.apiVersion, requestBody(t, inputs));
  if (typeof response?.id === "string") id = response.id;
  // readAfterWrite: outputs come from a GET, as Read's do, so a later refresh shows no noise.
  response = (await arm("GET", id, t.apiVersion).catch(() => undefined)) ?? response;
  resp.setId(id);
  resp.setProperties(toStruct(responseOutputs(t, response)));
  return resp;
}

async function read(req) {
  const { t } = lookup(req.getUrn());
  const id = req.getId();
  const oldState = toJs(req.getProperties());
  const resp = new provproto.ReadResponse();
  let response;
  try {
    response = await arm("GET", id, t.apiVersion);
  } catch (e) {
    // 404 means the resource was deleted: an empty id.
    if (e.status === 404) return resp;
    throw e;
  }
  const outputs = responseOutputs(t, response);
  let inputs;
  if (req.hasInputs()) {
    // Keep the old inputs, taking from the new outputs only what changed in Azure since the last write
    // (provider.go Read steps 2-5, here at top-level granularity).
    inputs = toJs(req.getInputs());
    for (const k of t.inputs) {
      if (k === "resourceGroupName" || k === t.nameParam) continue;
      if (deepEqual(oldState[k], outputs[k])) continue;
      if (outputs[k] === undefined) delete inputs[k];
      else inputs[k] = outputs[k];
    }
  } else {
    // An import: the inputs come from the id and the response (ResponseToSdkInputs).
    const m = /\/resourceGroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
    inputs = { resourceGroupName: m?.[1], [t.nameParam]: m?.[2] };
    for (const k of t.inputs) if (outputs[k] !== undefined && inputs[k] === undefined) inputs[k] = outputs[k];
  }
  resp.setId(id);
  resp.setProperties(toStruct(outputs));
  resp.setInputs(toStruct(inputs));
  return resp;
}

async function update(req) {
  const { t } = lookup(req.getUrn());
  const inputs = toJs(req.getNews());
  const oldState = toJs(req.getOlds());
  const resp = new provproto.UpdateResponse();
  if (req.getPreview()) {
    // Preview: the inputs, plus the outputs that never change in place (name and location) from the old state.
    const outputs = previewOutputs(t, inputs);
    for (const k of ["name", "location"]) if (oldState[k] !== undefined) outputs[k] = oldState[k];
    resp.setProperties(toStruct(outputs));
    return resp;
  }
  const id = resourceId(t, inputs);
  let response = await arm("PUT", id, t.apiVersion, requestBody(t, inputs));
  response = (await arm("GET", id, t.apiVersion).catch(() => undefined)) ?? response;
  resp.setProperties(toStruct(responseOutputs(t, response)));
  return resp;
}

async function del(req) {
  const { t } = lookup(req.getUrn());
  try {
    await arm("DELETE", req.getId(), t.apiVersion);
  } catch (e) {
    // Already gone is done.
    if (e.status !== 404) throw e;
  }
  return new emptyproto.Empty();
}

function configure(req) {
  // v3 needs the old inputs in Diff and Delete (pulumi/pulumi-azure-native#2686).
  if (!req.getSendsOldInputs() || !req.getSendsOldInputsToDelete()) {
    throw new Error("Azure Native provider requires Pulumi CLI v3.74.0 or later");
  }
  state.config = {};
  for (const [k, v] of req.getVariablesMap().toArray()) state.config[k.replace(/^azure-native:config:/, "")] = v;
  // auth.go: subscriptionId from config, else ARM_SUBSCRIPTION_ID.
  const subscriptionId = state.config.subscriptionId || process.env.ARM_SUBSCRIPTION_ID;
  if (!subscriptionId) {
    // The real provider would then ask the Azure CLI for its default subscription; this stand-in has no CLI to ask.
    throw new Error(
      "azure-native stand-in: no subscription ID: set the provider's subscriptionId (azure-native:subscriptionId) or ARM_SUBSCRIPTION_ID (the real provider would fall back to the Azure CLI's default subscription)",
    );
  }
  state.subscriptionId = subscriptionId;
  armBase();
  const resp = new provproto.ConfigureResponse();
  // What the real Configure answers: previews and autonaming configuration; no secrets, no resources.
  resp.setSupportspreview(true);
  resp.setSupportsAutonamingConfiguration(true);
  return resp;
}

// ---------------------------------------------------------------------------------------------------------
// The gRPC service

function unary(fn) {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (resp) => callback(null, resp),
        (e) => callback({ code: e.code ?? grpc.status.UNKNOWN, details: e.details ?? e.message, message: e.message }),
      );
  };
}

const service = {
  getPluginInfo: unary(() => {
    const info = new plugproto.PluginInfo();
    info.setVersion(version);
    return info;
  }),
  getSchema: unary(() => {
    // The schema is the metadata this stand-in does not have; the engine asks for it only for codegen and import.
    const resp = new provproto.GetSchemaResponse();
    resp.setSchema("{}");
    return resp;
  }),
  // CheckConfig returns the new config unchanged; DiffConfig answers "unknown" (changes 0), as the real one does.
  checkConfig: unary((req) => {
    const resp = new provproto.CheckResponse();
    resp.setInputs(req.getNews());
    return resp;
  }),
  diffConfig: unary(() => {
    const resp = new provproto.DiffResponse();
    resp.setChanges(provproto.DiffResponse.DiffChanges.DIFF_UNKNOWN);
    return resp;
  }),
  configure: unary(configure),
  check: unary(check),
  diff: unary(diff),
  create: unary(create),
  read: unary(read),
  update: unary(update),
  delete: unary(del),
  invoke: unary((req) => {
    throw grpcError(grpc.status.UNIMPLEMENTED, `azure-native stand-in: invoke ${req.getTok()} is not implemented`);
  }),
  cancel: unary(() => new emptyproto.Empty()),
  attach: unary(() => new emptyproto.Empty()),
};

function main() {
  const server = new grpc.Server();
  server.addService(provrpc.ResourceProviderService, service);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      console.error(err.message);
      process.exit(1);
    }
    // The engine reads the port from the first line of stdout.
    console.log(String(port));
  });
}

main();
