// Drives the CrossGuard policy pack exactly the way the Pulumi CLI does: as a child process started through
// `@pulumi/pulumi/cmd/run-policy-pack` (./fakeEngine.ts), talked to over the `pulumirpc.Analyzer` gRPC
// interface (encoded by ./wire.ts). It is the independent oracle: it never calls the pack's own runner.
//
// The calls, in the CLI's order (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go):
//   1. Handshake (UNIMPLEMENTED in @pulumi/policy 1.21; ignored), ConfigureStack (stack, project, org, dry run,
//      config, tags -> `args.stackTags`), GetAnalyzerInfo, then Configure with the reconciled policy config
//      (always sent when the pack has any policy).
//   2. Analyze once per resource (its inputs), AnalyzeStack once at the end (all resources' outputs).
import type { ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb.js";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import {
  assertBuilt,
  DEFAULT_PACK_DIR,
  readPolicyProject,
  reconcilePolicyConfig,
  startPackProcess,
  stopEngineService,
  type EngineLog,
  type PolicyConfigInput,
  type ResolvedStartOptions,
  type StartOptions,
} from "./fakeEngine.js";
import {
  analyzerInfoOf,
  configureRequest,
  diagnosticsOf,
  marshalOptions,
  marshalProperties,
  type AnalyzeResult,
  type AnalyzerInfo,
  type Diagnostic,
  type PolicyConfigEntry,
  type ProviderInput,
  type ResourceInput,
  type StackResourceInput,
} from "./wire.js";

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
  private engineAddress = "";
  private info?: AnalyzerInfo;
  private closed = false;
  private exitError?: Error;

  private constructor(
    private readonly opts: ResolvedStartOptions,
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
    const started = await startPackProcess(this.opts, runtimeOptions, this.output, this.engineLogs, (s) => {
      if (s.engine) this.engine = s.engine;
      if (s.child && !this.child) {
        this.child = s.child;
        this.argv = s.argv!;
        this.cwd = s.cwd!;
        this.engineAddress = s.engineAddress!;
        s.child.once("exit", (code, signal) => {
          this.exitError = new Error(`policy pack exited (code ${code}, signal ${signal})`);
        });
      }
    });
    this.startupMs = started.startupMs;

    this.client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure(), {
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
    hs.setEngineAddress(this.engineAddress);
    hs.setRootDirectory(o.packDir);
    hs.setProgramDirectory(o.packDir);
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
    this.info = analyzerInfoOf(ai, this.versionOverride);
    return this.info;
  }

  /**
   * Reconciles `policyConfig` as the CLI does (./fakeEngine.ts), and sends Configure. Returns what was sent.
   * Can be called again to reconfigure a running pack.
   */
  async configure(policyConfig: Record<string, PolicyConfigInput>, info?: AnalyzerInfo): Promise<Record<string, PolicyConfigEntry>> {
    const ai = info ?? this.info ?? (await this.getAnalyzerInfo());
    const result = reconcilePolicyConfig(ai, policyConfig);
    await this.call(this.client!.configure, configureRequest(result));
    return result;
  }

  /**
   * Sends Configure with `entries` as they are, neither reconciled nor validated: what a caller that
   * skips the CLI's schema check sends (`{"maxAlerts": "twelve"}`).
   */
  async configureUnchecked(entries: Record<string, PolicyConfigEntry>): Promise<void> {
    await this.call(this.client!.configure, configureRequest(entries));
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
    if (this.engine) await stopEngineService(this.engine);
  }

  /** The pack's pid (for leak checks). */
  get pid(): number | undefined {
    return this.child?.pid;
  }
}
