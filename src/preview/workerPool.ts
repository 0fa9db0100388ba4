/**
 * A pool of long-lived worker processes (what `diff` previews each side with). Kept apart from
 * pool.ts, whose audit imports would make every command's start-up pay for the validators.
 */
import { fork, type ChildProcess } from "node:child_process";

/**
 * Long-lived worker processes answering one request at a time each (what `diff` previews each
 * side with): a request waits for a free worker, and a worker is started only when every running
 * one is busy, up to `jobs`. A worker that crashes or overruns `timeoutMs` is killed, its request
 * rejected, and a fresh one started for the next.
 */
export class WorkerPool<Req extends object, Res> {
  private readonly idle: ChildProcess[] = [];
  private readonly all = new Set<ChildProcess>();
  private readonly waiting: { req: Req; resolve: (r: Res) => void; reject: (e: Error) => void }[] = [];
  private closed = false;

  constructor(
    private readonly script: string,
    private readonly opts: { jobs: number; cwd: string; timeoutMs: number; init?: object },
  ) {}

  request(req: Req): Promise<Res> {
    if (this.closed) return Promise.reject(new Error("worker pool closed"));
    return new Promise<Res>((resolve, reject) => {
      this.waiting.push({ req, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.waiting.length > 0) {
      let child = this.idle.pop();
      if (!child) {
        if (this.all.size >= this.opts.jobs) return;
        child = this.start();
      }
      this.dispatch(child, this.waiting.shift()!);
    }
  }

  private start(): ChildProcess {
    const child = fork(this.script, [], {
      cwd: this.opts.cwd,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
      execArgv: [...process.execArgv, "--max-semi-space-size=32"],
    });
    // Diagnostics only; a request's own output comes back in its answer.
    child.stdout?.resume();
    child.stderr?.resume();
    if (this.opts.init) child.send(this.opts.init);
    this.all.add(child);
    child.on("exit", () => this.all.delete(child));
    child.on("error", () => this.all.delete(child));
    return child;
  }

  private dispatch(child: ChildProcess, job: { req: Req; resolve: (r: Res) => void; reject: (e: Error) => void }): void {
    let settled = false;
    const done = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      child.off("error", onError);
      f();
    };
    const fail = (why: string) =>
      done(() => {
        child.kill("SIGKILL");
        this.all.delete(child);
        job.reject(new Error(why));
        this.pump();
      });
    const onMessage = (m: Res) =>
      done(() => {
        this.idle.push(child);
        job.resolve(m);
        this.pump();
      });
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(signal ? `killed by ${signal}` : `worker exited with code ${code}`);
    const onError = (e: Error) => fail(`worker failed: ${e.message}`);
    const timer = setTimeout(() => fail(`no answer after ${this.opts.timeoutMs} ms`), this.opts.timeoutMs);
    child.on("message", onMessage);
    child.on("exit", onExit);
    child.on("error", onError);
    child.send(job.req);
  }

  /** Ends every worker; requests still waiting are rejected. */
  close(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error("worker pool closed"));
    for (const child of this.all) child.kill("SIGKILL");
    this.all.clear();
    this.idle.length = 0;
  }
}
