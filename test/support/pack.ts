// The pack the tests judge with: built as src/policyPack.ts builds the CLI's (the repository's
// catalogue, the re-planning planner), so in-process results are the gRPC pack's.
import { createPack } from "../../policies/pack.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { planStack } from "../../src/offline/stackPlanner.js";

/** The repository's catalogue, which the pack judges and plans by. */
export const catalog = loadCatalog();

export const pack = createPack({ catalog, planStack });
