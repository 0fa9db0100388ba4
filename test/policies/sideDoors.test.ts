// Attempts to get a custom alert, or an eleventh alert, past the whole pack. Each starts from nordlys's
// golden stack (test/support/goldenStacks.ts: what the components register, as the analyzer receives it)
// and changes one thing; each must fail. `rejectedBy` names the per-resource ("open-world") policies,
// the ones a published pack without the repository relies on, and what they must say; `alsoClosedWorld`
// the policies that compare the stack with the customer file and the catalogue, which reject it too.
import { describe, expect, it } from "vitest";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { toAzureTags, toDatadogTags } from "../../src/catalog/provenance.js";
import { type AnalyzedResource, changed, copyOf, extra, find, golden, judge, renderedAlerts, T } from "../support/goldenStacks.js";

const stack = golden();
const alerts = renderedAlerts("nordlys");
const fiveXX = alerts.find((a) => a.provenance.entry === "app-service-5xx")!;
if (fiveXX.kind !== "datadog-monitor") throw new Error("fixture");
const availability = alerts.find((a) => a.kind === "azure-availability-test")!;
const fiveXXMonitor = find(stack, T.datadogMonitor, fiveXX.name);
// Side doors that page correctly, so that only no-custom-alerts stands between them and the stack.
const stackGroupId = (find(stack, T.azureMetricAlert).outputs.actions as { actionGroupId: string }[])[0]!.actionGroupId;

type Props = Record<string, any>;

/** The 5xx monitor, changed. */
const monitor = (change: (p: Props) => void) => changed(stack, T.datadogMonitor, change, fiveXX.name);
const added = (...more: AnalyzedResource[]) => [...stack, ...more];
const kind = (type: string, name: string, props: Props) => extra(stack, type, name, props);

/** Two of the stack's standard monitors again, under a second Datadog component: every alert standard. */
function splitOff(): AnalyzedResource[] {
  const component = copyOf(find(stack, T.datadogMonitors), "extra");
  const moved = [/sql-cpu/, /plan-memory/].map((name) => {
    const m = find(stack, T.datadogMonitor, name);
    return {
      ...copyOf(m, `${m.name}-2`),
      parent: component.urn,
      urn: `${component.urn.replace(/::[^:]+$/, "")}$${T.datadogMonitor}::${m.name}-2`,
    };
  });
  return added(component, ...moved);
}

const CUSTOMER_FILE = "stack-matches-customer-file";
const PLAN = "resource-matches-plan";
const KINDS = "only-known-resource-kinds";
const RELEASED = "released-catalog-versions";
const UNKNOWNS = "unknowns-only-where-planned";

interface SideDoor {
  attempt: string;
  resources: () => AnalyzedResource[];
  /** Per-resource policy and the violation message it must report. */
  rejectedBy: [string, RegExp][];
  /** The closed-world policies that fail it as well. */
  alsoClosedWorld: string[];
}

