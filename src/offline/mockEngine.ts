/**
 * Runs a Pulumi program through Pulumi's in-process mock engine (no cloud, no Pulumi CLI) and
 * returns what the program registered, as `pulumi up` would create it.
 *
 * Generic over "a function that constructs resources": the caller passes a function that loads
 * the providers and components (`require` / `await import`) and constructs the resources. It must
 * load them inside the function, i.e. after the mocks are installed.
 *
 * How it works
 * - `pulumi.runtime.setMocks` installs a `MockMonitor`. We replace that instance's
 *   `registerResource` and `readResource` with stand-ins that do what it does but convert each
 *   request once (fastStart.ts, `convertRequestsOnce`; an SDK version it was not checked against
 *   gets a wrapper around MockMonitor's own instead), and record the raw request (type, name,
 *   parent URN, custom, the serialized inputs exactly as the SDK sent them) and the URN assigned.
 * - Secrets: in the raw request a secret is the wire form `{[specialSigKey]: specialSecretSig,
 *   value}` at the exact place it occurs (e.g. inside `webhookReceivers[0].serviceUri`). The
 *   `inputs` a mock's `newResource` receives are *deserialized*, and deserialization lifts
 *   secretness to the top-level property (the whole `webhookReceivers` array becomes one secret),
 *   and `getRegisteredResources()` holds the mock's *state*, not the inputs. So props come from the
 *   raw request, in the engine's form (src/facts/engineValues.ts): each secret stays wrapped where it
 *   occurs, and its path is listed in `secretPaths`; unknowns stay the engine's sentinel. Properties
 *   named in `additionalSecretOutputs` are wrapped as secrets as well. Printers mask them.
 * - The MockMonitor ignores `additionalSecretOutputs`; the real engine honours it. We mark those
 *   outputs secret in the mock's response, so a secret stays secret downstream as it would for real.
 * - Waiting: every registration and invoke holds Pulumi's `rpcKeepAlive`; `waitForRPCs()` drains
 *   that chain. We drain it, yield a macrotask (so applies that are ready run and may register more
 *   resources), and repeat until nothing new was started. Work the program leaves floating (a
 *   promise it neither awaits nor feeds into a resource, e.g. `pulumi.output(timer).apply(...)`) is
 *   not tracked by Pulumi and so is not awaited; a real `pulumi up` would lose it too.
 * - Errors: failures inside applies and registrations reach nobody's `await`; Pulumi's language
 *   host catches them as unhandled rejections, and so do we (for the duration of the run), then
 *   reject with one `MockRunError` listing them.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import * as pulumiDebuggable from "@pulumi/pulumi/runtime/debuggable";
import * as pulumiState from "@pulumi/pulumi/runtime/state";
import * as pulumiVersion from "@pulumi/pulumi/version";
import { isSecretValue, secretValue, UNKNOWN_SENTINEL } from "../facts/engineValues.js";
import { convertRequestsOnce, mockRunPatches, type MockMonitorSdk, type PulumiInternals } from "./fastStart.js";

export interface RegisteredResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource, if any. */
  parent?: string;
  /** false for component resources. */
  custom: boolean;
  /** URN of an explicit provider resource, if one was given. */
  provider?: string;
  /** true when the program read an existing resource (`Resource.get`) instead of creating one. */
  read?: true;
  /** The version of the provider package the SDK registered it with (the `version` resource option). */
  version?: string;
  /** The id the (mock) provider gave a custom resource; none in a preview of a create. */
  id?: string;
  /**
   * Inputs as the program registered them, in the engine's form: secrets wrapped where they occur,
   * unknowns as the sentinel (src/facts/engineValues.ts). Print them through `masked`.
   */
  props: Record<string, unknown>;
  /** Property paths that hold a secret, e.g. `webhookReceivers[0].serviceUri`. */
  secretPaths?: string[];
  /**
   * What the engine hands a policy pack besides the props: URNs this resource depends on, per
   * top-level property the URNs its value came from, and `additionalSecretOutputs`. Absent when empty.
   */
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
}

export interface RunOptions {
  project: string;
  stack: string;
  /** Run as `pulumi preview` (default true). */
  preview?: boolean;
  /** Replace the default mock answers (see `previewMocks`). */
  mocks?: pulumi.runtime.Mocks;
  /** Give up when registrations are still pending after this long (default 120 s). */
  timeoutMs?: number;
  /**
   * Keep the SDK's per-promise bookkeeping and per-resource stack captures (slow; see
   * mockRunPatches in fastStart.ts). Also kept when PULUMI_DEBUG_PROMISE_LEAKS is set.
   */
  fullStackTraces?: boolean;
}

