import { describe, expect, it } from "vitest";
import { noCustomAlerts as noCustomAlertsOf } from "../../policies/noCustomAlerts.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { toAzureTags, toDatadogTags } from "../../src/catalog/provenance.js";
import { checkOutput } from "../../src/offline/cliView.js";
import { azureApiVersions, datadogMonitorCheckDefaults } from "../../src/facts/providerCheck.js";
import { customerAlerts, customerStack, resourceTypes as T, validateResource, type TestResource } from "../support/policyHarness.js";

const noCustomAlerts = noCustomAlertsOf(loadCatalog());
const alerts = customerAlerts("nordlys");
const monitorAlert = alerts.find((a) => a.kind === "datadog-monitor" && a.provenance.entry === "app-service-5xx")!;
if (monitorAlert.kind !== "datadog-monitor") throw new Error("fixture");
const availability = alerts.find((a) => a.kind === "azure-availability-test")!;
if (availability.kind !== "azure-availability-test") throw new Error("fixture");
const health = alerts.find((a) => a.kind === "azure-resource-health")!;
if (health.kind !== "azure-resource-health") throw new Error("fixture");

const clone = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V;
const monitor = (change: (p: Record<string, any>) => void = () => {}): TestResource => {
  const props = clone(monitorAlert.monitor) as Record<string, any>;
  change(props);
  return { type: T.monitor, name: "m", props };
};
const check = (r: TestResource) => validateResource(noCustomAlerts, r).violations;
const entryOf = (a: { provenance: { entry: string; version: number } }) => `catalogue entry ${a.provenance.entry} v${a.provenance.version}`;
const entry = entryOf(monitorAlert);

