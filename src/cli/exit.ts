import { formatProblem, InputError } from "../problems";

/** Exit codes: 0 success, 1 invalid input or failed policy, 2 usage error. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function exitWith(code: number): void {
  process.exitCode = code;
}

/**
 * What the CLI prints and exits with for an error that ends a command: usage 2, bad input 1 (one
 * `file:line:col: message` line per problem), anything else 70 with the stack.
 */
export function describeFailure(e: unknown): { code: number; lines: string[] } {
  if (e instanceof UsageError) return { code: 2, lines: [`pico-monitoring: ${e.message}`] };
  if (e instanceof InputError) return { code: 1, lines: e.problems.map(formatProblem) };
  return { code: 70, lines: [`pico-monitoring: internal error: ${(e as Error)?.stack ?? String(e)}`] };
}
