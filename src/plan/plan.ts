/**
 * Everything one customer's stack will hold, computed before any resource exists: the rendered
 * alerts and the PagerDuty layers for the as-of instant. Pure and deterministic.
 */
import type { Catalog } from "../catalog/entry.js";
import { renderAlert, type RenderedAlert } from "../catalog/render.js";
import { rosterLayers, type CustomerCalendar, type Horizon, type ScheduleLayer } from "../calendar/index.js";
import type { Role } from "../facts/extended.js";
import { alertProvenances } from "./alerts.js";
import { renderSilences, type RenderedSilence } from "./maintenance.js";
import type { StandingSupport } from "../customer/fleet.js";
import type { CustomerSpec } from "../customer/schema.js";

export interface CustomerPlan {
  spec: CustomerSpec;
  asOf: Date;
  alerts: RenderedAlert[];
  layers: Record<Role, ScheduleLayer[]>;
  standingSupport: StandingSupport;
  /** What silences the approved maintenance windows that have not ended at `asOf`. */
  silences: RenderedSilence[];
}

export function customerCalendar(spec: CustomerSpec): CustomerCalendar {
  return { timezone: spec.timezone, country: spec.country, holidays: spec.holidays };
}

export function planCustomer(spec: CustomerSpec, catalog: Catalog, asOf: Date, horizon?: Horizon): CustomerPlan {
  // loadCustomerFile fills it from the fleet settings; a spec built any other way must say it.
  if (!spec.standingSupport) throw new Error(`${spec.customer}: no standing support; load the spec with loadCustomerFile`);
  const alerts = alertProvenances(spec, catalog).map((p) => renderAlert(catalog, p));
  return {
    standingSupport: spec.standingSupport,
    spec,
    asOf,
    alerts,
    layers: rosterLayers(customerCalendar(spec), spec.roster, asOf, horizon),
    silences: renderSilences(spec, alerts, asOf),
  };
}
