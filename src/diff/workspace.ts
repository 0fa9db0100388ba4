/**
 * Where `diff` works: the base revision extracted from git's object store into a temporary tree,
 * built there, and previewed by its own workers or CLI; and the child processes doing it. All of it
 * goes when the diff ends, however it ends.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkerPool } from "../preview/workerPool.js";
import { sidePreviewProtocol, type SidePreviewAnswer, type SidePreviewRequest } from "../preview/sidePreview.js";
import { UsageError } from "../facts/problems.js";
import type { SideResult } from "./report.js";

export type BaseBuild = { method: "reused" | "compiled"; errors?: string[] };

/** A preview is a second or two; this only stops a hung one from holding CI forever. */
const previewTimeoutMs = 5 * 60_000;

/** The temporary base tree and the child processes: both go when the diff ends, however it ends. */
export class Workspace {
  private dir: string | undefined;
  private readonly children = new Set<ChildProcess>();
  /** Side-preview workers per tree (the working tree's and the base's). */
  private readonly pools = new Map<
    string,
    WorkerPool<SidePreviewRequest, SidePreviewAnswer | { type: "failed"; message: string }> | null
  >();
  private aborted = false;
  get disposed(): boolean {
    return this.aborted;
  }
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.dispose();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };

  constructor(
    private readonly log: (line: string) => void,
    private readonly jobs: number,
  ) {
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
  }

  /** The base revision's files, from git's object store: the repository's own work tree is not touched. */
  extract(root: string, sha: string, prefix: string): string {
    this.dir = mkdtempSync(join(tmpdir(), "pico-monitoring-diff-"));
    const tree = join(this.dir, "base");
    mkdirSync(tree);
    const archive = spawnSync("sh", ["-c", 'git archive --format=tar "$1" | tar -x -f - -C "$2"', "sh", `${sha}:${prefix}`, tree], {
      cwd: root,
      encoding: "utf8",
    });
    if (archive.status !== 0) throw new UsageError(`cannot extract ${sha.slice(0, 12)}: ${archive.stderr.trim()}`);
    // The base runs on the current dependencies: they can't be installed here, and a lock-file change
    // shows up as a code change for every customer anyway.
    symlinkSync(join(root, "node_modules"), join(tree, "node_modules"), "dir");
    return tree;
  }

  /**
   * Compiles the base. Type errors alone don't stop the diff: tsc still emits, and a pull request
   * that fixes a broken main must still get its preview. No emitted CLI at all does stop it.
   */
  async buildBase(root: string, tree: string, codeChanged: boolean, label: string): Promise<BaseBuild> {
    const headDist = join(root, "dist");
    if (!codeChanged) {
      // Same sources, same compiler: the base compiles to exactly the working tree's build.
      this.log(`base ${label} has the same code as the working tree; reusing its build`);
      cpSync(headDist, join(tree, "dist"), { recursive: true });
      return { method: "reused" };
    }
    let ts: typeof import("typescript");
    try {
      ts = require(require.resolve("typescript", { paths: [root] })) as typeof import("typescript");
    } catch {
      throw new UsageError("building the base revision needs the typescript package (npm ci installs it)");
    }
    this.log(`building base ${label} with its own code (transpile only)…`);
    const started = Date.now();
    const { transpileTree } = await import("./transpile.js");
    let result: { files: number; errors: string[] };
    try {
      result = transpileTree(tree, ts);
    } catch (e) {
      throw new UsageError(`base ${label} can't be built with the current TypeScript:\n${(e as Error).message}`);
    }
    const output = result.errors.slice(0, 20);
    if (!existsSync(join(tree, "dist", "src", "cli", "main.js"))) {
      throw new UsageError(`base ${label} can't be built with the current TypeScript:\n${output.join("\n") || "no src/cli/main.ts"}`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (output.length > 0) {
      this.log(`built base in ${seconds} s, with errors; previewing what was emitted:\n${output.join("\n")}`);
      return { method: "compiled", errors: output };
    }
    this.log(`built base (${result.files} files) in ${seconds} s`);
    return { method: "compiled" };
  }

  /** The tree's side-preview workers, or null when its code has none (an older base). */
  private pool(cwd: string) {
    let pool = this.pools.get(cwd);
    if (pool === undefined) {
      const worker = join(cwd, "dist", "src", "audit", "worker.js");
      // A base from before the layered folders keeps the side preview under diff/.
      const marker = ["preview", "diff"].map((d) => join(cwd, "dist", "src", d, "sidePreview.js")).find((f) => existsSync(f));
      const supported = existsSync(worker) && marker !== undefined && readFileSync(marker, "utf8").includes(sidePreviewProtocol);
      pool = supported ? new WorkerPool(worker, { jobs: this.jobs, cwd, timeoutMs: previewTimeoutMs }) : null;
      this.pools.set(cwd, pool);
    }
    return pool;
  }

  async preview(cli: string, cwd: string, customer: string, asOf: string): Promise<SideResult> {
    const pool = this.pool(cwd);
    let r: { code: number | null; signal?: NodeJS.Signals | null; stdout: string; stderr: string };
    if (pool) {
      if (this.aborted) throw new Error("diff aborted");
      try {
        const answer = await pool.request({ type: "preview", protocol: sidePreviewProtocol, customer, at: asOf });
        r = answer.type === "preview" ? answer : { code: 70, stdout: "", stderr: `internal error: ${answer.message}` };
      } catch (e) {
        r = { code: null, stdout: "", stderr: `preview worker: ${(e as Error).message}` };
      }
    } else {
      r = await this.run(process.execPath, [cli, "preview", customer, "--json", "--at", asOf], cwd, previewTimeoutMs);
    }
    const { parsePreview } = await import("./compare.js");
    // A failed mandatory policy exits 1 and still prints the whole preview.
    const doc = r.stdout.trim() ? parsePreview(r.stdout) : undefined;
    if (doc) return { status: "ok", doc };
    const lines = r.stderr
      .split("\n")
      .map((l) => l.trimEnd())
      .filter(Boolean);
    // Rejected input exits 1 with `file:line:col: message` lines; a crash says "internal error".
    if (r.code === 1 && lines.length > 0 && !lines.some((l) => /internal error/.test(l))) {
      return { status: "invalid", problems: lines };
    }
    const tail = lines.slice(-10).join("\n");
    return {
      status: "error",
      message: `${r.signal ? `killed by ${r.signal}` : r.code === null ? "no answer" : `exit ${r.code}`}${tail ? `: ${tail}` : ""}`,
    };
  }

  private run(cmd: string, args: string[], cwd: string, timeoutMs?: number) {
    return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
      if (this.aborted) {
        reject(new Error("diff aborted"));
        return;
      }
      const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
      this.children.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on("data", (b: Buffer) => out.push(b));
      child.stderr!.on("data", (b: Buffer) => err.push(b));
      const timer = timeoutMs ? setTimeout(() => child.kill("SIGKILL"), timeoutMs) : undefined;
      child.on("error", (e) => {
        this.children.delete(child);
        if (timer) clearTimeout(timer);
        reject(e);
      });
      child.on("close", (code, signal) => {
        this.children.delete(child);
        if (timer) clearTimeout(timer);
        resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
      });
    });
  }

  dispose(): void {
    this.aborted = true;
    for (const child of this.children) child.kill("SIGKILL");
    this.children.clear();
    for (const pool of this.pools.values()) pool?.close();
    this.pools.clear();
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

// The check lives with the build facts, where preview and audit use it too.
export { refuseIfStale } from "../facts/staleBuild.js";
