// Drives the CrossGuard policy pack exactly the way the Pulumi CLI does: as a child process started through
// `@pulumi/pulumi/cmd/run-policy-pack`, talked to over the `pulumirpc.Analyzer` gRPC interface.
//
// What the CLI (pkg/resource/plugin/analyzer_plugin.go, NewPolicyAnalyzer, nodejs "legacy" path) does, and so
// what this harness does:
//   1. cwd = the pack directory (the one holding PulumiPolicy.yaml), then runs the `pulumi-analyzer-policy`
//      shim: `node $(node -e "require.resolve('@pulumi/pulumi/cmd/run-policy-pack')") <engine-addr> . -k=v...`
//      where each `-k=v` is a `runtime.options` entry of PulumiPolicy.yaml. The environment is the CLI's own,
//      plus PULUMI_CONFIG (stack config as JSON, secrets DECRYPTED), PULUMI_{,NODEJS_}{ORGANIZATION,PROJECT,
//      STACK,DRY_RUN}.
//   2. Reads the first stdout line: the port. Later stdout/stderr lines become CLI info/error messages.
//   3. Handshake (UNIMPLEMENTED in @pulumi/policy 1.21; ignored), ConfigureStack (stack, project, org, dry run,
//      config, tags -> `args.stackTags`), GetAnalyzerInfo, then Configure with the policy config reconciled
//      from schema defaults + the pack's initial config + --policy-pack-config (always sent when the pack has
//      any policy).
//   4. Analyze once per resource (its inputs), AnalyzeStack once at the end (all resources' outputs).
//   5. Kills the child when done.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb.js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb.js";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import * as structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { Ajv } from "ajv";
import { parse as parseYaml } from "yaml";
import { packProcessEnv, type AnalyzedResource } from "../../src/offline/cliView.js";
import { UNKNOWN_SENTINEL as ENGINE_UNKNOWN } from "../../policies/resourceProps.js";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const DEFAULT_PACK_DIR = path.join(REPO_ROOT, "policies");

// ---------------------------------------------------------------------------------------------------------
// Property values: plain JS plus two markers, marshalled the way the engine's MarshalProperties
// (KeepSecrets, KeepUnknowns) does.
// ---------------------------------------------------------------------------------------------------------

/** `@pulumi/pulumi/runtime/rpc` constants. */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

class SecretValue {
  constructor(readonly value: PropertyValue) {}
}
class UnknownValue {}

/** Marks a value as a Pulumi secret: sent as `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }`. */
export function secret(value: PropertyValue): PropertyValue {
  return new SecretValue(value);
}
/** A value not known yet (preview): sent as the unknown sentinel string. */
export const unknown: PropertyValue = new UnknownValue();

export type PropertyValue =
  | null
  | boolean
  | number
  | string
  | PropertyValue[]
  | { [key: string]: PropertyValue | undefined }
  | SecretValue
  | UnknownValue;
export type PropertyMap = { [key: string]: PropertyValue | undefined };

type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

function toWire(v: PropertyValue): JsonValue {
  if (v instanceof SecretValue) {
    return { [SPECIAL_SIG_KEY]: SECRET_SIG, value: toWire(v.value) };
  }
  if (v instanceof UnknownValue) {
    return UNKNOWN_SENTINEL;
  }
  if (v === null || typeof v === "boolean" || typeof v === "string") {
    return v;
  }
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`cannot marshal non-finite number ${v}`);
    return v;
  }
  if (Array.isArray(v)) {
    // The engine has no `undefined`; inside arrays it is null.
    return v.map((e) => (e === undefined ? null : toWire(e)));
  }
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(`cannot marshal ${proto?.constructor?.name ?? "object"}: use plain data`);
    }
    return toWireMap(v as PropertyMap);
  }
  throw new Error(`cannot marshal ${typeof v}`);
}

function toWireMap(m: PropertyMap): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [k, val] of Object.entries(m)) {
    if (val !== undefined) out[k] = toWire(val); // absent, like a property the program never set
  }
  return out;
}

/** Plain JS props (with `secret()`/`unknown` markers) to the google.protobuf.Struct the engine sends. */
export function marshalProperties(props: PropertyMap = {}): structPb.Struct {
  return structPb.Struct.fromJavaScript(toWireMap(props));
}

// ---------------------------------------------------------------------------------------------------------
// Resources and results
// ---------------------------------------------------------------------------------------------------------

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";

