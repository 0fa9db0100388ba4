// no-plaintext-secrets, judged with the whole pack on mutations of nordlys's golden stack (test/support/goldenStacks.ts).
import { describe, expect, it } from "vitest";
import { looksLikeKey, noPlaintextSecrets } from "../../policies/noPlaintextSecrets.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import { providerCredentials } from "../../src/facts/providerCredentials.js";
import { changed, fakeKey, find, golden, judge, provider, T, violationsOf } from "../support/goldenStacks.js";

const POLICY = "no-plaintext-secrets";
const key = fakeKey("pasted");
const link = find(golden(), T.datadogPagerdutyServiceObject);
const group = find(golden(), T.azureActionGroup);
const integration = find(golden(), T.pagerdutyServiceIntegration);

describe("no-plaintext-secrets", () => {
  it("is a mandatory, critical stack policy with a remediation hint", () => {
    expect(noPlaintextSecrets).toMatchObject({ name: "no-plaintext-secrets", enforcementLevel: "mandatory", severity: "critical" });
    expect(noPlaintextSecrets.remediationSteps).toMatch(/additionalSecretOutputs/);
  });

  it.each(["nordlys", "havblik", "baltic-freight"])("passes the stack the components create for %s", async (customer) => {
    expect(violationsOf(await judge(golden(customer), { customer }), POLICY)).toEqual([]);
  });

  it("recognises keys and PagerDuty event URLs, not ids, GUIDs or digests", () => {
    expect(looksLikeKey(key)).toBe(true);
    expect(looksLikeKey(`x ${key.toUpperCase()} y`)).toBe(true);
    expect(looksLikeKey(`${fakeKey("a")}01234567`)).toBe(true); // 40: an application key
    expect(looksLikeKey("https://events.pagerduty.com/integration/abc/enqueue")).toBe(true);
    // Glued to other text, a key is still a key (issue 11).
    expect(looksLikeKey(`${key}0`)).toBe(true);
    expect(looksLikeKey(`ref${key}x`)).toBe(true);
    for (const fine of ["PABC123", "3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c", `sha256:${key}${key}`, "catalog-version:1"]) {
      expect(looksLikeKey(fine), fine).toBe(false);
    }
  });

  it("passes while the secret values are not known yet (a first preview)", async () => {
    const preview = golden("nordlys", "first-preview");
    // What the pack sees on a first preview: the keys are not known yet.
    expect(find(preview, T.datadogPagerdutyServiceObject).outputs.serviceKey).toBe(UNKNOWN_SENTINEL);
    const receivers = find(preview, T.azureActionGroup).outputs.webhookReceivers as { serviceUri: string }[];
    expect(receivers[0]!.serviceUri).toBe(UNKNOWN_SENTINEL);
    expect(violationsOf(await judge(preview, { phase: "first-preview" }), POLICY)).toEqual([]);
  });

  describe("violations", () => {
    it("a Datadog service object whose key is not taken from a PagerDuty service integration", async () => {
      const view = changed(golden(), T.datadogPagerdutyServiceObject, (_, r) => {
        r.propertyDependencies = { serviceName: r.propertyDependencies!.serviceName! };
      });
      expect(violationsOf(await judge(view), POLICY)).toEqual([
        {
          urn: link.urn,
          message: `Datadog PagerDuty service object '${link.name}': serviceKey does not come from a pagerduty.ServiceIntegration's integrationKey; a key written into the program is a plaintext secret`,
        },
      ]);
    });

    it("an action group whose PagerDuty webhook URL is not built from an integration's key", async () => {
      const view = changed(golden(), T.azureActionGroup, (_, r) => {
        r.propertyDependencies = {};
      });
      expect(violationsOf(await judge(view), POLICY)).toEqual([
        {
          urn: group.urn,
          message: `action group '${group.name}': its PagerDuty webhook URL does not come from a pagerduty.ServiceIntegration's integration key; a key written into the program is a plaintext secret`,
        },
      ]);
      // A webhook somewhere else is not a PagerDuty key (whether it should exist is another policy's business).
      const other = changed(view, T.azureActionGroup, (p) => {
        p.webhookReceivers = [{ name: "ops", serviceUri: "https://hooks.example/ops" }];
      });
      const report = await judge(other);
      expect(violationsOf(report, POLICY)).toEqual([]);
      expect(new Set(violationsOf(report, "stack-matches-customer-file").map((v) => v.urn))).toEqual(new Set([group.urn]));
    });

    it("a PagerDuty service integration whose key is not a secret output", async () => {
      const view = changed(golden(), T.pagerdutyServiceIntegration, (_, r) => {
        r.additionalSecretOutputs = [];
        r.outputSecretPaths = [];
      });
      expect(violationsOf(await judge(view), POLICY)).toEqual([
        {
          urn: integration.urn,
          message: `PagerDuty service integration '${integration.name}': integrationKey is not in additionalSecretOutputs, so the key would be stored in plain text in the stack's state`,
        },
      ]);
    });

    it("a key pasted into a field where no key belongs, named by field and never echoed", async () => {
      let view = changed(golden(), T.datadogMonitor, (p) => {
        p.message = `${p.message}\n@webhook-x?token=${key}`;
      });
      view = changed(view, T.azureActionGroup, (p) => {
        p.tags = { ...p.tags, note: `https://events.pagerduty.com/integration/${key}/enqueue` };
      });
      view = changed(view, T.pagerdutySchedule, (p) => {
        p.description = `key ${key}`;
      });
      const monitor = find(view, T.datadogMonitor);
      const schedule = find(view, T.pagerdutySchedule);
      const { violations } = (await judge(view)).results.find((r) => r.policy === POLICY)!;
      expect(violations).toEqual([
        {
          urn: group.urn,
          message: `action group '${group.name}': field 'tags.note' holds what looks like a literal API or integration key`,
        },
        {
          urn: monitor.urn,
          message: `monitor '${monitor.name}': field 'message' holds what looks like a literal API or integration key`,
        },
        {
          urn: schedule.urn,
          message: `'${schedule.name}' (pagerduty:index/schedule:Schedule): field 'description' holds what looks like a literal API or integration key`,
        },
      ]);
      for (const v of violations) expect(v.message).not.toContain(key);
    });

    it("an explicit provider whose credential is not in the stack's configuration", async () => {
      const stackConfig = {
        "datadog:apiKey": fakeKey("dd-api"),
        "pico-monitoring:datadog": JSON.stringify({ appKey: `${fakeKey("dd-app")}01234567` }),
      };
      const view = golden();
      const literal = provider(view, "datadog", "dd", { apiKey: key, appKey: `${fakeKey("dd-app")}01234567` });
      const fromConfig = provider(view, "datadog", "dd-config", { apiKey: fakeKey("dd-api") });
      const pd = provider(view, "pagerduty", "pd", { token: "y_NbAkKc66ryYTWUXYEu" });
      const defaults = provider(view, "datadog", "default_5_11_0", { apiKey: "from-the-environment" });
      const report = await judge([...view, literal, fromConfig, pd, defaults], { stackConfig });
      expect(violationsOf(report, POLICY)).toEqual([
        {
          urn: literal.urn,
          message:
            "provider 'dd' (datadog): apiKey is not a value of the stack's configuration, so it was written into the program or read from elsewhere; set it with `pulumi config set --secret`",
        },
        // No exemption by name (issue 11): a real default provider's settings come from the configuration.
        {
          urn: defaults.urn,
          message:
            "provider 'default_5_11_0' (datadog): apiKey is not a value of the stack's configuration, so it was written into the program or read from elsewhere; set it with `pulumi config set --secret`",
        },
      ]);
      // The PagerDuty SDK marks no Provider setting secret (src/facts/providerCredentials.generated.json), so
      // its token is no credential here; the provider is no provider of the plan, which Analyze rejects.
      expect(violationsOf(report, "resource-matches-plan")).toContainEqual({
        urn: pd.urn,
        message: "'pd' (pulumi:providers:pagerduty) is not something stacks/nordlys.yaml renders",
      });
    });

    it("takes the credential fields from the installed SDKs' Provider classes", () => {
      expect(providerCredentials("datadog")).toEqual([
        "apiKey",
        "appKey",
        "awsAccessKeyId",
        "awsSecretAccessKey",
        "awsSessionToken",
        "bearerToken",
      ]);
      expect(providerCredentials("azure-native")).toEqual(["clientCertificatePassword", "clientId", "clientSecret"]);
      expect(providerCredentials("pagerduty")).toEqual([]);
    });

    it("a default-named Datadog provider with the configured keys and another organisation's bearer token", async () => {
      const stackConfig = { "datadog:apiKey": fakeKey("dd-api"), "datadog:appKey": `${fakeKey("dd-app")}01234567` };
      const view = golden();
      const foreign = provider(view, "datadog", "default_5_11_0", {
        apiKey: stackConfig["datadog:apiKey"],
        appKey: stackConfig["datadog:appKey"],
        bearerToken: "ddbt_other_org",
      });
      const report = await judge([...view, foreign], { stackConfig });
      expect(violationsOf(report, POLICY)).toEqual([
        {
          urn: foreign.urn,
          message:
            "provider 'default_5_11_0' (datadog): bearerToken is not a value of the stack's configuration, so it was written into the program or read from elsewhere; set it with `pulumi config set --secret`",
        },
      ]);
    });

    it("leaves provider credentials alone when the pack is told no stack configuration to compare with", async () => {
      const view = golden();
      expect(
        violationsOf(await judge([...view, provider(view, "datadog", "dd", { apiKey: key })], { stackConfig: "none" }), POLICY),
      ).toEqual([]);
    });
  });
});
