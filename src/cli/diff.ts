/**
 * `diff --base <ref>`: what a change does to every customer it touches, for a pull request.
 *
 * Each side is previewed by its own revision's code: the base revision is extracted to a
 * temporary directory, transpiled there with the current TypeScript (no type check) and previewed
 * by its own long-lived workers (src/audit/worker.ts, as `audit` uses them), so a change to a
 * component shows up as a change. A base too old to have those workers runs its CLI
 * (`preview <customer> --json`) per customer instead. Both sides get the same as-of instant,
 * because the roster layers depend on it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { customerIdOfName } from "../customer/customerFiles.js";
import { WorkerPool } from "../audit/workerPool.js";
import type { CustomerDiff, diffReport, SideResult } from "../diff/report.js";
import { sidePreviewProtocol, type SidePreviewAnswer, type SidePreviewRequest } from "../preview/sidePreview.js";
import { projectRoot } from "../facts/paths.js";
import { readAtOption } from "../facts/asOf.js";
import { exitWith } from "./exit.js";
import { UsageError } from "../facts/problems.js";
import { isCustomerFileName } from "../customer/customerFiles.js";
import { customerFiles } from "./validate.js";

type BaseBuild = { method: "reused" | "compiled"; errors?: string[] };

interface DiffFlags {
  base: string;
  format?: string;
  json?: boolean;
  at?: string;
  out?: string;
  jsonOut?: string;
  jobs?: string;
}

/** A preview is a second or two; this only stops a hung one from holding CI forever. */
const previewTimeoutMs = 5 * 60_000;

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description("what a change does to each affected customer, compared with a base revision (for pull requests)")
    .requiredOption("--base <ref>", "git revision to compare the working tree with, e.g. origin/main")
    .option("--format <format>", "md (a pull-request comment) or json (default: md)")
    .option("--json", "the JSON report (the same as --format json)")
    .option("--at <iso>", "as-of instant for the roster layers on both sides; without an offset, local to each customer (default: now)")
    .option("--out <file>", "write the report here instead of stdout")
    .option("--json-out <file>", "also write the JSON report here (one run for a comment and a CI matrix)")
    .option("--jobs <n>", "previews run at once (default: the number of CPUs, at most 4)")
    .action(async (flags: DiffFlags) => {
      if (flags.json && flags.format !== undefined && flags.format !== "json") throw new UsageError(`--json and --format ${flags.format} disagree; choose one`);
      const format = flags.json ? "json" : (flags.format ?? "md");
      if (format !== "md" && format !== "json") throw new UsageError(`--format must be md or json, not '${format}'`);
      const jobs = flags.jobs === undefined ? Math.max(1, Math.min(availableParallelism(), 4)) : Number(flags.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a whole number of at least 1, not '${flags.jobs}'`);
      // The same setting for both sides; each preview reads an offset-less one in its customer's zone.
      const asOf = readAtOption(flags.at);
      // Checked now: a path that can't be written must not fail the run after every preview.
      for (const [flag, file] of [["--out", flags.out], ["--json-out", flags.jsonOut]] as const) {
        if (file === undefined) continue;
        if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${flag} '${file}' is a directory; it names the report file`);
        try {
          mkdirSync(dirname(file), { recursive: true });
          accessSync(dirname(file), constants.W_OK);
        } catch (e) {
          throw new UsageError(`${flag} '${file}': cannot write there (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
        }
      }
      const report = await runDiff({ base: flags.base, asOf, jobs, log: (s) => process.stderr.write(`diff: ${s}\n`) });
      const write = (file: string, text: string) => {
        try {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
        } catch (e) {
          throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
        }
      };
      const { reportJson } = await import("../diff/report.js");
      const { reportMarkdown } = await import("../diff/markdown.js");
      const text = format === "json" ? reportJson(report) : reportMarkdown(report);
      if (flags.out) write(flags.out, text);
      else process.stdout.write(text);
      if (flags.jsonOut) write(flags.jsonOut, reportJson(report));
      const failing = report.customers.filter((c) => c.result === "fail").map((c) => c.customer);
      // The summary is the result when the report went to a file; beside a report on stdout it goes to stderr.
      (flags.out ? process.stdout : process.stderr).write(
        `diff: ${report.affected.length} affected${failing.length ? `; failing after the change: ${failing.join(", ")}` : "; all pass after the change"}\n`,
      );
      exitWith(report.result === "fail" ? 1 : 0);
    });
}

export interface DiffOptions {
  base: string;
  asOf: string;
  jobs: number;
  log: (line: string) => void;
}

export async function runDiff(opts: DiffOptions): Promise<ReturnType<typeof diffReport>> {
  // Loaded here, so that other commands and --help don't pay for yaml.
  const { affectedCustomers, classifyPath, entriesUsed, lockEntriesChanged } = await import("../diff/affected.js");
  const { customerDiff, diffReport } = await import("../diff/report.js");
  const root = projectRoot();
  const headCli = join(root, "dist", "src", "cli", "main.js");
  if (!existsSync(headCli)) throw new UsageError(`${headCli} is missing: run \`npm run build\` first`);
  refuseIfStale(root);

  if (opts.base.startsWith("-")) throw new UsageError(`--base '${opts.base}' is not a git revision`);
  const git = (args: string[]) => {
    const r = spawnSync("git", args, { cwd: root, encoding: "buffer", maxBuffer: 256 * 1024 * 1024 });
    if (r.error) throw new UsageError(`cannot run git: ${r.error.message}`);
    return { ok: r.status === 0, out: r.stdout.toString("utf8"), err: r.stderr.toString("utf8").trim() };
  };
  if (!git(["rev-parse", "--is-inside-work-tree"]).ok) throw new UsageError(`${root} is not inside a git work tree`);
  const resolved = git(["rev-parse", "--verify", "--quiet", `${opts.base}^{commit}`]);
  if (!resolved.ok) {
    throw new UsageError(`--base '${opts.base}' is not a commit in this repository (in CI, check out with fetch-depth: 0)`);
  }
  const sha = resolved.out.trim();
  const prefix = git(["rev-parse", "--show-prefix"]).out.trim();
  opts.log(`base ${opts.base} is ${sha.slice(0, 12)}; as of ${opts.asOf}`);

  // Working tree against the base, untracked files included: a new customer file counts before `git add`.
  const nul = (s: string) => s.split("\0").filter(Boolean);
  const diff = git(["diff", "--name-only", "--no-renames", "--relative", "-z", sha, "--", "."]);
  if (!diff.ok) throw new UsageError(`git diff against ${opts.base} failed: ${diff.err}`);
  const changed = [...nul(diff.out), ...nul(git(["ls-files", "-z", "--others", "--exclude-standard", "--", "."]).out)];

  const entryChanged = changed.some((p) => ["catalog-entry", "version-lock"].includes(classifyPath(p).kind));
  const head = new Map<string, string[] | undefined>();
  for (const file of customerFiles()) {
    const id = customerIdOfName(file)!;
    head.set(id, entryChanged ? entriesUsed(readFileSync(file, "utf8")) : undefined);
  }
  const base = new Map<string, string[] | undefined>();
  for (const path of nul(git(["ls-tree", "-z", "--name-only", sha, "--", "stacks/"]).out)) {
    const c = classifyPath(path);
    if (c.kind !== "customer-file" || !isCustomerFileName(`${c.customer}.yaml`)) continue;
    base.set(c.customer, entryChanged ? entriesUsed(git(["show", `${sha}:./${path}`]).out) : undefined);
  }

  const lockFile = "catalog/versions.lock.json";
  const lockEntries = changed.includes(lockFile)
    ? lockEntriesChanged(
        git(["cat-file", "-e", `${sha}:./${lockFile}`]).ok ? git(["show", `${sha}:./${lockFile}`]).out : undefined,
        existsSync(join(root, lockFile)) ? readFileSync(join(root, lockFile), "utf8") : undefined,
      )
    : undefined;
  const affected = affectedCustomers({ changed, base, head, ...(lockEntries ? { lockEntries } : {}) });
  const ids = [...affected.customers.keys()];
  if (ids.length === 0) {
    opts.log(`${changed.length} changed ${changed.length === 1 ? "path" : "paths"}; no customer affected`);
    return diffReport({ base: opts.base, baseCommit: sha, asOf: opts.asOf, customers: [] });
  }
  opts.log(`${ids.length} ${ids.length === 1 ? "customer" : "customers"} affected: ${ids.join(", ")}`);

  const work = new Workspace(opts.log, opts.jobs);
  try {
    const baseRoot = work.extract(root, sha, prefix);
    const limit = limiter(opts.jobs);
    // Added customers have no base side; when that is all of them, nothing needs building.
    const build: Promise<BaseBuild | undefined> = ids.some((id) => base.has(id))
      ? limit(() => work.buildBase(root, baseRoot, affected.codeChanged, `${opts.base} (${sha.slice(0, 12)})`))
      : Promise.resolve(undefined);
    build.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
    const baseCli = join(baseRoot, "dist", "src", "cli", "main.js");
    let done = 0;
    const results = await Promise.all(
      ids.map(async (id): Promise<CustomerDiff> => {
        const headSide: Promise<SideResult> = head.has(id)
          ? limit(() => work.preview(headCli, root, id, opts.asOf))
          : Promise.resolve({ status: "absent" });
        const baseSide: Promise<SideResult> = base.has(id)
          ? build.then(() => limit(() => work.preview(baseCli, baseRoot, id, opts.asOf)))
          : Promise.resolve({ status: "absent" });
        const [b, h] = await Promise.all([baseSide, headSide]);
        const result = customerDiff(id, affected.customers.get(id)!, b, h);
        done++;
        if (!work.disposed) opts.log(`[${done}/${ids.length}] ${id}: ${summaryLine(result)}`);
        return result;
      }),
    );
    return diffReport({ base: opts.base, baseCommit: sha, asOf: opts.asOf, customers: results, baseBuild: await build });
  } finally {
    work.dispose();
  }
}

function summaryLine(c: CustomerDiff): string {
  const parts: string[] = [];
  if (c.changes) {
    parts.push(`+${c.changes.added.length} ~${c.changes.changed.length} -${c.changes.removed.length} resources`);
  }
  parts.push(`alerts ${c.alerts.before ?? "?"} -> ${c.alerts.after ?? "?"}`);
  parts.push(c.result === "fail" ? `FAILS (${c.failures.length})` : "passes");
  return parts.join(", ");
}

/** Runs at most `n` tasks at once, in the order they were queued. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (active >= n) return;
    const start = queue.shift();
    if (start) {
      active++;
      start();
    }
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          });
      });
      next();
    });
}

/** The temporary base tree and the child processes: both go when the diff ends, however it ends. */
class Workspace {
  private dir: string | undefined;
  private readonly children = new Set<ChildProcess>();
  /** Side-preview workers per tree (the working tree's and the base's). */
  private readonly pools = new Map<string, WorkerPool<SidePreviewRequest, SidePreviewAnswer | { type: "failed"; message: string }> | null>();
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
    const { transpileTree } = await import("../diff/transpile.js");
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
    const { parsePreview } = await import("../diff/compare.js");
    // A failed mandatory policy exits 1 and still prints the whole preview.
    const doc = r.stdout.trim() ? parsePreview(r.stdout) : undefined;
    if (doc) return { status: "ok", doc };
    const lines = r.stderr.split("\n").map((l) => l.trimEnd()).filter(Boolean);
    // Rejected input exits 1 with `file:line:col: message` lines; a crash says "internal error".
    if (r.code === 1 && lines.length > 0 && !lines.some((l) => /internal error/.test(l))) {
      return { status: "invalid", problems: lines };
    }
    const tail = lines.slice(-10).join("\n");
    return { status: "error", message: `${r.signal ? `killed by ${r.signal}` : r.code === null ? "no answer" : `exit ${r.code}`}${tail ? `: ${tail}` : ""}` };
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

/**
 * The head side runs the working tree's build; a source newer than its own compiled file (or with
 * none) would make the report lie, so the diff refuses. Each file is compared with its own output,
 * so rebuilding only what changed is enough.
 */
function refuseIfStale(root: string): void {
  const newer: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        const rel = p.slice(root.length + 1);
        const js = join(root, "dist", rel.replace(/\.ts$/, ".js"));
        if (!existsSync(js) || statSync(p).mtimeMs > statSync(js).mtimeMs) newer.push(rel);
      }
    }
  };
  for (const d of ["src", "components", "policies"]) walk(join(root, d));
  if (newer.length) {
    throw new UsageError(`${newer.slice(0, 3).join(", ")}${newer.length > 3 ? ` and ${newer.length - 3} more` : ""} changed after the last build of dist/; run \`npm run build\` first`);
  }
}
