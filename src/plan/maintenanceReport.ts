/**
 * What a maintenance window means for the people paged, for the CLI (`maintenance plan`,
 * `maintenance list`, `roster --at`, `preview`): which alerts it silences and through which of
 * its silencing resources, and which alerts still page whom meanwhile. Pure; reads the same
 * functions the program renders from (./maintenance.ts), so what is reported is what is built.
 */
import type { RenderedAlert } from "../catalog/render.js";
import { pagedAt, type PagedAt } from "../calendar/index.js";
import type { CustomerSpec } from "../customer/schema.js";
import type { Role } from "../facts/extended.js";
import { renderSilences, silencedAlerts, windowsAt, type PlacedWindow, type RenderedSilence } from "./maintenance.js";
import { customerCalendar } from "./plan.js";

/** One alert a window silences, and the resource that silences it. */
export interface SilencedAlert {
  alert: RenderedAlert;
  /** The silencing resource's logical name. */
  silence: string;
  via: RenderedSilence["kind"];
}

export interface WindowEffect {
  placed: PlacedWindow;
  /** Every resource the window renders (as `plan.silences` holds them while the window has not ended). */
  silences: RenderedSilence[];
  silenced: SilencedAlert[];
}

/** What `placed` silences: its resources, and each silenced alert with the resource that silences it. */
export function windowEffect(spec: CustomerSpec, alerts: readonly RenderedAlert[], placed: PlacedWindow): WindowEffect {
  // Rendered as of the window's start, so a window reports its silences whenever it is asked about.
  const silences = renderSilences({ ...spec, maintenance: [placed.window] }, alerts, placed.interval.start);
  const silenced = silencedAlerts(spec, alerts, placed.window).map((alert): SilencedAlert => {
    const by =
      alert.kind === "datadog-monitor"
        ? silences.find((s) => s.kind === "datadog-downtime" && s.target === alert.provenance.target)
        : silences.find((s) => s.kind === "azure-processing-rule");
    return {
      alert,
      silence: by?.name ?? "",
      via: by?.kind ?? (alert.kind === "datadog-monitor" ? "datadog-downtime" : "azure-processing-rule"),
    };
  });
  return { placed, silences, silenced };
}

/** One role's alerts that still page at an instant inside maintenance, and whom they reach. */
export interface StillPaged {
  role: Role;
  alerts: RenderedAlert[];
  paged: PagedAt;
}

/** At `at`: the windows running, what they silence, and, per role, the alerts that still page and whom. */
export function maintenanceAt(
  spec: CustomerSpec,
  alerts: readonly RenderedAlert[],
  at: Date,
): { windows: WindowEffect[]; stillPaged: StillPaged[] } {
  const windows = windowsAt(spec, at).map((p) => windowEffect(spec, alerts, p));
  return { windows, stillPaged: stillPagedAt(spec, alerts, windows, at) };
}

/** Per role, the alerts none of `windows` silences, and whom a page of that role reaches at `at`. */
export function stillPagedAt(
  spec: CustomerSpec,
  alerts: readonly RenderedAlert[],
  windows: readonly WindowEffect[],
  at: Date,
): StillPaged[] {
  if (!spec.standingSupport) throw new Error(`${spec.customer}: the loaded spec has no standing support`);
  const silenced = new Set(windows.flatMap((w) => w.silenced.map((s) => s.alert.name)));
  const rest = alerts.filter((a) => !silenced.has(a.name));
  return pagedAt(customerCalendar(spec), spec.roster, spec.standingSupport, at)
    .map((paged) => ({ role: paged.role, alerts: rest.filter((a) => a.provenance.role === paged.role), paged }))
    .filter((s) => s.alerts.length > 0);
}
