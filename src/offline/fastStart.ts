/**
 * Faster start-up for commands that run Pulumi only under mocks.
 *
 * Importing `@pulumi/pulumi` eagerly loads two things only closure serialization
 * (`serializeFunction`, `computeCodePaths`) ever uses: TypeScript (~9 MB of JS, via
 * `typescript-shim`) and `@npmcli/arborist` (which drags in pacote, sigstore, npm-registry-fetch,
 * about 450 modules). Together they are well over half of the cost of `require('@pulumi/pulumi')`
 * (measured here: 1.1 s / 124 MB without this module, 0.45 s / 66 MB with it).
 *
 * Importing this module (it installs itself) makes those `require`s, when they come from
 * `@pulumi/pulumi`'s own files, return a proxy that loads the real module on first use. Nothing is
 * skipped: a program that does serialize a closure still gets the real TypeScript, just later.
 *
 * Must be imported BEFORE anything imports `@pulumi/pulumi`: put
 *     import "./fastStart.js";
 * first in the CLI entry point. Set PICO_EAGER_PULUMI=1 to turn it off.
 *
 * Every other change this project makes to Pulumi's internals lives here too (`mockRunPatches`),
 * each behind a check of the SDK version it was read against, so an upgrade falls back to the
 * SDK's own code instead of breaking.
 */
import Module from "node:module";

type Load = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean) => unknown;

/** Specifier as @pulumi/pulumi 3.248 requires it, and how it consumes the result (checked: 3.248). */
const deferred = new Map<string, "plain" | "importStar" | "importDefault">([
  ["../../typescript-shim", "plain"], // runtime/closure/parseFunction.js, provider/experimental/analyzer.js
  ["@npmcli/arborist", "importStar"], // runtime/closure/codePaths.js: __importStar(require(...))
  ["normalize-package-data", "importDefault"], // runtime/closure/codePaths.js: __importDefault(require(...))
  // index.js: `const automation = __importStar(require("./automation"))` (pulumi/pulumi
  // sdk/nodejs/index.ts re-exports the Automation API); it brings execa, tmp, js-yaml, upath and
  // @logdna/tail-file, none of which a program under mocks calls.
  ["./automation", "importStar"],
  // runtime/settings.js: __importStar(require(...)), read only by the real engine connection's
  // trace-context interceptor (sdk/nodejs/runtime/settings.ts), which mocks never open.
  ["@opentelemetry/api", "importStar"],
  // errors.js, runtime/{resource,invoke,settings,callbacks}.js: __importStar(require(...)). Under
  // mocks only error paths read it (`grpc.status.UNAVAILABLE` after a failed call); the clients and
  // servers it builds are for the real engine. The *_grpc_pb modules (settings.js, callbacks.js,
  // provider/server.js) build client constructors from it as they load, so they wait with it.
  ["@grpc/grpc-js", "importStar"],
  ["../proto/engine_grpc_pb", "importStar"],
  ["../proto/resource_grpc_pb", "importStar"],
  ["../proto/callback_grpc_pb", "importStar"],
  ["../proto/provider_grpc_pb", "importStar"],
]);

const fromPulumiSdk = /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]/;
const loadedForReal = new Set<string>();
let installed = false;

function lazyModule(kind: "plain" | "importStar" | "importDefault", request: string, load: () => object): object {
  let real: object | undefined;
  const get = (): object => {
    if (real === undefined) {
      real = load();
      loadedForReal.add(request);
    }
    return real;
  };
  // A function target so the proxy can also stand for a module that *is* a function.
  return new Proxy(function lazy() {}, {
    get: (_t, key) => {
      // __importStar returns an __esModule object as is, instead of copying (and so loading) it.
      if (key === "__esModule" && real === undefined) return kind === "importStar" ? true : undefined;
      return Reflect.get(get(), key);
    },
    has: (_t, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      if (d) d.configurable = true;
      return d;
    },
    set: (_t, key, value) => Reflect.set(get(), key, value),
    apply: (_t, self, args) => Reflect.apply(get() as (...a: unknown[]) => unknown, self, args),
    construct: (_t, args) => Reflect.construct(get() as new (...a: unknown[]) => object, args),
  });
}

