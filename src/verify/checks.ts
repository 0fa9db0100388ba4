/**
 * The checks: each compares what the plan expects (./expect.ts) with what the live services answer
 * (./services.ts), and says both. A call that fails is a failed check naming the call, never a crash:
 * one unreachable service doesn't hide what the others found.
 */
import type { Expected, ExpectedMonitor, ExpectedOnCall } from "./expect.js";
import type { Check, SourcePosition, VerifyRule } from "./model.js";
import { ServiceError, type LiveMonitor, type Services } from "./services.js";

const minute = 60_000;

async function guarded(
  rule: VerifyRule,
  subject: string,
  expected: string,
  at: SourcePosition,
  f: () => Promise<Check[]>,
): Promise<Check[]> {
  try {
    return await f();
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    return [{ rule, subject, status: "fail", expected, found: e.message, at }];
  }
}

const check = (rule: VerifyRule, subject: string, ok: boolean, expected: string, found: string, at: SourcePosition): Check => ({
  rule,
  subject,
  status: ok ? "pass" : "fail",
  expected,
  found,
  at,
});

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
const quote = (s: string) => JSON.stringify(s);

/** Each field of the definition that differs, as `field: expected … found …`. */
export function definitionDifferences(want: ExpectedMonitor, live: LiveMonitor): string[] {
  const p = want.props;
  const out: string[] = [];
  if (live.query !== p.query) out.push(`query: expected ${quote(p.query)}, found ${quote(live.query)}`);
  const critical = Number(p.monitorThresholds.critical);
  if (live.thresholds.critical !== critical)
    out.push(`critical threshold: expected ${critical}, found ${live.thresholds.critical ?? "none"}`);
  const warning = p.monitorThresholds.warning === undefined ? undefined : Number(p.monitorThresholds.warning);
  if (live.thresholds.warning !== warning)
    out.push(`warning threshold: expected ${warning ?? "none"}, found ${live.thresholds.warning ?? "none"}`);
  if (live.message !== p.message) out.push(`message: expected ${quote(p.message)}, found ${quote(live.message)}`);
  if (!sameSet(live.tags, p.tags)) {
    const missing = p.tags.filter((t) => !live.tags.includes(t));
    const extra = live.tags.filter((t) => !p.tags.includes(t));
    out.push(
      `tags: ${[missing.length ? `missing ${missing.join(", ")}` : "", extra.length ? `unexpected ${extra.join(", ")}` : ""].filter(Boolean).join("; ")}`,
    );
  }
  return out;
}

async function monitorChecks(e: Expected, s: Services, at: Date): Promise<Check[]> {
  if (e.monitors.length === 0) return [];
  const live = await s.datadog.monitors(`customer:${e.customer}`);
  const checks: Check[] = [];
  for (const want of e.monitors) {
    const name = want.props.name;
    const found = live.find((m) => m.name === name);
    if (!found) {
      checks.push(
        check(
          "monitor-definition",
          name,
          false,
          `a monitor with this name, tagged customer:${e.customer}`,
          "no such monitor in Datadog",
          want.at,
        ),
      );
      continue;
    }
    const diff = definitionDifferences(want, found);
    checks.push(
      check(
        "monitor-definition",
        name,
        diff.length === 0,
        "the planned query, thresholds, message and tags",
        diff.length ? diff.join("; ") : `monitor ${found.id} as planned`,
        want.at,
      ),
    );

    // No Data since the state last changed, or since the monitor was created if it never has. Datadog
    // evaluates data `evaluationDelay` seconds old, so that delay is allowed on top of the timeframe.
    const delay = Math.ceil((want.props.evaluationDelay ?? 0) / 60);
    const allowed = want.props.noDataTimeframe + delay;
    if (found.overallState === "No Data") {
      const since = found.overallStateModified ?? found.created;
      const minutes = since ? Math.floor((at.getTime() - since.getTime()) / minute) : Number.POSITIVE_INFINITY;
      checks.push(
        check(
          "monitor-data",
          name,
          minutes <= allowed,
          `No Data for at most ${allowed} minutes (the entry's no-data timeframe, ${want.props.noDataTimeframe}, and evaluation delay, ${delay})`,
          since ? `No Data for ${minutes} minutes, since ${since.toISOString()}` : "No Data, since an unknown time",
          want.at,
        ),
      );
    } else {
      checks.push(
        check("monitor-data", name, true, `No Data for at most ${allowed} minutes`, `state ${found.overallState ?? "unknown"}`, want.at),
      );
    }

    if (want.metricQuery && want.windowMinutes) {
      const query = want.metricQuery;
      // Azure metrics reach Datadog late: the monitor's own evaluation delay is added to the window.
      const from = new Date(at.getTime() - want.windowMinutes * minute - (want.props.evaluationDelay ?? 0) * 1000);
      checks.push(
        ...(await guarded("metric-points", name, `points of ${query}`, want.at, async () => {
          const n = await s.datadog.points(query, from, at);
          return [
            check(
              "metric-points",
              name,
              n > 0,
              `points of ${query} from ${from.toISOString()} to ${at.toISOString()}`,
              n > 0 ? `${n} points` : "no points: Datadog publishes no such metric for this resource",
              want.at,
            ),
          ];
        })),
      );
    }
  }
  return checks;
}

