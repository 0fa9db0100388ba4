import { describe, expect, it } from "vitest";
import { maxTenAlerts } from "../../policies/maxTenAlerts.js";
import { maxAlerts } from "../../src/facts/extended.js";
import { customerStack, resourceTypes as T, validateStack, type TestResource } from "../support/policyHarness.js";

const alert = (i: number, type: string = T.monitor): TestResource => ({ type, name: `alert-${i}`, props: {} });
const alertsOf = (n: number, type?: string) => Array.from({ length: n }, (_, i) => alert(i + 1, type));

describe("max-ten-alerts", () => {
  it("is a mandatory stack policy whose limit is the Extended limit, configurable", () => {
    expect(maxTenAlerts).toMatchObject({ name: "max-ten-alerts", enforcementLevel: "mandatory", severity: "high" });
    expect(maxTenAlerts.configSchema?.properties).toEqual({
      maxAlerts: { type: "integer", minimum: 1, maximum: maxAlerts, default: maxAlerts },
    });
    expect(maxAlerts).toBe(10);
  });

  it.each(["nordlys", "havblik", "baltic-freight"])("passes the stack the components create for %s", (customer) => {
    expect(validateStack(maxTenAlerts, customerStack(customer))).toEqual({ violations: [] });
  });

  it("passes exactly ten alerts", () => {
    expect(validateStack(maxTenAlerts, alertsOf(10))).toEqual({ violations: [] });
  });

  it("fails the eleventh alert, naming the count, the limit and the alerts", () => {
    expect(validateStack(maxTenAlerts, alertsOf(11)).violations).toEqual([
      {
        message:
          "this stack has 11 alerts; the Extended package allows at most 10: " +
          Array.from({ length: 11 }, (_, i) => `alert-${i + 1}`).join(", "),
      },
    ]);
  });

  it("counts every alerting resource, standard or not, whatever provider or API version", () => {
    const mixed = [
      ...alertsOf(7),
      alert(8, "datadog:index/monitorJson:MonitorJson"),
      alert(9, "azure:monitoring/metricAlert:MetricAlert"),
      alert(10, "azure-native:monitor/v20230315preview:ScheduledQueryRule"),
      alert(11, "datadog:index/syntheticsTest:SyntheticsTest"),
    ];
    expect(validateStack(maxTenAlerts, mixed).violations[0]?.message).toMatch(/^this stack has 11 alerts; /);
  });

  it("does not count what only probes, routes or receives alerts, nor components", () => {
    const others = [T.webTest, T.actionGroup, T.serviceObject, T.service, T.integration, "pico:monitoring:DatadogMonitors"].map(
      (type, i) => ({ type, name: `other-${i}`, props: {} }),
    );
    expect(validateStack(maxTenAlerts, [...alertsOf(10), ...others])).toEqual({ violations: [] });
  });

  it("takes a lower limit from policy config when given, and defaults in code when the config is empty", () => {
    expect(validateStack(maxTenAlerts, alertsOf(3), { config: { maxAlerts: 2 } }).violations[0]?.message).toMatch(
      /^this stack has 3 alerts; the Extended package allows at most 2: /,
    );
    expect(validateStack(maxTenAlerts, alertsOf(11), { config: {} }).violations).toHaveLength(1);
  });

  it("never takes a higher limit, even from a caller that skips the schema", () => {
    expect(validateStack(maxTenAlerts, alertsOf(11), { config: { maxAlerts: 12 } }).violations[0]?.message).toMatch(
      /^this stack has 11 alerts; the Extended package allows at most 10: /,
    );
    expect(validateStack(maxTenAlerts, alertsOf(1000), { config: { maxAlerts: 1000 } }).violations).toHaveLength(1);
  });
});
