#!/usr/bin/env node
// Writes N customer files into DIR for benchmarking `audit`: copies of the example customers in
// stacks/, round robin, each renamed to its own stack (`<example>-<nnn>`). Deterministic, so every
// run benchmarks the same input.
//
//   node bench/generate-customers.mjs DIR [N=100]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function generateCustomers(dir, count = 100) {
  const stacks = join(root, "stacks");
  const examples = readdirSync(stacks)
    // As src/customer/customerFiles.ts: `Pulumi.*` and `_*` (fleet settings) are not customers.
    .filter((f) => f.endsWith(".yaml") && !f.startsWith("Pulumi.") && !f.startsWith("_"))
    .sort()
    .map((f) => ({ id: f.slice(0, -".yaml".length), text: readFileSync(join(stacks, f), "utf8") }));
  if (examples.length === 0) throw new Error(`no example customers in ${stacks}`);
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 0; i < count; i++) {
    const example = examples[i % examples.length];
    const id = `${example.id}-${String(i).padStart(3, "0")}`;
    const pattern = new RegExp(`^customer: ${example.id}\\b`, "m");
    if (!pattern.test(example.text)) throw new Error(`stacks/${example.id}.yaml has no 'customer: ${example.id}' line`);
    const file = join(dir, `${id}.yaml`);
    // The schema comment points at stacks/; the copy lives elsewhere.
    // Each copy in a subscription of its own: copies over the same resources would fail the fleet check
    // (src/plan/fleetCheck.ts), and an audit of invalid files measures nothing.
    const subscription = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    writeFileSync(
      file,
      example.text
        .replace(/^# yaml-language-server:.*\n/m, "")
        .replace(pattern, `customer: ${id}`)
        .replace(/^(\s*subscriptionId:\s*).*$/m, `$1${subscription}`),
    );
    files.push(file);
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, n] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node bench/generate-customers.mjs DIR [N=100]");
    process.exit(2);
  }
  const files = generateCustomers(dir, n === undefined ? 100 : Number.parseInt(n, 10));
  console.error(`wrote ${files.length} customer files to ${dir}`);
}