async function handleChecks(e: Expected, s: Services): Promise<Check[]> {
  const out: Check[] = [];
  for (const h of e.handles) {
    const expected = `a service object named ${h.service} in Datadog's PagerDuty integration`;
    out.push(
      ...(await guarded("pagerduty-handle", h.handle, expected, h.at, async () => {
        const ok = await s.datadog.hasPagerdutyService(h.service);
        return [
          check(
            "pagerduty-handle",
            h.handle,
            ok,
            expected,
            ok ? "present" : `no service object ${h.service}: the handle pages nobody`,
            h.at,
          ),
        ];
      })),
    );
  }
  return out;
}

/** The user the provider would take for `email`, or what the lookup found instead. */
async function lookUpUser(s: Services, email: string): Promise<{ id?: string; found: string }> {
  const users = await s.pagerduty.usersMatching(email);
  const exact = users.find((u) => u.email === email);
  if (exact) return { id: exact.id, found: `user ${exact.id}` };
  const other = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  if (other) return { found: `PagerDuty has ${other.email}, which differs in case: the provider matches e-mails exactly` };
  return { found: "no PagerDuty user with this e-mail" };
}

async function userChecks(e: Expected, s: Services): Promise<Check[]> {
  const out: Check[] = [];
  for (const u of e.users) {
    const expected = "a PagerDuty user with exactly this e-mail";
    out.push(
      ...(await guarded("roster-user", u.email, expected, u.at, async () => {
        const r = await lookUpUser(s, u.email);
        return [check("roster-user", u.email, r.id !== undefined, expected, r.found, u.at)];
      })),
    );
  }
  return out;
}

async function onCallCheck(want: ExpectedOnCall, s: Services, at: Date): Promise<Check[]> {
  const start = new Date(Math.max(Date.parse(want.window.start), at.getTime()));
  const by = want.change ? ` (roster change: ${want.change.from} → ${want.person}, ${want.change.reason})` : "";
  const expected = `${want.person} on call at ${start.toISOString()}, the ${want.window.date} window${by}`;
  return guarded("on-call", want.schedule, expected, want.at, async () => {
    const scheduleId = await s.pagerduty.scheduleId(want.schedule);
    if (!scheduleId) return [check("on-call", want.schedule, false, expected, "no such schedule in PagerDuty", want.at)];
    const shifts = await s.pagerduty.onCall(scheduleId, start, new Date(start.getTime() + minute));
    const emails = [...new Set(await Promise.all(shifts.map(async (x) => (await s.pagerduty.user(x.user)).email)))];
    // The same person whatever the case: the user lookup (roster-user) is where case matters.
    const onCall = (email: string) => emails.some((x) => x.toLowerCase() === email.toLowerCase());
    if (onCall(want.person)) return [check("on-call", want.schedule, true, expected, `${want.person} on call`, want.at)];
    // Someone else because of an override made in PagerDuty: reported as what it is, not as a fault.
    const overrides = (await s.pagerduty.overrides(scheduleId, start, new Date(start.getTime() + minute))).filter(
      (o) => o.start.getTime() <= start.getTime() && start.getTime() < o.end.getTime(),
    );
    if (overrides.length > 0) {
      const who = await Promise.all(overrides.map(async (o) => (await s.pagerduty.user(o.user)).email));
      if (who.some(onCall)) {
        return [
          {
            rule: "on-call",
            subject: want.schedule,
            status: "note",
            expected,
            found: `a PagerDuty override puts ${who.join(", ")} on call instead of ${want.person}; record it with \`roster swap\``,
            at: want.at,
          },
        ];
      }
    }
    return [check("on-call", want.schedule, false, expected, emails.length ? `${emails.join(", ")} on call` : "nobody on call", want.at)];
  });
}