export interface ResourceOptionsInput {
  parent?: string;
  protect?: boolean;
  ignoreChanges?: string[];
  /** Leave undefined for "not set" (the engine sends deleteBeforeReplaceDefined = false). */
  deleteBeforeReplace?: boolean;
  aliases?: string[];
  additionalSecretOutputs?: string[];
  customTimeouts?: { create?: number; update?: number; delete?: number };
}

export interface ProviderInput {
  type: string; // e.g. "pulumi:providers:datadog"
  name: string;
  urn?: string;
  props?: PropertyMap;
}

export interface ResourceInput {
  /** Pulumi type token, e.g. "datadog:index/monitor:Monitor". */
  type: string;
  /** Logical name. */
  name: string;
  /** Default: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
  urn?: string;
  props?: PropertyMap;
  options?: ResourceOptionsInput;
  provider?: ProviderInput;
}

export interface StackResourceInput extends ResourceInput {
  /** Parent URN (AnalyzeStack only; the pack links it to `resource.parent`). */
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  message: string;
  /** Empty string when the policy did not name a resource (stack policies usually don't). */
  urn: string;
  enforcementLevel: EnforcementLevel;
  description: string;
  severity?: Severity;
}

export interface NotApplicable {
  policyName: string;
  reason: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: NotApplicable[];
}

export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  type: "resource" | "stack" | "unspecified";
  severity?: Severity;
  configSchema?: { properties: Record<string, unknown>; required: string[] };
}

export interface AnalyzerInfo {
  name: string;
  displayName: string;
  /** As the CLI reports it: PulumiPolicy.yaml `version` if set, else the pack's (package.json) version. */
  version: string;
  /** What the pack itself answered (package.json "version"). */
  packVersion: string;
  supportsConfig: boolean;
  description: string;
  policies: PolicyInfo[];
  initialConfig: Record<string, PolicyConfigEntry>;
}

/** One entry of a --policy-pack-config file: an enforcement level, or properties with an optional level. */
export type PolicyConfigInput = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

export interface PolicyConfigEntry {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

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
    process.once("exit", () => {
      for (const c of liveChildren) c.kill("SIGKILL");
    });
  }
}

function resolveRunPolicyPack(packDir: string): string {
  // Same lookup as the CLI's pulumi-analyzer-policy shim: `require.resolve` from the pack directory,
  // so it finds the hoisted (workspace) @pulumi/pulumi at the repo root.
  return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
}

function readPolicyProject(packDir: string): { version?: string; options: Record<string, unknown> } {
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
function assertBuilt(packDir: string): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string };
  const main = path.resolve(packDir, pkg.main ?? "index.js");
  if (!fs.existsSync(main)) {
    throw new Error(`policy pack entry ${main} does not exist: run \`npm run build\` (npm test does it for you)`);
  }
  const outDir = path.dirname(main);
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
// Fake engine: the CLI passes its own engine address; a pack that logs through it lands here.
// ---------------------------------------------------------------------------------------------------------

async function startFakeEngine(logs: EngineLog[]): Promise<{ server: grpc.Server; address: string }> {
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

// ---------------------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------------------

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
};
const LEVEL_CODES: Record<EnforcementLevel, analyzerPb.EnforcementLevel> = {
  advisory: analyzerPb.EnforcementLevel.ADVISORY,
  mandatory: analyzerPb.EnforcementLevel.MANDATORY,
  remediate: analyzerPb.EnforcementLevel.REMEDIATE,
  disabled: analyzerPb.EnforcementLevel.DISABLED,
};
const SEVERITIES: Record<number, Severity | undefined> = {
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_LOW]: "low",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high",
  [analyzerPb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

function level(code: number): EnforcementLevel {
  const l = LEVELS[code];
  if (!l) throw new Error(`invalid enforcement level ${code}`); // the CLI rejects it too
  return l;
}

function isLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && v in LEVEL_CODES;
}

function marshalOptions(o: ResourceOptionsInput = {}): analyzerPb.AnalyzerResourceOptions {
  const opts = new analyzerPb.AnalyzerResourceOptions();
  opts.setProtect(o.protect ?? false);
  opts.setIgnorechangesList(o.ignoreChanges ?? []);
  opts.setDeletebeforereplace(o.deleteBeforeReplace ?? false);
  opts.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
  opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
  opts.setAliasesList(o.aliases ?? []);
  // The CLI always sends custom timeouts (zeros when unset).
  const t = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
  t.setCreate(o.customTimeouts?.create ?? 0);
  t.setUpdate(o.customTimeouts?.update ?? 0);
  t.setDelete(o.customTimeouts?.delete ?? 0);
  opts.setCustomtimeouts(t);
  if (o.parent) opts.setParent(o.parent);
  return opts;
}

