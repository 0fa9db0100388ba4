/** A problem in an input file, reported as `file:line:col: message`. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/** A usage problem (unknown customer, bad flag value): exit 2 with one line. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Thrown where a caller needs an exception; carries every problem found. */
export class InputError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "InputError";
  }
}

/**
 * What a command prints and exits with for an error that ends it: usage 2, bad input 1 (one
 * `file:line:col: message` line per problem), anything else 70 with the stack. Here, below the CLI,
 * because diff's side previews answer in the CLI's words from inside a worker.
 */
export function describeFailure(e: unknown): { code: number; lines: string[] } {
  if (e instanceof UsageError) return { code: 2, lines: [`pico-monitoring: ${e.message}`] };
  if (e instanceof InputError) return { code: 1, lines: e.problems.map(formatProblem) };
  return { code: 70, lines: [`pico-monitoring: internal error: ${(e as Error)?.stack ?? String(e)}`] };
}
