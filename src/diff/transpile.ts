/**
 * Builds a base revision for `diff` by transpiling only: each TypeScript file on its own, with the
 * revision's own tsconfig.json, and no type check. A diff previews what the code does; type
 * errors don't stop it (a pull request that fixes a broken main must still get its preview), and
 * type checking is most of tsc's time (about 10 s here against well under one for this).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type * as TS from "typescript";

export interface TranspileResult {
  files: number;
  /** Syntax errors, as `file:line:col: message`; the file is still written when TypeScript can. */
  errors: string[];
}

export function transpileTree(tree: string, ts: typeof TS): TranspileResult {
  const configFile = join(tree, "tsconfig.json");
  const read = ts.readConfigFile(configFile, (p) => readFileSync(p, "utf8"));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, tree, undefined, configFile);
  const options: TS.CompilerOptions = { ...parsed.options, noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: false };
  const outDir = resolve(tree, options.outDir ?? ".");
  const rootDir = resolve(tree, options.rootDir ?? ".");
  const errors: string[] = [];
  let files = 0;
  for (const file of parsed.fileNames) {
    if (file.endsWith(".d.ts")) continue;
    const source = readFileSync(file, "utf8");
    const out = ts.transpileModule(source, { compilerOptions: options, fileName: file, reportDiagnostics: true });
    for (const d of out.diagnostics ?? []) {
      const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const where = `${relative(tree, file)}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}`;
      errors.push(`${where}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    }
    const target = join(outDir, relative(rootDir, file)).replace(/\.(m|c)?ts$/, (_, m: string | undefined) => `.${m ?? ""}js`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
    files++;
  }
  return { files, errors };
}
