// What the Pulumi engine does around the policy pack, before and between the Analyzer calls: start the pack
// process, give it the stack's config and environment, answer its Engine calls, reconcile the policy config,
// and choose what each call is sent (inputs or outputs) in each phase.
//
// From the CLI (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go, NewPolicyAnalyzer, nodejs "legacy" path):
//   1. cwd = the pack directory (the one holding PulumiPolicy.yaml), then runs the `pulumi-analyzer-policy`
//      shim: `node $(node -e "require.resolve('@pulumi/pulumi/cmd/run-policy-pack')") <engine-addr> . -k=v...`
//      where each `-k=v` is a `runtime.options` entry of PulumiPolicy.yaml. The environment is the CLI's own,
//      plus PULUMI_CONFIG (stack config as JSON, secrets DECRYPTED), PULUMI_{,NODEJS_}{ORGANIZATION,PROJECT,
//      STACK,DRY_RUN} (built by src/offline/cliView.ts's packProcessEnv, which cites its sources).
//   2. Reads the first stdout line: the port. Later stdout/stderr lines become CLI info/error messages.
//   3. Kills the child when done.
// The policy config sent by Configure is reconciled as pulumi/pulumi pkg/resource/analyzer/config.go
// (ReconcilePolicyPackConfig) does it: schema defaults, then the pack's initial config, then
// --policy-pack-config, an `all` level applying to every policy; then validated against each policy's schema.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb.js";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { packProcessEnv, type AnalyzedResource } from "../../../src/offline/cliView.js";
import {
  isLevel,
  withSecrets,
  type AnalyzerInfo,
  type EnforcementLevel,
  type PolicyConfigEntry,
  type ResourceInput,
  type StackResourceInput,
} from "./wire.js";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
export const DEFAULT_PACK_DIR = path.join(REPO_ROOT, "policies");

/** One entry of a --policy-pack-config file: an enforcement level, or properties with an optional level. */
export type PolicyConfigInput = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

export interface EngineLog {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

export interface StartOptions {
  /** Directory holding PulumiPolicy.yaml and package.json. Default: <repo>/policies. */
  packDir?: string;
  stack?: string;
  project?: string;
  organization?: string;
  /** true = preview (the default), false = update. */
  dryRun?: boolean;
  /** Stack config (`project:key` -> string), exported as PULUMI_CONFIG and sent in ConfigureStack. */
  config?: Record<string, string>;
  /** Stack tags, seen by policies as `args.stackTags`. */
  tags?: Record<string, string>;
  /** Like `--policy-pack-config`: reconciled with schema defaults and validated, then sent via Configure. */
  policyConfig?: Record<string, PolicyConfigInput>;
  /** Extra environment for the pack process. */
  env?: Record<string, string>;
  /** Start a fake Engine gRPC server whose address is passed as the engine address. Default true. */
  fakeEngine?: boolean;
  /** Default 20 s. */
  startTimeoutMs?: number;
  /** Per-RPC deadline. Default 30 s. */
  callTimeoutMs?: number;
}

export type ResolvedStartOptions = Required<Pick<StartOptions, "stack" | "project" | "organization" | "dryRun" | "callTimeoutMs">> &
  StartOptions & { packDir: string };

// ---------------------------------------------------------------------------------------------------------
// Process bookkeeping: no child outlives the test process.
// ---------------------------------------------------------------------------------------------------------

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    const killAll = () => {
      for (const c of liveChildren) c.kill("SIGKILL");
    };
    process.once("exit", killAll);
    // vitest ends a worker with SIGTERM, and a signal skips "exit": the packs that worker's files
    // shared would live on.
    process.once("SIGTERM", () => {
      killAll();
      process.exit(143);
    });
  }
}

function resolveRunPolicyPack(packDir: string): string {
  // Same lookup as the CLI's pulumi-analyzer-policy shim: `require.resolve` from the pack directory,
  // so it finds the hoisted (workspace) @pulumi/pulumi at the repo root.
  return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
}

