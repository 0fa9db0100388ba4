/**
 * The offline preview of one customer: the real `CustomerMonitoring` component through Pulumi's
 * mock engine, in preview mode, exactly as `pulumi preview` would construct it.
 */
import type { Catalog } from "../catalog/entry";
import { maxAlerts } from "../extended";
import { planCustomer } from "../plan";
import type { CustomerSpec } from "../spec/schema";
import { countAlerts } from "./render";
import { runUnderMocks, type RegisteredResource } from "./mockEngine";

export const pulumiProject = "pico-monitoring";

export interface CustomerPreview {
  customer: string;
  asOf: Date;
  resources: RegisteredResource[];
  summary: { alerts: number; maxAlerts: number };
}

export async function previewCustomer(spec: CustomerSpec, catalog: Catalog, asOf: Date): Promise<CustomerPreview> {
  const plan = planCustomer(spec, catalog, asOf);
  const resources = await runUnderMocks(
    async () => {
      // Loaded here, after the mocks are installed, as the mock engine requires.
      const { CustomerMonitoring } = await import("../../components/customerMonitoring.js");
      new CustomerMonitoring(spec.customer, { plan });
    },
    { project: pulumiProject, stack: spec.customer, preview: true },
  );
  return { customer: spec.customer, asOf, resources, summary: { alerts: countAlerts(resources), maxAlerts } };
}
