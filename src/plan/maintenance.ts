/**
 * Approved maintenance windows: when each one runs, which alerts it silences, and the exact
 * silencing resources it renders. Pure; the components create what `renderSilences` returns, the pack
 * holds every silence in a stack to it, and the CLI reports from the same functions.
 *
 * Why these resources (issue 22, design in README "Approved maintenance windows"):
 * - Datadog: one `DowntimeSchedule` per watched target of the affected systems, scoped by the
 *   provenance tags every catalogue monitor already carries (`customer`, `package`, `target`; a
 *   downtime's monitor_tags match monitors that carry all of them, docs.datadoghq.com/api/latest/downtimes,
 *   "monitor_identifier"). Tags are known before the monitors exist, so the pack judges the scope on a
 *   first preview, and no other monitor carries them. It notifies when it ends or is cancelled while a
 *   monitor is still alerting, warning or without data (`notify_end_types`, `notify_end_states`, same page).
 * - Azure: one alert processing rule removing action groups (learn.microsoft.com/azure/azure-monitor/alerts/
 *   alerts-processing-rules), scoped to the affected alerts' target resources and filtered to exactly
 *   those alert rules by `AlertRuleId`, never a resource group.
 * - PagerDuty: nothing. A service here is one per role and carries every system's alerts, and a PagerDuty
 *   maintenance window covers whole services, so it would silence unaffected systems too.
 */
import type { RenderedAlert } from "../catalog/render.js";
import { holidayWindows, type CustomerCalendar, type PreparednessWindow } from "../calendar/index.js";
import { armResourceId } from "../customer/resources.js";
import { activityLogAlertId, metricAlertId } from "../facts/azureIds.js";
import type { CustomerSpec, MaintenanceWindowSpec } from "../customer/schema.js";
import { packageName } from "../facts/extended.js";
import { luxon } from "../facts/lazy.js";
import { silencingTypes } from "../facts/alertingResources.js";
import { targetsById } from "./alerts.js";

/** Minutes of a duration such as `2h`, `90m` or `1h30m` (the schema has checked its form). */
export function durationMinutes(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(text);
  if (!m || text === "") return Number.NaN;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/** `2h`, `1h30m`, `45m`. */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h ? `${h}h` : ""}${m || !h ? `${m}m` : ""}`;
}

/** `YYYY-MM-DD HH:MM` in `zone`. */
export function localTime(d: Date | string, zone: string): string {
  const { DateTime } = luxon();
  const dt = typeof d === "string" ? DateTime.fromISO(d, { zone }) : DateTime.fromJSDate(d, { zone });
  return dt.toFormat("yyyy-MM-dd HH:mm");
}

/** `2027-01-12 20:00–22:00` from two local times, or both dates when it runs past midnight. */
export function spanText(w: { start: string; end: string }): string {
  const sameDay = w.start.slice(0, 10) === w.end.slice(0, 10);
  return `${w.start}–${sameDay ? w.end.slice(11) : w.end}`;
}

export interface WindowInterval {
  start: Date;
  end: Date;
}

/**
 * The window's instants, or a sentence saying why its local start names no one instant: a time the
 * zone skips (clocks forward) or one it passes twice (clocks back).
 */
export function windowInterval(w: Pick<MaintenanceWindowSpec, "start" | "duration">, zone: string): WindowInterval | string {
  const [date, time] = w.start.split(/[ T]/) as [string, string];
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const { DateTime } = luxon();
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  if (!dt.isValid) return `${w.start} is not a date and time (${dt.invalidExplanation ?? dt.invalidReason})`;
  const wall = (d: { year: number; month: number; day: number; hour: number; minute: number }) =>
    [d.year, d.month, d.day, d.hour, d.minute].join(",");
  const wanted = [year, month, day, hour, minute].join(",");
  if (wall(dt) !== wanted) return `${w.start} doesn't exist in ${zone} (the clocks go forward then); choose another start`;
  for (const delta of [-3_600_000, 3_600_000]) {
    if (wall(DateTime.fromMillis(dt.toMillis() + delta, { zone })) === wanted) {
      return `${w.start} happens twice in ${zone} (the clocks go back then); choose another start`;
    }
  }
  const start = dt.toJSDate();
  return { start, end: new Date(start.getTime() + durationMinutes(w.duration) * 60_000) };
}

