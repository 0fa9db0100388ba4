// Entry point the Pulumi CLI runs (package.json "main" -> ../dist/policies/index.js).
// Constructing the pack starts the Analyzer gRPC server and prints its port; keep all rules in other modules.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packArgs } from "./pack.js";

new PolicyPack(PACK_NAME, packArgs);