describe("no-custom-alerts", () => {
  it("is a mandatory resource policy with a remediation hint", () => {
    expect(noCustomAlerts).toMatchObject({ name: "no-custom-alerts", enforcementLevel: "mandatory", severity: "high" });
    expect(noCustomAlerts.remediationSteps).toMatch(/use: <catalogue entry>/);
  });

  it.each(["nordlys", "havblik", "baltic-freight"])("passes every alert the components create for %s", (customer) => {
    for (const r of customerStack(customer)) {
      expect(validateResource(noCustomAlerts, r).violations, r.name).toEqual([]);
    }
  });

  it("does not apply to resources that are not alerts", () => {
    for (const type of [T.actionGroup, T.serviceObject, T.service, "pico:monitoring:DatadogMonitors"]) {
      expect(validateResource(noCustomAlerts, { type, name: "x", props: {} })).toEqual({
        violations: [],
        notApplicable: "not an alerting resource",
      });
    }
  });

  it("accepts a version-pinned azure-native token for a standard alert", () => {
    const r = { type: "azure-native:monitor/v20180301:MetricAlert", name: "a", props: clone(availability.metricAlert) };
    expect(check(r)).toEqual([]);
  });

  it('reads a threshold of 10 and one of "10" as the same, since providers coerce to the schema type', () => {
    expect(check(monitor((p) => (p.monitorThresholds.critical = "10")))).toEqual([]);
    expect(check(monitor((p) => (p.priority = 2)))).toEqual([]);
  });

  describe("what the provider's Check adds (src/facts/providerCheck.ts)", () => {
    it("needs no tolerance for a monitor: the rendering already states every default Check fills", () => {
      for (const a of alerts) {
        if (a.kind !== "datadog-monitor") continue;
        const rendered = clone(a.monitor) as Record<string, unknown>;
        expect(checkOutput(T.monitor, rendered), a.name).toEqual(rendered);
        for (const k of Object.keys(datadogMonitorCheckDefaults)) expect(rendered[k], `${a.name}.${k}`).toBeDefined();
      }
    });

    it("accepts azureApiVersion only at the version the locked SDK pins for the type", () => {
      const pinned = azureApiVersions[T.metricAlert]!;
      const alert = (version: unknown) => ({
        type: T.metricAlert,
        name: "a",
        props: { ...clone(availability.metricAlert), azureApiVersion: version },
      });
      expect(check(alert(pinned))).toEqual([]);
      expect(check(alert("2024-03-01-preview"))).toEqual([
        `metric alert 'a': field 'azureApiVersion' is not part of ${entryOf(availability)}`,
      ]);
      expect(check(monitor((p) => (p.azureApiVersion = pinned)))).toEqual([`monitor 'm': field 'azureApiVersion' is not part of ${entry}`]);
    });

    it("trusts no __defaults list: a field it names is still not part of the entry, at any depth", () => {
      expect(check(monitor((p) => ((p.__defaults = ["newHostDelay"]), (p.newHostDelay = 300))))).toEqual([
        `monitor 'm': field '__defaults' is not part of ${entry}`,
      ]);
      const nested = monitor((p) => {
        p.monitorThresholds = { ...p.monitorThresholds, __defaults: ["criticalRecovery"], criticalRecovery: "5" };
      });
      expect(check(nested)).toEqual([`monitor 'm': field 'monitorThresholds.__defaults' is not part of ${entry}`]);
      // As the CLI delivers it, with the `__` keys dropped: the smuggled field itself is named.
      expect(check(monitor((p) => (p.newHostDelay = 300)))).toEqual([`monitor 'm': field 'newHostDelay' is not part of ${entry}`]);
    });

    it("still compares a field exactly when the rendering sets it", () => {
      expect(check(monitor((p) => (p.priority = "5")))).toEqual([`monitor 'm': field 'priority' differs from ${entry}`]);
      expect(check(monitor((p) => (p.draftStatus = "draft")))).toEqual([`monitor 'm': field 'draftStatus' differs from ${entry}`]);
    });
  });

  describe("violations", () => {
    it("a kind the catalogue never renders", () => {
      for (const type of [
        "datadog:index/monitorJson:MonitorJson",
        "datadog:index/syntheticsTest:SyntheticsTest",
        "azure-native:monitor:ScheduledQueryRule",
        "azure:monitoring/metricAlert:MetricAlert",
        "azure-native:insights:MetricAlert",
      ]) {
        expect(check({ type, name: "c", props: {} })).toEqual([`'c' (${type}) is not a kind the Best Practice catalogue renders`]);
      }
    });

    it("no provenance", () => {
      expect(check(monitor((p) => delete p.tags))).toEqual(["monitor 'm' is not from the Best Practice catalogue: it has no tags"]);
      expect(check(monitor((p) => (p.tags = ["team:web"])))).toEqual([
        "monitor 'm' is not from the Best Practice catalogue: it has no catalogue provenance (no catalog tag)",
      ]);
      const { tags: _, ...untagged } = clone(health.activityLogAlert) as Record<string, unknown>;
      expect(check({ type: T.activityLogAlert, name: "h", props: untagged })).toEqual([
        "activity log alert 'h' is not from the Best Practice catalogue: it has no tags",
      ]);
    });

    it("contradicting tags", () => {
      expect(check(monitor((p) => p.tags.push("catalog:sql-cpu")))).toEqual([
        "monitor 'm' is not from the Best Practice catalogue: tag 'catalog' appears twice with different values",
      ]);
    });

    it("tags not known during preview", () => {
      expect(check(monitor((p) => (p.tags = UNKNOWN_SENTINEL)))).toEqual([
        "monitor 'm': its tags are not known during preview, so its catalogue provenance can't be read (a catalogue alert's tags are fixed in advance)",
      ]);
    });

    it("a tunable out of bounds names the bounds", () => {
      const p = { ...monitorAlert.provenance, tunables: { threshold: 600 } };
      expect(check(monitor((m) => (m.tags = toDatadogTags(p))))).toEqual([
        "monitor 'm': tunable 'threshold' is 600; it must be between 1 and 500 responses",
      ]);
    });

    it("a catalogue entry that does not exist, or an invalid id, is named by its tag", () => {
      const p = { ...monitorAlert.provenance, entry: "my-own-alert" };
      expect(check(monitor((m) => (m.tags = toDatadogTags(p))))).toEqual(["monitor 'm': its catalog tag names no catalogue entry"]);
      const q = { ...monitorAlert.provenance, target: "Portal App" };
      expect(check(monitor((m) => (m.tags = toDatadogTags(q))))).toEqual(["monitor 'm': its target tag is not a valid target id"]);
    });

    it("a catalogue version that does not exist", () => {
      const p = { ...monitorAlert.provenance, version: 7 };
      expect(check(monitor((m) => (m.tags = toDatadogTags(p))))).toEqual([
        "monitor 'm': catalogue entry 'app-service-5xx' is at version 1, not 7",
      ]);
    });

    it("an unsafe binding value is named, never echoed", () => {
      const p = { ...monitorAlert.provenance, bindings: { ...monitorAlert.provenance.bindings, name: "x} OR {*" } };
      const [message] = check(monitor((m) => (m.tags = toDatadogTags(p))));
      expect(message).toBe("monitor 'm': binding 'name' in its tags has a value a catalogue alert can't carry");
      expect(message).not.toContain("OR");
    });

    it("tags of an entry that renders another kind", () => {
      expect(check(monitor((m) => (m.tags = toDatadogTags(availability.provenance))))).toEqual([
        `monitor 'm': ${entryOf(availability)} renders an Azure availability test (web test and metric alert), not this kind of resource`,
      ]);
    });

    it("a field that differs from the rendering", () => {
      expect(check(monitor((p) => (p.query = p.query.replace("> 10", "> 1"))))).toEqual([
        `monitor 'm': field 'query' differs from ${entry}`,
      ]);
      expect(check(monitor((p) => (p.priority = "1")))).toEqual([`monitor 'm': field 'priority' differs from ${entry}`]);
      expect(check(monitor((p) => (p.tags[8] = "tunable-threshold:11")))).toEqual([`monitor 'm': field 'query' differs from ${entry}`]);
    });

    it("a field the rendering sets is missing", () => {
      expect(check(monitor((p) => delete p.priority))).toEqual([`monitor 'm': field 'priority' is missing; ${entry} sets it`]);
      const r = { type: T.activityLogAlert, name: "h", props: clone(health.activityLogAlert) as Record<string, any> };
      r.props.condition.allOf.pop();
      expect(check(r)).toEqual([`activity log alert 'h': field 'condition.allOf[2]' is missing; ${entryOf(health)} sets it`]);
    });

    it("a field the rendering does not have", () => {
      expect(check(monitor((p) => (p.variables = { eventQueries: [] })))).toEqual([
        `monitor 'm': field 'variables' is not part of ${entry}`,
      ]);
      expect(check(monitor((p) => (p.restrictedRoles = ["r"])))).toEqual([`monitor 'm': field 'restrictedRoles' is not part of ${entry}`]);
      expect(check(monitor((p) => p.tags.push("team:web")))).toEqual([`monitor 'm': field 'tags[9]' is not part of ${entry}`]);
      const r = { type: T.metricAlert, name: "a", props: clone(availability.metricAlert) as Record<string, any> };
      r.props.criteria.allOf = [{ metricName: "requests/failed" }];
      expect(check(r)).toEqual([`metric alert 'a': field 'criteria.allOf' is not part of ${entryOf(availability)}`]);
    });

    it("a field not known during preview", () => {
      expect(check(monitor((p) => (p.query = UNKNOWN_SENTINEL)))).toEqual([
        `monitor 'm': field 'query' is not known during preview; ${entry} fixes it in advance`,
      ]);
    });

    it("a web test that probes something else than its catalogue entry says", () => {
      const r = { type: T.webTest, name: "w", props: clone(availability.webTest) as Record<string, any> };
      r.props.request.requestUrl = "https://elsewhere.example/";
      expect(check(r)).toEqual([`web test 'w': field 'request.requestUrl' differs from ${entryOf(availability)}`]);
    });

    it("never echoes a prop value", () => {
      const secret = "0123456789abcdef0123456789abcdef";
      const messages = [
        ...check(monitor((p) => (p.message = `${p.message} ${secret}`))),
        ...check(monitor((p) => (p.notificationPresetName = secret))),
        ...check({
          type: T.activityLogAlert,
          name: "h",
          props: { ...clone(health.activityLogAlert), tags: toAzureTags({ ...health.provenance, target: secret }) },
        }),
      ];
      expect(messages).toHaveLength(3);
      for (const m of messages) expect(m).not.toContain(secret);
    });
  });
});