export function readPolicyProject(packDir: string): { version?: string; options: Record<string, unknown> } {
  const file = path.join(packDir, "PulumiPolicy.yaml");
  const doc = parseYaml(fs.readFileSync(file, "utf8")) as {
    version?: string;
    runtime?: string | { name?: string; options?: Record<string, unknown> };
  } | null;
  const runtime = doc?.runtime;
  const name = typeof runtime === "string" ? runtime : runtime?.name;
  if (name !== "nodejs") throw new Error(`${file}: runtime must be nodejs, got ${String(name)}`);
  const options = typeof runtime === "object" && runtime?.options ? runtime.options : {};
  return { version: doc?.version ? String(doc.version) : undefined, options };
}

/** The pack runs from compiled JS: fail fast, and clearly, when dist is missing or older than a source. */
export function assertBuilt(packDir: string): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string };
  const main = path.resolve(packDir, pkg.main ?? "index.js");
  if (!fs.existsSync(main)) {
    throw new Error(`policy pack entry ${main} does not exist: run \`npm run build\` (npm test does it for you)`);
  }
  // tsc mirrors the repository under dist/ (tsconfig rootDir): the pack's sources compile to dist/<pack dir>/.
  const outDir = path.join(path.dirname(packDir), "dist", path.basename(packDir));
  const stale: string[] = [];
  for (const f of fs.readdirSync(packDir, { recursive: true }) as string[]) {
    if (!f.endsWith(".ts") || f.endsWith(".d.ts") || f.split(path.sep).includes("node_modules")) continue;
    const js = path.join(outDir, f.replace(/\.ts$/, ".js"));
    if (!fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(path.join(packDir, f)).mtimeMs) {
      stale.push(f);
    }
  }
  if (stale.length > 0) {
    throw new Error(`policy pack build is stale (${stale.join(", ")}): run \`npm run build\``);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The Engine service: the CLI passes its own engine address; a pack that logs through it lands here.
// ---------------------------------------------------------------------------------------------------------

async function startEngineService(logs: EngineLog[]): Promise<{ server: grpc.Server; address: string }> {
  const severities: Record<number, EngineLog["severity"]> = {
    [enginePb.LogSeverity.DEBUG]: "debug",
    [enginePb.LogSeverity.INFO]: "info",
    [enginePb.LogSeverity.WARNING]: "warning",
    [enginePb.LogSeverity.ERROR]: "error",
  };
  const server = new grpc.Server();
  const ok = (_call: unknown, cb: grpc.sendUnaryData<emptyPb.Empty>) => cb(null, new emptyPb.Empty());
  server.addService(engineGrpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<enginePb.LogRequest, emptyPb.Empty>, cb: grpc.sendUnaryData<emptyPb.Empty>) => {
      const r = call.request;
      logs.push({ severity: severities[r.getSeverity()] ?? "info", message: r.getMessage(), urn: r.getUrn() });
      cb(null, new emptyPb.Empty());
    },
    getRootResource: (_call: unknown, cb: grpc.sendUnaryData<enginePb.GetRootResourceResponse>) =>
      cb(null, new enginePb.GetRootResourceResponse()),
    setRootResource: (_call: unknown, cb: grpc.sendUnaryData<enginePb.SetRootResourceResponse>) =>
      cb(null, new enginePb.SetRootResourceResponse()),
    startDebugging: ok,
    requirePulumiVersion: ok,
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, address: `127.0.0.1:${port}` };
}

/** A started pack process: what the CLI knows of it once it printed its port. */
export interface StartedPack {
  child: ChildProcess;
  port: number;
  /** The argv (after `node`) and cwd the pack was started with. */
  argv: string[];
  cwd: string;
  /** The Engine service the pack was given, if one was started. */
  engine?: grpc.Server;
  engineAddress: string;
  /** Milliseconds from spawn to the port line. */
  startupMs: number;
}

