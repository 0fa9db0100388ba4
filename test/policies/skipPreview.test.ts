// The pack's promises where production needs them: `pulumi up --skip-preview` (what pulumi/actions'
// `command: up` runs through the Automation API) calls only Analyze before each resource is created,
// and AnalyzeStack after the whole stack was deployed. So every finding of issue 25 is sent here over
// gRPC as Analyze calls only, in the update phase (`pulumi up`: not a dry run), with each resource's
// provider as the CLI tells it, and must raise a mandatory violation the compliant stacks don't.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stackResourceTypes as T } from "../../src/facts/alertingResources.js";
import type { AnalyzedResource } from "../../src/offline/cliView.js";
import type { PolicyPackProcess } from "../support/analyzer/client.js";
import { fromAnalyzerView } from "../support/analyzer/fakeEngine.js";
import {
  changed,
  compliantView,
  customers,
  defaultProviderName,
  find,
  inProcess,
  overGrpc,
  packs,
  withProviders,
} from "../support/closedWorld.js";
import { copyOf, golden } from "../support/goldenStacks.js";

const phase = "update";
/**
 * The stack configuration the CLI builds the default providers from: none beyond the as-of (the keys
 * come from the environment, as in the workflows), so a default provider has no settings. The packs
 * are the ones the other policy suites start for the same stack and phase.
 */
const config: Record<string, string> = {};

/** The customer's compliant stack as `pulumi up` analyzes it: inputs known, each with its provider. */
const upView = async (customer: string) => withProviders(await compliantView(customer, phase), customer, phase, config);

/** Mandatory violations over gRPC, Analyze calls only, of a pack told `stack` (and `extra` configuration). */
async function analyzeOnly(view: AnalyzedResource[], stack: string, extra: Record<string, string> = {}) {
  return overGrpc(await packs.get(stack, phase, { ...config, ...extra }), view, "Analyze");
}

interface Finding {
  name: string;
  customer?: string;
  /** The stack the pack is told, when not the customer's. */
  stack?: string;
  config?: Record<string, string>;
  mutate: (view: AnalyzedResource[]) => AnalyzedResource[];
  policy: string;
  expect: RegExp;
}

