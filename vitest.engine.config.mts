import { defineConfig } from "vitest/config";

/**
 * The real-engine tier (`npm run test:engine`): the Pulumi CLI built from source (test/engine/build.sh) runs
 * the program and the pack against the API stand-ins. One file at a time: each drives whole `pulumi` runs,
 * which already keep both cores busy.
 */
export default defineConfig({
  test: {
    include: ["test/engine/**/*.engine.test.ts"],
    globalSetup: ["./test/engine/setup.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
    reporters: ["default"],
  },
});
