// Entry point the Pulumi CLI runs (package.json "main" -> ../dist/policies/index.js).
// Constructing the pack starts the Analyzer gRPC server and prints its port; keep all rules in other modules.
import { PolicyPack } from "@pulumi/policy";
import { loadCatalog } from "../src/catalog/load.js";
import { planStack } from "../src/offline/stackPlanner.js";
import { createPack, PACK_NAME } from "./pack.js";

// Re-planning a customer runs the components under the mock engine, with the pack's catalogue.
new PolicyPack(PACK_NAME, createPack({ catalog: loadCatalog(), planStack }));
