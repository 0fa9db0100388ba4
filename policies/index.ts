// Entry point the Pulumi CLI runs (package.json "main" -> ../dist/policies/index.js).
// Constructing the pack starts the Analyzer gRPC server and prints its port; keep all rules in other modules.
import { PolicyPack } from "@pulumi/policy";
import { planStack } from "../src/offline/stackPlanner.js";
import { PACK_NAME, packArgs } from "./pack.js";
import { useStackPlanner } from "./plannedStack.js";

// Re-planning a customer runs the components under the mock engine: the pack gets that from here.
useStackPlanner(planStack);
new PolicyPack(PACK_NAME, packArgs);
