// Runs once before the engine tier: builds or reuses every piece, then says what runs, real or stand-in,
// before any test does. The plugin tests find their plugin through PICO_PROVIDER_<NAME>: a built binary's
// path, or, for a Node.js plugin folder, the PULUMI_HOME it is installed in.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { engine } from "./harness.js";

export default function setup(): void {
  const e = engine();
  process.stdout.write(`\nReal-engine tier: what runs\n${e.pieces.map((p) => `  - ${p}`).join("\n")}\n\n`);
  for (const p of e.pieces) {
    const m = /^pulumi-resource-([a-z-]+) v(\S+):/.exec(p);
    if (!m) continue;
    const binary = join(e.home, "plugins", `resource-${m[1]}-v${m[2]}`, `pulumi-resource-${m[1]}`);
    process.env[`PICO_PROVIDER_${m[1]!.toUpperCase().replace(/-/g, "_")}`] = existsSync(binary) ? binary : e.home;
  }
  process.env.PICO_ENGINE_BIN = e.bin;
  process.env.PICO_ENGINE_HOME = e.home;
}
