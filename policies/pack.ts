// What the "pico-extended" pack is made of. Importing this module is side-effect free: it never
// constructs a PolicyPack (that starts a gRPC server), so tests and the offline audit can use it.
import type { PolicyPackArgs, Policies } from "@pulumi/policy";
import { maxAlerts } from "../src/facts/extended.js";
import { alertsRouteToPreparedness } from "./alertsRouteToPreparedness.js";
import { maxTenAlerts } from "./maxTenAlerts.js";
import { noCustomAlerts } from "./noCustomAlerts.js";
import { noPlaintextSecrets } from "./noPlaintextSecrets.js";
import { onlyKnownResourceKinds } from "./onlyKnownResourceKinds.js";
import { releasedCatalogVersions } from "./releasedCatalogVersions.js";
import { resourceMatchesPlan, stackMatchesCustomerFile } from "./stackMatchesCustomerFile.js";
import { unknownsOnlyWherePlanned } from "./unknownsOnlyWherePlanned.js";

export const PACK_NAME = "pico-extended";

export const policies: Policies = [
  noCustomAlerts,
  maxTenAlerts,
  alertsRouteToPreparedness,
  noPlaintextSecrets,
  onlyKnownResourceKinds,
  stackMatchesCustomerFile,
  resourceMatchesPlan,
  releasedCatalogVersions,
  unknownsOnlyWherePlanned,
];

export const packArgs: PolicyPackArgs = {
  displayName: "Pico Extended monitoring",
  description:
    `Standard Best Practice catalogue alerts only, at most ${maxAlerts} per customer, every one paging the customer's ` +
    "preparedness roster, no plaintext keys, and a closed world: only the kinds the components create, released catalogue " +
    "versions, no unplanned unknowns, and exactly what the customer's file renders.",
  enforcementLevel: "mandatory",
  policies,
};
