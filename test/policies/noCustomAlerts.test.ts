// no-custom-alerts, judged with the whole pack on mutations of nordlys's golden stack (test/support/goldenStacks.ts).
import { markNestedDefaults } from "../../src/offline/cliView.js";
import { describe, expect, it } from "vitest";
import { noCustomAlerts as noCustomAlertsOf } from "../../policies/noCustomAlerts.js";
import { loadCatalog } from "../../src/catalog/load.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { toAzureTags, toDatadogTags } from "../../src/catalog/provenance.js";
import { checkOutput } from "../../src/offline/cliView.js";
import { azureApiVersions, datadogMonitorCheckDefaults } from "../../src/facts/providerCheck.js";

const noCustomAlerts = noCustomAlertsOf(loadCatalog());
import {
  type AnalyzedResource,
  changed,
  extra,
  find,
  golden,
  judge,
  messagesOf,
  renderedAlerts,
  T,
  violationsOf,
} from "../support/goldenStacks.js";

const POLICY = "no-custom-alerts";
const alerts = renderedAlerts("nordlys");
const monitorAlert = alerts.find((a) => a.kind === "datadog-monitor" && a.provenance.entry === "app-service-5xx")!;
if (monitorAlert.kind !== "datadog-monitor") throw new Error("fixture");
const availability = alerts.find((a) => a.kind === "azure-availability-test")!;
if (availability.kind !== "azure-availability-test") throw new Error("fixture");
const health = alerts.find((a) => a.kind === "azure-resource-health")!;
if (health.kind !== "azure-resource-health") throw new Error("fixture");

const M = monitorAlert.name;
const A = availability.name;
const H = health.name;
type Values = Record<string, any>;
/** The golden stack with the 5xx monitor changed. */
const monitor = (change: (p: Values) => void) => changed(golden(), T.datadogMonitor, change, M);
/** What no-custom-alerts reports on the stack, the whole pack judging it. */
const check = async (view: AnalyzedResource[]) => messagesOf(await judge(view), POLICY);
const entryOf = (a: { provenance: { entry: string; version: number } }) => `catalogue entry ${a.provenance.entry} v${a.provenance.version}`;
const entry = entryOf(monitorAlert);