/** Installs the hook (idempotent). Returns false when disabled or when Pulumi was already loaded. */
export function deferUnusedPulumiDependencies(): boolean {
  if (installed) return true;
  if (process.env.PICO_EAGER_PULUMI === "1") return false;
  const M = Module as unknown as { _load: Load; _cache: Record<string, unknown> };
  if (Object.keys(M._cache).some((k) => fromPulumiSdk.test(k))) return false; // too late to help
  const original = M._load;
  M._load = function (this: unknown, request, parent, isMain) {
    const kind = deferred.get(request);
    if (kind && parent?.filename && fromPulumiSdk.test(parent.filename)) {
      return lazyModule(kind, request, () => original.call(this, request, parent, isMain) as object);
    }
    return original.call(this, request, parent, isMain);
  };
  installed = true;
  return true;
}

/** Which deferred modules were in the end really loaded (for diagnostics and tests). */
export function deferredModulesLoaded(): string[] {
  return [...loadedForReal].sort();
}

// ---------------------------------------------------------------------------------------------
// Patches for the duration of a mock run (see mockEngine.ts)

/** The @pulumi/pulumi versions whose internals the patches below were read against. */
export const patchedPulumiVersions = { min: [3, 248], below: [4, 0] } as const;

/** Whether a @pulumi/pulumi version is one the patches were checked against. */
export function pulumiVersionPatchable(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.\d+/.exec(version);
  if (!m) return false;
  const v = [Number(m[1]), Number(m[2])];
  const cmp = (a: readonly number[], b: readonly number[]) => a[0]! - b[0]! || a[1]! - b[1]!;
  return cmp(v, patchedPulumiVersions.min) >= 0 && cmp(v, patchedPulumiVersions.below) < 0;
}

type DebuggablePromise = (p: Promise<unknown>, ctx: unknown) => Promise<unknown>;

/** What `mockRunPatches` changes: the SDK's own objects, as the caller loaded them. */
export interface PulumiInternals {
  /** `@pulumi/pulumi/package.json`'s version (`@pulumi/pulumi/version.js`). */
  version: string;
  /** The CommonJS exports of `@pulumi/pulumi/runtime/debuggable`. */
  debuggable: { debuggablePromise: DebuggablePromise };
  /** `pulumi.Resource`. */
  Resource: { callsites?: () => unknown[] };
  /** `google-protobuf/google/protobuf/struct_pb`'s Struct, as @pulumi/pulumi resolves it. */
  Struct?: StructClass;
  /** The CommonJS exports of `@pulumi/pulumi`, whose `mergeOptions` the provider SDKs call. */
  index?: { mergeOptions: MergeOptions };
}

type MergeOptions = (opts1: object | undefined, opts2: object | undefined) => object;

/** google-protobuf's Struct (google/protobuf/struct_pb.js), as far as `plainStructs` uses it. */
export interface StructClass {
  new (): object;
  fromJavaScript(o: Record<string, unknown>): object;
  prototype: {
    toJavaScript(): Record<string, unknown>;
    getFieldsMap(...args: unknown[]): { set(k: string, v: unknown): unknown; forEach(f: (v: unknown, k: string) => void): void };
  };
}

/**
 * What `Value.fromJavaScript` then `toJavaScript` gives back (google-protobuf
 * google/protobuf/struct_pb.js): a fresh copy, arrays and objects (every enumerable key, as its
 * `for…in`) recursively, and the same error for what a Struct cannot hold (undefined, functions).
 */
function structCopy(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(structCopy);
  if (typeof value === "object") return structFieldsCopy(value as Record<string, unknown>);
  throw new Error("Unexpected struct type.");
}

function structFieldsCopy(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in obj) out[key] = structCopy(obj[key]);
  return out;
}

/**
 * Under the mock engine a Struct never goes on the wire: the SDK builds one from each request's
 * properties (sdk/nodejs/runtime/resource.ts, `Struct.fromJavaScript`), the in-process mock
 * monitor turns it back (`toJavaScript`), builds the response's, and the SDK turns that back too:
 * four conversions through protobuf's map and Value messages per resource, about a sixth of a warm
 * audit worker. During a mock run `Struct.fromJavaScript` keeps a copy of the plain object instead
 * and `toJavaScript` answers another copy of it. Anything else that reads the Struct (its fields
 * map, so also `serializeBinary`) first makes it the real one, so nothing can see a difference.
 */
export function plainStructs(Struct: StructClass): () => void {
  const original = Struct.fromJavaScript;
  const { toJavaScript, getFieldsMap } = Struct.prototype;
  if (typeof original !== "function" || typeof toJavaScript !== "function" || typeof getFieldsMap !== "function") return () => {};
  Struct.fromJavaScript = (obj: Record<string, unknown>) => {
    const held = structFieldsCopy(obj);
    const struct = new Struct() as { toJavaScript?: () => Record<string, unknown>; getFieldsMap?: (...args: unknown[]) => unknown };
    struct.toJavaScript = () => structFieldsCopy(held);
    struct.getFieldsMap = (...args: unknown[]) => {
      delete struct.toJavaScript;
      delete struct.getFieldsMap;
      const fields = getFieldsMap.call(struct);
      getFieldsMap.call(original.call(Struct, held)).forEach((v, k) => {
        fields.set(k, v);
      });
      return getFieldsMap.apply(struct, args);
    };
    return struct;
  };
  return () => {
    Struct.fromJavaScript = original;
  };
}

