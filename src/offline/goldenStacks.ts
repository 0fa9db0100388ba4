/**
 * The golden stacks the policy tests start from (test/golden/<customer>.<phase>.json): for each
 * example customer and CLI phase, what the real `CustomerMonitoring` registers under the mock engine,
 * passed through the CLI-view model (./cliView.ts, whose header cites the pulumi/pulumi sources of
 * each rule), i.e. the resources exactly as the pack's analyzer receives them. `npm run generate`
 * (src/generate.ts) writes them; test/generated.test.ts fails when they are stale. Here: which there
 * are, where, and at what as-of; light, so that tests reading them load nothing else.
 */
import { join } from "node:path";
import { customerIdsIn } from "../customer/customerFiles.js";
import { cliPhases, type CliPhase } from "../facts/analyzedResource.js";
import { projectRoot, stacksDir } from "../facts/paths.js";

/** The as-of every golden stack is planned at (schedules and layers depend on it); tests judge them at the same. */
export const goldenAsOf = new Date("2027-01-10T12:00:00Z");

export const goldenDir = () => join(projectRoot(), "test", "golden");

/** Where the golden stack of `customer` in `phase` is committed. */
export const goldenStackFile = (customer: string, phase: CliPhase) => join(goldenDir(), `${customer}.${phase}.json`);

/** Every golden stack: one per example customer and CLI phase. */
export const goldenStacks = () =>
  customerIdsIn(stacksDir())
    .sort()
    .flatMap((customer) => cliPhases.map((phase) => ({ customer, phase })));