describe("no-custom-alerts", () => {
  it("is a mandatory resource policy with a remediation hint", () => {
    expect(noCustomAlerts).toMatchObject({ name: "no-custom-alerts", enforcementLevel: "mandatory", severity: "high" });
    expect(noCustomAlerts.remediationSteps).toMatch(/use: <catalogue entry>/);
  });

  it.each(["nordlys", "havblik", "baltic-freight"])("passes every alert the components create for %s", async (customer) => {
    for (const phase of ["first-preview", "update"] as const) {
      expect(violationsOf(await judge(golden(customer, phase), { customer, phase }), POLICY), phase).toEqual([]);
    }
  });

  it("does not apply to resources that are not alerts, whatever their props", async () => {
    for (const type of [T.azureActionGroup, T.datadogPagerdutyServiceObject, T.pagerdutyService, T.datadogMonitors]) {
      const view = changed(golden(), type, (_, r) => {
        r.props = {};
        r.outputs = {};
      });
      const report = await judge(view);
      expect(violationsOf(report, POLICY), type).toEqual([]);
    }
  });

  it("accepts a version-pinned azure-native token for a standard alert (only-known-resource-kinds rejects the kind)", async () => {
    const type = "azure-native:monitor/v20180301:MetricAlert";
    const view = changed(
      golden(),
      T.azureMetricAlert,
      (_, r) => {
        r.type = type;
        r.urn = r.urn.replace(`$${T.azureMetricAlert}::`, `$${type}::`);
      },
      A,
    );
    const report = await judge(view);
    expect(violationsOf(report, POLICY)).toEqual([]);
    expect(messagesOf(report, "only-known-resource-kinds")).toEqual([
      `'${A}' is a ${type}, which the pico-monitoring components never create`,
    ]);
  });

  it('reads a threshold of 10 and one of "10" as the same, since providers coerce to the schema type', async () => {
    expect(await check(monitor((p) => (p.monitorThresholds.critical = "10")))).toEqual([]);
    expect(await check(monitor((p) => (p.priority = 2)))).toEqual([]);
  });

  describe("what the provider's Check adds (src/facts/providerCheck.ts)", () => {
    it("needs no tolerance for a monitor: the rendering already states every default Check fills", () => {
      const view = golden();
      for (const a of alerts) {
        if (a.kind !== "datadog-monitor") continue;
        const rendered = structuredClone(a.monitor) as Record<string, unknown>;
        expect(checkOutput(T.datadogMonitor, rendered), a.name).toEqual(markNestedDefaults(rendered));
        // What the analyzer gets is the rendering itself, with the bridge's empty mark on each nested block.
        expect(find(view, T.datadogMonitor, a.name).props, a.name).toEqual(markNestedDefaults(rendered));
        for (const k of Object.keys(datadogMonitorCheckDefaults)) expect(rendered[k], `${a.name}.${k}`).toBeDefined();
      }
    });

    it("accepts azureApiVersion only at the version the locked SDK pins for the type", async () => {
      const pinned = azureApiVersions[T.azureMetricAlert]!;
      const alert = (version: unknown) => changed(golden(), T.azureMetricAlert, (p) => (p.azureApiVersion = version), A);
      expect(find(golden(), T.azureMetricAlert, A).props.azureApiVersion).toBe(pinned);
      expect(await check(alert(pinned))).toEqual([]);
      expect(await check(alert("2024-03-01-preview"))).toEqual([
        `metric alert '${A}': field 'azureApiVersion' is not part of ${entryOf(availability)}`,
      ]);
      expect(await check(monitor((p) => (p.azureApiVersion = pinned)))).toEqual([
        `monitor '${M}': field 'azureApiVersion' is not part of ${entry}`,
      ]);
    });

    it("trusts no __defaults list: a field it names is still not part of the entry, at any depth", async () => {
      const listed = monitor((p) => {
        p.__defaults = ["newHostDelay"];
        p.newHostDelay = 300;
      });
      expect(await check(listed)).toEqual([`monitor '${M}': field '__defaults' is not part of ${entry}`]);
      const nested = monitor((p) => {
        p.monitorThresholds = { ...p.monitorThresholds, __defaults: ["criticalRecovery"], criticalRecovery: "5" };
      });
      expect(await check(nested)).toEqual([`monitor '${M}': field 'monitorThresholds.__defaults' is not part of ${entry}`]);
      // As the CLI delivers it, with the `__` keys dropped: the smuggled field itself is named.
      expect(await check(monitor((p) => (p.newHostDelay = 300)))).toEqual([`monitor '${M}': field 'newHostDelay' is not part of ${entry}`]);
    });

    it("still compares a field exactly when the rendering sets it", async () => {
      expect(await check(monitor((p) => (p.priority = "5")))).toEqual([`monitor '${M}': field 'priority' differs from ${entry}`]);
      expect(await check(monitor((p) => (p.draftStatus = "draft")))).toEqual([`monitor '${M}': field 'draftStatus' differs from ${entry}`]);
    });
  });

  describe("violations", () => {
    it("a kind the catalogue never renders", async () => {
      for (const type of [
        "datadog:index/monitorJson:MonitorJson",
        "datadog:index/syntheticsTest:SyntheticsTest",
        "azure-native:monitor:ScheduledQueryRule",
        "azure:monitoring/metricAlert:MetricAlert",
        "azure-native:insights:MetricAlert",
      ]) {
        const view = golden();
        const report = await judge([...view, extra(view, type, "c")]);
        expect(messagesOf(report, POLICY)).toEqual([`'c' (${type}) is not a kind the Best Practice catalogue renders`]);
        expect(messagesOf(report, "only-known-resource-kinds")).toEqual([
          `'c' is a ${type}, which the pico-monitoring components never create`,
        ]);
      }
    });

    it("no provenance", async () => {
      expect(await check(monitor((p) => delete p.tags))).toEqual([
        `monitor '${M}' is not from the Best Practice catalogue: it has no tags`,
      ]);
      expect(await check(monitor((p) => (p.tags = ["team:web"])))).toEqual([
        `monitor '${M}' is not from the Best Practice catalogue: it has no catalogue provenance (no catalog tag)`,
      ]);
      expect(await check(changed(golden(), T.azureActivityLogAlert, (p) => delete p.tags, H))).toEqual([
        `activity log alert '${H}' is not from the Best Practice catalogue: it has no tags`,
      ]);
    });

    it("contradicting tags", async () => {
      expect(await check(monitor((p) => p.tags.push("catalog:sql-cpu")))).toEqual([
        `monitor '${M}' is not from the Best Practice catalogue: tag 'catalog' appears twice with different values`,
      ]);
    });

    it("tags not known during preview", async () => {
      expect(await check(monitor((p) => (p.tags = UNKNOWN_SENTINEL)))).toEqual([
        `monitor '${M}': its tags are not known during preview, so its catalogue provenance can't be read (a catalogue alert's tags are fixed in advance)`,
      ]);
    });

    it("a tunable out of bounds names the bounds", async () => {
      const p = { ...monitorAlert.provenance, tunables: { threshold: 600 } };
      expect(await check(monitor((m) => (m.tags = toDatadogTags(p))))).toEqual([
        `monitor '${M}': tunable 'threshold' is 600; it must be between 1 and 500 responses`,
      ]);
    });

    it("a catalogue entry that does not exist, or an invalid id, is named by its tag", async () => {
      const p = { ...monitorAlert.provenance, entry: "my-own-alert" };
      expect(await check(monitor((m) => (m.tags = toDatadogTags(p))))).toEqual([
        `monitor '${M}': its catalog tag names no catalogue entry`,
      ]);
      const q = { ...monitorAlert.provenance, target: "Portal App" };
      expect(await check(monitor((m) => (m.tags = toDatadogTags(q))))).toEqual([`monitor '${M}': its target tag is not a valid target id`]);
    });

    it("a catalogue version that does not exist", async () => {
      const p = { ...monitorAlert.provenance, version: 7 };
      expect(await check(monitor((m) => (m.tags = toDatadogTags(p))))).toEqual([
        `monitor '${M}': catalogue entry 'app-service-5xx' is at version 2, not 7`,
      ]);
    });

    it("an unsafe binding value is named, never echoed", async () => {
      const p = { ...monitorAlert.provenance, bindings: { ...monitorAlert.provenance.bindings, name: "x} OR {*" } };
      const [message] = await check(monitor((m) => (m.tags = toDatadogTags(p))));
      expect(message).toBe(`monitor '${M}': binding 'name' in its tags has a value a catalogue alert can't carry`);
      expect(message).not.toContain("OR");
    });

    it("tags of an entry that renders another kind", async () => {
      expect(await check(monitor((m) => (m.tags = toDatadogTags(availability.provenance))))).toEqual([
        `monitor '${M}': ${entryOf(availability)} renders an Azure availability test (web test and metric alert), not this kind of resource`,
      ]);
    });

    it("a field that differs from the rendering", async () => {
      expect(await check(monitor((p) => (p.query = p.query.replace("> 10", "> 1"))))).toEqual([
        `monitor '${M}': field 'query' differs from ${entry}`,
      ]);
      expect(await check(monitor((p) => (p.priority = "1")))).toEqual([`monitor '${M}': field 'priority' differs from ${entry}`]);
      expect(await check(monitor((p) => (p.tags[8] = "tunable-threshold:11")))).toEqual([
        `monitor '${M}': field 'query' differs from ${entry}`,
      ]);
    });

    it("a field the rendering sets is missing", async () => {
      expect(await check(monitor((p) => delete p.priority))).toEqual([`monitor '${M}': field 'priority' is missing; ${entry} sets it`]);
      expect(await check(changed(golden(), T.azureActivityLogAlert, (p) => p.condition.allOf.pop(), H))).toEqual([
        `activity log alert '${H}': field 'condition.allOf[2]' is missing; ${entryOf(health)} sets it`,
      ]);
    });

    it("a field the rendering does not have", async () => {
      expect(await check(monitor((p) => (p.variables = { eventQueries: [] })))).toEqual([
        `monitor '${M}': field 'variables' is not part of ${entry}`,
      ]);
      expect(await check(monitor((p) => (p.restrictedRoles = ["r"])))).toEqual([
        `monitor '${M}': field 'restrictedRoles' is not part of ${entry}`,
      ]);
      expect(await check(monitor((p) => p.tags.push("team:web")))).toEqual([`monitor '${M}': field 'tags[9]' is not part of ${entry}`]);
      const scoped = changed(golden(), T.azureMetricAlert, (p) => (p.criteria.allOf = [{ metricName: "requests/failed" }]), A);
      expect(await check(scoped)).toEqual([`metric alert '${A}': field 'criteria.allOf' is not part of ${entryOf(availability)}`]);
    });

    it("a field not known during preview", async () => {
      expect(await check(monitor((p) => (p.query = UNKNOWN_SENTINEL)))).toEqual([
        `monitor '${M}': field 'query' is not known during preview; ${entry} fixes it in advance`,
      ]);
    });

    it("a web test that probes something else than its catalogue entry says", async () => {
      const view = changed(golden(), T.azureWebTest, (p) => (p.request.requestUrl = "https://elsewhere.example/"), `${A}-webtest`);
      expect(await check(view)).toEqual([`web test '${A}-webtest': field 'request.requestUrl' differs from ${entryOf(availability)}`]);
    });

    it("never echoes a prop value", async () => {
      const secret = "0123456789abcdef0123456789abcdef";
      const messages = [
        ...(await check(monitor((p) => (p.message = `${p.message} ${secret}`)))),
        ...(await check(monitor((p) => (p.notificationPresetName = secret)))),
        ...(await check(
          changed(golden(), T.azureActivityLogAlert, (p) => (p.tags = toAzureTags({ ...health.provenance, target: secret })), H),
        )),
      ];
      expect(messages).toHaveLength(3);
      for (const m of messages) expect(m).not.toContain(secret);
    });
  });
});
