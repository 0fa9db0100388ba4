// What the real engine sent the policy pack, kept as test/recordings/<customer>.<phase>.json, so that the
// everyday suite (which needs no Go) can hold the offline model (src/offline/cliView.ts) to it.
//
// A recording is the requests of the Analyzer calls in one `pulumi` run, as PULUMI_DEBUG_GRPC logs them
// (protobuf JSON: Struct properties as plain JSON, secrets as the signature object, unknowns as the sentinel
// string). Four things are normalized, as they differ from run to run: the order of the Analyze calls and
// of each resource's dependency lists (resources register concurrently; sorted by URN), the stand-in APIs'
// base URLs (a new port each run), which stand as `<pagerduty api>` and the like, and the ids the stand-ins
// hand out in creation order (`canonicalIds`). Nothing else is touched.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { specialSecretSig, specialSigKey } from "../../src/facts/engineValues.js";
import type { GrpcLogEntry } from "./harness.js";

export interface Recording {
  description: string;
  customer: string;
  phase: string;
  asOf: string;
  /** One request per resource, sorted by URN. */
  analyze: Record<string, unknown>[];
  /** The AnalyzeStack request's resources, sorted by URN; absent when the run made no AnalyzeStack call. */
  analyzeStack?: Record<string, unknown>[];
  /** What ConfigureStack told the pack: the stack's configuration (secrets decrypted) and whether it previews. */
  configureStack?: { dryRun: boolean; config: Record<string, string> };
}

const ANALYZE = "/pulumirpc.Analyzer/Analyze";
const ANALYZE_STACK = "/pulumirpc.Analyzer/AnalyzeStack";
const CONFIGURE_STACK = "/pulumirpc.Analyzer/ConfigureStack";
const byUrn = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.urn).localeCompare(String(b.urn));

/** The engine lists a resource's dependencies in the order they registered, which concurrency varies: sorted. */
function sortedDependencies(r: Record<string, unknown>): Record<string, unknown> {
  const out = { ...r };
  if (Array.isArray(out.dependencies)) out.dependencies = [...(out.dependencies as string[])].sort();
  if (out.propertyDependencies && typeof out.propertyDependencies === "object") {
    out.propertyDependencies = Object.fromEntries(
      Object.entries(out.propertyDependencies as Record<string, { urns?: string[] }>).map(([k, v]) => [
        k,
        { ...v, ...(v.urns ? { urns: [...v.urns].sort() } : {}) },
      ]),
    );
  }
  return out;
}

/**
 * The recording of the LAST pass in a log: `pulumi up` without --skip-preview previews first (Analyze calls,
 * then AnalyzeStack) and then updates, in one process; the update's calls follow the preview's AnalyzeStack.
 */
export function recordingOf(
  whole: readonly GrpcLogEntry[],
  meta: Omit<Recording, "analyze" | "analyzeStack" | "configureStack" | "description">,
  /** Stand-in base URLs (their ports change every run) and the labels that replace them. */
  urls: Record<string, string> = {},
): Recording {
  const stackAt = whole.flatMap((e, i) => (e.method === ANALYZE_STACK ? [i] : []));
  let log = stackAt.length >= 2 ? whole.slice(stackAt.at(-2)! + 1) : whole;
  let text = JSON.stringify(log);
  for (const [url, label] of Object.entries(urls)) text = text.split(url).join(label);
  log = JSON.parse(text) as GrpcLogEntry[];
  const configure = JSON.parse(
    Object.entries(urls).reduce(
      (t, [url, label]) => t.split(url).join(label),
      JSON.stringify(whole.filter((e) => e.method === CONFIGURE_STACK).at(-1)?.request ?? {}),
    ),
  ) as { dryRun?: boolean; config?: Record<string, string> };
  const analyze = log
    .filter((e) => e.method === ANALYZE)
    .map((e) => sortedDependencies(e.request as Record<string, unknown>))
    .sort(byUrn);
  const stackCalls = log.filter((e) => e.method === ANALYZE_STACK);
  const analyzeStack =
    stackCalls.length === 0
      ? undefined
      : ((stackCalls.at(-1)!.request as { resources?: Record<string, unknown>[] }).resources ?? []).map(sortedDependencies).sort(byUrn);
  return {
    description:
      "Recorded by `npm run test:engine` (test/engine/recordings.ts): the Analyzer requests the real Pulumi CLI sent the pack; do not edit.",
    ...meta,
    configureStack: { dryRun: configure.dryRun ?? false, config: configure.config ?? {} },
    analyze,
    ...(analyzeStack ? { analyzeStack } : {}),
  };
}

/**
 * The ids and keys the API stand-ins hand out (PagerDuty ids `P<kind><digits>`, integration keys, Datadog monitor
 * ids) come from counters, in the order `pulumi up` happened to create things, which concurrency varies. Each is
 * replaced by the value of the same shape its first appearance in the (URN-sorted) recording gets, so the same
 * stack always records the same text, and every place one value stood still holds one value.
 */
export function canonicalIds(text: string): string {
  const seen = new Map<string, string>();
  const counters = new Map<string, number>();
  const next = (kind: string) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return n;
  };
  return text.replace(/\bP([A-Z])(\d{5})\b|\b[0-9a-f]{32}\b|\b1000\d{3}\b/g, (m, kind: string | undefined) => {
    // The engine's own secret signature is not a key the stand-ins made.
    if (m === specialSigKey || m === specialSecretSig) return m;
    let v = seen.get(m);
    if (v === undefined) {
      if (kind) v = `P${kind}${String(next(kind)).padStart(5, "0")}`;
      else if (m.length === 32)
        v = createHash("md5")
          .update(`recorded key ${next("key")}`)
          .digest("hex");
      else v = String(2000000 + next("monitor"));
      seen.set(m, v);
    }
    return v;
  });
}

export const serialize = (r: Recording) => canonicalIds(`${JSON.stringify(r, null, 2)}\n`);

/** Writes the recording when asked to (PICO_RECORD=1) and returns whether the committed one matches. */
export function keepRecording(file: string, r: Recording): { same: boolean; committed: string | undefined } {
  let committed: string | undefined;
  try {
    committed = readFileSync(file, "utf8");
  } catch {
    committed = undefined;
  }
  const text = serialize(r);
  if (process.env.PICO_RECORD === "1" && committed !== text) writeFileSync(file, text);
  return { same: committed === text, committed };
}
