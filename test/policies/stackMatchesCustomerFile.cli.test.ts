// stack-matches-customer-file over the CLI's view: see test/support/closedWorld.ts.
import { stackMatchesMessages } from "../../policies/stackMatchesCustomerFile.js";
import { policySuite } from "../support/closedWorld.js";
import { hostileStacks } from "../support/hostileStacks.js";

policySuite("stack-matches-customer-file", stackMatchesMessages, hostileStacks);