/**
 * Under the mock engine, `debuggablePromise` (pulumi/pulumi sdk/nodejs/runtime/debuggable.ts) is
 * pure overhead: per internal promise it defines three properties, captures `new Error().stack`,
 * adds the promise to the leak-candidate set and chains `.then` and `.catch` (about 7% of a warm
 * preview). Nothing reads those under mocks but the error path: its `.catch` sets `err.promise = p`,
 * whose `_debugCtx` (e.g. `resource:acme-cpu[datadog:index/monitor:Monitor]`) names the resource an
 * apply failure belongs to (mockEngine's describeError). The pass-through keeps only that.
 */
export function passThroughDebuggablePromise(p: Promise<unknown>, ctx: unknown): Promise<unknown> {
  return p.catch((err: unknown) => {
    // As the SDK does, the outermost wrapper the rejection passes through has the last word.
    if (err !== null && typeof err === "object" && Object.isExtensible(err)) {
      (err as { promise?: unknown }).promise = { _debugCtx: ctx };
    }
    throw err;
  });
}

/**
 * Whether resource options are only the type aliases a provider SDK adds to each of its resources:
 * azure-native's generated classes do `const aliasOpts = { aliases: [{ type: "azure-native:
 * insights/v20180301:MetricAlert" }, …] }; opts = pulumi.mergeOptions(opts, aliasOpts)` (five for a
 * MetricAlert: its API versions and 2.x module names).
 */
export function isProviderTypeAliases(opts: unknown): boolean {
  if (opts === null || typeof opts !== "object") return false;
  const keys = Object.keys(opts);
  if (keys.length !== 1 || keys[0] !== "aliases") return false;
  const { aliases } = opts as { aliases: unknown };
  return (
    Array.isArray(aliases) &&
    aliases.length > 0 &&
    aliases.every(
      (a) => a !== null && typeof a === "object" && Object.keys(a).length === 1 && typeof (a as { type?: unknown }).type === "string",
    )
  );
}

/**
 * Under the mock engine, a provider's type aliases are pure overhead: the Resource constructor turns
 * each into a URN through Outputs (`collapseAliasToUrn`, pulumi/pulumi sdk/nodejs/resource.ts) and
 * prepareResource awaits each again, while MockMonitor ignores a request's aliases and the CLI view
 * carries none (src/offline/policyResults.ts sends `aliases: []`). During a mock run, merging such
 * options in is skipped; any other merge, and every alias a program sets itself, is left as it is.
 */
export function skipProviderTypeAliases(index: { mergeOptions: MergeOptions }): () => void {
  const original = index.mergeOptions;
  if (typeof original !== "function") return () => {};
  index.mergeOptions = (opts1, opts2) => (isProviderTypeAliases(opts2) ? original(opts1, {}) : original(opts1, opts2));
  return () => {
    index.mergeOptions = original;
  };
}

/**
 * Installs the mock-run patches; returns the function that undoes them. Off when
 * PULUMI_DEBUG_PROMISE_LEAKS is set (the SDK then needs its promise bookkeeping) or when the SDK
 * version was not checked (then everything runs as the SDK wrote it).
 * - `debuggablePromise` becomes `passThroughDebuggablePromise`. The SDK calls it as
 *   `debuggable_1.debuggablePromise(...)`, a property read on the exports object at each call.
 * - `Resource.callsites()` (sdk/nodejs/resource.ts) parses an unlimited stack per resource for the
 *   engine's source positions; the mock monitor ignores them, so it returns none.
 * - Structs stay plain objects (`plainStructs`).
 * - Provider type aliases are not merged into resource options (`skipProviderTypeAliases`).
 */
