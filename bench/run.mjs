#!/usr/bin/env node
// Start-up benchmarks against the floor: a bare `require('@pulumi/pulumi')`.
//
//   node bench/run.mjs                 (or: npm run bench, which builds first)
//
// Environment (a benchmark may also set its own `env`):
//   BENCH_RUNS=5          measured runs per command (median reported), after one warm-up run
//   BENCH_ONLY=preview    comma-separated benchmark names to run
//   BENCH_CMD_<NAME>=...  replace a benchmark's command, e.g. BENCH_CMD_PREVIEW="node dist/src/cli/main.js preview acme --json"
//   BENCH_STRICT=1        exit 1 when a benchmark misses its target
//
// `audit` generates its customers (bench/generate-customers.mjs) into a scratch directory first.
//
// Wall time is measured around the child process. Peak RSS comes from `/usr/bin/time -v` when it
// exists, otherwise (node commands only) from `process.resourceUsage().maxRSS` via `--import`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Table from "cli-table3";
import { generateCustomers } from "./generate-customers.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const node = process.execPath;

/** The floor: nothing any offline preview can avoid. */
const floor = { name: "floor", command: [node, "-e", "require('@pulumi/pulumi')"] };

/** The largest example customer (ten alerts) and a fixed as-of, so every run previews the same thing. */
const previewArgs = ["dist/src/cli/main.js", "preview", "havblik", "--json", "--at", "2027-01-10T12:00:00Z"];
const auditCustomers = 100;

/**
 * Benchmarks. Add one by appending { name, what, command, targets }.
 * targets.ratio: max median time relative to the floor; targets.seconds: max median seconds;
 * targets.rssMB: max peak RSS (of the largest process: with workers, the largest worker).
 * runs: at most this many measured runs (for long benchmarks). setup(scratch): run once before.
 */
const benchmarks = [
  {
    name: "preview",
    what: "offline preview of havblik (37 resources, 10 alerts), JSON, policies included",
    command: [node, ...previewArgs],
    targets: { ratio: 2.0, rssMB: 300 },
  },
  {
    name: "preview-eager",
    what: "same, without fastStart (PICO_EAGER_PULUMI=1), for comparison",
    command: [node, ...previewArgs],
    env: { PICO_EAGER_PULUMI: "1" },
    targets: { ratio: 2.5, rssMB: 300 },
  },
  {
    name: "audit",
    what: `audit --format json of ${auditCustomers} generated customers`,
    // <stacks> is filled in by setup.
    command: [node, "dist/src/cli/main.js", "audit", "--stacks", "<stacks>", "--format", "json", "--at", "2027-01-10T12:00:00Z"],
    setup(scratch) {
      const dir = join(scratch, "stacks");
      generateCustomers(dir, auditCustomers);
      this.command = this.command.map((a) => (a === "<stacks>" ? dir : a));
    },
    runs: 3,
    targets: { seconds: 15, rssMB: 400 },
  },
];

