// What the "pico-extended" pack is made of. Importing this module is side-effect free: it never
// constructs a PolicyPack (that starts a gRPC server), so tests and the offline audit can use it.
// The pack is built from what it judges by, handed in: no policy loads a catalogue or finds a planner itself.
import type { PolicyPackArgs, Policies } from "@pulumi/policy";
import type { Catalog } from "../src/catalog/entry.js";
import type { VersionLock } from "../src/catalog/versionLock.js";
import { maxAlerts } from "../src/facts/extended.js";
import { alertsRouteToPreparedness } from "./alertsRouteToPreparedness.js";
import { maxTenAlerts } from "./maxTenAlerts.js";
import { noCustomAlerts } from "./noCustomAlerts.js";
import { noPlaintextSecrets } from "./noPlaintextSecrets.js";
import { onlyKnownResourceKinds } from "./onlyKnownResourceKinds.js";
import { plannedStacks, type StackPlanner } from "./plannedStack.js";
import { promise } from "./promise.js";
import { releasedCatalogVersions, repositoryReleasedVersions } from "./releasedCatalogVersions.js";
import { silencesMatchApprovedWindows } from "./silencesMatchApprovedWindows.js";
import { resourceMatchesPlan, stackMatchesCustomerFile } from "./stackMatchesCustomerFile.js";
import { unknownsOnlyWherePlanned } from "./unknownsOnlyWherePlanned.js";

export const PACK_NAME = "pico-extended";

export interface PackDependencies {
  /** The released catalogue: no-custom-alerts re-renders from it, and the planner plans with it. */
  catalog: Catalog;
  /** Re-plans a customer's file for the closed-world policies (see ./plannedStack). */
  planStack: StackPlanner;
  /** The versions released-catalog-versions accepts; default: the repository's catalog/versions.lock.json. */
  releasedVersions?: VersionLock;
}

/** A pack's arguments: its policies always present. */
export type Pack = PolicyPackArgs & { policies: Policies };

export function createPack({ catalog, planStack, releasedVersions = repositoryReleasedVersions() }: PackDependencies): Pack {
  const plans = plannedStacks(catalog, planStack);
  return {
    displayName: "Pico Extended monitoring",
    description:
      `Standard Best Practice catalogue alerts only, at most ${maxAlerts} per customer, every one paging the customer's ` +
      "preparedness roster, no plaintext keys, and a closed world: only the kinds the components create, released catalogue " +
      "versions, no unplanned unknowns, exactly what the customer's file renders, and no silence but an approved maintenance window.",
    enforcementLevel: "mandatory",
    // Each a promise: mandatory whatever the configuration says, unless disabled (./promise.ts).
    policies: [
      noCustomAlerts(catalog),
      maxTenAlerts,
      alertsRouteToPreparedness,
      noPlaintextSecrets,
      onlyKnownResourceKinds,
      stackMatchesCustomerFile(plans),
      resourceMatchesPlan(plans),
      releasedCatalogVersions(releasedVersions),
      unknownsOnlyWherePlanned,
      silencesMatchApprovedWindows(catalog),
    ].map(promise),
  };
}
