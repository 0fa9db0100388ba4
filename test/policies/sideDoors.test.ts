// Attempts to get a custom alert, or an eleventh alert, past the whole pack. Each starts from the
// stack the components create for a real customer and changes one thing; each must fail.
import { describe, expect, it } from "vitest";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { toAzureTags, toDatadogTags, type Provenance } from "../../src/catalog/provenance.js";
import { renderAlert } from "../../src/catalog/render.js";
import { runPolicies } from "../../src/offline/policyResults.js";
import { pack } from "../support/pack.js";
import {
  asPolicyInput,
  customerAlerts,
  customerStack,
  first,
  openWorldOnly,
  replace,
  resourceTypes as T,
  urnOf,
  type TestResource,
} from "../support/policyHarness.js";

const stack = customerStack("nordlys");
const alerts = customerAlerts("nordlys");
const fiveXX = alerts.find((a) => a.provenance.entry === "app-service-5xx")!;
const monitorUrn = urnOf({ type: T.monitor, name: fiveXX.name });
// Side doors that page correctly, so that only no-custom-alerts stands between them and the stack.
const fiveXXMonitor = (fiveXX as Extract<typeof fiveXX, { kind: "datadog-monitor" }>).monitor;
const stackGroupId = (first(stack, T.metricAlert).props!.actions as { actionGroupId: string }[])[0]!.actionGroupId;

type Props = Record<string, any>;
const clone = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V;

/** The 5xx monitor, changed. */
function monitor(change: (p: Props) => void): TestResource[] {
  const m = stack.find((r) => urnOf(r) === monitorUrn)!;
  const props = clone(m.props) as Props;
  change(props);
  return replace(stack, { ...m, props });
}

function changed(type: string, change: (p: Props) => void): TestResource[] {
  const r = first(stack, type);
  change(r.props as Props);
  return replace(stack, r);
}

const added = (...extra: TestResource[]) => [...stack, ...extra];

/** A standard alert the customer file does not choose, rendered for one of its resources. */
function standardMonitor(entry: string, target: string, name: string, role: Provenance["role"]): TestResource {
  const catalog = loadCatalog();
  const rendered = renderAlert(catalog, {
    customer: "nordlys",
    entry,
    version: catalog.entries.get(entry)!.version,
    role,
    target,
    bindings: { name, resourceGroup: "rg-nordlys-prod" },
    tunables: { threshold: 90 },
  });
  if (rendered.kind !== "datadog-monitor") throw new Error("fixture");
  return {
    type: T.monitor,
    name: rendered.name,
    parent: urnOf({ type: "pico:monitoring:DatadogMonitors", name: "extra" }),
    props: clone(rendered.monitor),
  };
}

interface SideDoor {
  attempt: string;
  resources: () => TestResource[];
  /** Policy name and the violation message it must report. */
  rejectedBy: [string, RegExp][];
}

