/**
 * Where the fleet settings live (see fleet.ts), apart from their schema: the checked-customer
 * cache keys on this file without loading zod.
 */
import { join } from "node:path";
import { stacksDir } from "../facts/paths.js";

export const fleetFileName = "_fleet.yaml";

export const fleetFile = () => join(stacksDir(), fleetFileName);
