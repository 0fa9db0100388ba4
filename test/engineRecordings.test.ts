// The offline model held to the real engine, without Go: test/recordings/<customer>.<phase>.json are what the
// real Pulumi CLI sent the pack (`npm run test:engine` records them, test/engine/recordings.ts). Each is
// 1. compared field by field with what src/offline/cliView.ts builds for the same stack, every difference
//    named; the only differences tolerated are listed below, each with where it comes from; and
// 2. replayed through the pack over gRPC, as the CLI sent it: no mandatory policy may fail.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Binder } from "../policies/closedWorld.js";
import { specialSecretSig, specialSigKey, UNKNOWN_SENTINEL } from "../src/facts/engineValues.js";
import { planStack } from "../src/offline/stackPlanner.js";
import { loadCatalog } from "../src/catalog/load.js";
import { stacksDir } from "../src/facts/paths.js";
import type { AnalyzedResource, CliPhase } from "../src/facts/analyzedResource.js";
import { packs } from "./support/closedWorld.js";
import { asOf } from "./support/goldenStacks.js";
import {
  secret,
  unknown,
  type PropertyMap,
  type PropertyValue,
  type ResourceInput,
  type StackResourceInput,
} from "./support/analyzer/wire.js";

const examples = ["nordlys", "baltic-freight", "havblik"] as const;
const phases: CliPhase[] = ["first-preview", "update"];
const recordingFile = (customer: string, phase: CliPhase) => join(__dirname, "recordings", `${customer}.${phase}.json`);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Recorded {
  urn: string;
  type: string;
  name: string;
  properties?: Record<string, Json>;
  options?: { parent?: string; protect?: boolean; ignoreChanges?: string[]; aliases?: string[]; additionalSecretOutputs?: string[] };
  provider?: { type: string; name: string; urn: string; properties?: Record<string, Json> };
  parent?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, { urns?: string[] }>;
}
interface Recording {
  customer: string;
  phase: CliPhase;
  asOf: string;
  analyze: Recorded[];
  analyzeStack?: Recorded[];
  configureStack?: { dryRun: boolean; config: Record<string, string> };
}

const isSig = (v: Json): v is { [k: string]: Json } =>
  v !== null && typeof v === "object" && !Array.isArray(v) && (v as Record<string, Json>)[specialSigKey] === specialSecretSig;

/** A recorded property value back to the harness's markers: the signature object is a secret, the sentinel unknown. */
function fromWire(v: Json): PropertyValue {
  if (v === UNKNOWN_SENTINEL) return unknown;
  if (isSig(v)) return secret(fromWire(v.value ?? null));
  if (Array.isArray(v)) return v.map(fromWire);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromWire(x)])) as PropertyMap;
  return v;
}

function analyzeInput(r: Recorded): ResourceInput {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: fromWire(r.properties ?? {}) as PropertyMap,
    options: {
      ...(r.options?.parent ? { parent: r.options.parent } : {}),
      protect: r.options?.protect ?? false,
      ignoreChanges: r.options?.ignoreChanges ?? [],
      aliases: r.options?.aliases ?? [],
      additionalSecretOutputs: r.options?.additionalSecretOutputs ?? [],
    },
    ...(r.provider
      ? {
          provider: {
            type: r.provider.type,
            name: r.provider.name,
            urn: r.provider.urn,
            props: fromWire(r.provider.properties ?? {}) as PropertyMap,
          },
        }
      : {}),
  };
}

function stackInput(r: Recorded): StackResourceInput {
  return {
    ...analyzeInput(r),
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: r.dependencies ?? [],
    propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.urns ?? []])),
  };
}

/** The model's value in the wire's form: secrets at `secretPaths` wrapped in the signature object. */
function modelWire(value: Record<string, unknown>, secretPaths: readonly string[]): Json {
  const copy = structuredClone(value) as Record<string, Json>;
  for (const p of secretPaths) {
    const parts = p.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "");
    let at: Json = copy;
    for (let i = 0; i < parts.length - 1; i++) at = (at as Record<string, Json>)?.[parts[i]!] ?? null;
    const last = parts.at(-1)!;
    if (at !== null && typeof at === "object" && (at as Record<string, Json>)[last] !== undefined) {
      (at as Record<string, Json>)[last] = { [specialSigKey]: specialSecretSig, value: (at as Record<string, Json>)[last]! };
    }
  }
  return copy;
}

/**
 * Differences the comparison tolerates, each with its source. Nothing else is.
 * - `declaredOnly`: outputs only the installed SDK's declarations put in the model, as stand-ins of their
 *   declared shape (src/offline/cliView.ts rule 5); the real provider fills them with what it computed, or
 *   leaves them out. The pack accepts any value there (policies/closedWorld.ts, `declaredOutputs`).
 * - a bridged provider's outputs below the top level: every schema field of a block, zero-valued where unset,
 *   and the block's computed `id` (policies/closedWorld.ts `bridgedOutputs`, seen in every update recording).
 * - the order of set-typed fields in outputs (src/facts/providerCheck.ts `outputSets`).
 */