const findings: Finding[] = [
  {
    name: "an eleventh standard alert",
    customer: "havblik",
    mutate: (v) => [...v, copyOf(find(v, T.datadogMonitor), "havblik-eleventh")],
    policy: "resource-matches-plan",
    expect: /^monitor 'havblik-eleventh' is not something stacks\/havblik\.yaml renders$/,
  },
  {
    name: "another customer's resources",
    mutate: (v) => [...v, ...golden("havblik", phase).filter((r) => r.type === T.datadogMonitor || r.type === T.pagerdutyService)],
    policy: "resource-matches-plan",
    expect: /^'pico-havblik-[a-z]+' \(pagerduty:index\/service:Service\) is not something stacks\/nordlys\.yaml renders$/,
  },
  {
    name: "a fourth role",
    mutate: (v) => [
      ...v,
      copyOf(find(v, T.pagerdutySchedule, /pim/), "pico-nordlys-ops-schedule"),
      copyOf(find(v, T.pagerdutyEscalationPolicy, /pim/), "pico-nordlys-ops-escalation"),
      copyOf(find(v, T.pagerdutyService, /pim/), "pico-nordlys-ops"),
    ],
    policy: "resource-matches-plan",
    expect:
      /^'pico-nordlys-ops-escalation' \(pagerduty:index\/escalationPolicy:EscalationPolicy\) is not something stacks\/nordlys\.yaml renders$/,
  },
  {
    name: "an escalation policy replaced by one with no standing support",
    mutate: (v) =>
      changed(
        v,
        T.pagerdutyEscalationPolicy,
        (p) => {
          p.rules = p.rules.slice(0, 1);
        },
        /frontend/,
      ),
    policy: "resource-matches-plan",
    expect: /^'pico-nordlys-frontend-escalation' \(pagerduty:index\/escalationPolicy:EscalationPolicy\): input 'rules\[1\]' is missing/,
  },
  {
    name: "a stack whose name has no customer file",
    stack: "acme",
    mutate: (v) => v,
    policy: "resource-matches-plan",
    expect: /: stack 'acme' has no customer file stacks\/acme\.yaml or \.yml/,
  },
  {
    name: "a default-named Datadog provider with the configured keys and another organisation's bearer token",
    mutate: (v) =>
      v.map((r) =>
        r.provider?.type === "pulumi:providers:datadog"
          ? { ...r, provider: { ...r.provider, props: { ...r.provider.props, bearerToken: "ddbt_another_org" } } }
          : r,
      ),
    policy: "resource-matches-plan",
    expect:
      /: its provider 'default_5_11_0' \(pulumi:providers:datadog\): credential 'bearerToken' is not in the stack configuration \(datadog:bearerToken\)$/,
  },
  {
    name: "Azure resources moved to a default provider for another subscription",
    mutate: (v) =>
      v.map((r) =>
        r.type.startsWith("azure-native:")
          ? {
              ...r,
              provider: {
                type: "pulumi:providers:azure-native",
                name: defaultProviderName,
                urn: `urn:pulumi:nordlys::pico-monitoring::pulumi:providers:azure-native::${defaultProviderName}`,
                props: { subscriptionId: "00000000-0000-0000-0000-0000000000ff" },
              },
            }
          : r,
      ),
    policy: "resource-matches-plan",
    expect:
      /^action group 'pico-nordlys-backend': its provider 'default_5_11_0' \(pulumi:providers:azure-native\) is not the provider 'nordlys-azure' stacks\/nordlys\.yaml gives it$/,
  },
  {
    name: "the planned Azure provider with a client secret the plan doesn't give it",
    mutate: (v) =>
      v.map((r) =>
        r.provider?.name === "nordlys-azure"
          ? { ...r, provider: { ...r.provider, props: { ...r.provider.props, clientSecret: "s3cr3t~x" } } }
          : r,
      ),
    policy: "resource-matches-plan",
    expect: /: its provider 'nordlys-azure' \(pulumi:providers:azure-native\): credential 'clientSecret' is not planned$/,
  },
  {
    name: "an as-of pinned two years back",
    config: { "pico-monitoring:asOf": "2025-01-10T12:00:00Z" },
    mutate: (v) => v,
    policy: "resource-matches-plan",
    expect:
      /^'pico-nordlys-backend-schedule' \(pagerduty:index\/schedule:Schedule\): stack configuration pico-monitoring:asOf is 730 days before now, further than the schedules' horizon of 365 days/,
  },
  {
    name: "an as-of pinned five years ahead",
    config: { "pico-monitoring:asOf": "2032-01-10T12:00:00Z" },
    mutate: (v) => v,
    policy: "resource-matches-plan",
    expect:
      /^'pico-nordlys-pim-schedule' \(pagerduty:index\/schedule:Schedule\): stack configuration pico-monitoring:asOf is 1826 days after now/,
  },
];

describe("pulumi up --skip-preview: only Analyze runs before each resource is created", () => {
  it.each(customers)("the compliant stack of %s, with its providers, raises no mandatory violation", async (customer) => {
    const view = await upView(customer);
    expect(view.filter((r) => r.provider !== undefined).length).toBeGreaterThan(20);
    expect(view.find((r) => r.type === T.azureActionGroup)!.provider!.name).toBe(`${customer}-azure`);
    expect(await analyzeOnly(view, customer)).toEqual([]);
    expect(await inProcess(view, customer, phase, config)).toEqual([]);
  });

  it.each(findings.map((f) => [f.name, f] as const))("rejects %s, mandatory, before it is created", async (_name, f) => {
    const customer = f.customer ?? "nordlys";
    const view = f.mutate(await upView(customer));
    const found = await analyzeOnly(view, f.stack ?? customer, f.config);
    expect(found.filter((v) => v.policy === f.policy).map((v) => v.message)).toContainEqual(expect.stringMatching(f.expect));
    // The same in-process, as `preview` and `audit` judge it.
    const local = await inProcess(view, f.stack ?? customer, phase, { ...config, ...f.config });
    expect(local.filter((v) => v.policy === f.policy).map((v) => v.message)).toContainEqual(expect.stringMatching(f.expect));
  });
});

