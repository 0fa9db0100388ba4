import { afterEach, describe, expect, it } from "vitest";
import { looksLikeKey, noPlaintextSecrets } from "../../policies/noPlaintextSecrets.js";
import { UNKNOWN_SENTINEL } from "../../policies/resourceProps.js";
import {
  customerStack,
  fakeKey,
  first,
  replace,
  resourceTypes as T,
  urnOf,
  validateStack,
  type TestResource,
} from "../support/policyHarness.js";

const stack = customerStack("nordlys");
const check = (resources: TestResource[]) => validateStack(noPlaintextSecrets, resources);
const key = fakeKey("pasted");

const provider = (name: string, props: Record<string, unknown>, pkg = "datadog"): TestResource => ({
  type: `pulumi:providers:${pkg}`,
  name,
  props,
});

describe("no-plaintext-secrets", () => {
  afterEach(() => {
    delete process.env["PULUMI_CONFIG"];
  });

  it("is a mandatory, critical stack policy with a remediation hint", () => {
    expect(noPlaintextSecrets).toMatchObject({ name: "no-plaintext-secrets", enforcementLevel: "mandatory", severity: "critical" });
    expect(noPlaintextSecrets.remediationSteps).toMatch(/additionalSecretOutputs/);
  });

  it.each(["nordlys", "havblik", "baltic-freight"])("passes the stack the components create for %s", (customer) => {
    expect(check(customerStack(customer))).toEqual({ violations: [] });
  });

  it("recognises keys and PagerDuty event URLs, not ids, GUIDs or digests", () => {
    expect(looksLikeKey(key)).toBe(true);
    expect(looksLikeKey(`x ${key.toUpperCase()} y`)).toBe(true);
    expect(looksLikeKey(fakeKey("a") + "01234567")).toBe(true); // 40: an application key
    expect(looksLikeKey("https://events.pagerduty.com/integration/abc/enqueue")).toBe(true);
    // Glued to other text, a key is still a key (issue 11).
    expect(looksLikeKey(`${key}0`)).toBe(true);
    expect(looksLikeKey(`ref${key}x`)).toBe(true);
    for (const fine of ["PABC123", "3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c", `sha256:${key}${key}`, "catalog-version:1"]) {
      expect(looksLikeKey(fine), fine).toBe(false);
    }
  });

  it("passes while the secret values are not known yet (preview)", () => {
    const preview = stack.map((r) =>
      r.type === T.serviceObject
        ? { ...r, props: { ...r.props, serviceKey: UNKNOWN_SENTINEL } }
        : r.type === T.actionGroup
          ? { ...r, props: { ...r.props, webhookReceivers: [{ name: "pagerduty", serviceUri: UNKNOWN_SENTINEL }] } }
          : r,
    );
    expect(check(preview)).toEqual({ violations: [] });
  });

  describe("violations", () => {
    it("a Datadog service object whose key is not taken from a PagerDuty service integration", () => {
      const link = first(stack, T.serviceObject);
      link.propertyDependencies = { serviceName: link.propertyDependencies!.serviceName! };
      expect(check(replace(stack, link)).violations).toEqual([
        {
          urn: urnOf(link),
          message: `Datadog PagerDuty service object '${link.name}': serviceKey does not come from a pagerduty.ServiceIntegration's integrationKey; a key written into the program is a plaintext secret`,
        },
      ]);
    });

    it("an action group whose PagerDuty webhook URL is not built from an integration's key", () => {
      const group = first(stack, T.actionGroup);
      group.propertyDependencies = {};
      expect(check(replace(stack, group)).violations).toEqual([
        {
          urn: urnOf(group),
          message: `action group '${group.name}': its PagerDuty webhook URL does not come from a pagerduty.ServiceIntegration's integration key; a key written into the program is a plaintext secret`,
        },
      ]);
      // A webhook somewhere else is not a PagerDuty key (whether it should exist is another policy's business).
      const other = { ...group, props: { ...group.props, webhookReceivers: [{ name: "ops", serviceUri: "https://hooks.example/ops" }] } };
      expect(check(replace(stack, other))).toEqual({ violations: [] });
    });

    it("a PagerDuty service integration whose key is not a secret output", () => {
      const integration = first(stack, T.integration);
      integration.options = { additionalSecretOutputs: [] };
      expect(check(replace(stack, integration)).violations).toEqual([
        {
          urn: urnOf(integration),
          message: `PagerDuty service integration '${integration.name}': integrationKey is not in additionalSecretOutputs, so the key would be stored in plain text in the stack's state`,
        },
      ]);
    });

    it("a key pasted into a field where no key belongs, named by field and never echoed", () => {
      const monitor = first(stack, T.monitor);
      monitor.props!.message = `${String(monitor.props!.message)}\n@webhook-x?token=${key}`;
      const group = first(stack, T.actionGroup);
      group.props!.tags = { ...(group.props!.tags as object), note: `https://events.pagerduty.com/integration/${key}/enqueue` };
      const schedule = { type: "pagerduty:index/schedule:Schedule", name: "s", props: { description: `key ${key}` } };
      const { violations } = check([...replace(replace(stack, monitor), group), schedule]);
      expect(violations).toEqual([
        {
          urn: urnOf(group),
          message: `action group '${group.name}': field 'tags.note' holds what looks like a literal API or integration key`,
        },
        {
          urn: urnOf(monitor),
          message: `monitor '${monitor.name}': field 'message' holds what looks like a literal API or integration key`,
        },
        {
          urn: urnOf(schedule),
          message: `'s' (pagerduty:index/schedule:Schedule): field 'description' holds what looks like a literal API or integration key`,
        },
      ]);
      for (const v of violations) expect(v.message).not.toContain(key);
    });

    it("an explicit provider whose credential is not in the stack's configuration", () => {
      process.env["PULUMI_CONFIG"] = JSON.stringify({
        "datadog:apiKey": fakeKey("dd-api"),
        "pico-monitoring:datadog": JSON.stringify({ appKey: fakeKey("dd-app") + "01234567" }),
      });
      const literal = provider("dd", { apiKey: key, appKey: fakeKey("dd-app") + "01234567" });
      const fromConfig = provider("dd-config", { apiKey: fakeKey("dd-api") });
      const pd = provider("pd", { token: "y_NbAkKc66ryYTWUXYEu" }, "pagerduty");
      const defaults = provider("default_5_11_0", { apiKey: "from-the-environment" });
      expect(check([...stack, literal, fromConfig, pd, defaults]).violations).toEqual([
        {
          urn: urnOf(literal),
          message:
            "provider 'dd' (datadog): apiKey is not a value of the stack's configuration, so it was written into the program or read from elsewhere; set it with `pulumi config set --secret`",
        },
        {
          urn: urnOf(pd),
          message:
            "provider 'pd' (pagerduty): token is not a value of the stack's configuration, so it was written into the program or read from elsewhere; set it with `pulumi config set --secret`",
        },
        // No exemption by name (issue 11): a real default provider's settings come from the configuration.
        {
          urn: urnOf(defaults),
          message:
            "provider 'default_5_11_0' (datadog): apiKey is not a value of the stack's configuration, so it was written into the program or read from elsewhere; set it with `pulumi config set --secret`",
        },
      ]);
    });

    it("leaves provider credentials alone when there is no stack configuration to compare with (in-process)", () => {
      expect(check([...stack, provider("dd", { apiKey: key })])).toEqual({ violations: [] });
    });
  });
});
