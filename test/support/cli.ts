import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const repoRoot = join(__dirname, "..", "..");
export const cliPath = join(repoRoot, "dist", "src", "cli", "main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `pico-monitoring` command, the way a user does (`cli`: a copy of it elsewhere). */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; cli?: string } = {}): CliResult {
  const cli = opts.cli ?? cliPath;
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` (npm test does it first)`);
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: opts.cwd ?? repoRoot,
    env: { ...process.env, ...opts.env },
    encoding: "utf8",
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the built CLI like `runCli`, and also reports the packages it loaded (./loadedModules.cjs reads Node's module cache at exit). */
export function runCliLoading(args: string[], modulesFile: string): CliResult & { packages: string[] } {
  const r = spawnSync(process.execPath, ["--require", join(__dirname, "loadedModules.cjs"), cliPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, PICO_LOADED_MODULES_FILE: modulesFile },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages: readFileSync(modulesFile, "utf8").split("\n").filter(Boolean) };
}

/**
 * Runs the built CLI like `runCli`, without blocking this process: for tests whose API stand-ins are
 * served from this same process and must answer while the command runs.
 */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` (npm test does it first)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