export function mockRunPatches(sdk: PulumiInternals): () => void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || !pulumiVersionPatchable(sdk.version)) return () => {};
  const { debuggable, Resource } = sdk;
  const originalDebuggable = debuggable.debuggablePromise;
  const originalCallsites = Resource.callsites;
  if (typeof originalDebuggable === "function") debuggable.debuggablePromise = passThroughDebuggablePromise;
  if (typeof originalCallsites === "function") Resource.callsites = () => [];
  const restoreStructs = sdk.Struct ? plainStructs(sdk.Struct) : () => {};
  const restoreAliases = sdk.index ? skipProviderTypeAliases(sdk.index) : () => {};
  return () => {
    restoreAliases();
    restoreStructs();
    if (typeof originalDebuggable === "function") debuggable.debuggablePromise = originalDebuggable;
    if (typeof originalCallsites === "function") Resource.callsites = originalCallsites;
  };
}

deferUnusedPulumiDependencies();

/** The parts of a Register/ReadResourceRequest (pulumi/pulumi proto/pulumi/resource.proto) used below. */
export interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom?(): boolean;
  getId?(): string;
  getImportid?(): string;
  getObject?(): { toJavaScript(): Record<string, unknown> } | undefined;
  getProperties?(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** What `convertRequestsOnce` needs of the SDK: its own modules, as the caller loaded them. */
export interface MockMonitorSdk {
  version: string;
  /** `@pulumi/pulumi/runtime/rpc`. */
  rpc: {
    serializeProperties(label: string, props: unknown): Promise<Record<string, unknown>>;
    deserializeProperties(struct: { toJavaScript(): Record<string, unknown> }): Record<string, unknown>;
  };
  /** `google-protobuf/google/protobuf/struct_pb`'s Struct, as @pulumi/pulumi resolves it. */
  Struct: { fromJavaScript(o: Record<string, unknown>): unknown };
  /** `@pulumi/pulumi/proto/resource_pb`. */
  resourcePb: { RegisterResourceResponse: new () => unknown; ReadResourceResponse: new () => unknown };
}

interface MockMonitorShape {
  mocks: { newResource(args: Record<string, unknown>): Promise<{ id?: string; state: unknown }> | { id?: string; state: unknown } };
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: unknown, cb: (err: unknown, resp?: unknown) => void): unknown;
  readResource(req: unknown, cb: (err: unknown, resp?: unknown) => void): unknown;
}

/**
 * MockMonitor's registerResource and readResource (pulumi/pulumi sdk/nodejs/runtime/mocks.ts)
 * turn the request's protobuf Struct into JavaScript to deserialize the inputs; the mock engine
 * needs that same JavaScript to record the request. These stand-ins do what MockMonitor does
 * (mocks.newResource with the deserialized inputs, the URN from `newUrn`, the state serialized into
 * `resources` and the response) while converting the request once and handing that conversion
 * to `observe`, which may also adjust the serialized state before it is stored and answered.
 * Returns false, changing nothing, for an SDK version they were not checked against.
 */
export function convertRequestsOnce(
  monitor: MockMonitorShape,
  sdk: MockMonitorSdk,
  observe: (req: MonitorRequest, raw: Record<string, unknown>, read: boolean, state: Record<string, unknown>, urn: string) => void,
): boolean {
  if (!pulumiVersionPatchable(sdk.version)) return false;
  const handle = (read: boolean) => async (req: MonitorRequest, cb: (err: unknown, resp?: unknown) => void) => {
    let response: { setUrn(u: string): void; setId?(id: string): void; setObject?(s: unknown): void; setProperties?(s: unknown): void };
    try {
      const struct = read ? req.getProperties?.() : req.getObject?.();
      const raw = struct ? struct.toJavaScript() : {};
      const result = await monitor.mocks.newResource({
        type: req.getType(),
        name: req.getName(),
        inputs: sdk.rpc.deserializeProperties({ toJavaScript: () => raw }),
        provider: req.getProvider(),
        custom: read ? true : req.getCustom?.(),
        id: read ? req.getId?.() : req.getImportid?.(),
      });
      const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
      const state = await sdk.rpc.serializeProperties("", result.state);
      observe(req, raw, read, state, urn);
      monitor.resources.set(urn, { urn, id: result.id ?? null, state });
      const Response = read ? sdk.resourcePb.ReadResourceResponse : sdk.resourcePb.RegisterResourceResponse;
      response = new Response() as typeof response;
      response.setUrn(urn);
      if (read) response.setProperties!(sdk.Struct.fromJavaScript(state));
      else {
        response.setId!(result.id || "");
        response.setObject!(sdk.Struct.fromJavaScript(state));
      }
    } catch (err) {
      cb(err, undefined);
      return;
    }
    cb(null, response);
  };
  monitor.registerResource = handle(false) as MockMonitorShape["registerResource"];
  monitor.readResource = handle(true) as MockMonitorShape["readResource"];
  return true;
}
