// released-catalog-versions over the CLI's view: see test/support/closedWorld.ts.
import { releasedCatalogVersionsMessages } from "../../policies/releasedCatalogVersions.js";
import { policySuite } from "../support/closedWorld.js";
import { hostileStacks } from "../support/hostileStacks.js";

policySuite("released-catalog-versions", releasedCatalogVersionsMessages, hostileStacks);
