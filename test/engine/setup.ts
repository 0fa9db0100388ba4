// Runs once before the engine tier: builds or reuses every piece, then says what runs, real or stand-in,
// before any test does.
import { engine } from "./harness.js";

export default function setup(): void {
  const e = engine();
  process.stdout.write(`\nReal-engine tier: what runs\n${e.pieces.map((p) => `  - ${p}`).join("\n")}\n\n`);
  for (const p of e.pieces) {
    const m = /^pulumi-resource-([a-z-]+) /.exec(p);
    if (m) process.env[`PICO_PROVIDER_${m[1]!.toUpperCase().replace(/-/g, "_")}`] = e.home;
  }
  process.env.PICO_ENGINE_BIN = e.bin;
  process.env.PICO_ENGINE_HOME = e.home;
}
