import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type Reporter, type TestModule, type TestSpecification } from "vitest/node";

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
 * The longest files (each 10 to 30 s on 2 cores), started first so that none is left running alone at
 * the end. vitest orders files by the durations of the last run, which it keeps in node_modules/.vite;
 * a clean checkout (CI) has none, and then it goes by file size, which put the 38-line side-door suite,
 * one of the longest, last (a clean clone's vitest run: 100 s before this order, 91 s after).
 */
const longestFirst = [
  "test/cliView.grpc.test.ts",
  "test/diffCommand.test.ts",
  "test/oneTool.test.ts",
  "test/policies/closedWorld.sideDoors.test.ts",
  "test/policies/stackMatchesCustomerFile.cli.test.ts",
  "test/readme.test.ts",
  "test/auditCommand.test.ts",
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = longestFirst.findIndex((p) => f.moduleId.endsWith(p));
      return i < 0 ? longestFirst.length : i;
    };
    // Projects stay in vitest's order (it runs them in turn); within one, the list first, then vitest's own order.
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    const project = (f: TestSpecification) => projects.indexOf(f.project.name);
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => project(a.f) - project(b.f) || rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

/**
 * Files that change process-wide state, and so get a fork each: program.test.ts re-imports the
 * program (it registers as its module loads) with vi.resetModules and PULUMI_CONFIG,
 * mockEngine.test.ts patches protobuf's Struct prototype and PULUMI_DEBUG_PROMISE_LEAKS, and
 * preparednessRoster.test.ts sets Pulumi mocks of its own.
 */
const ownProcess = ["test/program.test.ts", "test/mockEngine.test.ts", "test/preparednessRoster.test.ts"];

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: "own fork", include: ownProcess } },
      // Every other file runs several to a fork: they share its loaded modules, the in-process pack's
      // plans, and test/support/closedWorld.ts's pack processes (about 1.5 CPU-s each to start).
      // Measured: 237 CPU-s for the suite with a fork per file, 139 with this and the shared packs.
      {
        extends: true,
        test: { name: "shared forks", include: ["test/**/*.test.ts"], exclude: [...ownProcess, "test/engine/**"], isolate: false },
      },
    ],
    pool: "forks",
    sequence: { sequencer: LongestFirst },
    // One more fork than cores: a fork waits whole seconds on a CLI process, git or a pack, and the
    // spare one keeps both cores busy meanwhile (on 2 cores: 84 s against 89 s with 2 forks).
    maxWorkers: availableParallelism() + 1,
    // The SDK loaded as the CLI loads it (see the file).
    setupFiles: ["./test/support/fastStart.setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default", closingLine],
  },
});
