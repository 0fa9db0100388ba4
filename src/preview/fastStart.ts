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
 *     import "../preview/fastStart.js";
 * first in the CLI entry point. Set PICO_EAGER_PULUMI=1 to turn it off.
 */
import Module from "node:module";

type Load = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean) => unknown;

/** Specifier as @pulumi/pulumi 3.248 requires it, and how it consumes the result. */
const deferred = new Map<string, "plain" | "importStar" | "importDefault">([
  ["../../typescript-shim", "plain"], // runtime/closure/parseFunction.js, provider/experimental/analyzer.js
  ["@npmcli/arborist", "importStar"], // runtime/closure/codePaths.js: __importStar(require(...))
  ["normalize-package-data", "importDefault"], // runtime/closure/codePaths.js: __importDefault(require(...))
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

deferUnusedPulumiDependencies();
