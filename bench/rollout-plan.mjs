#!/usr/bin/env node
// The roll-out plan of issue 24 for N generated customers (bench/run.mjs times it under /usr/bin/time):
// the canary wave and the rest, each cut into at most 256 shards, and the one-matrix preview shards.
// Each customer costs what one of the example customers' previews holds, round robin, as
// bench/generate-customers.mjs copies them.
//
//   node bench/rollout-plan.mjs N
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { planRollout, defaultRolloutSettings } = require(join(root, "dist", "src", "plan", "rollout.js"));

const n = Number.parseInt(process.argv[2] ?? "1000", 10);
// The resources to preview of baltic-freight, havblik and nordlys (fleet plan --json).
const costs = [33, 38, 37];
const customers = Array.from({ length: n }, (_, i) => ({
  customer: `customer-${String(i).padStart(5, "0")}`,
  cost: costs[i % 3],
  ownFilesOnly: false,
}));
const plan = planRollout(customers, defaultRolloutSettings);
const [canary, rest] = plan.waves;
const spread = (shards) => Math.max(...shards.map((s) => s.cost)) - Math.min(...shards.map((s) => s.cost));
process.stdout.write(
  `${n} customers: ${canary.customers.length} canaries in ${canary.shards.length} shards, ${rest.customers.length} in ${rest.shards.length} shards (cost spread ${spread(rest.shards)}), ${plan.all.length} preview shards\n`,
);