function diagnosticsOf(resp: analyzerPb.AnalyzeResponse, versionOverride: string | undefined): AnalyzeResult {
  return {
    diagnostics: resp.getDiagnosticsList().map((d) => {
      const out: Diagnostic = {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        // The CLI replaces the version with PulumiPolicy.yaml's, if that sets one.
        policyPackVersion: versionOverride ?? d.getPolicypackversion(),
        message: d.getMessage(),
        urn: d.getUrn(),
        enforcementLevel: level(d.getEnforcementlevel()),
        description: d.getDescription(),
      };
      const severity = SEVERITIES[d.getSeverity()];
      if (severity) out.severity = severity;
      return out;
    }),
    notApplicable: resp.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------------------

export class PolicyPackProcess {
  /** Every non-port stdout/stderr line of the pack (the CLI shows them as info / error messages). */
  readonly output: { stream: "stdout" | "stderr"; line: string }[] = [];
  /** Messages the pack sent to the (fake) engine's Log RPC. */
  readonly engineLogs: EngineLog[] = [];
  /** The argv (after `node`) and cwd the pack was started with. */
  argv: string[] = [];
  cwd = "";
  /** Milliseconds from spawn to the port line. */
  startupMs = 0;

  private child?: ChildProcess;
  private client?: analyzerGrpc.AnalyzerClient;
  private engine?: grpc.Server;
  private info?: AnalyzerInfo;
  private closed = false;
  private exitError?: Error;

  private constructor(
    private readonly opts: Required<Pick<StartOptions, "stack" | "project" | "organization" | "dryRun" | "callTimeoutMs">> & StartOptions,
    private readonly versionOverride: string | undefined,
  ) {}

  /** Starts the pack like the CLI and runs the CLI's set-up calls. Always `close()` it (afterAll). */
  static async start(options: StartOptions = {}): Promise<PolicyPackProcess> {
    const packDir = path.resolve(options.packDir ?? DEFAULT_PACK_DIR);
    const project = readPolicyProject(packDir);
    assertBuilt(packDir);
    const opts = {
      stack: "test",
      project: "pico-monitoring",
      organization: "organization",
      dryRun: true,
      callTimeoutMs: 30_000,
      ...options,
      packDir,
    };
    const pack = new PolicyPackProcess(opts, project.version);
    try {
      await pack.spawn(project.options);
      await pack.handshakeLikeTheCli();
    } catch (e) {
      await pack.close();
      throw e;
    }
    return pack;
  }

  private async spawn(runtimeOptions: Record<string, unknown>): Promise<void> {
    const packDir = this.opts.packDir!;
    let engineAddress = "127.0.0.1:1"; // never contacted by @pulumi/policy 1.21
    if (this.opts.fakeEngine ?? true) {
      const engine = await startFakeEngine(this.engineLogs);
      this.engine = engine.server;
      engineAddress = engine.address;
    }
    const args = [engineAddress, "."];
    for (const [k, v] of Object.entries(runtimeOptions)) {
      const s = typeof v === "object" ? JSON.stringify(v) : String(v);
      if (s !== "") args.push(`-${k}=${s}`);
    }
    this.argv = [resolveRunPolicyPack(packDir), ...args];
    this.cwd = packDir;

    const o = this.opts;
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
    const child = spawn(process.execPath, this.argv, { cwd: packDir, env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    track(child);

    const port = await new Promise<number>((resolve, reject) => {
      let stdoutBuf = "";
      let stderrBuf = "";
      let port: number | undefined;
      const fail = (why: string) => {
        clearTimeout(timer);
        const tail = this.output.map((l) => `  [${l.stream}] ${l.line}`).join("\n") + stderrBuf;
        reject(new Error(`policy pack ${why}\n  argv: node ${this.argv.join(" ")}\n  cwd: ${packDir}\n${tail}`));
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
            this.output.push({ stream: "stdout", line });
          }
        }
      });
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
        stderrBuf += chunk;
        let nl: number;
        while ((nl = stderrBuf.indexOf("\n")) >= 0) {
          const line = stderrBuf.slice(0, nl);
          stderrBuf = stderrBuf.slice(nl + 1);
          if (line.trim() !== "") this.output.push({ stream: "stderr", line });
        }
      });
      child.once("error", (e) => fail(`could not be spawned: ${e.message}`));
      child.once("exit", (code, signal) => {
        this.exitError = new Error(`policy pack exited (code ${code}, signal ${signal})`);
        if (port === undefined) fail(`exited before printing its port (code ${code}, signal ${signal})`);
      });
    });
    this.startupMs = Date.now() - started;

    this.client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024, // as the CLI
    });
    await new Promise<void>((resolve, reject) => this.client!.waitForReady(Date.now() + 5_000, (err) => (err ? reject(err) : resolve())));
  }

  private call<Req, Res>(
    method: (req: Req, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown,
    req: Req,
  ): Promise<Res> {
    if (this.closed || !this.client) return Promise.reject(new Error("policy pack is closed"));
    if (this.exitError) return Promise.reject(this.exitError);
    const deadline = Date.now() + this.opts.callTimeoutMs;
    return new Promise<Res>((resolve, reject) =>
      method.call(this.client, req, new grpc.Metadata(), { deadline }, (err, res) => {
        if (err) {
          // A policy that throws arrives as UNKNOWN with the stack in `details`.
          const e = new Error(err.details || err.message) as Error & { code?: grpc.status };
          e.code = err.code;
          reject(e);
        } else {
          resolve(res);
        }
      }),
    );
  }

  private async handshakeLikeTheCli(): Promise<void> {
    const c = this.client!;
    const o = this.opts;

    const hs = new analyzerPb.AnalyzerHandshakeRequest();
    hs.setEngineAddress(this.argv[1]!);
    hs.setRootDirectory(o.packDir!);
    hs.setProgramDirectory(o.packDir!);
    try {
      await this.call(c.handshake, hs);
    } catch (e) {
      if ((e as { code?: grpc.status }).code !== grpc.status.UNIMPLEMENTED) throw e;
    }

    const cs = new analyzerPb.AnalyzerStackConfigureRequest();
    cs.setStack(o.stack);
    cs.setProject(o.project);
    cs.setOrganization(o.organization);
    cs.setDryRun(o.dryRun);
    for (const [k, v] of Object.entries(o.config ?? {})) cs.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(o.tags ?? {})) cs.getTagsMap().set(k, v);
    await this.call(c.configureStack, cs);

    const info = await this.getAnalyzerInfo();
    await this.configure(o.policyConfig ?? {}, info);
  }

  /** GetAnalyzerInfo, as the CLI reads it (policies sorted by name). */
  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const ai = await this.call(this.client!.getAnalyzerInfo, new emptyPb.Empty());
    const policies: PolicyInfo[] = ai.getPoliciesList().map((p) => {
      const info: PolicyInfo = {
        name: p.getName(),
        displayName: p.getDisplayname(),
        description: p.getDescription(),
        enforcementLevel: level(p.getEnforcementlevel()),
        type:
          p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_RESOURCE
            ? "resource"
            : p.getPolicyType() === analyzerPb.PolicyType.POLICY_TYPE_STACK
              ? "stack"
              : "unspecified",
      };
      const sev = SEVERITIES[p.getSeverity()];
      if (sev) info.severity = sev;
      const schema = p.getConfigschema();
      if (schema) {
        info.configSchema = {
          properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
          required: schema.getRequiredList(),
        };
      }
      return info;
    });
    policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const initialConfig: Record<string, PolicyConfigEntry> = {};
    ai.getInitialconfigMap().forEach((v, k) => {
      initialConfig[k] = {
        enforcementLevel: level(v.getEnforcementlevel()),
        properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      };
    });
    this.info = {
      name: ai.getName(),
      displayName: ai.getDisplayname(),
      version: this.versionOverride ?? ai.getVersion(),
      packVersion: ai.getVersion(),
      supportsConfig: ai.getSupportsconfig(),
      description: ai.getDescription(),
      policies,
      initialConfig,
    };
    return this.info;
  }

  /**
   * Reconciles `policyConfig` the way the CLI does (schema defaults, then the pack's initial config, then this;
   * an `all` level applies to every policy), validates it against each policy's schema, and sends Configure.
   * Returns what was sent. Can be called again to reconfigure a running pack.
   */
  async configure(policyConfig: Record<string, PolicyConfigInput>, info?: AnalyzerInfo): Promise<Record<string, PolicyConfigEntry>> {
    const ai = info ?? this.info ?? (await this.getAnalyzerInfo());
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

    const req = new analyzerPb.ConfigureAnalyzerRequest();
    for (const [name, entry] of Object.entries(result)) {
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_CODES[entry.enforcementLevel]);
      pc.setProperties(structPb.Struct.fromJavaScript(entry.properties as { [k: string]: JsonValue }));
      req.getPolicyconfigMap().set(name, pc);
    }
    await this.call(this.client!.configure, req);
    return result;
  }

  defaultUrn(type: string, name: string): string {
    return `urn:pulumi:${this.opts.stack}::${this.opts.project}::${type}::${name}`;
  }

  private provider(p: ProviderInput | undefined): analyzerPb.AnalyzerProviderResource | undefined {
    if (!p) return undefined;
    const out = new analyzerPb.AnalyzerProviderResource();
    out.setType(p.type);
    out.setName(p.name);
    out.setUrn(p.urn ?? this.defaultUrn(p.type, p.name));
    out.setProperties(marshalProperties(p.props));
    return out;
  }

  /** Analyze one resource (the CLI sends its inputs, before each step), with not-applicable reasons. */
  async analyzeResult(r: ResourceInput): Promise<AnalyzeResult> {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn ?? this.defaultUrn(r.type, r.name));
    req.setProperties(marshalProperties(r.props));
    req.setOptions(marshalOptions(r.options));
    const prov = this.provider(r.provider);
    if (prov) req.setProvider(prov);
    return diagnosticsOf(await this.call(this.client!.analyze, req), this.versionOverride);
  }

  async analyze(r: ResourceInput): Promise<Diagnostic[]> {
    return (await this.analyzeResult(r)).diagnostics;
  }

  /** AnalyzeStack (the CLI sends every resource's outputs, once, after the deployment), with not-applicable reasons. */
  async analyzeStackResult(resources: StackResourceInput[]): Promise<AnalyzeResult> {
    const req = new analyzerPb.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((r) => {
        const ar = new analyzerPb.AnalyzerResource();
        ar.setType(r.type);
        ar.setName(r.name);
        ar.setUrn(r.urn ?? this.defaultUrn(r.type, r.name));
        ar.setProperties(marshalProperties(r.props));
        ar.setOptions(marshalOptions({ ...r.options, parent: r.options?.parent ?? r.parent }));
        const prov = this.provider(r.provider);
        if (prov) ar.setProvider(prov);
        if (r.parent) ar.setParent(r.parent);
        ar.setDependenciesList(r.dependencies ?? []);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
          if (urns.length === 0) continue; // the CLI skips empty ones
          const pd = new analyzerPb.AnalyzerPropertyDependencies();
          pd.setUrnsList(urns);
          ar.getPropertydependenciesMap().set(k, pd);
        }
        return ar;
      }),
    );
    return diagnosticsOf(await this.call(this.client!.analyzeStack, req), this.versionOverride);
  }

  async analyzeStack(resources: StackResourceInput[]): Promise<Diagnostic[]> {
    return (await this.analyzeStackResult(resources)).diagnostics;
  }

  /** Closes the channel, kills the pack (SIGTERM, then SIGKILL after 2 s) and stops the fake engine. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client?.close();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const hard = setTimeout(() => child.kill("SIGKILL"), 2_000);
        child.once("exit", () => {
          clearTimeout(hard);
          resolve();
        });
        child.kill("SIGTERM");
      });
    }
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    if (this.engine) {
      const engine = this.engine;
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
  }

  /** The pack's pid (for leak checks). */
  get pid(): number | undefined {
    return this.child?.pid;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The CLI-view model's resources on the wire
// ---------------------------------------------------------------------------------------------------------

/** `webhookReceivers[0].serviceUri` -> ["webhookReceivers", 0, "serviceUri"]. */
function pathKeys(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : m[3] !== undefined ? (JSON.parse(`"${m[3]}"`) as string) : m[1]!,
  );
}

function wire(v: unknown): PropertyValue {
  if (v === ENGINE_UNKNOWN) return unknown;
  if (Array.isArray(v)) return v.map(wire);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wire(x)]));
  return v as PropertyValue;
}

/**
 * One resource of the CLI-view model (src/offline/cliView.ts) as the engine sends it: unknowns as the sentinel,
 * each secret wrapped where it occurs (the analyzer marshals with KeepSecrets), options and links as given.
 */
function withSecrets(value: Record<string, unknown>, secretPaths: readonly string[]): PropertyMap {
  const props = wire(value) as PropertyMap;
  for (const path of [...secretPaths].sort((a, b) => b.length - a.length)) {
    const keys = pathKeys(path);
    let parent: Record<string | number, PropertyValue | undefined> = props;
    for (const k of keys.slice(0, -1)) parent = parent?.[k] as Record<string | number, PropertyValue | undefined>;
    const last = keys[keys.length - 1]!;
    if (parent && parent[last] !== undefined && !(parent[last] instanceof SecretValue)) parent[last] = secret(parent[last]!);
  }
  return props;
}

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