describe("promises stay mandatory whatever the configuration says", () => {
  let pack: PolicyPackProcess;
  const eleven = () => {
    const view = golden("havblik", phase);
    return [...view, copyOf(find(view, T.datadogMonitor), "havblik-eleventh")];
  };

  beforeAll(async () => {
    pack = await packs.get("havblik", phase);
  });
  // The pack is shared with the other suites of this process: back to the pack's own levels and defaults.
  afterEach(async () => {
    await pack.configure({});
  });

  it.each([
    [{ all: "advisory" }],
    [{ "resource-matches-plan": "advisory", "max-ten-alerts": "advisory", "stack-matches-customer-file": "advisory" }],
  ] as const)("%j: the eleventh alert is still a mandatory violation, in Analyze and AnalyzeStack", async (policyConfig) => {
    const sent = await pack.configure(policyConfig);
    expect(sent["resource-matches-plan"]!.enforcementLevel).toBe("advisory");
    const analyzed = (
      await Promise.all(eleven().map((r) => pack.analyze({ type: r.type, name: r.name, urn: r.urn, props: r.props })))
    ).flat();
    const analyzeLevels = analyzed.filter((d) => d.message.includes("'havblik-eleventh' is not something")).map((d) => d.enforcementLevel);
    expect(analyzeLevels).toEqual(["mandatory"]);
    const stack = await pack.analyzeStack(eleven().map(fromAnalyzerView));
    const limit = stack.find((d) => d.policyName === "max-ten-alerts")!;
    expect(limit).toMatchObject({ enforcementLevel: "mandatory", severity: "high" });
    // Reads as it always did: the description, then the message.
    expect(limit.message).toMatch(
      /^A customer's stack holds at most 10 alerts .*\nthis stack has 11 alerts; the Extended package allows at most 10: /,
    );
    expect(stack.every((d) => d.enforcementLevel === "mandatory")).toBe(true);
  });

  it.each([["twelve"], [{}], [Number.NaN], [null]])(
    "max-ten-alerts configured %j past the schema still allows at most the package's ten",
    async (maxAlerts) => {
      await pack.configureUnchecked({ "max-ten-alerts": { enforcementLevel: "mandatory", properties: { maxAlerts } } });
      const found = (await pack.analyzeStack(eleven().map(fromAnalyzerView))).filter((d) => d.policyName === "max-ten-alerts");
      expect(found.map((d) => [d.enforcementLevel, d.message.split("\n")[1]!.replace(/: .*/, "")])).toEqual([
        ["mandatory", "this stack has 11 alerts; the Extended package allows at most 10"],
      ]);
    },
  );

  it("an empty configuration object for max-ten-alerts past the schema: the package's ten", async () => {
    await pack.configureUnchecked({ "max-ten-alerts": { enforcementLevel: "mandatory", properties: {} } });
    const found = (await pack.analyzeStack(eleven().map(fromAnalyzerView))).filter((d) => d.policyName === "max-ten-alerts");
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/allows at most 10: /);
  });

  it("disabled skips a policy: no pack can prevent it, which is why audit and the workflows refuse it", async () => {
    await pack.configure({ "max-ten-alerts": "disabled" });
    expect((await pack.analyzeStack(eleven().map(fromAnalyzerView))).filter((d) => d.policyName === "max-ten-alerts")).toEqual([]);
  });
});
