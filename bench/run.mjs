#!/usr/bin/env node
// Every row of issue 14's table, measured side by side in one run and printed as ratios to a floor
// measured in the same run (the machine may be shared: absolute figures drift, ratios much less).
//
//   node bench/run.mjs                 (or: npm run bench, which builds first)
//
// Environment:
//   BENCH_RUNS=5          measured runs of each start-up row (median reported), after one warm-up
//   BENCH_ONLY=preview    comma-separated row names to run (floors always run), e.g. rollout-1000,rollout-10000
//   BENCH_BIG_RUNS=1      measured runs of the audit, diff and test rows
//
// Each row runs under `/usr/bin/time`, which reports CPU time (user + system, the command's waited-for
// children included, so audit workers count) and peak RSS (of the largest single process).
// Benchmarks assert nothing: a goal that is missed is printed, never an exit code.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Table from "cli-table3";
import { generateCustomers } from "./generate-customers.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = process.execPath;
const cli = join(root, "dist", "src", "cli", "main.js");
const at = "2027-01-10T12:00:00Z";
const timeBin = ["/usr/bin/time", "/bin/time"].find((p) => existsSync(p));
if (!timeBin) {
  console.error("bench needs GNU time (/usr/bin/time) for CPU time and peak RSS");
  process.exit(2);
}