function differences(
  expected: Json,
  actual: Json,
  binder: Binder,
  path: string,
  o: { declared: Set<string>; bridged: boolean; sets: boolean },
): string[] {
  const at = (k: string | number) => (typeof k === "number" ? `${path}[${k}]` : path ? `${path}.${k}` : k);
  if (typeof expected === "string" && typeof actual === "string") {
    if (expected === UNKNOWN_SENTINEL || actual === UNKNOWN_SENTINEL)
      return expected === actual
        ? []
        : [
            `${path}: model ${expected === UNKNOWN_SENTINEL ? "unknown" : "known"}, engine ${actual === UNKNOWN_SENTINEL ? "unknown" : "known"}`,
          ];
    return binder.match(expected, actual) === undefined
      ? []
      : [`${path}: model ${JSON.stringify(expected)}, engine ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const [e, a] =
      o.sets && expected.every((x) => typeof x === "string") && actual.every((x) => typeof x === "string")
        ? [[...expected].sort(), [...actual].sort()]
        : [expected, actual];
    if (e.length !== a.length) return [`${path}: model has ${e.length} elements, engine ${a.length}`];
    return e.flatMap((x, i) => differences(x, a[i]!, binder, at(i), { ...o, declared: new Set() }));
  }
  if (
    expected !== null &&
    actual !== null &&
    typeof expected === "object" &&
    typeof actual === "object" &&
    !Array.isArray(expected) &&
    !Array.isArray(actual)
  ) {
    if (isSig(expected) !== isSig(actual))
      return [`${path}: model ${isSig(expected) ? "secret" : "plain"}, engine ${isSig(actual) ? "secret" : "plain"}`];
    const out: string[] = [];
    for (const k of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      const e = expected[k];
      const a = actual[k];
      if (path === "" && o.declared.has(k)) continue;
      const zero = a === null || a === "" || a === 0 || a === false || (Array.isArray(a) && a.length === 0);
      if (e === undefined && path !== "" && o.bridged && (zero || k === "id")) continue;
      if (e === undefined && a === null) continue;
      if (e === undefined) out.push(`${at(k)}: only the engine sends it`);
      else if (a === undefined) out.push(`${at(k)}: only the model has it`);
      else out.push(...differences(e, a, binder, at(k), { ...o, declared: new Set(), sets: o.sets }));
    }
    return out;
  }
  return JSON.stringify(expected) === JSON.stringify(actual)
    ? []
    : [`${path}: model ${JSON.stringify(expected)}, engine ${JSON.stringify(actual)}`];
}

const setTyped = new Set(["datadog:index/monitor:Monitor"]);
const bridgedType = (t: string) => t.startsWith("datadog:") || t.startsWith("pagerduty:");

describe.each(examples)("the recordings of %s (the real CLI) against the offline model", (customer) => {
  describe.each(phases)("%s", (phase) => {
    const file = recordingFile(customer, phase);

    it("is recorded", () => {
      expect(existsSync(file), `${file}: run PICO_RECORD=1 npm run test:engine`).toBe(true);
    });

    it("Analyze and AnalyzeStack hold, field by field, what src/offline/cliView.ts builds", async () => {
      const rec = JSON.parse(readFileSync(file, "utf8")) as Recording;
      expect(rec.asOf).toBe(asOf.toISOString());
      const outcome = await planStack({ catalog: loadCatalog(), customer, stacksDir: stacksDir(), phase, asOfText: rec.asOf });
      if (!outcome.ok) throw new Error(outcome.problem);
      const model = new Map<string, AnalyzedResource>(outcome.plan.resources.map((r) => [r.urn, r]));
      const binder = Binder.of(outcome.plan.placeholders);
      const found: string[] = [];
      // The CLI adds the stack resource and the default providers; the model has neither.
      const ours = (r: Recorded) => r.type !== "pulumi:pulumi:Stack" && !/^pulumi:providers:.*::default(_|$)/.test(`${r.type}::${r.name}`);
      const analyzed = rec.analyze.filter(ours);
      expect(analyzed.map((r) => r.urn).sort()).toEqual([...model.keys()].sort());
      for (const r of analyzed) {
        const m = model.get(r.urn)!;
        for (const d of differences(modelWire(m.props, m.secretPaths), r.properties ?? {}, binder, "", {
          declared: new Set(),
          bridged: false,
          sets: false,
        }))
          found.push(`Analyze ${r.urn.split("::").pop()}: ${d}`);
        if ((r.options?.parent ?? undefined) !== m.parent)
          found.push(`Analyze ${r.name}: parent ${r.options?.parent} vs model ${m.parent}`);
      }
      for (const r of (rec.analyzeStack ?? []).filter(ours)) {
        const m = model.get(r.urn);
        if (!m) {
          found.push(`AnalyzeStack ${r.urn}: not in the model`);
          continue;
        }
        const o = { declared: new Set(m.declaredOnly ?? []), bridged: bridgedType(r.type), sets: setTyped.has(r.type) };
        for (const d of differences(modelWire(m.outputs, m.outputSecretPaths), r.properties ?? {}, binder, "", o))
          found.push(`AnalyzeStack ${r.urn.split("::").pop()}: ${d}`);
        if ([...(r.dependencies ?? [])].sort().join() !== [...(m.dependencies ?? [])].sort().join())
          found.push(`AnalyzeStack ${r.name}: dependencies differ`);
      }
      expect(found).toEqual([]);
    });

    it("replayed through the pack over gRPC, as the CLI sent it: no mandatory policy fails", async () => {
      const rec = JSON.parse(readFileSync(file, "utf8")) as Recording;
      // The stack's configuration as the engine told the pack (the stand-ins' URLs stand as labels on both sides).
      const pack = await packs.get(customer, phase, rec.configureStack?.config ?? {});
      const violations: string[] = [];
      const keep = (ds: Awaited<ReturnType<typeof pack.analyze>>) => {
        for (const d of ds) if (d.enforcementLevel === "mandatory") violations.push(`${d.policyName}: ${d.message}`);
      };
      for (const ds of await Promise.all(rec.analyze.map((r) => pack.analyze(analyzeInput(r))))) keep(ds);
      if (rec.analyzeStack) keep(await pack.analyzeStack(rec.analyzeStack.map(stackInput)));
      expect(violations).toEqual([]);
    });
  });
});