const sideDoors: SideDoor[] = [
  {
    attempt: "a forged catalogue tag set on a hand-written query",
    resources: () => monitor((p) => (p.query = "avg(last_5m):avg:azure.app_services.cpu_time{*} > 1")),
    rejectedBy: [["no-custom-alerts", /field 'query' differs from catalogue entry app-service-5xx v1/]],
  },
  {
    attempt: "a MonitorJson carrying the whole monitor as JSON",
    resources: () =>
      added({
        type: "datadog:index/monitorJson:MonitorJson",
        name: "json",
        props: { monitor: JSON.stringify({ ...fiveXXMonitor, type: "query alert" }) },
      }),
    rejectedBy: [
      ["no-custom-alerts", /^'json' \(datadog:index\/monitorJson:MonitorJson\) is not a kind the Best Practice catalogue renders$/],
    ],
  },
  {
    attempt: "a Datadog synthetics test",
    resources: () =>
      added({
        type: "datadog:index/syntheticsTest:SyntheticsTest",
        name: "synth",
        props: { type: "api", message: fiveXXMonitor.message, tags: toDatadogTags(fiveXX.provenance) },
      }),
    rejectedBy: [["no-custom-alerts", /'synth' .* is not a kind the Best Practice catalogue renders/]],
  },
  {
    attempt: "a raw azure-native MetricAlert without provenance",
    resources: () =>
      changed(T.metricAlert, (p) => {
        delete p.tags;
      }),
    rejectedBy: [["no-custom-alerts", /metric alert '.*' is not from the Best Practice catalogue: it has no tags/]],
  },
  {
    attempt: "an eleventh alert split off into a second component, every alert standard",
    resources: () =>
      added(
        { type: "pico:monitoring:DatadogMonitors", name: "extra" },
        standardMonitor("app-service-plan-cpu", "pim-plan", "plan-nordlys-pim", "backend"),
        standardMonitor("redis-memory", "portal-cache", "redis-nordlys-portal", "frontend"),
      ),
    rejectedBy: [["max-ten-alerts", /^this stack has 11 alerts; the Extended package allows at most 10: /]],
  },
  {
    attempt: "a tunable out of bounds written into the tags",
    resources: () => monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, tunables: { threshold: 1000 } }))),
    rejectedBy: [["no-custom-alerts", /tunable 'threshold' is 1000; it must be between 1 and 500 responses/]],
  },
  {
    attempt: "a classic-provider azure:monitoring MetricAlert",
    resources: () =>
      added({
        type: "azure:monitoring/metricAlert:MetricAlert",
        name: "classic",
        props: { actions: [{ actionGroupId: stackGroupId }], tags: toAzureTags(alerts[2]!.provenance) },
      }),
    rejectedBy: [
      ["no-custom-alerts", /'classic' \(azure:monitoring\/metricAlert:MetricAlert\) is not a kind the Best Practice catalogue renders/],
    ],
  },
  {
    attempt: "a log query alert (ScheduledQueryRule)",
    resources: () =>
      added({
        type: "azure-native:monitor:ScheduledQueryRule",
        name: "kql",
        props: { actions: { actionGroups: [stackGroupId] }, tags: toAzureTags(alerts[2]!.provenance) },
      }),
    rejectedBy: [["no-custom-alerts", /'kql' .* is not a kind the Best Practice catalogue renders/]],
  },
  {
    attempt: "a monitor whose message drops the PagerDuty handle",
    resources: () => monitor((p) => (p.message = p.message.replace(/@pagerduty-\S+/, ""))),
    rejectedBy: [
      ["no-custom-alerts", /field 'message' differs/],
      ["alerts-route-to-preparedness", /pages no PagerDuty service/],
    ],
  },
  {
    attempt: "a monitor that hides the handle inside {{#is_alert}}",
    resources: () => monitor((p) => (p.message = p.message.replace(/(@pagerduty-\S+)/, "{{#is_alert}}$1{{/is_alert}}"))),
    rejectedBy: [
      ["no-custom-alerts", /field 'message' differs/],
      ["alerts-route-to-preparedness", /pages PagerDuty only inside \{\{#is_…\}\} blocks/],
    ],
  },
  {
    attempt: "an extra formula-and-functions `variables` field",
    resources: () =>
      monitor((p) => (p.variables = { eventQueries: [{ name: "q", dataSource: "logs", compute: { aggregation: "count" } }] })),
    rejectedBy: [["no-custom-alerts", /field 'variables' is not part of catalogue entry app-service-5xx v1/]],
  },
  {
    attempt: "a tag claiming a catalogue version that does not exist",
    resources: () => monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, version: 2 }))),
    rejectedBy: [["no-custom-alerts", /catalogue entry 'app-service-5xx' is at version 1, not 2/]],
  },
  {
    attempt: "a binding with a query-injection value in the tags",
    resources: () =>
      monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, bindings: { ...fiveXX.provenance.bindings, name: "x} OR {*" } }))),
    rejectedBy: [["no-custom-alerts", /binding 'name' in its tags has a value a catalogue alert can't carry/]],
  },
  {
    attempt: "contradicting duplicate tags",
    resources: () => monitor((p) => p.tags.push("tunable-threshold:400", "catalog:sql-cpu")),
    rejectedBy: [["no-custom-alerts", /tag 'catalog' appears twice with different values/]],
  },
  {
    attempt: "a duplicated (agreeing) tag",
    resources: () => monitor((p) => p.tags.push("catalog:app-service-5xx")),
    rejectedBy: [["no-custom-alerts", /field 'tags\[9\]' is not part of catalogue entry/]],
  },
  {
    attempt: "a valid tag set with a changed priority",
    resources: () => monitor((p) => (p.priority = "1")),
    rejectedBy: [["no-custom-alerts", /field 'priority' differs from catalogue entry app-service-5xx v1/]],
  },
  {
    attempt: "tags that claim a tunable the query does not use",
    resources: () => monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, tunables: { threshold: 400 } }))),
    rejectedBy: [["no-custom-alerts", /field 'query' differs/]],
  },
  {
    attempt: "a role tag that sends the alert to another role",
    resources: () => monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, role: "backend" }))),
    rejectedBy: [["no-custom-alerts", /catalogue entry 'app-service-5xx' belongs to role frontend, not backend/]],
  },
  {
    attempt: "a metric alert watching one more scope",
    resources: () => changed(T.metricAlert, (p) => p.scopes.push("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/other")),
    rejectedBy: [["no-custom-alerts", /field 'scopes\[2\]' is not part of catalogue entry endpoint-availability v1/]],
  },
  {
    attempt: "a resource health alert with an extra condition",
    resources: () => changed(T.activityLogAlert, (p) => p.condition.allOf.push({ field: "resourceType", equals: "Microsoft.Web/sites" })),
    rejectedBy: [["no-custom-alerts", /field 'condition.allOf\[3\]' is not part of catalogue entry resource-health v1/]],
  },
  {
    attempt: "a standard metric alert re-pointed at an action group outside the stack",
    resources: () =>
      changed(T.metricAlert, (p) => {
        p.actions[0].actionGroupId = p.actions[0].actionGroupId.replace("rg-nordlys-monitoring", "rg-elsewhere");
      }),
    rejectedBy: [
      ["no-custom-alerts", /field 'actions\[0\]\.actionGroupId' differs/],
      ["alerts-route-to-preparedness", /which this stack does not create/],
    ],
  },
  {
    attempt: "the same metric alert under an alias module token",
    resources: () => {
      const r = first(stack, T.metricAlert);
      return replace(stack, { ...r, type: "azure-native:insights:MetricAlert", urn: urnOf(r) });
    },
    rejectedBy: [["no-custom-alerts", /is not a kind the Best Practice catalogue renders/]],
  },
  {
    attempt: "a monitor whose tags are only known after deployment",
    resources: () => monitor((p) => (p.tags = UNKNOWN_SENTINEL)),
    rejectedBy: [["no-custom-alerts", /its tags are not known during preview/]],
  },
  {
    attempt: "a web test that probes another URL under a standard metric alert",
    resources: () => changed(T.webTest, (p) => (p.request.requestUrl = "https://elsewhere.example/")),
    rejectedBy: [["no-custom-alerts", /web test '.*': field 'request.requestUrl' differs/]],
  },
];

