// no-plaintext-secrets over the CLI's view: see test/support/closedWorld.ts.
import { noPlaintextSecretsMessages } from "../../policies/noPlaintextSecrets.js";
import { policySuite } from "../support/closedWorld.js";
import { hostileStacks } from "../support/hostileStacks.js";

policySuite("no-plaintext-secrets", noPlaintextSecretsMessages, hostileStacks);