/**
 * Starts the pack like the CLI and waits for its port. Non-port output lines go to `output`, Engine Log
 * calls to `engineLogs`; `onStart` hears of the child (and engine) as soon as they exist, so a failed
 * start can still be cleaned up.
 */
export async function startPackProcess(
  o: ResolvedStartOptions,
  runtimeOptions: Record<string, unknown>,
  output: { stream: "stdout" | "stderr"; line: string }[],
  engineLogs: EngineLog[],
  onStart: (started: Partial<StartedPack>) => void,
): Promise<StartedPack> {
  const packDir = o.packDir;
  let engineAddress = "127.0.0.1:1"; // never contacted by @pulumi/policy 1.21
  let engine: grpc.Server | undefined;
  if (o.fakeEngine ?? true) {
    const started = await startEngineService(engineLogs);
    engine = started.server;
    engineAddress = started.address;
    onStart({ engine });
  }
  const args = [engineAddress, "."];
  for (const [k, v] of Object.entries(runtimeOptions)) {
    const s = typeof v === "object" ? JSON.stringify(v) : String(v);
    if (s !== "") args.push(`-${k}=${s}`);
  }
  const argv = [resolveRunPolicyPack(packDir), ...args];

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // vitest leaks these into forks; the CLI would not set them.
    VITEST: undefined,
    VITEST_POOL_ID: undefined,
    VITEST_WORKER_ID: undefined,
    NODE_OPTIONS: undefined,
    FORCE_COLOR: undefined,
    ...packProcessEnv({
      organization: o.organization,
      project: o.project,
      stack: o.stack,
      phase: o.dryRun ? "first-preview" : "update",
      config: o.config,
    }),
    ...o.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];

  const started = Date.now();
  const child = spawn(process.execPath, argv, { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  onStart({ engine, child, argv, cwd: packDir, engineAddress });

  const port = await new Promise<number>((resolve, reject) => {
    let stdoutBuf = "";
    let stderrBuf = "";
    let port: number | undefined;
    const fail = (why: string) => {
      clearTimeout(timer);
      const tail = output.map((l) => `  [${l.stream}] ${l.line}`).join("\n") + stderrBuf;
      reject(new Error(`policy pack ${why}\n  argv: node ${argv.join(" ")}\n  cwd: ${packDir}\n${tail}`));
    };
    const timer = setTimeout(() => fail(`printed no port within ${o.startTimeoutMs ?? 20_000} ms`), o.startTimeoutMs ?? 20_000);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdoutBuf += chunk;
      let nl: number;
      while ((nl = stdoutBuf.indexOf("\n")) >= 0) {
        const line = stdoutBuf.slice(0, nl).replace(/\r$/, "");
        stdoutBuf = stdoutBuf.slice(nl + 1);
        if (port === undefined) {
          // Like the CLI: the first stdout line must be the port.
          const n = Number(line.trim());
          if (!Number.isInteger(n) || n <= 0) return fail(`printed "${line}" instead of its port`);
          port = n;
          clearTimeout(timer);
          resolve(n);
        } else if (line.trim() !== "") {
          output.push({ stream: "stdout", line });
        }
      }
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      stderrBuf += chunk;
      let nl: number;
      while ((nl = stderrBuf.indexOf("\n")) >= 0) {
        const line = stderrBuf.slice(0, nl);
        stderrBuf = stderrBuf.slice(nl + 1);
        if (line.trim() !== "") output.push({ stream: "stderr", line });
      }
    });
    child.once("error", (e) => fail(`could not be spawned: ${e.message}`));
    child.once("exit", (code, signal) => {
      if (port === undefined) fail(`exited before printing its port (code ${code}, signal ${signal})`);
    });
  });
  return { child, port, argv, cwd: packDir, engine, engineAddress, startupMs: Date.now() - started };
}