/** The program failed: thrown synchronously, rejected, or an apply / registration failed. */
export class MockRunError extends Error {
  constructor(readonly errors: unknown[]) {
    const messages = distinctMessages(errors);
    const head =
      messages.length === 1
        ? `Pulumi program failed: ${messages[0]}`
        : `Pulumi program failed with ${messages.length} errors:\n` + messages.map((m) => `  - ${m}`).join("\n");
    super(head, { cause: errors[0] });
    this.name = "MockRunError";
  }
}

// ---------------------------------------------------------------------------------------------
// Mock answers

/** Short stable hash: 6 upper-case hex characters of sha256. */
export function stableId(prefix: string, key: string): string {
  return prefix + createHash("sha256").update(key).digest("hex").slice(0, 6).toUpperCase();
}

/** Fake PagerDuty integration key, deterministic from the resource name (32 hex chars). */
export function fakeIntegrationKey(name: string): string {
  return createHash("sha256").update(`integrationKey:${name}`).digest("hex").slice(0, 32);
}

function displayNameFromEmail(email: string): string {
  const local = email.split("@")[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join(" ");
}

/**
 * The default mocks. Deterministic: the same program gives byte-identical answers.
 * - newResource: id `<Type>-<name>_id` (custom resources), state = inputs; a PagerDuty ServiceIntegration
 *   also gets a fake `integrationKey` (plain, as the real provider returns it: the pagerduty SDK
 *   does NOT mark it secret, so the component must).
 * - call: pagerduty getUser / getVendor / getSchedule / getEscalationPolicy answered with stable
 *   ids; anything else echoes its args. The data sources find one object by name (or e-mail) and
 *   return its `id` and `name` (terraform-provider-pagerduty pagerduty/data_source_pagerduty_schedule.go,
 *   data_source_pagerduty_escalation_policy.go; @pulumi/pagerduty getSchedule.d.ts).
 */
export const previewMocks: pulumi.runtime.Mocks = {
  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const state: Record<string, unknown> = { ...args.inputs };
    if (args.type === "pagerduty:index/serviceIntegration:ServiceIntegration" && state.integrationKey === undefined) {
      state.integrationKey = fakeIntegrationKey(args.name);
    }
    // Unique per type and name: the pack binds each made-up id to one real value, and a PagerDuty service and
    // an Azure action group share the name pico-<customer>-<role> (the real engine run showed the clash).
    return { id: args.custom === false ? undefined : `${args.type.split(":").pop()}-${args.name}_id`, state };
  },
  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    switch (args.token) {
      case "pagerduty:index/getUser:getUser": {
        const email = String(inputs.email ?? "");
        return { id: stableId("P", email.toLowerCase()), email, name: displayNameFromEmail(email) };
      }
      case "pagerduty:index/getSchedule:getSchedule": {
        const name = String(inputs.name ?? "");
        return { id: stableId("S", name), name };
      }
      case "pagerduty:index/getEscalationPolicy:getEscalationPolicy": {
        const name = String(inputs.name ?? "");
        return { id: stableId("E", name), name };
      }
      case "pagerduty:index/getVendor:getVendor": {
        const name = String(inputs.name ?? "");
        return { id: stableId("V", name), name };
      }
      default:
        return inputs;
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Pulumi internals we rely on (checked against @pulumi/pulumi 3.248)

interface PulumiStore {
  settings: { rpcDone: Promise<unknown> };
  leakCandidates: Set<Promise<unknown>>;
}

interface PulumiStruct {
  toJavaScript(): Record<string, unknown>;
}
interface StructCtor {
  fromJavaScript(o: Record<string, unknown>): PulumiStruct;
}

/** The parts of a RegisterResourceRequest / ReadResourceRequest we read. */
interface ResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom?(): boolean;
  getProvider(): string;
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList?(): string[];
  getPropertydependenciesMap?(): { forEach(f: (v: { getUrnsList(): string[] }, k: string) => void): void };
  getObject?(): PulumiStruct;
  getProperties?(): PulumiStruct;
  getVersion?(): string;
}
interface ResourceResponse {
  getUrn(): string;
  getObject?(): PulumiStruct;
  setObject?(s: PulumiStruct): void;
  getProperties?(): PulumiStruct;
  setProperties?(s: PulumiStruct): void;
}
type Callback = (err: unknown, resp?: ResourceResponse) => void;

interface MockMonitorLike {
  registerResource(req: ResourceRequest, cb: Callback): Promise<void>;
  readResource(req: ResourceRequest, cb: Callback): Promise<void>;
  getRegisteredResources(): Map<string, { urn: string; id: string | null; state: unknown }>;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
}

/** Only used for `.cache`, which is Node's one global CommonJS module cache. */
const nodeRequire = createRequire(`${process.cwd()}/`);

function pulumiStore(): PulumiStore {
  type StateModule = { getStore?: () => PulumiStore; default?: StateModule };
  const mod = pulumiState as unknown as StateModule;
  const state = typeof mod.getStore === "function" ? mod : (mod.default ?? mod);
  if (typeof state.getStore !== "function") throw new Error("@pulumi/pulumi internals changed: runtime/state.getStore is missing");
  return state.getStore();
}

function waitForRPCs(): Promise<void> {
  const fn = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (typeof fn !== "function") throw new Error("@pulumi/pulumi internals changed: runtime.waitForRPCs is missing");
  return fn();
}

const { specialSigKey, specialSecretSig, specialResourceSig, specialAssetSig, specialArchiveSig, unknownValue } = pulumi.runtime;
const specialOutputValueSig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** Paths of every `@pulumi/pulumi/index.js` in the module cache: more than one means two copies. */
export function loadedPulumiCopies(): string[] {
  return Object.keys(nodeRequire.cache)
    .filter((k) => /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]index\.js$/.test(k))
    .sort();
}

