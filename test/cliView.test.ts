// The CLI-view model (src/offline/cliView.ts): its rules on their own, and the real components' stacks through it.
import { readFileSync } from "node:fs";
import { customerIdsIn } from "../src/customer/customerFiles.js";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.js";
import { checkOutput, cliPhases, packProcessEnv, skipInternalKeys, type AnalyzedResource, type CliPhase } from "../src/offline/cliView.js";
import { stacksDir } from "../src/facts/paths.js";
import { judgeCustomer, type JudgedCustomer } from "../src/preview/customer.js";
import {
  azureApiVersionKey,
  azureApiVersions,
  checkDefaults,
  datadogMonitorCheckDefaults,
  sdkDeclarations,
} from "../src/facts/providerCheck.js";
import { UNKNOWN_VALUE } from "../src/offline/policyResults.js";
import { loadCustomer } from "../src/plan/loadCustomer.js";
import { declaredOutputs } from "../src/facts/providerOutputs.js";

const catalog = loadCatalog();
const asOf = new Date("2027-01-10T12:00:00Z");
const customers = customerIdsIn(stacksDir()).sort();
const monitorType = "datadog:index/monitor:Monitor";

async function judge(customer: string, phase: CliPhase): Promise<JudgedCustomer> {
  const loaded = loadCustomer(join(stacksDir(), `${customer}.yaml`), catalog);
  return judgeCustomer(loaded.spec, catalog, asOf, { phase });
}

const ofType = (view: AnalyzedResource[], type: string) => view.filter((r) => r.type === type);

describe("Check output", () => {
  it("fills every Datadog monitor default the program leaves out, and none it sets", () => {
    expect(checkOutput(monitorType, { name: "m" })).toEqual({ name: "m", ...datadogMonitorCheckDefaults });
    expect(checkOutput(monitorType, { name: "m", draftStatus: "draft", noDataTimeframe: 30 })).toMatchObject({
      draftStatus: "draft",
      noDataTimeframe: 30,
    });
  });

  it("leaves no_data_timeframe out when on_missing_data, its ConflictsWith peer, is set", () => {
    expect(checkOutput(monitorType, { onMissingData: "resolve" })).not.toHaveProperty("noDataTimeframe");
  });

  it("fills nested defaults in every array element, and only where absent", () => {
    const type = "pagerduty:index/escalationPolicy:EscalationPolicy";
    const d = checkDefaults[type]![0]!;
    const out = checkOutput(type, { rules: [{ targets: [{ id: "a" }, { id: "b", type: "schedule_reference" }] }] });
    // Each block also gets the bridge's `__defaults` mark: the keys Check filled in it (test/recordings/).
    expect(out).toEqual({
      rules: [
        {
          targets: [
            { id: "a", [d.key]: d.value, __defaults: [d.key] },
            { id: "b", type: "schedule_reference", __defaults: [] },
          ],
          __defaults: [],
        },
      ],
    });
  });

  it("adds azureApiVersion to each azure-native type at its pinned version, and to no other type", () => {
    for (const [type, version] of Object.entries(azureApiVersions))
      expect(checkOutput(type, {})).toEqual({ [azureApiVersionKey]: version });
    expect(checkOutput("pagerduty:index/schedule:Schedule", { name: "s" })).toEqual({ name: "s" });
  });

  it("pins the versions the installed SDK classes document", () => {
    const sdk = join(process.cwd(), "node_modules", "@pulumi", "azure-native");
    const files: Record<string, string> = {
      "azure-native:monitor:MetricAlert": "monitor/metricAlert.d.ts",
      "azure-native:monitor:ActivityLogAlert": "monitor/activityLogAlert.d.ts",
      "azure-native:monitor:ActionGroup": "monitor/actionGroup.d.ts",
      "azure-native:applicationinsights:WebTest": "applicationinsights/webTest.d.ts",
      "azure-native:alertsmanagement:AlertProcessingRuleByName": "alertsmanagement/alertProcessingRuleByName.d.ts",
    };
    expect(Object.keys(azureApiVersions).sort()).toEqual(Object.keys(files).sort());
    for (const [type, file] of Object.entries(files)) {
      const documented = /Uses Azure REST API version ([0-9a-z-]+)\./.exec(readFileSync(join(sdk, file), "utf8"))?.[1];
      expect(azureApiVersions[type], type).toBe(documented);
    }
  });
});