/** Stops the Engine service: gracefully, or by force after 1 s. */
export async function stopEngineService(engine: grpc.Server): Promise<void> {
  await new Promise<void>((resolve) => {
    const hard = setTimeout(() => {
      engine.forceShutdown();
      resolve();
    }, 1_000);
    engine.tryShutdown(() => {
      clearTimeout(hard);
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Policy config: ReconcilePolicyPackConfig. The pack-side runner (src/offline/policyResults.ts) has its own
// reconciliation; the oracle must not borrow it, and the CLI's is Go, so this is the CLI's, in TypeScript.
// ---------------------------------------------------------------------------------------------------------

/**
 * Reconciles `policyConfig` the way the CLI does (schema defaults, then the pack's initial config, then this;
 * an `all` level applies to every policy) and validates it against each policy's schema.
 */
export function reconcilePolicyConfig(
  ai: AnalyzerInfo,
  policyConfig: Record<string, PolicyConfigInput>,
): Record<string, PolicyConfigEntry> {
  const result: Record<string, PolicyConfigEntry> = {};
  for (const p of ai.policies) {
    const props: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
      if (s && typeof s === "object" && "default" in s) props[k] = (s as { default: unknown }).default;
    }
    result[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
  }
  type Given = { level?: unknown; props: Record<string, unknown> };
  const apply = (given: Record<string, Given>) => {
    const all = given["all"];
    if (all?.level !== undefined) {
      if (!isLevel(all.level)) throw new Error(`invalid enforcement level "${String(all.level)}" for all`);
      for (const r of Object.values(result)) r.enforcementLevel = all.level;
    }
    for (const [name, { level: l, props }] of Object.entries(given)) {
      if (name === "all") continue;
      const target = result[name];
      // The CLI passes unknown names through silently; a typo in a test should fail loudly instead.
      if (!target) throw new Error(`policy config names unknown policy "${name}"`);
      if (l !== undefined) {
        if (!isLevel(l)) throw new Error(`invalid enforcement level "${String(l)}" for ${name}`);
        target.enforcementLevel = l;
      }
      Object.assign(target.properties, props);
    }
  };
  // Initial config (3rd PolicyPack constructor argument) always carries a level over the wire: an entry
  // with only properties arrives as ADVISORY (enum value 0), and the CLI then applies it. Mirrored here.
  apply(Object.fromEntries(Object.entries(ai.initialConfig).map(([k, e]) => [k, { level: e.enforcementLevel, props: e.properties }])));
  apply(
    Object.fromEntries(
      Object.entries(policyConfig).map(([k, v]): [string, Given] => {
        if (typeof v === "string") return [k, { level: v, props: {} }];
        const { enforcementLevel, ...props } = v;
        return [k, { level: enforcementLevel, props }];
      }),
    ),
  );

  const ajv = new Ajv({ strict: false, allErrors: true });
  const errors: string[] = [];
  for (const p of ai.policies) {
    const schema = {
      type: "object",
      properties: p.configSchema?.properties ?? {},
      ...(p.configSchema?.required.length ? { required: p.configSchema.required } : {}),
    };
    const validate = ajv.compile(schema);
    if (!validate(result[p.name]!.properties)) {
      for (const e of validate.errors ?? []) errors.push(`${p.name}${e.instancePath}: ${e.message}`);
    }
  }
  if (errors.length > 0) throw new Error(`policy pack configuration is invalid: ${errors.join(", ")}`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Inputs vs outputs: what each call is sent for a resource of the CLI-view model (src/offline/cliView.ts).
// ---------------------------------------------------------------------------------------------------------

/** What Analyze is sent for the resource: its checked inputs. */
export function analyzeInput(r: AnalyzedResource): ResourceInput {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: withSecrets(r.props, r.secretPaths),
    options: { additionalSecretOutputs: r.additionalSecretOutputs ?? [] },
  };
}

/** What AnalyzeStack is sent for the resource: its outputs, parent and dependencies. */
export function fromAnalyzerView(r: AnalyzedResource): StackResourceInput {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: withSecrets(r.outputs, r.outputSecretPaths),
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: r.dependencies ?? [],
    propertyDependencies: r.propertyDependencies ?? {},
    options: { additionalSecretOutputs: r.additionalSecretOutputs ?? [] },
  };
}
