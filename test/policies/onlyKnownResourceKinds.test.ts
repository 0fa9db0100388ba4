// only-known-resource-kinds over the CLI's view: see test/support/closedWorld.ts.
import { describe, expect, it } from "vitest";
import { stackResourceTypes } from "../../src/alertingResources.js";
import { cliPhases, type AnalyzedResource } from "../../src/cliView.js";
import { compliantView, customers, find, policySuite, type HostileCase } from "../support/closedWorld.js";

const T = stackResourceTypes;

/** A resource of another type, beside (or instead of) one the components register. */
function foreign(view: AnalyzedResource[], type: string, like: string = T.datadogMonitor): AnalyzedResource[] {
    const r = find(view, like);
    const urn = r.urn.replace(/[^$:]+::[^:]+$/, `${type}::side-door`).replace(`${r.type}::`, `${type}::`);
    return [...view, { ...r, type, name: "side-door", urn }];
}

const kinds: [string, string][] = [
    ["a Datadog downtime", "datadog:index/downtime:Downtime"],
    ["a Datadog downtime schedule", "datadog:index/downtimeSchedule:DowntimeSchedule"],
    ["an alert processing rule", "azure-native:alertsmanagement:AlertProcessingRuleByName"],
    ["a PagerDuty maintenance window", "pagerduty:index/maintenanceWindow:MaintenanceWindow"],
    ["a PagerDuty event orchestration", "pagerduty:index/eventOrchestration:EventOrchestration"],
    ["a PagerDuty event rule", "pagerduty:index/eventRule:EventRule"],
    ["a dynamic provider resource", "pulumi-nodejs:dynamic:Resource"],
    ["a command", "command:local:Command"],
    ["a metric alert under the insights alias", "azure-native:insights:MetricAlert"],
    ["an API-versioned metric alert", "azure-native:monitor/v20180301:MetricAlert"],
];

const cases: HostileCase[] = kinds.map(([name, type]) => ({
    name,
    message: "unknown-kind",
    expect: new RegExp(`^'side-door' is a ${type.replace(/[/$]/g, "\\$&")}, which the pico-monitoring components never create$`),
    mutate: (view) => foreign(view, type),
}));

policySuite("only-known-resource-kinds", ["unknown-kind"], cases);

describe("the list of stack resource types", () => {
    it("holds every type the components register for the example customers, and nothing they never register but providers and the stack", async () => {
        const registered = new Set<string>();
        for (const c of customers) for (const p of cliPhases) for (const r of await compliantView(c, p)) registered.add(r.type);
        for (const t of registered) expect(Object.values(T)).toContain(t);
        const unregistered = Object.values(T).filter((t) => !registered.has(t));
        // Default providers and the stack resource are the CLI's own; the mock engine registers neither.
        expect(unregistered.sort()).toEqual(["pulumi:providers:datadog", "pulumi:providers:pagerduty", "pulumi:pulumi:Stack"]);
    });
});