/** The system each alert target (resource, endpoint or system id) belongs to. */
export function systemOfTarget(spec: CustomerSpec): Map<string, string> {
  const systems = new Map<string, string>();
  for (const s of spec.systems) {
    systems.set(s.id, s.id);
    for (const r of s.resources) systems.set(r.id, s.id);
    for (const e of s.endpoints) systems.set(e.id, s.id);
  }
  return systems;
}

/** The customer's rendered alerts a window silences: those whose target is in one of its systems. */
export function silencedAlerts(
  spec: CustomerSpec,
  alerts: readonly RenderedAlert[],
  w: Pick<MaintenanceWindowSpec, "systems">,
): RenderedAlert[] {
  const systemOf = systemOfTarget(spec);
  return alerts.filter((a) => w.systems.includes(systemOf.get(a.provenance.target) ?? ""));
}

/** `datadog.DowntimeSchedule` arguments (@pulumi/datadog 5.11.0). */
export interface DowntimeProps {
  scope: string;
  monitorIdentifier: { monitorTags: string[] };
  oneTimeSchedule: { start: string; end: string };
  displayTimezone: string;
  message: string;
  muteFirstRecoveryNotification: boolean;
  notifyEndStates: string[];
  notifyEndTypes: string[];
}

/** `alertsmanagement.AlertProcessingRuleByName` arguments (@pulumi/azure-native 3.28.0). */
export interface ProcessingRuleProps {
  alertProcessingRuleName: string;
  resourceGroupName: string;
  location: string;
  properties: {
    scopes: string[];
    conditions: { field: string; operator: string; values: string[] }[];
    schedule: { effectiveFrom: string; effectiveUntil: string; timeZone: string };
    actions: { actionType: "RemoveAllActionGroups" }[];
    enabled: boolean;
    description: string;
  };
  tags: Record<string, string>;
}

export type RenderedSilence =
  | {
      kind: "datadog-downtime";
      type: typeof silencingTypes.datadogDowntimeSchedule;
      name: string;
      window: string;
      target: string;
      downtime: DowntimeProps;
    }
  | {
      kind: "azure-processing-rule";
      type: typeof silencingTypes.azureAlertProcessingRule;
      name: string;
      window: string;
      rule: ProcessingRuleProps;
    };

/** A window whose local start names one instant, with that interval. */
export interface PlacedWindow {
  window: MaintenanceWindowSpec;
  interval: WindowInterval;
}

/** The file's windows with their instants; a window with no one instant is left out (validate rejects it). */
export function placedWindows(spec: Pick<CustomerSpec, "maintenance" | "timezone">): PlacedWindow[] {
  const placed: PlacedWindow[] = [];
  for (const window of spec.maintenance) {
    const interval = windowInterval(window, spec.timezone);
    if (typeof interval !== "string") placed.push({ window, interval });
  }
  return placed;
}

/** Windows that have not ended at `asOf`: what a stack holds (an ended one is left out, as ended roster layers are). */
export function windowsAhead(spec: Pick<CustomerSpec, "maintenance" | "timezone">, asOf: Date): PlacedWindow[] {
  return placedWindows(spec).filter((p) => p.interval.end.getTime() > asOf.getTime());
}

/** Windows running at `at`. */
export function windowsAt(spec: Pick<CustomerSpec, "maintenance" | "timezone">, at: Date): PlacedWindow[] {
  const t = at.getTime();
  return placedWindows(spec).filter((p) => p.interval.start.getTime() <= t && t < p.interval.end.getTime());
}

/** RFC 3339 in UTC, whole seconds: what Datadog's one-time schedule takes ("must include a UTC offset of zero"). */
export const utc = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
/** Alert processing rules read `yyyy-MM-ddTHH:mm:ss` in the rule's `timeZone`. */
const armLocal = (d: Date) => d.toISOString().slice(0, 19);

/** The one sentence a window's silences carry: what, on which change, approved by whom. */
export function silenceMessage(w: MaintenanceWindowSpec): string {
  return `Approved maintenance ${w.id} (${w.change}), approved by ${w.approvedBy}: ${w.reason}`;
}

