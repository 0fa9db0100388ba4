/**
 * Turns a customer's chosen alerts into provenances: entry, target, bindings and tunables.
 * Pure; the spec has been validated against the catalogue before this runs.
 */
import type { Catalog } from "../catalog/entry.js";
import type { Provenance } from "../catalog/provenance.js";
import type { CustomerSpec } from "../customer/schema.js";

export type Target =
  | { kind: "resource"; resource: CustomerSpec["systems"][number]["resources"][number] }
  | { kind: "endpoint"; endpoint: CustomerSpec["systems"][number]["endpoints"][number] }
  | { kind: "system"; system: CustomerSpec["systems"][number] };

/** Everything `alerts[].on` can name, by id. */
export function targetsById(spec: CustomerSpec): Map<string, Target> {
  const targets = new Map<string, Target>();
  for (const system of spec.systems) {
    targets.set(system.id, { kind: "system", system });
    for (const resource of system.resources) targets.set(resource.id, { kind: "resource", resource });
    for (const endpoint of system.endpoints) targets.set(endpoint.id, { kind: "endpoint", endpoint });
  }
  return targets;
}

export function targetKindOf(t: Target): string {
  return t.kind === "resource" ? t.resource.type : t.kind;
}

export function alertProvenances(spec: CustomerSpec, catalog: Catalog): Provenance[] {
  const targets = targetsById(spec);
  return spec.alerts.map((a) => {
    const entry = catalog.entries.get(a.use)!;
    const target = targets.get(a.on)!;
    const tunables = Object.fromEntries(
      Object.entries(entry.tunables).map(([k, t]) => [k, (a.tunables[k] as number | undefined) ?? t.default]),
    );
    return {
      customer: spec.customer,
      entry: entry.id,
      version: entry.version,
      role: entry.owner,
      target: a.on,
      bindings: bindingsFor(spec, target),
      tunables,
    };
  });
}

function bindingsFor(spec: CustomerSpec, target: Target): Record<string, string> {
  const azure = spec.azure;
  switch (target.kind) {
    case "resource": {
      // Datadog's Azure integration lower-cases tag values.
      const r = target.resource;
      const b: Record<string, string> = { name: r.name.toLowerCase(), resourceGroup: r.resourceGroup.toLowerCase() };
      if (r.server) b.server = r.server.toLowerCase();
      return b;
    }
    case "endpoint":
      return {
        url: target.endpoint.url,
        subscriptionId: azure.subscriptionId,
        monitoringResourceGroup: azure.monitoringResourceGroup,
        applicationInsights: azure.applicationInsights,
        location: azure.location,
      };
    case "system": {
      const groups = [...new Set(target.system.resources.map((r) => r.resourceGroup))].sort();
      return {
        subscriptionId: azure.subscriptionId,
        monitoringResourceGroup: azure.monitoringResourceGroup,
        resourceGroups: groups.join(","),
      };
    }
  }
}
