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

/**
 * The files that judge stacks over gRPC through test/support/closedWorld.ts's one registry of pack
 * processes. They share forks (and so the packs, each about 1.5 CPU-s to start, and the in-process
 * pack's plans) instead of each starting its own: none sets Pulumi mocks or other process-wide state.
 */
const overGrpc = ["test/policies/*.cli.test.ts", "test/policies/closedWorld.sideDoors.test.ts"];

export default defineConfig({
  test: {
    projects: [
      // Pulumi mocks are process-global: every other test file gets a fork of its own.
      { extends: true, test: { name: "isolated", include: ["test/**/*.test.ts"], exclude: overGrpc } },
      { extends: true, test: { name: "over gRPC", include: overGrpc, isolate: false } },
    ],
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