describe("SkipInternalKeys", () => {
  // pulumi/pulumi v3.248.0 sdk/go/common/resource/plugin/rpc.go ("Only skip top level internal keys"), and
  // every recording under test/recordings/ carries nested `__defaults`.
  it("drops __ keys at the top level only, keeping nested ones in objects and arrays", () => {
    const v = { a: 1, __defaults: ["b"], nested: { __x: 1, keep: { __y: 2, z: 3 } }, list: [{ __inputs: {}, w: 4 }] };
    expect(skipInternalKeys(v)).toEqual({ a: 1, nested: { __x: 1, keep: { __y: 2, z: 3 } }, list: [{ __inputs: {}, w: 4 }] });
  });
});

describe("pack process environment", () => {
  it("carries stack, project, organization, dry run and config, with and without the NODEJS_ prefix", () => {
    const env = packProcessEnv({ organization: "pico", project: "p", stack: "s", phase: "first-preview", config: { "p:k": "v" } });
    expect(env).toMatchObject({
      PULUMI_NODEJS_STACK: "s",
      PULUMI_STACK: "s",
      PULUMI_NODEJS_PROJECT: "p",
      PULUMI_NODEJS_ORGANIZATION: "pico",
    });
    expect(env.PULUMI_NODEJS_DRY_RUN).toBe("true");
    expect(JSON.parse(env.PULUMI_CONFIG!)).toEqual({ "p:k": "v" });
    expect(packProcessEnv({ organization: "pico", project: "p", stack: "s", phase: "update" }).PULUMI_NODEJS_DRY_RUN).toBe("false");
  });
});

