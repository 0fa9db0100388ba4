// unknowns-only-where-planned over the CLI's view: see test/support/closedWorld.ts.
import { unknownsMessages } from "../../policies/unknownsOnlyWherePlanned.js";
import { policySuite } from "../support/closedWorld.js";
import { hostileStacks } from "../support/hostileStacks.js";

policySuite("unknowns-only-where-planned", unknownsMessages, hostileStacks);
