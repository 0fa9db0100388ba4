/**
 * The diff run: which customers a change affects (git against the base), both sides previewed in
 * the workspace (./workspace.ts), and the report model (./report.ts). The CLI command
 * (src/cli/diff.ts) only reads flags and writes the report.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { customerIdOfName, isCustomerFileName } from "../customer/customerFiles.js";
import { listCustomers } from "../customer/resolve.js";
import { projectRoot } from "../facts/paths.js";
import { UsageError } from "../facts/problems.js";
import type { RolloutSettings } from "../plan/rollout.js";
import type { CustomerDiff, diffReport, SideResult } from "./report.js";
import { type BaseBuild, refuseIfStale, Workspace } from "./workspace.js";

export interface DiffOptions {
  base: string;
  asOf: string;
  jobs: number;
  log: (line: string) => void;
  /** How the affected stacks are cut into waves and shards (the fleet file's `rollout`). */
  rollout?: RolloutSettings;
}

export async function runDiff(opts: DiffOptions): Promise<ReturnType<typeof diffReport>> {
  // Loaded here, so that other commands and --help don't pay for yaml.
  const { affectedCustomers, classifyPath, entriesUsed, lockEntriesChanged } = await import("./affected.js");
  const { customerDiff, diffReport } = await import("./report.js");
  const { diffMaintenance } = await import("./maintenanceChanges.js");
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
  /** Each side's customer file (head: its path; base: its path in the base commit), for the windows it declares. */
  const headFiles = new Map<string, string>();
  const baseFiles = new Map<string, string>();
  for (const file of listCustomers()) {
    const id = customerIdOfName(file)!;
    headFiles.set(id, file);
    head.set(id, entryChanged ? entriesUsed(readFileSync(file, "utf8")) : undefined);
  }
  const base = new Map<string, string[] | undefined>();
  for (const path of nul(git(["ls-tree", "-z", "--name-only", sha, "--", "stacks/"]).out)) {
    const c = classifyPath(path);
    if (c.kind !== "customer-file" || !isCustomerFileName(`${c.customer}.yaml`)) continue;
    baseFiles.set(c.customer, path);
    base.set(c.customer, entryChanged ? entriesUsed(git(["show", `${sha}:./${path}`]).out) : undefined);
  }
  // Maintenance windows are compared file against file: cheap, and independent of either side's preview.
  const maintenanceOf = (id: string) => {
    const headFile = headFiles.get(id);
    const basePath = baseFiles.get(id);
    let headText: string | undefined;
    try {
      headText = headFile ? readFileSync(headFile, "utf8") : undefined;
    } catch {
      return null;
    }
    const baseShow = basePath ? git(["show", `${sha}:./${basePath}`]) : undefined;
    if (baseShow && !baseShow.ok) return null;
    const shown = headFile ? relative(root, headFile).split(sep).join("/") : (basePath ?? `stacks/${id}.yaml`);
    return diffMaintenance(shown, baseShow?.out, headText, opts.asOf) ?? null;
  };

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
    return diffReport({ base: opts.base, baseCommit: sha, asOf: opts.asOf, customers: [], rollout: opts.rollout });
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
    // A shard's cost: the resources its customers' head previews hold.
    const costs = new Map<string, number>();
    const results = await Promise.all(
      ids.map(async (id): Promise<CustomerDiff> => {
        const headSide: Promise<SideResult> = head.has(id)
          ? limit(() => work.preview(headCli, root, id, opts.asOf))
          : Promise.resolve({ status: "absent" });
        const baseSide: Promise<SideResult> = base.has(id)
          ? build.then(() => limit(() => work.preview(baseCli, baseRoot, id, opts.asOf)))
          : Promise.resolve({ status: "absent" });
        const [b, h] = await Promise.all([baseSide, headSide]);
        if (h.status === "ok") costs.set(id, h.doc.resources.length);
        const result = customerDiff(id, affected.customers.get(id)!, b, h, maintenanceOf(id));
        done++;
        if (!work.disposed) opts.log(`[${done}/${ids.length}] ${id}: ${summaryLine(result)}`);
        const widened = result.maintenance?.widened ?? [];
        if (widened.length && !work.disposed) {
          opts.log(`${id}: maintenance windows added or widened (the comment flags them first): ${widened.map((w) => w.id).join(", ")}`);
        }
        return result;
      }),
    );
    return diffReport({
      base: opts.base,
      baseCommit: sha,
      asOf: opts.asOf,
      customers: results,
      baseBuild: await build,
      rollout: opts.rollout,
      costs,
    });
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
