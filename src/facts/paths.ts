import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

let root: string | undefined;

/** The repository root, found from this file whether it runs from src/ (tests) or dist/src/ (CLI). */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "pico-monitoring") {
      return (root = dir);
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`pico-monitoring: cannot find the project root above ${__dirname}`);
    dir = up;
  }
}

export const catalogDir = () => join(projectRoot(), "catalog", "entries");
export const stacksDir = () => join(projectRoot(), "stacks");

/** A file as people typed it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}