const runs = Math.max(1, Number.parseInt(process.env.BENCH_RUNS ?? "5", 10) || 5);
const only = (process.env.BENCH_ONLY ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const strict = process.env.BENCH_STRICT === "1";
const timeBin = ["/usr/bin/time", "/bin/time"].find((p) => existsSync(p));

for (const b of benchmarks) {
  const override = process.env[`BENCH_CMD_${b.name.toUpperCase()}`];
  if (override) b.command = override.trim().split(/\s+/).map((a) => (a === "node" ? node : a));
}
const selected = benchmarks.filter((b) => only.length === 0 || only.includes(b.name));
if (selected.length === 0) {
  console.error(`No benchmark matches BENCH_ONLY=${only.join(",")}; have: ${benchmarks.map((b) => b.name).join(", ")}`);
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), "pico-bench-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
for (const b of selected) b.setup?.(scratch);

/** Runs a command once; returns wall seconds and peak RSS in MB (or NaN if unknown). */
function measure(command, extraEnv = {}) {
  let argv = command;
  const env = { ...process.env, ...extraEnv };
  const rssFile = join(scratch, "maxrss");
  rmSync(rssFile, { force: true });
  if (timeBin) {
    argv = [timeBin, "-v", ...command];
  } else if (command[0] === node) {
    env.BENCH_RSS_FILE = rssFile;
    const hook =
      "data:text/javascript,import{writeFileSync}from'node:fs';" +
      "process.on('exit',()=>writeFileSync(process.env.BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))";
    argv = [node, "--import", hook, ...command.slice(1)];
  }
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error || r.status !== 0) {
    console.error(`Command failed (exit ${r.status ?? r.error?.message}): ${command.join(" ")}`);
    const stderr = (r.stderr ?? "").split("\tCommand being timed:")[0]; // drop /usr/bin/time's report
    console.error(stderr.split("\n").slice(-40).join("\n"));
    process.exit(1);
  }
  let rssKb = Number.NaN;
  if (timeBin) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (m) rssKb = Number(m[1]);
  } else if (existsSync(rssFile)) {
    rssKb = Number(readFileSync(rssFile, "utf8"));
  }
  return { seconds, rssMB: rssKb / 1024, outBytes: Buffer.byteLength(r.stdout ?? "") };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const fmtS = (xs) => `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
const fmtMB = (x) => (Number.isNaN(x) ? "n/a" : `${x.toFixed(0)} MB`);

// One warm-up of everything (file cache), then interleave floor and commands so drift hits all alike.
const all = [floor, ...selected];
process.stderr.write(`warm-up… `);
for (const b of all) measure(b.command, b.env);
const samples = new Map(all.map((b) => [b.name, { seconds: [], rss: [], outBytes: 0 }]));
for (let i = 0; i < runs; i++) {
  process.stderr.write(`run ${i + 1}/${runs}… `);
  for (const b of all) {
    if (b.runs !== undefined && i >= b.runs) continue;
    const m = measure(b.command, b.env);
    const s = samples.get(b.name);
    s.seconds.push(m.seconds);
    s.rss.push(m.rssMB);
    s.outBytes = m.outBytes;
  }
}
process.stderr.write("\n");

const floorS = samples.get("floor");
const table = new Table({
  head: ["benchmark", "median s (min–max)", "× floor", "peak RSS", "target", "result"],
  style: { head: [], border: [] },
});
table.push(["floor: require('@pulumi/pulumi')", fmtS(floorS.seconds), "1.00", fmtMB(Math.max(...floorS.rss)), "", ""]);
let missed = 0;
for (const b of selected) {
  const s = samples.get(b.name);
  const seconds = median(s.seconds);
  const ratio = seconds / median(floorS.seconds);
  const rss = Math.max(...s.rss);
  const t = b.targets;
  const ok =
    (t.ratio === undefined || ratio <= t.ratio) &&
    (t.seconds === undefined || seconds <= t.seconds) &&
    (Number.isNaN(rss) || rss <= t.rssMB);
  if (!ok) missed++;
  table.push([
    `${b.name}: ${b.what}`,
    fmtS(s.seconds),
    ratio.toFixed(2),
    fmtMB(rss),
    [t.ratio !== undefined ? `≤ ${t.ratio.toFixed(1)}×` : "", t.seconds !== undefined ? `≤ ${t.seconds} s` : "", `≤ ${t.rssMB} MB`]
      .filter(Boolean)
      .join(", "),
    ok ? "ok" : "MISSED",
  ]);
}

const counts = selected.filter((b) => b.runs !== undefined && b.runs < runs).map((b) => `, ${b.name} ${b.runs}`).join("");
console.log(`Node ${process.version}, ${runs} runs each${counts} (after one warm-up); peak RSS is the max over runs.`);
console.log(table.toString());
for (const b of [floor, ...selected]) {
  const env = Object.entries(b.env ?? {}).map(([k, v]) => `${k}=${v} `).join("");
  console.log(`  ${b.name}: ${env}${b.command.map((a) => (a === node ? "node" : a.startsWith(scratch) ? `$SCRATCH${a.slice(scratch.length)}` : a)).join(" ")}`);
}
const audit = selected.find((b) => b.name === "audit");
if (audit) {
  const s = median(samples.get("audit").seconds);
  console.log(`audit: ${s.toFixed(2)} s for ${auditCustomers} customers (${((s / auditCustomers) * 1000).toFixed(0)} ms per customer), target < ${audit.targets.seconds} s`);
}
if (missed > 0 && strict) process.exit(1);
