// max-ten-alerts, judged with the whole pack on mutations of golden stacks (test/support/goldenStacks.ts):
// havblik's has exactly ten alerts, nordlys's nine.
import { describe, expect, it } from "vitest";
import { configuredLimit, maxTenAlerts } from "../../policies/maxTenAlerts.js";
import { isAlertingResourceType } from "../../src/facts/alertingResources.js";
import { maxAlerts } from "../../src/facts/extended.js";
import { copyOf, extra, find, golden, judge, T, violationsOf, without } from "../support/goldenStacks.js";

const POLICY = "max-ten-alerts";
const alertNames = (view: { type: string; name: string }[]) => view.filter((r) => isAlertingResourceType(r.type)).map((r) => r.name);
const tooMany = (names: string[], limit = 10) =>
  `this stack has ${names.length} alerts; the Extended package allows at most ${limit}: ${names.join(", ")}`;

/** havblik's ten alerts and an eleventh: a copy of one of its monitors. */
function eleven() {
  const view = golden("havblik");
  return [...view, copyOf(find(view, T.datadogMonitor), "havblik-eleventh")];
}

describe("max-ten-alerts", () => {
  it("is a mandatory stack policy whose limit is the Extended limit, configurable", () => {
    expect(maxTenAlerts).toMatchObject({ name: "max-ten-alerts", enforcementLevel: "mandatory", severity: "high" });
    expect(maxTenAlerts.configSchema?.properties).toEqual({
      maxAlerts: { type: "integer", minimum: 1, maximum: maxAlerts, default: maxAlerts },
    });
    expect(maxAlerts).toBe(10);
  });

  it.each(["nordlys", "havblik", "baltic-freight"])("passes the stack the components create for %s", async (customer) => {
    for (const phase of ["first-preview", "update"] as const) {
      const report = await judge(golden(customer, phase), { customer, phase });
      expect(
        report.results.find((r) => r.policy === POLICY),
        phase,
      ).toMatchObject({ status: "pass", violations: [], undecided: [] });
    }
  });

  it("passes exactly ten alerts", async () => {
    const view = golden("havblik");
    expect(alertNames(view)).toHaveLength(10);
    expect(violationsOf(await judge(view, { customer: "havblik" }), POLICY)).toEqual([]);
  });

  it("fails the eleventh alert, naming the count, the limit and the alerts", async () => {
    const view = eleven();
    const report = await judge(view, { customer: "havblik" });
    expect(violationsOf(report, POLICY)).toEqual([{ message: tooMany(alertNames(view)) }]);
    expect(alertNames(view)).toContain("havblik-eleventh");
    // The copy is standard, so only the policies comparing with the customer file see it too: the
    // resource policy before the alert exists, as `pulumi up --skip-preview` runs no stack policy first.
    expect(report.results.filter((r) => r.status === "fail").map((r) => r.policy)).toEqual([
      POLICY,
      "stack-matches-customer-file",
      "resource-matches-plan",
    ]);
    expect(violationsOf(report, "resource-matches-plan")).toEqual([
      {
        urn: expect.stringMatching(/::havblik-eleventh$/),
        message: "monitor 'havblik-eleventh' is not something stacks/havblik.yaml renders",
      },
    ]);
  });

  it("counts every alerting resource, standard or not, whatever provider or API version", async () => {
    // nordlys's nine alerts, two monitors fewer, four of other kinds: eleven.
    let view = golden();
    for (const name of [/5xx/, /sql-cpu/]) view = without(view, T.datadogMonitor, name);
    const types = [
      "datadog:index/monitorJson:MonitorJson",
      "azure:monitoring/metricAlert:MetricAlert",
      "azure-native:monitor/v20230315preview:ScheduledQueryRule",
      "datadog:index/syntheticsTest:SyntheticsTest",
    ];
    view = [...view, ...types.map((type, i) => extra(view, type, `alert-${i}`))];
    expect(violationsOf(await judge(view), POLICY)).toEqual([{ message: expect.stringMatching(/^this stack has 11 alerts; /) }]);
  });

  it("does not count what only probes, routes or receives alerts, nor components", async () => {
    const view = golden("havblik");
    const others = [
      T.azureWebTest,
      T.azureActionGroup,
      T.datadogPagerdutyServiceObject,
      T.pagerdutyService,
      T.pagerdutyServiceIntegration,
      T.datadogMonitors,
    ].map((type, i) => copyOf(find(view, type), `other-${i}`));
    expect(violationsOf(await judge([...view, ...others], { customer: "havblik" }), POLICY)).toEqual([]);
  });

  it("takes a lower limit from policy config when given, and defaults in code when the config is empty", async () => {
    const view = golden();
    expect(alertNames(view)).toHaveLength(9);
    expect(violationsOf(await judge(view, { config: { [POLICY]: { maxAlerts: 8 } } }), POLICY)).toEqual([
      { message: tooMany(alertNames(view), 8) },
    ]);
    expect(violationsOf(await judge(eleven(), { customer: "havblik", config: { [POLICY]: {} } }), POLICY)).toHaveLength(1);
  });

  it("takes the package's own limit from a value of the wrong type, which only a caller skipping the schema sends", () => {
    for (const wrong of ["twelve", {}, "12", null, Number.NaN, 2.5, 0, -3, true])
      expect(configuredLimit(wrong), String(wrong)).toBe(maxAlerts);
    expect(configuredLimit(undefined)).toBe(maxAlerts);
    expect(configuredLimit(8)).toBe(8);
    expect(configuredLimit(11)).toBe(maxAlerts);
  });

  it("never takes a higher limit: the runner refuses one before judging", async () => {
    for (const limit of [11, 12, 1000]) {
      await expect(judge(eleven(), { customer: "havblik", config: { [POLICY]: { maxAlerts: limit } } })).rejects.toThrow(
        /max-ten-alerts\.maxAlerts: must be <= 10/,
      );
    }
  });
});
