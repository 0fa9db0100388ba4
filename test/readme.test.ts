/**
 * Every `npx pico-monitoring …` command the README shows runs here, as written (paths that would
 * write into the repository are redirected to a temporary folder). `npm ci`, `npm test` and the
 * quick start run in .ci/run; `pulumi …` commands need the Pulumi CLI, which CI doesn't have.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./support/cli.js";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
const commands = blocks
  .flatMap((b) => b.split("\n"))
  .map((l) => l.replace(/\s+#.*$/, "").trim())
  .flatMap((l) => l.split("&&").map((c) => c.trim()))
  .filter((l) => l.startsWith("npx pico-monitoring "));

const out = mkdtempSync(join(tmpdir(), "readme-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Commands whose documented exit code is not 0 on the examples, and why. */
const expectedExit: Record<string, number> = {
  // No Datadog, PagerDuty or Azure credentials here: exit 2, naming the variables (test/verify.test.ts).
  "npx pico-monitoring verify nordlys": 2,
  "npx pico-monitoring verify --all --format sarif --at 2027-03-22T09:00": 2,
};

describe("README commands", () => {
  it("the README shows the commands of every user", () => {
    for (const sub of ["validate", "preview", "roster", "diff", "audit", "verify"]) {
      expect(
        commands.some((c) => c.startsWith(`npx pico-monitoring ${sub}`)),
        sub,
      ).toBe(true);
    }
  });

  it.each(commands)("%s", (command) => {
    const args = command
      .slice("npx pico-monitoring ".length)
      .split(/\s+/)
      // A fresh clone may have no origin/main; HEAD is the same comparison with nothing changed.
      .map((a) => (a === "origin/main" ? "HEAD" : a))
      .map((a) => (a === "reports/" ? join(out, "reports") : a.endsWith(".ics") ? join(out, a) : a));
    const r = runCli(args);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(r.code, r.stderr).toBe(expectedExit[command] ?? 0);
  });
});
