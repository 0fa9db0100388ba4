/**
 * Reads a YAML input (customer file or catalogue entry) defensively and keeps its source
 * positions, so that every problem can be reported as `file:line:col`.
 */
import { readFileSync, statSync } from "node:fs";
import type { Document, Node } from "yaml";
import { lazyRequire } from "./lazy.js";
import type { Problem } from "./problems.js";

/** The parser, on first parse: a checked customer or catalogue read from dist/.cache needs none. */
const yaml = lazyRequire<typeof import("yaml")>("yaml");

/** Customer files are a few KiB; anything near this is not a customer file. */
export const maxInputBytes = 256 * 1024;
/** Aliases beyond this are treated as an alias bomb. */
const maxAliasCount = 100;
/** A customer file nests about six levels; far deeper flow collections exhaust the parser's stack. */
export const maxNesting = 32;

export type Path = readonly (string | number)[];

export interface YamlSource {
  file: string;
  data: unknown;
  /** Position of the value at `path` (or of its key, with `at: "key"`), falling back to the nearest parent. */
  locate(path: Path, at?: "key" | "value"): { line: number; col: number };
  problem(path: Path, message: string, at?: "key" | "value"): Problem;
}

export type ReadResult = { ok: true; source: YamlSource } | { ok: false; problems: Problem[] };

/** A path as a message names it: `systems[0].resources[1].name`. */
export function fieldName(path: Path): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

export function readYamlFile(file: string, displayName = file): ReadResult {
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > maxInputBytes) {
      return fail(displayName, `file is ${size} bytes; an input file is at most ${maxInputBytes} bytes`);
    }
    bytes = readFileSync(file);
  } catch (e) {
    return fail(displayName, `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseYamlText(bytes, displayName);
}

export function parseYamlText(bytes: Buffer | string, file: string): ReadResult {
  let text: string;
  if (typeof bytes === "string") {
    text = bytes;
  } else {
    if (bytes.length > maxInputBytes) {
      return fail(file, `file is ${bytes.length} bytes; an input file is at most ${maxInputBytes} bytes`);
    }
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return fail(file, "file is not UTF-8 text (is it a binary file?)");
    }
  }
  const nul = text.indexOf("\0");
  if (nul >= 0 || /[\u0001-\u0008\u000e-\u001f]/.test(text)) {
    return fail(file, "file contains control characters; it is not a YAML text file");
  }
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } = yaml();
  const lineCounter = new LineCounter();
  const tooDeep = flowNestingBeyond(text, maxNesting);
  const docs = tooDeep === undefined ? parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true }) : [];
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  if (tooDeep !== undefined) {
    const before = text.slice(0, tooDeep);
    const line = before.split("\n").length;
    const col = tooDeep - before.lastIndexOf("\n");
    return { ok: false, problems: [{ file, line, col, message: nestingMessage }] };
  }
  if (!Array.isArray(docs) || docs.length === 0) {
    return fail(file, "file is empty; expected a mapping with customer:, systems:, alerts: and roster:");
  }
  const problems: Problem[] = [];
  for (const doc of docs) {
    for (const err of doc.errors) {
      const { line, col } = pos(err.pos[0]);
      const msg = err.code === "DUPLICATE_KEY" ? `duplicate key: ${firstLine(err.message)}` : firstLine(err.message);
      problems.push({ file, line, col, message: /call stack/i.test(msg) ? nestingMessage : `invalid YAML: ${msg}` });
    }
  }
  if (problems.length) return { ok: false, problems };
  if (docs.length > 1) {
    const second = docs[1]!;
    const { line, col } = pos(second.range[0]);
    return { ok: false, problems: [{ file, line, col, message: "file holds more than one YAML document; expected exactly one" }] };
  }
  const doc = docs[0] as Document.Parsed;
  if (!isMap(doc.contents)) {
    const at = doc.contents ? pos(doc.contents.range[0]) : { line: 1, col: 1 };
    const what = doc.contents == null ? "empty" : isSeq(doc.contents) ? "a list" : "a single value";
    return { ok: false, problems: [{ file, ...at, message: `the document is ${what}; expected a mapping of keys` }] };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount });
  } catch (e) {
    const message = /alias/i.test(String(e))
      ? `too many alias expansions (more than ${maxAliasCount}); is this an alias bomb?`
      : e instanceof RangeError
        ? nestingMessage
        : `cannot read YAML: ${firstLine(String((e as Error).message ?? e))}`;
    return fail(file, message);
  }

  const locate = (path: Path, at: "key" | "value" = "value") => {
    let node: Node | null | undefined = doc.contents as Node;
    let keyNode: Node | undefined;
    for (const seg of path) {
      let next: Node | undefined;
      if (isMap(node)) {
        const items: unknown[] = node.items;
        const pair = items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
        if (isPair(pair)) {
          keyNode = pair.key as Node;
          next = (pair.value as Node | null) ?? keyNode;
        }
      } else if (isSeq(node) && typeof seg === "number") {
        next = node.items[seg] as Node | undefined;
        keyNode = next;
      }
      if (!next) break;
      node = next;
    }
    const target = at === "key" && keyNode ? keyNode : node;
    return target?.range ? pos(target.range[0]) : { line: 1, col: 1 };
  };
  const source: YamlSource = {
    file,
    data,
    locate,
    problem: (path, message, at) => ({ file, ...locate(path, at), message }),
  };
  return { ok: true, source };
}

const nestingMessage = `lists and mappings are nested more than ${maxNesting} levels deep here; a customer file needs about six`;

/**
 * Offset of the first `[` or `{` that opens a flow collection deeper than `max`, or undefined.
 * Quoted scalars and comments are skipped, so brackets inside them don't count.
 */
function flowNestingBeyond(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf("\n", i);
      if (end < 0) break;
      i = end;
    } else if (c === '"' || c === "'") {
      // Only a quote that starts a scalar opens one; an apostrophe inside a plain word does not.
      if (i > 0 && !/[\s[{,:]/.test(text[i - 1]!)) continue;
      for (i++; i < text.length; i++) {
        if (c === '"' && text[i] === "\\") i++;
        else if (text[i] === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === "[" || c === "{") {
      if (++depth > max) return i;
    } else if ((c === "]" || c === "}") && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function fail(file: string, message: string): ReadResult {
  return { ok: false, problems: [{ file, line: 1, col: 1, message }] };
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
