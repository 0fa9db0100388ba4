/**
 * One shard's job: its customers one after another, each through the Pulumi Automation API (the same
 * engine as the CLI, driving the `pulumi` binary on PATH). Per customer: select (or create) the stack,
 * preview with the policy pack, and only when that passes, update. The Automation API's `up` always
 * passes `--skip-preview` (@pulumi/pulumi automation/stack.js), so during the update only the
 * per-resource policies run before each resource is created; the preview is the gate that runs the
 * stack policies first. A customer's failure is recorded and the next customer runs.
 *
 * One update per stack: a shard runs one customer at a time, every customer is in exactly one shard
 * (src/plan/rollout.ts), and a stack another workflow is updating (Pulumi's own lock,
 * ConcurrentUpdateError) is waited for, not failed.
 */
import { join } from "node:path";
import type { LocalWorkspaceOptions, OpMap, Stack } from "@pulumi/pulumi/automation/index.js";
import { alreadyDone, type CustomerResult, type ResultsFile, type RunMode, readResults, writeResults } from "./results.js";

export interface ShardRun {
  customers: readonly string[];
  mode: RunMode;
  /** Names the roll-out: a re-run with the same id and commit skips what already succeeded. */
  rolloutId: string;
  commit: string;
  /** The results file, read first (resume) and rewritten after every customer. */
  resultsFile: string;
  /** The Pulumi project directory (Pulumi.yaml). */
  workDir: string;
  policyPack?: string;
  /** Handed to LocalWorkspace: e.g. `pulumiCommand`, `envVars`. */
  workspace?: Omit<LocalWorkspaceOptions, "workDir">;
  log: (line: string) => void;
  /** Waits between attempts when another update holds the stack's lock; the count is the attempts. */
  lockWaitsMs?: readonly number[];
}

const defaultLockWaits = [15_000, 30_000, 60_000, 120_000];

/** The engine's own lines that say why: errors and policy violations, without the progress noise. */
export function failureLines(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const wanted = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^error:|\[mandatory\]|^stderr: error|no changes were expected/i.test(l));
  const lines =
    wanted.length > 0
      ? wanted
      : text
          .split("\n")
          .filter((l) => l.trim() !== "")
          .slice(0, 3);
  return [...new Set(lines)].join(" / ").slice(0, 2000);
}

const ops = (m: OpMap | undefined): Record<string, number> | undefined =>
  m ? Object.fromEntries(Object.entries(m).filter((e): e is [string, number] => typeof e[1] === "number")) : undefined;

export async function runShard(run: ShardRun): Promise<{ results: CustomerResult[]; file: ResultsFile }> {
  // Loaded here: nothing else in the CLI pays for the Automation API.
  const auto = await import("@pulumi/pulumi/automation/index.js");
  const previous = readResults(run.resultsFile);
  const done = alreadyDone(previous, run);
  const file: ResultsFile = {
    rolloutId: run.rolloutId,
    commit: run.commit,
    // Earlier results stay, so the file keeps what a previous attempt did to customers not run now.
    customers: { ...(previous?.customers ?? {}) },
  };
  const policyPacks = [run.policyPack ?? join(run.workDir, "policies")];
  const lockWaits = run.lockWaitsMs ?? defaultLockWaits;
  const results: CustomerResult[] = [];

  /** Runs `step`, waiting while another update holds the stack's lock. */
  const locked = async <T>(customer: string, step: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (e) {
        if (!(e instanceof auto.ConcurrentUpdateError) || attempt >= lockWaits.length) throw e;
        run.log(`${customer}: another update holds the stack; waiting ${lockWaits[attempt]! / 1000} s`);
        await new Promise((r) => setTimeout(r, lockWaits[attempt]));
      }
    }
  };

  for (const [i, customer] of run.customers.entries()) {
    const started = Date.now();
    const base = { customer, rolloutId: run.rolloutId, commit: run.commit, mode: run.mode };
    const finish = (r: Omit<CustomerResult, keyof typeof base | "seconds" | "finishedAt">): CustomerResult => {
      const result: CustomerResult = { ...base, ...r, seconds: (Date.now() - started) / 1000, finishedAt: new Date().toISOString() };
      results.push(result);
      // A skipped customer keeps its earlier record: that is the update that happened.
      if (result.status !== "skipped") file.customers[customer] = result;
      writeResults(run.resultsFile, file);
      run.log(`[${i + 1}/${run.customers.length}] ${customer}: ${result.status}${result.error ? `: ${result.error}` : ""}`);
      return result;
    };
    if (done.has(customer)) {
      finish({ status: "skipped", phase: previous!.customers[customer]!.phase, changes: previous!.customers[customer]!.changes });
      continue;
    }
    let stack: Stack;
    try {
      stack = await auto.LocalWorkspace.createOrSelectStack({ stackName: customer, workDir: run.workDir }, run.workspace);
    } catch (e) {
      finish({ status: "failed", phase: "select", error: failureLines(e) });
      continue;
    }
    let preview: Record<string, number> | undefined;
    try {
      const p = await locked(customer, () =>
        stack.preview({
          policyPacks,
          // The provider matches schedule layers by position; only a refresh drops ended ones from state.
          refresh: true,
          ...(run.mode === "drift" ? { expectNoChanges: true } : {}),
        }),
      );
      preview = ops(p.changeSummary);
    } catch (e) {
      const error = failureLines(e);
      // The CLI's words for --expect-no-changes with changes ("error: no changes were expected but changes
      // were proposed", pulumi/pulumi pkg/cmd/pulumi preview); a policy violation stays a failure.
      const drift = run.mode === "drift" && /no changes were expected/i.test(error) && !/\[mandatory\]/.test(error);
      finish({ status: drift ? "drift" : "failed", phase: "preview", error });
      continue;
    }
    if (run.mode !== "up") {
      finish({ status: "succeeded", phase: "preview", changes: preview });
      continue;
    }
    try {
      const up = await locked(customer, () => stack.up({ policyPacks, refresh: true }));
      finish({ status: "succeeded", phase: "up", changes: ops(up.summary.resourceChanges) ?? preview });
    } catch (e) {
      finish({ status: "failed", phase: "up", changes: preview, error: failureLines(e) });
    }
  }
  return { results, file };
}
