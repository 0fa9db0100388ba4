/**
 * Audits many customers: in this process, or spread over worker processes.
 *
 * The mock engine's Pulumi runtime state is process-global, so one process previews one customer
 * at a time. A preview is CPU-bound (~0.1–0.3 s here after warm-up), so the only way to use a
 * second core is a second process. Each worker pays Pulumi's start-up (~1 s) once, then takes
 * customers from a shared queue until it is empty; results are put back in input order, so the
 * report does not depend on which worker was faster.
 */
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { PolicyConfigInput } from "../offline/policyResults.js";
import { openAuditCache } from "./cache.js";
import { auditCustomerFile, customerIdOf, reportPath, type AuditContext } from "./customer.js";
import type { CustomerAudit } from "./model.js";

export interface PoolOptions {
  /** Worker processes; 1 runs everything in this process. */
  jobs: number;
  /** Catalogue directory the workers render from (undefined: the repository's). */
  catalogDir?: string;
  /** See AuditContext.asOf. */
  asOf: string;
  policyConfig?: Record<string, PolicyConfigInput>;
  /** The stacks directory audited (see AuditContext.stacksDir). */
  stacksDir: string;
  /** Reuse and store customers' records in this directory (see cache.ts); default: no cache. */
  cacheDir?: string;
  /** Called as each customer finishes, in completion order. */
  onProgress?: (done: number, total: number, audit: CustomerAudit, fromCache: boolean) => void;
}

/** Messages between the parent and a worker (JSON over the IPC channel). */
export type ToWorker =
  | { type: "init"; catalogDir?: string; asOf: string; policyConfig?: Record<string, PolicyConfigInput>; stacksDir: string }
  | { type: "audit"; index: number; file: string };
export type FromWorker = { type: "result"; index: number; audit: CustomerAudit } | { type: "failed"; message: string };

/** Below this many customers a worker's start-up costs more than it saves. */
const minPerWorker = 4;

export function defaultJobs(customers: number): number {
  const cores = availableParallelism();
  return Math.max(1, Math.min(cores, 4, Math.floor(customers / minPerWorker)));
}

const workerScript = join(__dirname, "worker.js");

export async function auditFiles(files: readonly string[], opts: PoolOptions, inProcess: () => AuditContext): Promise<CustomerAudit[]> {
  const results: CustomerAudit[] = new Array(files.length);
  let done = 0;
  const cache = opts.cacheDir === undefined ? undefined : openAuditCache(opts.cacheDir, inProcess());
  const finish = (index: number, audit: CustomerAudit, cached = false) => {
    results[index] = audit;
    if (cache && !cached) cache.put(files[index]!, audit);
    opts.onProgress?.(++done, files.length, audit, cached);
  };
  const queue: { index: number; file: string }[] = [];
  for (const [index, file] of files.entries()) {
    const hit = cache?.get(file);
    if (hit) finish(index, hit, true);
    else queue.push({ index, file });
  }
  if (queue.length === 0) return results;

  // Under ts (tests importing src/) there is no compiled worker to fork.
  const jobs = existsSync(workerScript) ? Math.min(opts.jobs, queue.length) : 1;
  if (jobs <= 1) {
    const ctx = inProcess();
    for (const { index, file } of queue) finish(index, await auditCustomerFile(file, ctx));
    return results;
  }

  const crashed = (file: string, message: string): CustomerAudit => ({
    customer: customerIdOf(file),
    file: reportPath(file),
    status: "error",
    error: message,
    alerts: [],
    policies: [],
  });

  await new Promise<void>((resolve) => {
    let alive = 0;
    const start = () => {
      const child: ChildProcess = fork(workerScript, [], {
        // Worker stdout would interleave with a report written to stdout.
        stdio: ["ignore", "pipe", "inherit", "ipc"],
        serialization: "json",
        // A preview allocates many short-lived promises; a larger young generation means fewer
        // scavenges: 64 MB semi-spaces cost about 45 MB more peak RSS per worker than 32 and save
        // about 10% more CPU per customer (measured here; 128 saves nothing more).
        execArgv: [...process.execArgv, "--max-semi-space-size=64"],
      });
      child.stdout?.on("data", (chunk: Buffer) => process.stderr.write(chunk));
      alive++;
      let current: { index: number; file: string } | undefined;
      const next = () => {
        current = queue.shift();
        if (current) child.send({ type: "audit", ...current } satisfies ToWorker);
        else child.disconnect();
      };
      child.on("message", (m: FromWorker) => {
        if (m.type === "result" && current && m.index === current.index) {
          finish(current.index, m.audit);
          next();
        } else if (m.type === "failed") {
          if (current) finish(current.index, crashed(current.file, `audit worker failed: ${m.message}`));
          current = undefined;
          child.kill();
        }
      });
      let gone = false;
      // 'exit' may not follow an 'error' (a worker that could not be spawned), so either ends it, once.
      const end = (why: string) => {
        if (gone) return;
        gone = true;
        alive--;
        if (current) {
          finish(current.index, crashed(current.file, `audit worker ${why} while auditing this customer`));
          current = undefined;
        }
        if (alive === 0) {
          // Every worker is gone: whatever is left can't be audited in this run.
          for (const item of queue.splice(0)) finish(item.index, crashed(item.file, "not audited: every audit worker exited"));
          resolve();
        }
      };
      child.on("exit", (code, signal) => end(`exited (${signal ?? `code ${code}`})`));
      child.on("error", (e) => {
        end(`failed (${e.message})`);
        child.kill();
      });
      child.send({
        type: "init",
        catalogDir: opts.catalogDir,
        asOf: opts.asOf,
        policyConfig: opts.policyConfig,
        stacksDir: opts.stacksDir,
      } satisfies ToWorker);
      next();
    };
    for (let i = 0; i < jobs; i++) start();
  });
  return results;
}
