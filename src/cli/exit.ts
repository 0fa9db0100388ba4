/** Exit codes: 0 success, 1 invalid input or failed policy, 2 usage error (src/facts/problems.ts). */
export function exitWith(code: number): void {
  process.exitCode = code;
}
