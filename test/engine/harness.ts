// The real-engine tier's harness: the Pulumi CLI built by ./build.sh, run as an engineer runs it, against a
// throw-away project directory, a local file backend, a passphrase secrets provider and the SaaS API stand-ins
// of ./apis on 127.0.0.1. Nothing here models the engine: it starts it and reads what it did.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "..", "..");
export const examples = ["nordlys", "baltic-freight", "havblik"] as const;

/** The as-of every recording is made at: the golden stacks' (test/golden/*.json), so the two compare. */
export const recordingAsOf = "2027-01-10T12:00:00.000Z";

export interface Engine {
  /** Holds `pulumi` and its language host side by side. */
  bin: string;
  /** PULUMI_HOME with the provider plugins installed. */
  home: string;
  /** One line per piece: its version, and whether it is the real thing or a stand-in. */
  pieces: string[];
}

let built: Engine | undefined;

/** Builds or reuses the engine (./build.sh); its progress goes to this process's stderr. */
export function engine(): Engine {
  if (built) return built;
  const dir = execFileSync("bash", [join(__dirname, "build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const pieces = readFileSync(join(dir, "pieces.txt"), "utf8").trim().split("\n");
  built = { bin: join(dir, "bin"), home: join(dir, "home"), pieces };
  return built;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A project directory as an engineer's checkout looks to the CLI: Pulumi.yaml and package.json copied, dist/
 * and node_modules linked to the repository's (so one copy of @pulumi/pulumi is loaded and the program reads
 * the repository's customer files), and stacks/ of its own for the stack settings the CLI writes. `program`
 * (an absolute path) replaces the real program, for the test-only programs in ./programs.
 */
export function scratchProject(program?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "pico-engine-"));
  copyFileSync(join(repoRoot, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  if (program) {
    // Linked, so that it loads the repository's dist/ and node_modules from where it really is.
    symlinkSync(program, join(dir, "program.cjs"));
    pkg.main = "program.cjs";
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  symlinkSync(join(repoRoot, "dist"), join(dir, "dist"));
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  mkdirSync(join(dir, "stacks"));
  mkdirSync(join(dir, ".state"));
  return dir;
}

export interface PulumiOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Where PULUMI_DEBUG_GRPC writes every gRPC call as a JSON line. */
  grpcLog?: string;
  timeoutMs?: number;
}

/**
 * The engine tier's fixed environment for a project directory: the built `pulumi` first on PATH, its
 * plugins, a local file backend and passphrase. Also what the Automation API (`fleet run`) runs under.
 */
export function engineEnv(cwd: string): Record<string, string> {
  const e = engine();
  return {
    ...(process.env as Record<string, string>),
    PATH: `${e.bin}:${process.env.PATH}`,
    PULUMI_HOME: e.home,
    PULUMI_BACKEND_URL: `file://${join(cwd, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: "pico-engine-tier",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    NO_COLOR: "1",
  };
}

/** Runs the real `pulumi` with the engine tier's fixed environment: nothing leaves the machine. */
export function pulumi(args: readonly string[], o: PulumiOptions): Promise<RunResult> {
  const e = engine();
  const env: Record<string, string> = {
    ...engineEnv(o.cwd),
    ...(o.grpcLog ? { PULUMI_DEBUG_GRPC: o.grpcLog } : {}),
    ...o.env,
  };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(e.bin, "pulumi"), [...args, "--non-interactive", "--color", "never"], {
      cwd: o.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** One gRPC call as PULUMI_DEBUG_GRPC logs it. */
export interface GrpcLogEntry {
  method: string;
  request?: unknown;
  response?: unknown;
  errors?: unknown;
  metadata?: Record<string, unknown>;
  /** Each call is logged when it starts and again when it ends (with the response); only the latter is kept. */
  progress?: string;
}

export function readGrpcLog(file: string): GrpcLogEntry[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as GrpcLogEntry)
    .filter((e) => e.progress !== "request_started");
}
