/**
 * The real CustomerMonitoring component under Pulumi's mock engine, for each example customer:
 * what it creates, how alerts page, and that secrets stay secret.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../src/catalog/load.js";
import { pagerdutyHandle, pagerdutyServiceName } from "../src/facts/paging.js";
import { isSecretValue, masked, revealed } from "../src/facts/engineValues.js";
import { previewCustomer, type CustomerPreview } from "../src/preview/customer.js";
import { loadCustomer } from "../src/plan/loadCustomer.js";
import type { CustomerSpec } from "../src/customer/schema.js";
import { repoRoot } from "./support/cli.js";

const catalog = loadCatalog();
const asOf = new Date("2027-01-10T12:00:00Z");

function load(id: string): CustomerSpec {
  const r = loadCustomer(join(repoRoot, "stacks", `${id}.yaml`), catalog);
  return r.spec;
}

function typeCounts(p: CustomerPreview): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of p.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

const roster = {
  "pico:monitoring:PreparednessRoster": 1,
  "pagerduty:index/schedule:Schedule": 3,
  "pagerduty:index/escalationPolicy:EscalationPolicy": 3,
  "pagerduty:index/service:Service": 3,
  "pagerduty:index/serviceIntegration:ServiceIntegration": 6,
  "datadog:pagerduty/serviceObject:ServiceObject": 3,
};
const shell = {
  "pico:monitoring:CustomerMonitoring": 1,
  "pico:monitoring:DatadogMonitors": 1,
  "pico:monitoring:AzureHealthChecks": 1,
  "azure-native:monitor:ActionGroup": 3,
  "pulumi:providers:azure-native": 1,
};

describe.each([
  // customer, monitors, web tests (= availability alerts), resource health alerts
  ["nordlys", 6, 2, 1],
  ["baltic-freight", 5, 1, 0],
  ["havblik", 8, 2, 0],
])("%s", (id, monitors, webTests, resourceHealth) => {
  const spec = load(id);
  let preview: CustomerPreview;
  it("creates exactly the expected resources, all under CustomerMonitoring", async () => {
    preview = await previewCustomer(spec, catalog, asOf);
    const expected: Record<string, number> = { ...shell, ...roster };
    if (monitors) expected["datadog:index/monitor:Monitor"] = monitors;
    if (webTests) {
      expected["azure-native:applicationinsights:WebTest"] = webTests;
      expected["azure-native:monitor:MetricAlert"] = webTests;
    }
    if (resourceHealth) expected["azure-native:monitor:ActivityLogAlert"] = resourceHealth;
    expect(typeCounts(preview)).toEqual(expected);
    expect(preview.summary.alerts).toBe(spec.alerts.length);

    const root = preview.resources.find((r) => r.type === "pico:monitoring:CustomerMonitoring")!;
    const byUrn = new Map(preview.resources.map((r) => [r.urn, r]));
    for (const r of preview.resources) {
      if (r === root) continue;
      let up = r.parent;
      while (up && up !== root.urn) up = byUrn.get(up)?.parent;
      expect(up, `${r.urn} is not a descendant of the root`).toBe(root.urn);
    }
  });

  it("tags every monitor with its provenance and pages its role's service outside conditionals", () => {
    const serviceNames = new Set(
      preview.resources.filter((r) => r.type === "datadog:pagerduty/serviceObject:ServiceObject").map((r) => r.props.serviceName),
    );
    for (const m of preview.resources.filter((r) => r.type === "datadog:index/monitor:Monitor")) {
      const tags = m.props.tags as string[];
      const role = tags.find((t) => t.startsWith("role:"))!.slice(5) as "backend" | "frontend" | "pim";
      expect(tags).toEqual(
        expect.arrayContaining([
          `customer:${id}`,
          "package:extended",
          expect.stringMatching(/^catalog:/),
          expect.stringMatching(/^catalog-version:\d+$/),
        ]),
      );
      const message = m.props.message as string;
      const outside = message.replace(/\{\{#(\w+)\}\}[\s\S]*?\{\{\/\1\}\}/g, "");
      expect(outside).toContain(pagerdutyHandle(id, role));
      expect(serviceNames).toContain(pagerdutyServiceName(id, role));
      const critical = Number((m.props.monitorThresholds as { critical: string }).critical);
      expect(m.props.query).toMatch(new RegExp(`[<>=] ${critical}$`));
    }
  });

  it("keeps integration keys secret once they exist (an update)", async () => {
    const updated = await previewCustomer(spec, catalog, asOf, "update");
    const links = updated.resources.filter((r) => r.type === "datadog:pagerduty/serviceObject:ServiceObject");
    expect(links.map((r) => isSecretValue(r.props.serviceKey))).toEqual([true, true, true]);
    for (const l of links) expect(revealed(l.props.serviceKey)).toMatch(/^[0-9a-f]{32}$/); // the provider's key, kept inside
    const groups = updated.resources.filter((r) => r.type === "azure-native:monitor:ActionGroup");
    for (const g of groups) {
      expect(g.secretPaths).toContain("webhookReceivers[0].serviceUri");
      expect(JSON.stringify(masked(g.props))).not.toMatch(/events\.pagerduty\.com/);
    }
  });

  it("creates every Azure resource in the customer's own subscription", () => {
    const provider = preview.resources.find((r) => r.type === "pulumi:providers:azure-native")!;
    expect(provider.props.subscriptionId).toBe(spec.azure.subscriptionId);
    const azure = preview.resources.filter((r) => r.type.startsWith("azure-native:"));
    expect(azure.length).toBeGreaterThan(0);
    for (const r of azure) expect(r.provider, r.urn).toBe(provider.urn);
  });

  it("routes Azure alerts to this customer's action groups", () => {
    const groups = preview.resources.filter((r) => r.type === "azure-native:monitor:ActionGroup").map((g) => g.props.actionGroupName);
    for (const a of preview.resources.filter((r) => /MetricAlert|ActivityLogAlert/.test(r.type))) {
      const ids = JSON.stringify(a.props.actions).match(/actionGroups\/([a-z0-9-]+)/g) ?? [];
      expect(ids.length).toBe(1);
      expect(groups).toContain(ids[0]!.slice("actionGroups/".length));
    }
  });
});

describe("stable logical names", () => {
  it("reordering the YAML renames nothing, and an added alert renames nothing", async () => {
    const spec = load("nordlys");
    const names = async (s: CustomerSpec) => (await previewCustomer(s, catalog, asOf)).resources.map((r) => r.urn).sort();
    const before = await names(spec);
    const reordered = {
      ...spec,
      alerts: [...spec.alerts].reverse(),
      systems: [...spec.systems].reverse().map((s) => ({ ...s, resources: [...s.resources].reverse() })),
    };
    expect(await names(reordered)).toEqual(before);
    const added = { ...spec, alerts: [...spec.alerts, { use: "redis-memory", on: "portal-cache", tunables: {} }] };
    const after = await names(added);
    expect(after.filter((u) => !before.includes(u))).toEqual([expect.stringMatching(/::nordlys-redis-memory-portal-cache$/)]);
    expect(before.every((u) => after.includes(u))).toBe(true);
  });

  it("the example files are what the tests read", () => {
    expect(readFileSync(join(repoRoot, "stacks", "havblik.yaml"), "utf8")).toContain("exactly ten alerts");
    expect(load("havblik").alerts).toHaveLength(10);
  });
});
