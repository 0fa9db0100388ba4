/**
 * A command runs the compiled dist/; a source newer than its own compiled file (or with none) would
 * make its output describe code that isn't the working tree's, so `diff`, `preview` and `audit`
 * refuse. Each file is compared with its own output, so rebuilding only what changed is enough.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "./problems.js";

/** A usage error naming the sources newer than their build, if any. */
export function refuseIfStale(root: string): void {
  const newer: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) {
        const rel = p.slice(root.length + 1);
        const js = join(root, "dist", rel.replace(/\.ts$/, ".js"));
        if (!existsSync(js) || statSync(p).mtimeMs > statSync(js).mtimeMs) newer.push(rel);
      }
    }
  };
  for (const d of ["src", "components", "policies"]) walk(join(root, d));
  if (newer.length) {
    throw new UsageError(
      `${newer.slice(0, 3).join(", ")}${newer.length > 3 ? ` and ${newer.length - 3} more` : ""} changed after the last build of dist/; run \`npm run build\` first`,
    );
  }
}

/** The same, for a command of the built CLI; nothing to check when the sources run directly (tests). */
export function refuseIfStaleBuild(root: string): void {
  if (__filename.endsWith(".js")) refuseIfStale(root);
}
