/**
 * What verify expects to find in the live services for one customer: read from the customer's plan,
 * the one the Pulumi program deploys, never from the services. Pure.
 */
import type { DatadogMonitorProps, RenderedAlert } from "../catalog/render.js";
import { queryMetric, queryWindowMinutes } from "../catalog/render.js";
import { dutyOf, upcomingWindows, type PreparednessWindow } from "../calendar/index.js";
import type { StandingSupport } from "../customer/fleet.js";
import { roles, type Role } from "../facts/extended.js";
import { applicationInsightsId } from "../facts/azureIds.js";
import { pagerdutyHandle, pagerdutyServiceName } from "../facts/paging.js";
import { customerCalendar, type CustomerPlan } from "../plan/plan.js";
import type { SourcePosition } from "./model.js";

type Located = { at: SourcePosition };

export interface ExpectedMonitor extends Located {
  props: DatadogMonitorProps;
  /** The metric query of the monitor's query (no evaluation window, no comparison), for the points check. */
  metricQuery: string | undefined;
  windowMinutes: number | undefined;
}

export interface ExpectedOnCall extends Located {
  role: Role;
  schedule: string;
  window: PreparednessWindow;
  person: string;
  /** The roster change that puts `person` there, if one does. */
  change?: { from: string; reason: string };
}

export interface ExpectedAzureTest extends Located {
  subscriptionId: string;
  resourceGroup: string;
  webTest: string;
  metricAlert: string;
  actionGroupId: string;
  componentId: string;
  frequencySeconds: number;
}

export interface ExpectedResourceHealth extends Located {
  subscriptionId: string;
  resourceGroup: string;
  activityLogAlert: string;
  actionGroupId: string;
}

export interface Expected {
  customer: string;
  monitors: ExpectedMonitor[];
  /** Handle → the PagerDuty service name it pages. */
  handles: { handle: string; service: string; at: SourcePosition }[];
  /** Every address the program looks up with `pagerduty.getUser`. */
  users: { email: string; at: SourcePosition }[];
  onCall: ExpectedOnCall[];
  standingSupport: StandingSupport & Located;
  azureTests: ExpectedAzureTest[];
  resourceHealth: ExpectedResourceHealth[];
}

/** `sum:azure.x{name:a}.as_count()` out of `sum(last_15m):sum:azure.x{name:a}.as_count() > 5`. */
export function metricQueryOf(query: string): string | undefined {
  const m = /^\w+\(last_\d+[mhdw]\):(.+?)\s*(?:>=|<=|==|!=|>|<)\s*-?\d+(?:\.\d+)?\s*$/s.exec(query);
  return m && queryMetric(query) ? m[1] : undefined;
}

export function expectations(
  plan: CustomerPlan,
  at: Date,
  locate: (path: (string | number)[], at?: "key" | "value") => SourcePosition,
  ownStandingSupport: boolean,
): Expected {
  const spec = plan.spec;
  const alertAt = (a: RenderedAlert) => {
    const i = spec.alerts.findIndex((x) => x.use === a.provenance.entry && x.on === a.provenance.target);
    return i >= 0 ? locate(["alerts", i]) : locate(["alerts"], "key");
  };
  const monitors: ExpectedMonitor[] = [];
  const handles = new Map<string, { handle: string; service: string; at: SourcePosition }>();
  const azureTests: ExpectedAzureTest[] = [];
  const resourceHealth: ExpectedResourceHealth[] = [];
  for (const a of plan.alerts) {
    if (a.kind === "datadog-monitor") {
      monitors.push({
        props: a.monitor,
        metricQuery: metricQueryOf(a.monitor.query),
        windowMinutes: queryWindowMinutes(a.monitor.query),
        at: alertAt(a),
      });
      const handle = pagerdutyHandle(spec.customer, a.provenance.role);
      if (!handles.has(handle))
        handles.set(handle, { handle, service: pagerdutyServiceName(spec.customer, a.provenance.role), at: alertAt(a) });
    } else if (a.kind === "azure-availability-test") {
      const b = a.provenance.bindings as Record<string, string>;
      azureTests.push({
        subscriptionId: b.subscriptionId!,
        resourceGroup: a.webTest.resourceGroupName,
        webTest: a.webTest.webTestName,
        metricAlert: a.metricAlert.ruleName,
        actionGroupId: a.metricAlert.actions[0]!.actionGroupId,
        componentId: applicationInsightsId(b.subscriptionId!, b.monitoringResourceGroup!, b.applicationInsights!),
        frequencySeconds: a.webTest.frequency,
        at: alertAt(a),
      });
    } else {
      const b = a.provenance.bindings as Record<string, string>;
      resourceHealth.push({
        subscriptionId: b.subscriptionId!,
        resourceGroup: a.activityLogAlert.resourceGroupName,
        activityLogAlert: a.activityLogAlert.activityLogAlertName,
        actionGroupId: a.activityLogAlert.actions.actionGroups[0]!.actionGroupId,
        at: alertAt(a),
      });
    }
  }

  const users = new Map<string, SourcePosition>();
  const person = (email: string, path: (string | number)[]) => {
    if (!users.has(email)) users.set(email, locate(path));
  };
  for (const role of roles) {
    for (const [i, email] of spec.roster[role].entries()) person(email, ["roster", role, i]);
  }
  for (const [i, c] of (spec.roster.changes ?? []).entries()) person(c.to, ["roster", "changes", i]);

  // The next window of each role: the one in progress at `at`, else the next to start.
  const next = upcomingWindows(customerCalendar(spec), at)[0];
  const onCall: ExpectedOnCall[] = next
    ? roles.map((role) => {
        const change = (spec.roster.changes ?? []).findIndex((c) => c.role === role && c.day === next.date);
        const c = spec.roster.changes?.[change];
        return {
          role,
          schedule: `${pagerdutyServiceName(spec.customer, role)} preparedness`,
          window: next,
          person: dutyOf(next, spec.roster, role),
          ...(c ? { change: { from: c.from, reason: c.reason } } : {}),
          at: c ? locate(["roster", "changes", change]) : locate(["roster", role], "key"),
        };
      })
    : [];

  const standing = plan.standingSupport;
  return {
    customer: spec.customer,
    monitors,
    handles: [...handles.values()],
    users: [...users].map(([email, at]) => ({ email, at })),
    onCall,
    // The customer's own setting, or the fleet's (stacks/_fleet.yaml), shown at the roster.
    standingSupport: { ...standing, at: ownStandingSupport ? locate(["standingSupport"], "key") : locate(["roster"], "key") },
    azureTests,
    resourceHealth,
  };
}
