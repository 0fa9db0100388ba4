/**
 * `--out <file>`, the same in every command that prints one result: checked before any work starts
 * (a path that can't be written must not fail the run at the end), then the result goes to the file
 * and one summary line to stdout.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { UsageError } from "../facts/problems.js";

export function checkOutFile(flag: string, file: string | undefined, names = "the file to write"): void {
  if (file === undefined) return;
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${flag} '${file}' is a directory; it names ${names}`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    accessSync(dirname(file), constants.W_OK);
  } catch (e) {
    throw new UsageError(`${flag} '${file}': cannot write there (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

export function writeOutFile(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

/** The result to `file` with a summary line on stdout, or the result itself on stdout. */
export function emitResult(
  file: string | undefined,
  text: string,
  summary: string,
  write: (s: string) => unknown = (s) => process.stdout.write(s),
): void {
  if (file === undefined) {
    write(text);
    return;
  }
  writeOutFile(file, text);
  write(`${summary}; written to ${file}\n`);
}
