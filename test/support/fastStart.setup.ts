// Every test file starts as the CLI does (src/cli/main.ts imports fastStart first): @pulumi/pulumi
// then defers what only closure serialization and the real engine use, about half a CPU-second per
// test file that loads the SDK. Tests of fastStart itself start their own processes.
import "../../src/offline/fastStart.js";
