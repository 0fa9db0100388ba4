// only-known-resource-kinds over the CLI's view: see test/support/closedWorld.ts.
import { describe, expect, it } from "vitest";
import { stackResourceTypes } from "../../src/facts/alertingResources.js";
import { onlyKnownResourceKindsMessages } from "../../policies/onlyKnownResourceKinds.js";
import { cliPhases } from "../../src/offline/cliView.js";
import { compliantView, customers, policySuite } from "../support/closedWorld.js";
import { hostileStacks } from "../support/hostileStacks.js";

const T = stackResourceTypes;

policySuite("only-known-resource-kinds", onlyKnownResourceKindsMessages, hostileStacks);

describe("the list of stack resource types", () => {
  it("holds every type the components register for the example customers, and nothing they never register but providers and the stack", async () => {
    const registered = new Set<string>();
    for (const c of customers) for (const p of cliPhases) for (const r of await compliantView(c, p)) registered.add(r.type);
    for (const t of registered) expect(Object.values(T)).toContain(t);
    const unregistered = Object.values(T).filter((t) => !registered.has(t));
    // Default providers and the stack resource are the CLI's own; the mock engine registers neither. The
    // silences exist only while an approved maintenance window is ahead, and the example customers declare
    // none (test/policies/silencesMatchApprovedWindows.cli.test.ts registers them for a customer that does).
    expect(unregistered.sort()).toEqual([
      T.azureAlertProcessingRule,
      T.datadogDowntimeSchedule,
      T.maintenanceWindows,
      "pulumi:providers:datadog",
      "pulumi:providers:pagerduty",
      "pulumi:pulumi:Stack",
    ]);
  });
});
