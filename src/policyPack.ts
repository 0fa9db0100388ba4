// Entry point the Pulumi CLI runs for the pack (policies/package.json "main" -> ../dist/src/policyPack.js).
// Constructing the pack starts the Analyzer gRPC server and prints its port; keep all rules in policies/.
// It lives with the entry points because it hands the pack the offline stack planner (src/offline), which
// imports the components and policies: wiring it inside policies/ would make the two folders import each other.
import { PolicyPack } from "@pulumi/policy";
import { loadCatalog } from "./catalog/load.js";
import { planStack } from "./offline/stackPlanner.js";
import { createPack, PACK_NAME } from "../policies/pack.js";

// Re-planning a customer runs the components under the mock engine, with the pack's catalogue.
new PolicyPack(PACK_NAME, createPack({ catalog: loadCatalog(), planStack }));