const runs = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? "5", 10) || 5);
const bigRuns = Math.max(1, Number.parseInt(process.env.BENCH_BIG_RUNS ?? "1", 10) || 1);
const only = (process.env.BENCH_ONLY ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

const scratch = mkdtempSync(join(tmpdir(), "pico-bench-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

/** Runs a command once: wall and CPU seconds, peak RSS in MB. Exits on failure (a broken row is no figure). */
function measure({ command, cwd = root, env = {}, okCodes = [0] }) {
  const out = join(scratch, "time.out");
  const t0 = process.hrtime.bigint();
  const r = spawnSync(timeBin, ["-o", out, "-f", "%e %U %S %M", ...command], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error || !okCodes.includes(r.status)) {
    console.error(`Command failed (exit ${r.status ?? r.error?.message}): ${command.join(" ")}`);
    console.error((r.stderr ?? "").split("\n").slice(-30).join("\n"));
    process.exit(1);
  }
  const [, user, sys, maxKb] = readFileSync(out, "utf8").trim().split("\n").pop().split(" ").map(Number);
  return { wall, cpu: user + sys, rssMB: maxKb / 1024, stderr: r.stderr };
}

// ---------------------------------------------------------------------------------------------
// Inputs

const stacks100 = join(scratch, "stacks-100");
const stacks1000 = join(scratch, "stacks-1000");
const auditCache = join(scratch, "audit-cache");

/** A copy of the project in its own git repository: base = 100 generated customers committed. */
function diffRepo() {
  const repo = join(scratch, "diff-repo");
  mkdirSync(repo);
  for (const p of [
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "Pulumi.yaml",
    "src",
    "components",
    "policies",
    "catalog",
    "dist",
  ]) {
    if (existsSync(join(root, p))) cpSync(join(root, p), join(repo, p), { recursive: true, filter: (s) => !s.includes("node_modules") });
  }
  symlinkSync(join(root, "node_modules"), join(repo, "node_modules"), "dir");
  mkdirSync(join(repo, "stacks"));
  // The fleet file gives standing support to the generated customers that don't state it.
  for (const f of ["customer.schema.json", "_fleet.yaml"]) cpSync(join(root, "stacks", f), join(repo, "stacks", f));
  generateCustomers(join(repo, "stacks"), 100);
  writeFileSync(join(repo, ".gitignore"), "node_modules\ndist\n");
  const git = (...args) =>
    execFileSync("git", args, {
      cwd: repo,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "bench",
        GIT_AUTHOR_EMAIL: "b@pico.dk",
        GIT_COMMITTER_NAME: "bench",
        GIT_COMMITTER_EMAIL: "b@pico.dk",
      },
    });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  return { repo, git };
}
let diffSetup;
/** Renames the first n customers in the working tree, so n are affected on both sides. */
function affect(n) {
  diffSetup ??= diffRepo();
  diffSetup.git("checkout", "-q", "--", "stacks");
  const files = execFileSync("git", ["ls-files", "stacks/*-*.yaml"], { cwd: diffSetup.repo, encoding: "utf8" }).trim().split("\n").sort();
  for (const f of files.slice(0, n)) {
    const p = join(diffSetup.repo, f);
    writeFileSync(p, readFileSync(p, "utf8").replace(/^name: (.*)$/m, "name: $1 (renamed)"));
  }
}
const diffRow = (n) => ({
  name: `diff-${n}`,
  what: `diff --base main, ${n} affected ${n === 1 ? "customer" : "customers"} (customer files changed, base build reused)`,
  big: true,
  before: () => affect(n),
  command: () => [node, join(diffSetup.repo, "dist", "src", "cli", "main.js"), "diff", "--base", "main", "--format", "json", "--at", at],
  cwd: () => diffSetup.repo,
  per: n,
  // Every diff starts one side-preview worker per tree (about 1 CPU-s each), however few customers
  // it previews: at 1 and 10 customers that start-up is most of the figure, so the goal is read at 100.
  goal: (m) =>
    n === 100
      ? `${(m.cpu / n).toFixed(2)} CPU-s per customer (goal ≤ 0.3); ${m.wall.toFixed(1)} s wall (goal < 60)`
      : `${(m.cpu / n).toFixed(2)} CPU-s per customer, the workers' start-up included`,
});

// ---------------------------------------------------------------------------------------------
// Rows. `vs` names the floor a row's CPU time is compared with.

const floors = [
  { name: "node", what: "node -e 0", command: [node, "-e", "0"] },
  { name: "sdk", what: "bare require('@pulumi/pulumi')", command: [node, "-e", "require('@pulumi/pulumi')"] },
];
const previewCmd = [node, cli, "preview", "havblik", "--json", "--at", at];
const rows = [
  {
    name: "sdk-fast",
    what: "require('@pulumi/pulumi') after the project's fastStart",
    command: [node, "-e", `require(${JSON.stringify(join(root, "dist/src/offline/fastStart.js"))}); require('@pulumi/pulumi')`],
    vs: "sdk",
  },
  { name: "preview", what: "preview havblik --json (37 resources, policies included)", command: previewCmd, vs: "sdk", goal: "≤ 0.8× sdk" },
  {
    name: "preview-eager",
    what: "same, PICO_EAGER_PULUMI=1 (no fastStart)",
    command: previewCmd,
    env: { PICO_EAGER_PULUMI: "1" },
    vs: "sdk",
  },
  { name: "help", what: "--help", command: [node, cli, "--help"], vs: "node", goal: "< 2× node" },
  {
    name: "validate",
    what: "validate (every stacks/*.yaml)",
    command: [node, cli, "validate"],
    vs: "node",
    goal: "no Pulumi SDK (test/startup.test.ts)",
  },
  {
    name: "roster",
    what: "roster havblik --year 2027",
    command: [node, cli, "roster", "havblik", "--year", "2027"],
    vs: "node",
    goal: "no Pulumi SDK (test/startup.test.ts)",
  },
  // Issue 24: the roll-out plan (canary wave, the rest, preview shards) for a fleet, in memory.
  ...[1_000, 10_000].map((n) => ({
    name: `rollout-${n}`,
    what: `roll-out plan (waves and at most 256 shards each), ${n.toLocaleString("en")} generated customers`,
    command: [node, join(root, "bench", "rollout-plan.mjs"), String(n)],
    vs: "node",
    goal: "well under a second: the diff job computes it once per push",
  })),
  {
    name: "audit-100",
    what: "audit --format json, 100 generated customers",
    big: true,
    before: () => existsSync(stacks100) || generateCustomers(stacks100, 100),
    command: () => [node, cli, "audit", "--stacks", stacks100, "--format", "json", "--at", at],
    okCodes: [0, 1],
    per: 100,
  },
  {
    name: "audit-1000",
    what: "audit --format json, 1,000 generated customers, no cache",
    big: true,
    before: () => existsSync(stacks1000) || generateCustomers(stacks1000, 1000),
    command: () => [node, cli, "audit", "--stacks", stacks1000, "--format", "json", "--at", at],
    okCodes: [0, 1],
    per: 1000,
    goal: (m) => `${m.wall.toFixed(1)} s wall (goal ≤ 30), ${((m.cpu / 1000) * 1000).toFixed(0)} ms CPU per customer`,
  },
  {
    name: "audit-1000-cached",
    what: "same, --cache, every customer unchanged since the last run",
    big: true,
    before: () => {
      if (!existsSync(stacks1000)) generateCustomers(stacks1000, 1000);
      if (!existsSync(auditCache))
        measure({
          command: [node, cli, "audit", "--stacks", stacks1000, "--format", "json", "--at", at, "--cache", auditCache],
          okCodes: [0, 1],
        });
    },
    command: () => [node, cli, "audit", "--stacks", stacks1000, "--format", "json", "--at", at, "--cache", auditCache],
    okCodes: [0, 1],
    per: 1000,
    goal: (m) => `${m.wall.toFixed(1)} s wall (goal ≤ 30)`,
  },
  diffRow(1),
  diffRow(10),
  diffRow(100),
  {
    // The last row: npm test itself, whose build finds dist/ up to date (the bench built it above).
    name: "test",
    what: "npm test: the build (up to date) and the whole suite",
    big: true,
    command: ["npm", "test", "--silent", "--", "--reporter=dot"],
    goal: (m) => `${m.wall.toFixed(1)} s wall (goal < 90)`,
  },
];
const selected = rows.filter((r) => only.length === 0 || only.includes(r.name));
if (selected.length === 0) {
  console.error(`No row matches BENCH_ONLY=${only.join(",")}; have: ${rows.map((r) => r.name).join(", ")}`);
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const samples = new Map();
const record = (row, m) => {
  const s = samples.get(row.name) ?? { wall: [], cpu: [], rss: [] };
  s.wall.push(m.wall);
  s.cpu.push(m.cpu);
  s.rss.push(m.rssMB);
  samples.set(row.name, s);
};
const run = (row) => {
  row.before?.();
  const resolve = (v) => (typeof v === "function" ? v() : v);
  return measure({ command: resolve(row.command), cwd: resolve(row.cwd) ?? root, env: row.env, okCodes: row.okCodes });
};

// Start-up rows interleaved with the floors, so drift hits all alike; then the long rows, each
// followed by a floor run so the report shows how loaded the machine was meanwhile.
const small = [...floors, ...selected.filter((r) => !r.big)];
const big = selected.filter((r) => r.big);
process.stderr.write("warm-up… ");
for (const r of small) run(r);
for (let i = 0; i < runs; i++) {
  process.stderr.write(`run ${i + 1}/${runs}… `);
  for (const r of small) record(r, run(r));
}
for (const r of big) {
  for (let i = 0; i < bigRuns; i++) {
    process.stderr.write(`${r.name}… `);
    record(r, run(r));
    record(floors[1], run(floors[1]));
  }
}
process.stderr.write("\n");

const floorCpu = Object.fromEntries(floors.map((f) => [f.name, median(samples.get(f.name).cpu)]));
const table = new Table({
  head: ["row", "CPU s (median)", "wall s", "ratio", "peak RSS", "goal / per unit"],
  style: { head: [], border: [] },
});
for (const f of floors) {
  const s = samples.get(f.name);
  table.push([
    `floor ${f.name}: ${f.what}`,
    median(s.cpu).toFixed(3),
    median(s.wall).toFixed(3),
    "1.00",
    `${Math.max(...s.rss).toFixed(0)} MB`,
    "",
  ]);
}
for (const r of selected) {
  const s = samples.get(r.name);
  const m = { cpu: median(s.cpu), wall: median(s.wall), rssMB: Math.max(...s.rss) };
  const ratio = r.vs ? `${(m.cpu / floorCpu[r.vs]).toFixed(2)}× ${r.vs}` : `${(m.cpu / floorCpu.sdk).toFixed(1)}× sdk`;
  const goal =
    typeof r.goal === "function" ? r.goal(m) : (r.goal ?? (r.per ? `${((m.cpu / r.per) * 1000).toFixed(0)} ms CPU per customer` : ""));
  table.push([`${r.name}: ${r.what}`, m.cpu.toFixed(3), m.wall.toFixed(3), ratio, `${m.rssMB.toFixed(0)} MB`, goal]);
}
console.log(
  `Node ${process.version}, ${availableParallelism()} CPUs; start-up rows: median of ${runs} runs after one warm-up; ` +
    `audit, diff and test rows: ${bigRuns} run${bigRuns === 1 ? "" : "s"}. CPU = user + system, children included. ` +
    `Peak RSS is of the largest single process.`,
);
console.log(table.toString());