async function standingSupportCheck(e: Expected, s: Services, at: Date): Promise<Check[]> {
  const st = e.standingSupport;
  if (st.schedule === undefined) {
    // A user target is on call whenever the policy reaches its rule: it only has to exist.
    const expected = "standing support's user exists in PagerDuty";
    return guarded("standing-support", st.user!, expected, st.at, async () => {
      const r = await lookUpUser(s, st.user!);
      return [check("standing-support", st.user!, r.id !== undefined, expected, r.found, st.at)];
    });
  }
  const name = st.schedule;
  const expected = `someone on call in "${name}" at ${at.toISOString()}`;
  return guarded("standing-support", name, expected, st.at, async () => {
    const id = await s.pagerduty.scheduleId(name);
    if (!id) return [check("standing-support", name, false, expected, "no such schedule in PagerDuty", st.at)];
    const shifts = await s.pagerduty.onCall(id, at, new Date(at.getTime() + minute));
    const emails = [...new Set(await Promise.all(shifts.map(async (x) => (await s.pagerduty.user(x.user)).email)))];
    return [
      check(
        "standing-support",
        name,
        emails.length > 0,
        expected,
        emails.length ? `${emails.join(", ")} on call` : "nobody on call",
        st.at,
      ),
    ];
  });
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

async function azureChecks(e: Expected, s: Services, at: Date): Promise<Check[]> {
  const out: Check[] = [];
  for (const t of e.azureTests) {
    const testExpected = "the web test, enabled";
    out.push(
      ...(await guarded("azure-alert", t.webTest, testExpected, t.at, async () => {
        const w = await s.azure.webTest(t.subscriptionId, t.resourceGroup, t.webTest);
        return [
          check(
            "azure-alert",
            t.webTest,
            w?.enabled === true,
            testExpected,
            !w ? "no such web test" : w.enabled ? "enabled" : "disabled",
            t.at,
          ),
        ];
      })),
    );
    const alertExpected = `the metric alert, enabled, paging action group ${t.actionGroupId}`;
    out.push(
      ...(await guarded("azure-alert", t.metricAlert, alertExpected, t.at, async () => {
        const a = await s.azure.metricAlert(t.subscriptionId, t.resourceGroup, t.metricAlert);
        const pages = a?.actionGroupIds.some((id) => sameId(id, t.actionGroupId)) ?? false;
        const found = !a
          ? "no such metric alert"
          : `${a.enabled ? "enabled" : "disabled"}, action groups ${a.actionGroupIds.join(", ") || "none"}`;
        return [check("azure-alert", t.metricAlert, a?.enabled === true && pages, alertExpected, found, t.at)];
      })),
    );
    // Recent: the last three test runs' worth, and at least the last quarter of an hour.
    const from = new Date(at.getTime() - Math.max(3 * t.frequencySeconds * 1000, 15 * minute));
    const resultsExpected = `availability results of ${t.webTest} from ${from.toISOString()} to ${at.toISOString()}`;
    out.push(
      ...(await guarded("azure-results", t.webTest, resultsExpected, t.at, async () => {
        const n = await s.azure.availabilityResults(t.componentId, t.webTest, from, at);
        return [check("azure-results", t.webTest, n > 0, resultsExpected, n > 0 ? `${n} results` : "no results", t.at)];
      })),
    );
  }
  for (const r of e.resourceHealth) {
    const expected = `the activity log alert, enabled, paging action group ${r.actionGroupId}`;
    out.push(
      ...(await guarded("azure-alert", r.activityLogAlert, expected, r.at, async () => {
        const a = await s.azure.activityLogAlert(r.subscriptionId, r.resourceGroup, r.activityLogAlert);
        const pages = a?.actionGroupIds.some((id) => sameId(id, r.actionGroupId)) ?? false;
        const found = !a
          ? "no such activity log alert"
          : `${a.enabled ? "enabled" : "disabled"}, action groups ${a.actionGroupIds.join(", ") || "none"}`;
        return [check("azure-alert", r.activityLogAlert, a?.enabled === true && pages, expected, found, r.at)];
      })),
    );
  }
  return out;
}

/** Every check for one customer, in a fixed order: Datadog, PagerDuty, Azure. */
export async function verifyExpected(e: Expected, s: Services, at: Date): Promise<Check[]> {
  const [monitors, handles, users, onCall, standing, azure] = await Promise.all([
    guarded("monitor-definition", `customer:${e.customer}`, "the customer's monitors", { line: 1, col: 1 }, () => monitorChecks(e, s, at)),
    handleChecks(e, s),
    userChecks(e, s),
    Promise.all(e.onCall.map((o) => onCallCheck(o, s, at))).then((x) => x.flat()),
    standingSupportCheck(e, s, at),
    azureChecks(e, s, at),
  ]);
  return [...monitors, ...handles, ...users, ...onCall, ...standing, ...azure];
}