function assertSinglePulumi(): void {
  const copies = loadedPulumiCopies();
  if (copies.length > 1) {
    throw new Error(
      `More than one copy of @pulumi/pulumi is loaded; mocks only reach one of them. ` +
        `Deduplicate the install (npm dedupe). Copies:\n  ${copies.join("\n  ")}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Turning the wire form into props

function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  const k = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
  return base === "" ? k : /^"/.test(k) ? `${base}[${k}]` : `${base}.${k}`;
}

/** The wire form as the engine holds it: secrets wrapped (each listed in `secrets`), unknowns the sentinel. */
function present(v: unknown, secrets: string[]): unknown {
  return presentAt(v, [], secrets);
}

/** `keys` is where `v` sits; it is joined into a path only for a secret (most values are none). */
function presentAt(v: unknown, keys: (string | number)[], secrets: string[]): unknown {
  if (v === unknownValue) return UNKNOWN_SENTINEL;
  if (v === null || typeof v !== "object") return v;
  const at = (x: unknown, key: string | number, into: string[]) => {
    keys.push(key);
    const out = presentAt(x, keys, into);
    keys.pop();
    return out;
  };
  if (Array.isArray(v)) return v.map((e, i) => at(e, i, secrets));
  const o = v as Record<string, unknown>;
  const sig = o[specialSigKey];
  if (sig !== undefined) {
    switch (sig) {
      case specialSecretSig:
        secrets.push(keys.reduce<string>(joinPath, ""));
        // Paths inside a secret are not listed: the secret around them is.
        return secretValue(presentAt(o.value, keys, []));
      case specialResourceSig:
        return o.urn;
      case specialOutputValueSig:
        if (o.secret !== true) return o.value === undefined ? UNKNOWN_SENTINEL : presentAt(o.value, keys, secrets);
        secrets.push(keys.reduce<string>(joinPath, ""));
        return secretValue(o.value === undefined ? UNKNOWN_SENTINEL : presentAt(o.value, keys, []));
      case specialAssetSig:
        return `[asset ${String(o.path ?? o.uri ?? "text")}]`;
      case specialArchiveSig:
        return `[archive ${String(o.path ?? o.uri ?? "assets")}]`;
      default:
        return `[unrecognised value ${String(sig)}]`;
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    if (o[k] === undefined) continue;
    out[k] = at(o[k], k, secrets);
  }
  return out;
}

function presentProps(
  raw: Record<string, unknown>,
  additionalSecretOutputs: string[],
): { value: Record<string, unknown>; secretPaths: string[] } {
  const secretPaths: string[] = [];
  const value = present(raw, secretPaths) as Record<string, unknown>;
  for (const k of additionalSecretOutputs) {
    if (k in value && !isSecretValue(value[k])) {
      value[k] = secretValue(value[k]);
      secretPaths.push(joinPath("", k));
    }
  }
  return { value, secretPaths: [...new Set(secretPaths)].sort() };
}

// ---------------------------------------------------------------------------------------------
// Recording what reaches the monitor

interface Recorded {
  urn: string;
  type: string;
  name: string;
  parent: string;
  custom: boolean;
  provider: string;
  read: boolean;
  raw: Record<string, unknown>;
  /** The state the monitor answered with: the resource's outputs. */
  rawOutputs: Record<string, unknown>;
  additionalSecretOutputs: string[];
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  /** The provider package version the SDK registered with (the `version` resource option). */
  version: string;
}

/** Marks the named outputs secret in a response, as the real engine does for additionalSecretOutputs. */
function secretOutputs(
  monitor: MockMonitorLike,
  resp: ResourceResponse,
  names: string[],
  get: "getObject" | "getProperties",
  set: "setObject" | "setProperties",
): void {
  if (names.length === 0) return;
  const struct = resp[get]?.();
  if (!struct) return;
  const obj = struct.toJavaScript();
  let changed = false;
  for (const k of names) {
    if (obj[k] !== undefined && !isSecretValue(obj[k])) {
      obj[k] = secretValue(obj[k]);
      changed = true;
    }
  }
  if (!changed) return;
  const Struct = struct.constructor as unknown as StructCtor;
  resp[set]?.(Struct.fromJavaScript(obj));
  const entry = monitor.resources.get(resp.getUrn());
  if (entry) entry.state = obj;
}

/**
 * MockMonitor builds a child's URN from the last type of its parent only; the engine (and the SDK's
 * own `createUrn`) uses the parent's full qualified type, e.g. `Root$Paging$pagerduty:...:Service`,
 * and leaves out the root stack type. Use the engine's form so URNs match a real `pulumi up`.
 */
function engineUrn(parent: string, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2] : undefined;
  const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

function propertyDependenciesOf(req: ResourceRequest): Record<string, string[]> {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap?.().forEach((v, k) => {
    const urns = v.getUrnsList();
    if (urns.length > 0) propertyDependencies[k] = [...new Set(urns)].sort();
  });
  return propertyDependencies;
}

/** The SDK modules `convertRequestsOnce` uses, from the one copy of @pulumi/pulumi that is loaded. */
function mockMonitorSdk(): MockMonitorSdk | undefined {
  const index = loadedPulumiCopies()[0];
  if (!index) return undefined;
  const sdkRequire = createRequire(index);
  const version = pulumiVersion as unknown as { version?: string; default?: { version?: string } };
  return {
    version: version.version ?? version.default?.version ?? "",
    rpc: sdkRequire("./runtime/rpc") as MockMonitorSdk["rpc"],
    Struct: (sdkRequire("google-protobuf/google/protobuf/struct_pb") as { Struct: MockMonitorSdk["Struct"] }).Struct,
    resourcePb: sdkRequire("./proto/resource_pb") as MockMonitorSdk["resourcePb"],
  };
}

/** What one registration leaves behind, the same on the fast path and the SDK's own. */
function record(
  req: ResourceRequest,
  urn: string,
  read: boolean,
  raw: Record<string, unknown>,
  rawOutputs: Record<string, unknown>,
): Recorded {
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: read ? true : (req.getCustom?.() ?? true),
    provider: req.getProvider(),
    read,
    raw,
    rawOutputs,
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    dependencies: [...new Set(req.getDependenciesList?.() ?? [])].sort(),
    propertyDependencies: propertyDependenciesOf(req),
    version: req.getVersion?.() ?? "",
  };
}

function instrument(monitor: MockMonitorLike): Recorded[] {
  const recorded: Recorded[] = [];
  (monitor as unknown as { newUrn: typeof engineUrn }).newUrn = engineUrn;
  const sdk = mockMonitorSdk();
  const once =
    sdk !== undefined &&
    convertRequestsOnce(monitor as unknown as Parameters<typeof convertRequestsOnce>[0], sdk, (request, raw, read, state, urn) => {
      const req = request as unknown as ResourceRequest;
      const aso = req.getAdditionalsecretoutputsList();
      // The real engine makes these outputs secret; the mock monitor would not.
      for (const k of aso) {
        if (state[k] !== undefined && !isSecretValue(state[k])) state[k] = secretValue(state[k]);
      }
      recorded.push(record(req, urn, read, raw, state));
    });
  if (once) return recorded;
  const wrap = (method: "registerResource" | "readResource") => {
    const original = monitor[method].bind(monitor);
    const read = method === "readResource";
    monitor[method] = (req: ResourceRequest, cb: Callback) =>
      original(req, (err, resp) => {
        if (err || !resp) return cb(err, resp);
        try {
          const aso = req.getAdditionalsecretoutputsList();
          if (read) secretOutputs(monitor, resp, aso, "getProperties", "setProperties");
          else secretOutputs(monitor, resp, aso, "getObject", "setObject");
          const struct = read ? req.getProperties?.() : req.getObject?.();
          const outputs = read ? resp.getProperties?.() : resp.getObject?.();
          recorded.push(record(req, resp.getUrn(), read, struct ? struct.toJavaScript() : {}, outputs?.toJavaScript() ?? {}));
        } catch (e) {
          return cb(e);
        }
        cb(null, resp);
      });
  };
  wrap("registerResource");
  wrap("readResource");
  return recorded;
}

/** What the (mock) provider answered for each resource, kept beside it for the CLI-view model. */
const answered = new WeakMap<RegisteredResource, Record<string, unknown>>();

/**
 * The outputs the (mock) provider answered with for a resource `runUnderMocks` returned, in the
 * engine's form like its props. Undefined for a resource that did not come from `runUnderMocks`.
 */
export function providerOutputs(r: RegisteredResource): Record<string, unknown> | undefined {
  return answered.get(r);
}

function toRegistered(r: Recorded, registeredOutputs: Record<string, unknown> | undefined): RegisteredResource {
  const { value, secretPaths } = presentProps(r.raw, r.additionalSecretOutputs);
  const out: RegisteredResource = { urn: r.urn, type: r.type, name: r.name, custom: r.custom, props: value };
  // A component's outputs are what it passed to registerOutputs (MockMonitor keeps them as its state).
  answered.set(out, present(r.custom ? r.rawOutputs : (registeredOutputs ?? {}), []) as Record<string, unknown>);
  if (r.parent) out.parent = r.parent;
  if (r.provider) out.provider = r.provider.replace(/::[^:]*$/, "");
  if (r.read) out.read = true;
  if (r.version) out.version = r.version;
  if (secretPaths.length > 0) out.secretPaths = secretPaths;
  if (r.dependencies.length > 0) out.dependencies = r.dependencies;
  const propertyDependencies = Object.keys(r.propertyDependencies).sort();
  if (propertyDependencies.length > 0) {
    out.propertyDependencies = Object.fromEntries(propertyDependencies.map((k) => [k, r.propertyDependencies[k]!]));
  }
  if (r.additionalSecretOutputs.length > 0) out.additionalSecretOutputs = [...r.additionalSecretOutputs].sort();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Speed: SDK bookkeeping the mock engine never reads (the patches live in fastStart.ts)

/** @pulumi/pulumi's CommonJS exports, as the provider SDKs `require` them (under ESM interop, `.default`). */
function sdkIndex(): PulumiInternals["index"] {
  const ns = pulumi as unknown as { mergeOptions?: unknown; default?: { mergeOptions?: unknown } };
  const index = typeof ns.default?.mergeOptions === "function" ? ns.default : ns;
  return typeof index.mergeOptions === "function" ? (index as PulumiInternals["index"]) : undefined;
}

function patchSdkForRun(): () => void {
  type Debuggable = PulumiInternals["debuggable"];
  const debuggable = pulumiDebuggable as unknown as Debuggable & { default?: Debuggable };
  // Patch the CommonJS exports object itself (under ESM interop, e.g. vitest, the namespace is
  // read-only and `.default` is that object).
  const dbg = typeof debuggable.default?.debuggablePromise === "function" ? debuggable.default : debuggable;
  const version = pulumiVersion as unknown as { version?: string; default?: { version?: string } };
  return mockRunPatches({
    version: version.version ?? version.default?.version ?? "",
    debuggable: dbg,
    Resource: pulumi.Resource as unknown as PulumiInternals["Resource"],
    Struct: mockMonitorSdk()?.Struct as PulumiInternals["Struct"],
    index: sdkIndex(),
  });
}

// ---------------------------------------------------------------------------------------------
// Running

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Drains every outstanding registration / invoke, including ones started by applies meanwhile. */
async function settle(store: PulumiStore): Promise<void> {
  for (;;) {
    const before = store.settings.rpcDone;
    await waitForRPCs();
    await macrotask();
    await macrotask();
    if (store.settings.rpcDone === before) return;
  }
}

/**
 * The message of one failure. Pulumi's `debuggablePromise` tags a rejection with the promise it
 * came through (`err.promise._debugCtx`, e.g. `resource:acme-cpu[datadog:index/monitor:Monitor]`);
 * we use that to say which resource an apply failure belongs to.
 */
function describeError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const ctx = (e as { promise?: { _debugCtx?: unknown } } | null)?.promise?._debugCtx;
  const m = typeof ctx === "string" ? /^resource:(.*)\[(.*)\]$/.exec(ctx) : null;
  if (m && !msg.includes(`${m[1]} [`)) return `${m[1]} [${m[2]}]: ${msg}`;
  return msg;
}

function distinctMessages(errors: unknown[]): string[] {
  return [...new Set(errors.map(describeError))];
}

let running = false;

/**
 * Runs `program` under Pulumi mocks and returns every registered resource (components included),
 * sorted by URN. Rejects with `MockRunError` if the program, an apply or a registration failed.
 *
 * Pulumi runtime state is process-global: runs must not overlap (a second concurrent call throws).
 */
export async function runUnderMocks(program: () => unknown, opts: RunOptions): Promise<RegisteredResource[]> {
  if (running) throw new Error("runUnderMocks: another run is in progress (Pulumi runtime state is process-global)");
  running = true;

  const errors: unknown[] = [];
  const onRejection = (reason: unknown) => {
    if (!errors.includes(reason)) errors.push(reason);
  };
  const savedListeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", onRejection);
  let timer: NodeJS.Timeout | undefined;
  const restoreStackTraces = opts.fullStackTraces ? () => {} : patchSdkForRun();
  try {
    await pulumi.runtime.setMocks(opts.mocks ?? previewMocks, opts.project, opts.stack, opts.preview ?? true);
    const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitorLike;
    const recorded = instrument(monitor);
    const store = pulumiStore();

    try {
      await program();
    } catch (e) {
      errors.unshift(e);
    }
    const timeoutMs = opts.timeoutMs ?? 120_000;
    try {
      await Promise.race([
        settle(store),
        // Not unref'd: a hung registration must end in this error, not in a silent exit.
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `resources were still being registered after ${timeoutMs} ms ` + `(an input that never resolves, or a dependency cycle?)`,
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } catch (e) {
      errors.push(e);
    }
    assertSinglePulumi();

    if (errors.length > 0) {
      // Registrations that depended on a failure (or hung) never settle. They are reported here,
      // so keep Pulumi's exit-time leak detector from reporting them again.
      store.leakCandidates.clear();
      throw new MockRunError(errors);
    }

    const byUrn = new Map<string, Recorded>();
    for (const r of recorded) {
      if (byUrn.has(r.urn)) throw new MockRunError([new Error(`Duplicate resource URN '${r.urn}'; try giving it a unique name`)]);
      byUrn.set(r.urn, r);
    }
    const monitorUrns = [...monitor.getRegisteredResources().keys()].sort();
    const ourUrns = [...byUrn.keys()].sort();
    if (monitorUrns.join("\n") !== ourUrns.join("\n")) {
      throw new Error("runUnderMocks: recorded resources disagree with MockMonitor.getRegisteredResources()");
    }
    const states = monitor.getRegisteredResources();
    const outputsOf = (urn: string) => {
      const state = states.get(urn)?.state as { toJavaScript?: () => Record<string, unknown> } | undefined;
      return typeof state?.toJavaScript === "function" ? state.toJavaScript() : undefined;
    };
    return ourUrns.map((u) => {
      const out = toRegistered(byUrn.get(u)!, byUrn.get(u)!.custom ? undefined : outputsOf(u));
      const id = states.get(u)?.id;
      if (out.custom && typeof id === "string" && id !== "") out.id = id;
      return out;
    });
  } finally {
    if (timer) clearTimeout(timer);
    restoreStackTraces();
    process.removeListener("unhandledRejection", onRejection);
    for (const l of savedListeners) process.on("unhandledRejection", l);
    running = false;
  }
}
