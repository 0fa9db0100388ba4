// alerts-route-to-preparedness over the CLI's view: one name not known yet in preview leaves only what
// depends on it undecided; every other alert is still judged (issue 11, item 5).
import { describe, expect, it } from "vitest";
import { stackResourceTypes as T } from "../../src/facts/alertingResources.js";
import { runPolicies } from "../../src/offline/policyResults.js";
import { pack } from "../support/pack.js";
import { changed, clone, compliantView, overGrpc, packs, stackOf } from "../support/closedWorld.js";

const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("alerts-route-to-preparedness with one unknown name", () => {
  it("still rejects the other alerts' routing, in-process and over gRPC", async () => {
    // An update: before the first `up` the action groups' ARM names are not known (azure-native outputs), so Azure routing is decided then.
    let v = clone(await compliantView("nordlys", "update"));
    v = changed(
      v,
      T.datadogPagerdutyServiceObject,
      (p) => {
        p.serviceName = U;
      },
      /pim/,
    );
    v = changed(
      v,
      T.datadogMonitor,
      (p) => {
        p.message = p.message.replace(/@pagerduty-\S+/g, "");
      },
      /5xx/,
    );
    v = changed(
      v,
      T.azureMetricAlert,
      (p) => {
        p.actions[0].actionGroupId = p.actions[0].actionGroupId.replace(/actionGroups\/.*$/, "actionGroups/elsewhere");
      },
      /shop/,
    );
    const want = [
      "monitor 'nordlys-app-service-5xx-portal-app' pages no PagerDuty service: its message has no @pagerduty-<service> handle",
      "metric alert 'nordlys-endpoint-availability-shop' notifies action group 'elsewhere' in resource group 'rg-nordlys-monitoring', which this stack does not create",
    ].sort();
    const local = (await runPolicies(v, { pack, stack: stackOf("nordlys", "update") })).results.find(
      (r) => r.policy === "alerts-route-to-preparedness",
    )!;
    expect(local.violations.map((x) => x.message).sort()).toEqual(want);
    const remote = await overGrpc(await packs.get("nordlys", "update"), v, "AnalyzeStack");
    expect(
      remote
        .filter((x) => x.policy === "alerts-route-to-preparedness")
        .map((x) => x.message)
        .sort(),
    ).toEqual(want);
  });
});
