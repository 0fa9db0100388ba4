// What the "pico-extended" pack is made of. Importing this module is side-effect free: it never
// constructs a PolicyPack (that starts a gRPC server), so tests and the offline audit can use it.
import type { PolicyPackArgs, Policies } from "@pulumi/policy";
import { placeholderPolicies } from "./placeholder.js";

export const PACK_NAME = "pico-extended";

export const policies: Policies = [...placeholderPolicies];

export const packArgs: PolicyPackArgs = {
    displayName: "Pico Extended monitoring",
    description: "Standard catalogue alerts only, and at most ten per customer.",
    enforcementLevel: "mandatory",
    policies,
};