describe.each(customers)("the CLI's view of %s", (customer) => {
  const judged = {} as Record<CliPhase, JudgedCustomer>;
  beforeAll(async () => {
    for (const phase of cliPhases) judged[phase] = await judge(customer, phase);
  });

  it.each(cliPhases)("%s: every monitor is its Check output, with no __ key but the bridge's empty block marks", (phase) => {
    const { view } = judged[phase];
    expect(JSON.stringify(view).replaceAll('"__defaults":[]', "")).not.toMatch(/"__/);
    for (const r of view) for (const k of Object.keys(r.props)) expect(k.startsWith("__"), `${r.name}.${k}`).toBe(false);
    // The renderer states what Check would fill, so Check adds nothing to a catalogue monitor.
    for (const m of ofType(view, monitorType)) {
      expect(checkOutput(monitorType, m.props)).toEqual(m.props);
      for (const k of Object.keys(datadogMonitorCheckDefaults)) expect(m.props[k], `${m.name}.${k}`).toBeDefined();
    }
    for (const r of view.filter((x) => azureApiVersions[x.type])) expect(r.props[azureApiVersionKey]).toBe(azureApiVersions[r.type]);
  });

  it.each(cliPhases)("%s: what the components register is already Check output, bar azureApiVersion", (phase) => {
    for (const r of judged[phase].view.filter((x) => x.custom)) {
      const { [azureApiVersionKey]: _, ...rest } = r.props;
      expect(checkOutput(r.type, rest), r.urn).toEqual(azureApiVersions[r.type] ? r.props : rest);
    }
  });

  it("first preview: integration keys and what is computed from them are unknown; update: known and decrypted", () => {
    const first = judged["first-preview"].view;
    const update = judged.update.view;
    const integrationType = "pagerduty:index/serviceIntegration:ServiceIntegration";
    const integrations = ofType(first, integrationType);
    expect(integrations.length).toBeGreaterThan(0);
    for (const r of integrations) {
      expect(r.props).not.toHaveProperty("integrationKey"); // an output, not an input: Analyze never sees it
      expect(r.outputs.integrationKey).toBe(UNKNOWN_VALUE);
    }
    for (const r of ofType(update, integrationType)) {
      expect(r.outputs.integrationKey).toMatch(/^[0-9a-f]{32}$/);
      expect(r.outputSecretPaths).toContain("integrationKey");
    }
    const links = ofType(first, "datadog:pagerduty/serviceObject:ServiceObject");
    expect(links.length).toBeGreaterThan(0);
    for (const r of links) expect(r.props.serviceKey).toBe(UNKNOWN_VALUE);
    for (const r of ofType(first, "azure-native:monitor:ActionGroup"))
      expect(JSON.stringify(r.props.webhookReceivers)).toContain(UNKNOWN_VALUE);
    for (const r of ofType(update, "datadog:pagerduty/serviceObject:ServiceObject")) {
      expect(r.props.serviceKey).toMatch(/^[0-9a-f]{32}$/);
      expect(r.secretPaths).toContain("serviceKey");
    }
    const escalation = (v: AnalyzedResource[]) =>
      ofType(v, "pagerduty:index/escalationPolicy:EscalationPolicy").map(
        (r) => (r.props.rules as { targets: { id: unknown }[] }[])[0]!.targets[0]!.id,
      );
    expect(new Set(escalation(first))).toEqual(new Set([UNKNOWN_VALUE]));
    for (const id of escalation(update)) expect(id).not.toBe(UNKNOWN_VALUE);
  });

  it.each(cliPhases)("%s: outputs are the checked inputs as each provider returns them, plus every output the SDK declares", (phase) => {
    const rich = judged[phase].view.filter((r) => r.custom && sdkDeclarations[r.type]);
    expect(rich.length).toBeGreaterThan(0);
    const unmarked = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(unmarked)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .filter(([k]) => k !== "__defaults")
                .map(([k, x]) => [k, unmarked(x)]),
            )
          : v;
    for (const r of rich) {
      const declared = Object.keys(declaredOutputs(r.type)!);
      for (const [k, v] of Object.entries(r.props)) {
        // What the recordings show each provider leaving out of its outputs (src/offline/cliView.ts rule 5).
        if (r.type.startsWith("azure-native:") && !declared.includes(k)) expect(r.outputs, `${r.name}.${k}`).not.toHaveProperty(k);
        else if (r.type === monitorType && k === "noDataTimeframe" && r.props.notifyNoData !== true)
          expect(r.outputs).not.toHaveProperty(k);
        else if (r.type.startsWith("pagerduty:") && phase === "first-preview" && v === UNKNOWN_VALUE)
          expect(r.outputs).not.toHaveProperty(k);
        else if (r.type.startsWith("azure-native:") && k === "name") continue;
        else expect(r.outputs[k], `${r.name}.${k}`).toEqual(unmarked(v));
      }
      // The resource's id: once it exists, every provider returns it; previewing a create, per provider.
      if (phase === "update") expect(typeof r.outputs.id, r.name).toBe("string");
      else if (r.type.startsWith("pagerduty:")) expect(r.outputs.id, r.name).toBe("");
      else if (r.type.startsWith("datadog:")) expect(r.outputs.id, r.name).toBe(UNKNOWN_VALUE);
      else expect(r.outputs, r.name).not.toHaveProperty("id");
      expect(
        Object.keys(r.outputs).filter((k) => !(k in r.props) && !declared.includes(k) && k !== "id"),
        r.name,
      ).toEqual([]);
      const only = r.declaredOnly ?? [];
      expect([...only].sort(), r.name).toEqual(
        // The mock answers an integration key; previewing a create, the 2022 bridge leaves the unknown key out.
        declared
          .filter((k) => !(k in r.props) && !(r.type.endsWith("ServiceIntegration") && k === "integrationKey" && phase === "update"))
          .sort(),
      );
      for (const k of only) {
        if (phase === "first-preview") expect(r.outputs[k], `${r.name}.${k}`).toBe(UNKNOWN_VALUE);
        else expect(r.outputs[k], `${r.name}.${k}`).not.toBe(UNKNOWN_VALUE);
      }
    }
    // What a program could set but the components never do is an output all the same.
    const monitor = ofType(judged[phase].view, monitorType)[0]!;
    expect(monitor.declaredOnly).toContain("restrictedRoles");
    expect(monitor.props).not.toHaveProperty("restrictedRoles");
  });

  it.each(cliPhases)("%s: no mandatory policy fails", (phase) => {
    const failed = judged[phase].report.results.filter((r) => r.enforcementLevel === "mandatory" && r.status === "fail");
    expect(failed.map((r) => [r.policy, r.violations])).toEqual([]);
    // A link's service name is an input of the PagerDuty service, so it is known even on a first preview. An
    // action group's name is not: azure-native's outputs carry the ARM `name`, unknown until it exists, so the
    // routing policy can't decide Azure alerts before the first `up` (as the real CLI reports, test/recordings/).
    const undecided = judged[phase].report.results.filter((r) => r.undecided.length > 0).map((r) => r.policy);
    expect(undecided).toEqual(phase === "first-preview" ? ["alerts-route-to-preparedness"] : []);
  });
});
