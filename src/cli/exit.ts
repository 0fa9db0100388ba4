/** Exit codes: 0 success, 1 invalid input or failed policy, 2 usage error. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function exitWith(code: number): void {
  process.exitCode = code;
}