describe("side doors: custom or extra alerts never get past the pack", () => {
  it("the unchanged stack passes every policy", async () => {
    const report = await runPolicies(asPolicyInput(stack), { pack, config: openWorldOnly });
    expect(report.results.map((r) => [r.policy, r.status, r.violations])).toEqual([
      ["no-custom-alerts", "pass", []],
      ["max-ten-alerts", "pass", []],
      ["alerts-route-to-preparedness", "pass", []],
      ["no-plaintext-secrets", "pass", []],
      ["only-known-resource-kinds", "pass", []],
      ["stack-matches-customer-file", "pass", []],
      ["resource-matches-plan", "pass", []],
      ["released-catalog-versions", "pass", []],
      ["unknowns-only-where-planned", "pass", []],
    ]);
  });

  it("tries at least twelve side doors", () => {
    expect(sideDoors.length).toBeGreaterThanOrEqual(12);
  });

  it.each(sideDoors.map((d) => [d.attempt, d] as const))("rejects %s", async (_, door) => {
    const report = await runPolicies(asPolicyInput(door.resources()), { pack, config: openWorldOnly });
    const failed = report.results.filter((r) => r.status === "fail");
    expect(failed.map((r) => r.policy).sort()).toEqual(door.rejectedBy.map(([p]) => p).sort());
    for (const [policy, message] of door.rejectedBy) {
      const messages = report.results.find((r) => r.policy === policy)!.violations.map((v) => v.message);
      expect(
        messages.some((m) => message.test(m)),
        `${policy}: ${messages.join(" | ")}`,
      ).toBe(true);
    }
    for (const r of failed) expect(r.enforcementLevel).toBe("mandatory");
  });
});
