/**
 * Every alert of every example customer, followed the way PagerDuty would: from the alert through
 * the PagerDuty service it pages, its escalation policy and the policy's targets, using only what
 * the real components register under the mock engine. Standing support is the schedule the mock
 * engine's getSchedule answered for; here it is a schedule with someone on call around the clock.
 */
import { join } from "node:path";
import { DateTime } from "luxon";
import { beforeAll, describe, expect, it } from "vitest";
import { holidayWindows, onDuty, upcomingWindows } from "../src/calendar/index.js";
import { loadCatalog } from "../src/catalog/load.js";
import { roles, type Role } from "../src/facts/extended.js";
import { customerCalendar } from "../src/plan/plan.js";
import { escalation } from "../src/facts/paging.js";
import { previewCustomer, type CustomerPreview } from "../src/preview/customer.js";
import type { RegisteredResource } from "../src/offline/mockEngine.js";
import { stableId } from "../src/offline/mockEngine.js";
import { customerIdsIn } from "../src/customer/customerFiles.js";
import { loadCustomer } from "../src/plan/loadCustomer.js";
import type { CustomerSpec } from "../src/customer/schema.js";
import { repoRoot } from "./support/cli.js";
import { escalationPages, onCallAt, type SimLayer, type SimPolicy, type SimTarget } from "./support/pagerdutySimulator.js";

const catalog = loadCatalog();
const asOf = new Date("2027-01-10T12:00:00Z");
const standingOnCall = "standing-support-on-call";

const customers = customerIdsIn(join(repoRoot, "stacks"));

function load(id: string): CustomerSpec {
  const r = loadCustomer(join(repoRoot, "stacks", `${id}.yaml`), catalog);
  return r.spec;
}

/** The PagerDuty service an alert pages, found from the alert's own props and the registered links. */
function serviceOf(alert: RegisteredResource, resources: readonly RegisteredResource[]): RegisteredResource {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const services = resources.filter((r) => r.type === "pagerduty:index/service:Service");
  if (alert.type === "datadog:index/monitor:Monitor") {
    const handle = /@pagerduty-([A-Za-z0-9_.-]+)/.exec(String(alert.props.message))?.[1];
    const link = resources.find((r) => r.type === "datadog:pagerduty/serviceObject:ServiceObject" && r.props.serviceName === handle);
    expect(link, `${alert.name}: no Datadog link for @pagerduty-${handle}`).toBeDefined();
    const service = services.find((s) => s.props.name === link!.props.serviceName);
    expect(service, `${alert.name}: no service named ${handle}`).toBeDefined();
    return service!;
  }
  const groupIds = JSON.stringify(alert.props.actions).match(/actionGroups\/([A-Za-z0-9-]+)/g) ?? [];
  expect(groupIds, `${alert.name}: notifies no action group`).toHaveLength(1);
  const groupName = groupIds[0]!.split("/")[1];
  const group = resources.find((r) => r.type === "azure-native:monitor:ActionGroup" && r.props.actionGroupName === groupName)!;
  expect(group, `${alert.name}: no action group ${groupName}`).toBeDefined();
  // The webhook's URL is a secret; the engine still records which integration's key went into it.
  const integrationUrn = group.propertyDependencies?.webhookReceivers?.find(
    (u) => byUrn.get(u)?.type === "pagerduty:index/serviceIntegration:ServiceIntegration",
  );
  const integration = byUrn.get(integrationUrn!)!;
  expect(integration.props.name).toBe("Microsoft Azure");
  return services.find((s) => `Service-${s.name}_id` === integration.props.service)!;
}

describe.each(customers)("%s: every alert reaches a person", (id) => {
  const spec = load(id);
  let preview: CustomerPreview;
  let alerts: RegisteredResource[];
  beforeAll(async () => {
    // An update: the PagerDuty objects exist, so the links between them carry real ids to follow.
    preview = await previewCustomer(spec, catalog, asOf, "update");
    alerts = preview.resources.filter((r) =>
      ["datadog:index/monitor:Monitor", "azure-native:monitor:MetricAlert", "azure-native:monitor:ActivityLogAlert"].includes(r.type),
    );
  });

  /** The pages an unacknowledged incident of `alert` makes when it triggers at `at`. */
  function follow(alert: RegisteredResource, at: Date) {
    const service = serviceOf(alert, preview.resources);
    const policy = preview.resources.find(
      (r) =>
        r.type === "pagerduty:index/escalationPolicy:EscalationPolicy" &&
        `EscalationPolicy-${r.name}_id` === service.props.escalationPolicy,
    )!;
    expect(policy, `${service.name}: no escalation policy`).toBeDefined();
    const schedules = new Map(
      preview.resources
        .filter((r) => r.type === "pagerduty:index/schedule:Schedule")
        .map((s) => [`Schedule-${s.name}_id`, s.props as { timeZone: string; layers: SimLayer[] }]),
    );
    const standingId = stableId("S", spec.standingSupport!.schedule!);
    const onCall = (t: SimTarget, when: Date) => {
      if (t.type === "user_reference") return t.id;
      if (t.id === standingId) return standingOnCall;
      const s = schedules.get(t.id);
      expect(s, `target ${t.id} is neither a schedule of this stack nor standing support`).toBeDefined();
      return onCallAt(s!.timeZone, s!.layers, when);
    };
    const role = service.name.replace(`pico-${spec.customer}-`, "") as Role;
    return { role, pages: escalationPages(policy.props as unknown as SimPolicy, onCall, at) };
  }

  it("has alerts to follow", () => {
    expect(alerts.length).toBe(spec.alerts.length);
  });

  it("on an ordinary weekday at 10:00 local, pages standing support at once", () => {
    // The first Wednesday of February that is no preparedness day.
    const days = new Set(holidayWindows(customerCalendar(spec), 2027).map((w) => w.date));
    let day = DateTime.fromObject({ year: 2027, month: 2, day: 1, hour: 10 }, { zone: spec.timezone });
    while (day.weekday !== 3 || days.has(day.toISODate()!)) day = day.plus({ days: 1 });
    for (const alert of alerts) {
      const { pages } = follow(alert, day.toJSDate());
      expect(pages[0], alert.name).toEqual({ minute: 0, rule: 1, loop: 0, users: [standingOnCall] });
      // Unanswered, it keeps paging standing support: nothing waits on an empty rule.
      expect(pages.map((p) => p.users[0])).toEqual(Array(escalation.numLoops + 1).fill(standingOnCall));
    }
  });

  it("in a preparedness window, pages the role's person first, then standing support", () => {
    const window = upcomingWindows(customerCalendar(spec), asOf)[0]!;
    const at = new Date(Date.parse(window.start) + 2 * 3600_000);
    for (const alert of alerts) {
      const { role, pages } = follow(alert, at);
      expect(roles).toContain(role);
      const person = stableId("P", onDuty(window, spec.roster[role]).toLowerCase());
      expect(pages.slice(0, 2), alert.name).toEqual([
        { minute: 0, rule: 0, loop: 0, users: [person] },
        { minute: escalation.preparednessAckMinutes, rule: 1, loop: 0, users: [standingOnCall] },
      ]);
    }
  });
});
