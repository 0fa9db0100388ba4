/**
 * Everything one customer's stack will hold, computed before any resource exists: the rendered
 * alerts and the PagerDuty layers for the as-of instant. Pure and deterministic.
 */
import type { Catalog } from "./catalog/entry";
import { renderAlert, type RenderedAlert } from "./catalog/render";
import { rosterLayers, type CustomerCalendar, type Horizon, type ScheduleLayer } from "./calendar";
import type { Role } from "./extended";
import { alertProvenances } from "./spec/alerts";
import type { CustomerSpec } from "./spec/schema";

export interface CustomerPlan {
  spec: CustomerSpec;
  asOf: Date;
  alerts: RenderedAlert[];
  layers: Record<Role, ScheduleLayer[]>;
}

export function customerCalendar(spec: CustomerSpec): CustomerCalendar {
  return { timezone: spec.timezone, country: spec.country, holidays: spec.holidays };
}

export function planCustomer(spec: CustomerSpec, catalog: Catalog, asOf: Date, horizon?: Horizon): CustomerPlan {
  return {
    spec,
    asOf,
    alerts: alertProvenances(spec, catalog).map((p) => renderAlert(catalog, p)),
    layers: rosterLayers(customerCalendar(spec), spec.roster, asOf, horizon),
  };
}