const sideDoors: SideDoor[] = [
  {
    attempt: "a forged catalogue tag set on a hand-written query",
    resources: () => monitor((p) => (p.query = "avg(last_5m):avg:azure.app_services.cpu_time{*} > 1")),
    rejectedBy: [["no-custom-alerts", /field 'query' differs from catalogue entry app-service-5xx v2/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a MonitorJson carrying the whole monitor as JSON",
    resources: () =>
      added(
        kind("datadog:index/monitorJson:MonitorJson", "json", { monitor: JSON.stringify({ ...fiveXXMonitor.props, type: "query alert" }) }),
      ),
    rejectedBy: [
      ["no-custom-alerts", /^'json' \(datadog:index\/monitorJson:MonitorJson\) is not a kind the Best Practice catalogue renders$/],
    ],
    alsoClosedWorld: [KINDS, CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a Datadog synthetics test",
    resources: () =>
      added(
        kind("datadog:index/syntheticsTest:SyntheticsTest", "synth", {
          type: "api",
          message: fiveXXMonitor.props.message,
          tags: toDatadogTags(fiveXX.provenance),
        }),
      ),
    rejectedBy: [["no-custom-alerts", /'synth' .* is not a kind the Best Practice catalogue renders/]],
    alsoClosedWorld: [KINDS, CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a raw azure-native MetricAlert without provenance",
    resources: () =>
      changed(stack, T.azureMetricAlert, (p) => {
        delete p.tags;
      }),
    rejectedBy: [["no-custom-alerts", /metric alert '.*' is not from the Best Practice catalogue: it has no tags/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "an eleventh alert split off into a second component, every alert standard",
    resources: splitOff,
    rejectedBy: [["max-ten-alerts", /^this stack has 11 alerts; the Extended package allows at most 10: /]],
    // The plan has no such component: its resources are rejected one by one, before they exist.
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a tunable out of bounds written into the tags",
    resources: () => monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, tunables: { threshold: 1000 } }))),
    rejectedBy: [["no-custom-alerts", /tunable 'threshold' is 1000; it must be between 1 and 500 responses/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a classic-provider azure:monitoring MetricAlert",
    resources: () =>
      added(
        kind("azure:monitoring/metricAlert:MetricAlert", "classic", {
          actions: [{ actionGroupId: stackGroupId }],
          tags: toAzureTags(availability.provenance),
        }),
      ),
    rejectedBy: [
      ["no-custom-alerts", /'classic' \(azure:monitoring\/metricAlert:MetricAlert\) is not a kind the Best Practice catalogue renders/],
    ],
    alsoClosedWorld: [KINDS, CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a log query alert (ScheduledQueryRule)",
    resources: () =>
      added(
        kind("azure-native:monitor:ScheduledQueryRule", "kql", {
          actions: { actionGroups: [stackGroupId] },
          tags: toAzureTags(availability.provenance),
        }),
      ),
    rejectedBy: [["no-custom-alerts", /'kql' .* is not a kind the Best Practice catalogue renders/]],
    alsoClosedWorld: [KINDS, CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a monitor whose message drops the PagerDuty handle",
    resources: () => monitor((p) => (p.message = p.message.replace(/@pagerduty-\S+/, ""))),
    rejectedBy: [
      ["no-custom-alerts", /field 'message' differs/],
      ["alerts-route-to-preparedness", /pages no PagerDuty service/],
    ],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a monitor that hides the handle inside {{#is_alert}}",
    resources: () => monitor((p) => (p.message = p.message.replace(/(@pagerduty-\S+)/, "{{#is_alert}}$1{{/is_alert}}"))),
    rejectedBy: [
      ["no-custom-alerts", /field 'message' differs/],
      ["alerts-route-to-preparedness", /pages PagerDuty only inside \{\{#is_…\}\} blocks/],
    ],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "an extra formula-and-functions `variables` field",
    resources: () =>
      monitor((p) => (p.variables = { eventQueries: [{ name: "q", dataSource: "logs", compute: { aggregation: "count" } }] })),
    rejectedBy: [["no-custom-alerts", /field 'variables' is not part of catalogue entry app-service-5xx v2/]],
    // An output the provider declares, which the stack comparison tolerates; the inputs' comparison does not.
    alsoClosedWorld: [PLAN],
  },
  {
    attempt: "a tag claiming a catalogue version that does not exist",
    resources: () => monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, version: 3 }))),
    rejectedBy: [["no-custom-alerts", /catalogue entry 'app-service-5xx' is at version 2, not 3/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN, RELEASED],
  },
  {
    attempt: "a binding with a query-injection value in the tags",
    resources: () =>
      monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, bindings: { ...fiveXX.provenance.bindings, name: "x} OR {*" } }))),
    rejectedBy: [["no-custom-alerts", /binding 'name' in its tags has a value a catalogue alert can't carry/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "contradicting duplicate tags",
    resources: () => monitor((p) => p.tags.push("tunable-threshold:400", "catalog:sql-cpu")),
    rejectedBy: [["no-custom-alerts", /tag 'catalog' appears twice with different values/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a duplicated (agreeing) tag",
    resources: () => monitor((p) => p.tags.push("catalog:app-service-5xx")),
    rejectedBy: [["no-custom-alerts", /field 'tags\[9\]' is not part of catalogue entry/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a valid tag set with a changed priority",
    resources: () => monitor((p) => (p.priority = "1")),
    rejectedBy: [["no-custom-alerts", /field 'priority' differs from catalogue entry app-service-5xx v2/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "tags that claim a tunable the query does not use",
    resources: () => monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, tunables: { threshold: 400 } }))),
    rejectedBy: [["no-custom-alerts", /field 'query' differs/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a role tag that sends the alert to another role",
    resources: () => monitor((p) => (p.tags = toDatadogTags({ ...fiveXX.provenance, role: "backend" }))),
    rejectedBy: [["no-custom-alerts", /catalogue entry 'app-service-5xx' belongs to role frontend, not backend/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a metric alert watching one more scope",
    resources: () =>
      changed(stack, T.azureMetricAlert, (p) => p.scopes.push("/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/other")),
    rejectedBy: [["no-custom-alerts", /field 'scopes\[2\]' is not part of catalogue entry endpoint-availability v1/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a resource health alert with an extra condition",
    resources: () =>
      changed(stack, T.azureActivityLogAlert, (p) => p.condition.allOf.push({ field: "resourceType", equals: "Microsoft.Web/sites" })),
    rejectedBy: [["no-custom-alerts", /field 'condition.allOf\[3\]' is not part of catalogue entry resource-health v1/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a standard metric alert re-pointed at an action group outside the stack",
    resources: () =>
      changed(stack, T.azureMetricAlert, (p) => {
        p.actions[0].actionGroupId = p.actions[0].actionGroupId.replace("rg-nordlys-monitoring", "rg-elsewhere");
      }),
    rejectedBy: [
      ["no-custom-alerts", /field 'actions\[0\]\.actionGroupId' differs/],
      ["alerts-route-to-preparedness", /which this stack does not create/],
    ],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "the same metric alert under an alias module token",
    resources: () =>
      changed(stack, T.azureMetricAlert, (_, r) => {
        r.type = "azure-native:insights:MetricAlert";
      }),
    rejectedBy: [["no-custom-alerts", /is not a kind the Best Practice catalogue renders/]],
    alsoClosedWorld: [KINDS, CUSTOMER_FILE, PLAN],
  },
  {
    attempt: "a monitor whose tags are only known after deployment",
    resources: () => monitor((p) => (p.tags = UNKNOWN_SENTINEL)),
    rejectedBy: [["no-custom-alerts", /its tags are not known during preview/]],
    alsoClosedWorld: [CUSTOMER_FILE, UNKNOWNS],
  },
  {
    attempt: "a web test that probes another URL under a standard metric alert",
    resources: () => changed(stack, T.azureWebTest, (p) => (p.request.requestUrl = "https://elsewhere.example/")),
    rejectedBy: [["no-custom-alerts", /web test '.*': field 'request.requestUrl' differs/]],
    alsoClosedWorld: [CUSTOMER_FILE, PLAN],
  },
];

describe("side doors: custom or extra alerts never get past the pack", () => {
  it("the unchanged stack passes every policy", async () => {
    const report = await judge(stack);
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
      ["silences-match-approved-windows", "pass", []],
    ]);
  });

  it("tries at least twelve side doors", () => {
    expect(sideDoors.length).toBeGreaterThanOrEqual(12);
  });

  it.each(sideDoors.map((d) => [d.attempt, d] as const))("rejects %s", async (_, door) => {
    const report = await judge(door.resources());
    const failed = report.results.filter((r) => r.status === "fail");
    expect(failed.map((r) => r.policy).sort()).toEqual([...door.rejectedBy.map(([p]) => p), ...door.alsoClosedWorld].sort());
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
