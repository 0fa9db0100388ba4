/**
 * The offline preview of one customer: the real `CustomerMonitoring` component through Pulumi's
 * mock engine, in preview mode, exactly as `pulumi preview` would construct it.
 */
import type { Catalog } from "../catalog/entry";
import { maxAlerts, roles, type Role } from "../extended";
import { planCustomer } from "../plan";
import type { CustomerSpec } from "../spec/schema";
import { countAlerts } from "./render";
import { runUnderMocks, type RegisteredResource } from "./mockEngine";

export const pulumiProject = "pico-monitoring";

/** One preparedness day of the schedules, by person: what reviewers read instead of PagerDuty ids. */
export interface PreviewRosterDay {
  date: string;
  /** The layer's name in every role's schedule. */
  layer: string;
  onDuty: Record<Role, string>;
}

export interface CustomerPreview {
  customer: string;
  asOf: Date;
  resources: RegisteredResource[];
  summary: { alerts: number; maxAlerts: number };
  roster: PreviewRosterDay[];
}

/** The plan's layers, one entry per day: the same e-mails the component resolves to PagerDuty users. */
export function rosterByPerson(layers: Record<Role, readonly { name: string; start: string; users: readonly string[] }[]>): PreviewRosterDay[] {
  const days = new Map<string, PreviewRosterDay>();
  for (const role of roles) {
    for (const l of layers[role]) {
      const day = days.get(l.name) ?? { date: l.start.slice(0, 10), layer: l.name, onDuty: {} as Record<Role, string> };
      day.onDuty[role] = l.users.join(", ");
      days.set(l.name, day);
    }
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
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
  return { customer: spec.customer, asOf, resources, summary: { alerts: countAlerts(resources), maxAlerts }, roster: rosterByPerson(plan.layers) };
}
