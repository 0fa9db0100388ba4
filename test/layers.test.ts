/**
 * The folders are the layers of the data flow (README, "How the data flows"): a module imports only
 * from its own folder or from a lower layer. Folders that share a layer (catalogue and calendar,
 * components and policies, audit and diff) don't import each other either.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** Lowest first. A folder is the unit; "src" stands for the files directly in src/ (the entry points). */
const layers: readonly (readonly string[])[] = [
  ["src/facts"], // the limit, roles, paging names, ARM ids, resource kinds, problems, YAML positions, as-of, paths
  ["src/customer"], // the customer file's shape and which files are customers
  ["src/catalog", "src/calendar"], // the standard alerts, and the preparedness days
  ["src/plan"], // a customer checked against catalogue and calendar, and what to build for it
  ["components", "policies"], // what the program registers, and what the pack judges
  ["src/offline"], // the stand-in for the Pulumi engine and CLI: mock engine, CLI view, policy runner
  ["src/preview"], // preview, then judge
  ["src/audit", "src/diff", "src/rollout", "src/verify"], // products over many previews, a shard's run in CI, and the live services checked against the plan
  // entry points: the CLI, the Pulumi program, generate, and the file the CLI starts the pack from
  // (src/policyPack.ts: it hands the pack the offline stack planner, which needs the components under the mock engine)
  ["src/cli", "src"],
];

type Graph = ReadonlyMap<string, readonly string[]>;

/** The unit (folder) a repository-relative path belongs to: the longest declared folder it sits in. */
function unitOf(file: string): string | undefined {
  const units = layers
    .flat()
    .filter((u) => (u === "src" ? dirname(file) === "src" : u.endsWith(".ts") ? file === u : file.startsWith(`${u}/`)));
  // A file named as a unit of its own wins over its folder.
  return units.sort((a, b) => Number(b.endsWith(".ts")) - Number(a.endsWith(".ts")) || b.length - a.length)[0];
}

const rankOf = (unit: string) => layers.findIndex((l) => l.includes(unit));

/** Every import that goes up a layer or across into another folder of the same layer. */
function wrongWay(graph: Graph): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    const a = unitOf(from);
    if (a === undefined) {
      found.push(`${from}: in no layer`);
      continue;
    }
    for (const to of targets) {
      const b = unitOf(to);
      if (b === undefined) found.push(`${from} -> ${to}: in no layer`);
      else if (b !== a && rankOf(b) >= rankOf(a)) found.push(`${from} (${a}) -> ${to} (${b})`);
    }
  }
  return found;
}

// Static imports and re-exports, side-effect imports, import() and require() of relative paths.
const specifier = /\b(?:from|import|require)\s*\(?\s*["'](\.\.?\/[^"'\n]+)["']/g;

function resolveImport(root: string, fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(join(root, fromFile)), spec);
  const bare = base.replace(/\.js$/, "");
  for (const c of [base, `${bare}.ts`, join(bare, "index.ts")]) {
    if (existsSync(c) && statSync(c).isFile()) return relative(root, c).split("\\").join("/");
  }
  return undefined;
}

/** The .ts files under `dirs` with their text, repository-relative. */
function sources(root: string, dirs: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(path);
      } else if (e.name.endsWith(".ts")) found.set(path, readFileSync(join(root, path), "utf8"));
    }
  };
  for (const d of dirs) walk(d);
  return found;
}

/** The relative imports of every .ts file under `dirs`, as repository-relative paths. */
function importGraph(root: string, dirs: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [path, text] of sources(root, dirs)) {
    const targets = [...text.matchAll(specifier)].map((m) => resolveImport(root, path, m[1]!));
    // A specifier that resolves to no file is inside a comment or a string about another package.
    graph.set(
      path,
      targets.filter((t): t is string => t !== undefined),
    );
  }
  return graph;
}

const root = resolve(__dirname, "..");

describe("layers", () => {
  it("no module imports upward or across into another folder of its layer", () => {
    const graph = importGraph(root, ["src", "components", "policies"]);
    expect(graph.size).toBeGreaterThan(50);
    expect(wrongWay(graph)).toEqual([]);
  });

  it("catches an upward import, a sideways one, and a file in no layer", () => {
    const graph: Graph = new Map([
      ["src/facts/paging.ts", ["src/preview/customer.ts"]],
      ["src/catalog/render.ts", ["src/calendar/windows.ts", "src/facts/paging.ts"]],
      ["src/plan/plan.ts", ["src/plan/load.ts", "src/customer/schema.ts"]],
      ["src/cli/main.ts", ["src/program.ts", "src/audit/pool.ts"]],
      ["lib/other.ts", []],
    ]);
    expect(wrongWay(graph)).toEqual([
      "src/facts/paging.ts (src/facts) -> src/preview/customer.ts (src/preview)",
      "src/catalog/render.ts (src/catalog) -> src/calendar/windows.ts (src/calendar)",
      "src/cli/main.ts (src/cli) -> src/program.ts (src)",
      "lib/other.ts: in no layer",
    ]);
  });

  // nodenext wants the suffix on every import() (TS2835), so static imports carry it too.
  it("relative imports are written one way: with the .js suffix of the compiled file", () => {
    const unsuffixed = [...sources(root, ["src", "components", "policies", "test"])].flatMap(([path, text]) =>
      [...text.matchAll(specifier)]
        .filter((m) => resolveImport(root, path, m[1]!)?.endsWith(".ts") && !m[1]!.endsWith(".js"))
        .map((m) => `${path}: ${m[1]}`),
    );
    expect(unsuffixed).toEqual([]);
  });

  it("reads every import form from the files", () => {
    const graph = importGraph(root, ["src/audit"]);
    // worker.ts has a side-effect import and an import() of the side preview.
    expect(graph.get("src/audit/worker.ts")).toEqual(expect.arrayContaining(["src/offline/fastStart.ts", "src/preview/sidePreview.ts"]));
  });
});