export const downtimeName = (customer: string, window: string, target: string) => `${customer}-maintenance-${window}-${target}`;
export const processingRuleName = (customer: string, window: string) => `${customer}-maintenance-${window}`;

/** Everything the stack holds to silence the windows that have not ended at `asOf`. */
export function renderSilences(spec: CustomerSpec, alerts: readonly RenderedAlert[], asOf: Date): RenderedSilence[] {
  const silences: RenderedSilence[] = [];
  const targets = targetsById(spec);
  for (const { window: w, interval } of windowsAhead(spec, asOf)) {
    const silenced = silencedAlerts(spec, alerts, w);
    const message = silenceMessage(w);
    const monitorTargets = [...new Set(silenced.filter((a) => a.kind === "datadog-monitor").map((a) => a.provenance.target))].sort();
    for (const target of monitorTargets) {
      silences.push({
        kind: "datadog-downtime",
        type: silencingTypes.datadogDowntimeSchedule,
        name: downtimeName(spec.customer, w.id, target),
        window: w.id,
        target,
        downtime: {
          // Every group of the matched monitors: the scope filters monitor groups, the tags pick the monitors.
          scope: "*",
          monitorIdentifier: { monitorTags: [`customer:${spec.customer}`, `package:${packageName}`, `target:${target}`] },
          oneTimeSchedule: { start: utc(interval.start), end: utc(interval.end) },
          displayTimezone: spec.timezone,
          message,
          muteFirstRecoveryNotification: false,
          notifyEndStates: ["alert", "no data", "warn"],
          notifyEndTypes: ["canceled", "expired"],
        },
      });
    }
    const azure = silenced.filter((a) => a.kind !== "datadog-monitor");
    if (azure.length === 0) continue;
    const scopes = new Set<string>();
    const ruleIds = new Set<string>();
    for (const a of azure) {
      if (a.kind === "azure-availability-test") {
        for (const s of a.metricAlert.scopes) scopes.add(s);
        ruleIds.add(metricAlertId(spec.azure.subscriptionId, spec.azure.monitoringResourceGroup, a.metricAlert.ruleName));
      } else {
        const target = targets.get(a.provenance.target);
        const resources = target?.kind === "system" ? target.system.resources : [];
        for (const r of resources) scopes.add(armResourceId(spec.azure.subscriptionId, r));
        ruleIds.add(
          activityLogAlertId(spec.azure.subscriptionId, spec.azure.monitoringResourceGroup, a.activityLogAlert.activityLogAlertName),
        );
      }
    }
    silences.push({
      kind: "azure-processing-rule",
      type: silencingTypes.azureAlertProcessingRule,
      name: processingRuleName(spec.customer, w.id),
      window: w.id,
      rule: {
        alertProcessingRuleName: `pico-${processingRuleName(spec.customer, w.id)}`,
        resourceGroupName: spec.azure.monitoringResourceGroup,
        // Alert processing rules are global resources (ARM reference, Microsoft.AlertsManagement/actionRules).
        location: "Global",
        properties: {
          scopes: [...scopes].sort(),
          conditions: [{ field: "AlertRuleId", operator: "Equals", values: [...ruleIds].sort() }],
          schedule: { effectiveFrom: armLocal(interval.start), effectiveUntil: armLocal(interval.end), timeZone: "UTC" },
          actions: [{ actionType: "RemoveAllActionGroups" }],
          enabled: true,
          description: message,
        },
        tags: { "pico-customer": spec.customer, "pico-package": packageName, "pico-maintenance": w.id, "pico-change": w.change },
      },
    });
  }
  return silences;
}

/** A preparedness window a maintenance window overlaps, if any. */
export function preparednessOverlap(calendar: CustomerCalendar, interval: WindowInterval): PreparednessWindow | undefined {
  const years = new Set([interval.start, interval.end].map((d) => d.getUTCFullYear()));
  for (const year of years) {
    for (const p of holidayWindows(calendar, year)) {
      if (Date.parse(p.start) < interval.end.getTime() && interval.start.getTime() < Date.parse(p.end)) return p;
    }
  }
  return undefined;
}
