import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import type { Reporter, TestModule } from "vitest/node";

/** Ends the run with the plain `N passed, N failed` line that CI logs are read for. */
const closingLine: Reporter = {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let failedTests = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedTests++;
        else skipped++;
      }
      // A file that fails to load or in a hook runs no test: it still counts as a failure.
      failed += failedTests || (m.state() === "failed" ? 1 : 0);
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`);
  },
};

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi mocks are process-global: each test file gets its own fork.
    pool: "forks",
    // vitest's default is one fewer than the CPUs: one fork on a 2-core CI runner. Most test files
    // wait on the built CLI or on Pulumi's mock engine in a single thread, so one per core overlaps.
    maxWorkers: Math.max(2, availableParallelism()),
    // The SDK loaded as the CLI loads it (see the file).
    setupFiles: ["./test/support/fastStart.setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", closingLine],
  },
});
