/**
 * What a shard's job did to each of its customers, kept in one JSON file per shard and written after
 * every customer, so that a job that dies half-way, or is re-run, knows which customers are done.
 * Pure apart from reading and writing that file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { escapeMarkdown } from "../facts/markdown.js";

/** `up`: preview with the pack, then update; `preview`: the gate alone; `drift`: a refreshed preview that expects no changes. */
export type RunMode = "up" | "preview" | "drift";

export interface CustomerResult {
  customer: string;
  rolloutId: string;
  commit: string;
  mode: RunMode;
  /** `drift`: the refreshed preview found changes (drift mode only); `skipped`: done earlier in this roll-out. */
  status: "succeeded" | "failed" | "drift" | "skipped";
  /** Where it stopped: selecting the stack, the preview with the pack, or the update. */
  phase: "select" | "preview" | "up";
  /** Resource operations, from the preview (or, after an update, from the update). */
  changes?: Record<string, number>;
  seconds: number;
  finishedAt: string;
  /** Why it failed, in the engine's own lines. */
  error?: string;
}

export interface ResultsFile {
  rolloutId: string;
  commit: string;
  customers: Record<string, CustomerResult>;
}

export function readResults(file: string): ResultsFile | undefined {
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, "utf8")) as ResultsFile;
  if (!data || typeof data !== "object" || typeof data.customers !== "object")
    throw new Error(`${file}: not a roll-out results file (no "customers")`);
  return data;
}

/**
 * The customers a run can skip: those that succeeded before in this same roll-out, at this same
 * commit and in this same mode. Anything else (a failure, another commit, drift found) runs again.
 */
export function alreadyDone(previous: ResultsFile | undefined, run: { rolloutId: string; commit: string; mode: RunMode }): Set<string> {
  const done = new Set<string>();
  if (!previous) return done;
  for (const r of Object.values(previous.customers)) {
    if (r.status === "succeeded" && r.rolloutId === run.rolloutId && r.commit === run.commit && r.mode === run.mode) done.add(r.customer);
  }
  return done;
}

/** Writes the whole file through a temporary one: a job killed mid-write leaves the last good copy. */
export function writeResults(file: string, results: ResultsFile): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(tmp, file);
}

const statusText: Record<CustomerResult["status"], string> = {
  succeeded: "✅ succeeded",
  failed: "❌ failed",
  drift: "⚠️ drift",
  skipped: "⏭️ skipped (succeeded earlier in this roll-out)",
};

const changesText = (c: CustomerResult["changes"]) =>
  c
    ? Object.entries(c)
        .filter(([, n]) => n > 0)
        .map(([op, n]) => `${op} ${n}`)
        .join(", ") || "none"
    : "";

/** The job-summary table ($GITHUB_STEP_SUMMARY): one row per customer of this run, in run order. */
export function summaryMarkdown(title: string, rows: readonly CustomerResult[]): string {
  const count = (s: CustomerResult["status"]) => rows.filter((r) => r.status === s).length;
  const lines = [
    `### ${escapeMarkdown(title)}`,
    "",
    `${count("succeeded")} succeeded, ${count("skipped")} skipped, ${count("drift")} with drift, ${count("failed")} failed`,
    "",
    "| customer | result | stopped at | changes | seconds | error |",
    "| --- | --- | --- | --- | ---: | --- |",
    ...rows.map(
      (r) =>
        `| ${escapeMarkdown(r.customer)} | ${statusText[r.status]} | ${r.status === "succeeded" || r.status === "skipped" ? "" : r.phase} | ${escapeMarkdown(changesText(r.changes))} | ${r.seconds.toFixed(1)} | ${escapeMarkdown(r.error ?? "")} |`,
    ),
    "",
  ];
  return lines.join("\n");
}
