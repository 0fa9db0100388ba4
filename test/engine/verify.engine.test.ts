// `pico-monitoring verify` against what the real `pulumi up` created: the stand-ins are started with HTTPS
// (a test CA, trusted by the CLI through NODE_EXTRA_CA_CERTS), the real engine deploys each example customer into them,
// and verify reads them back through the vendors' own clients. It must pass on that state; then each fault
// class is made in nordlys' stand-ins the way it happens in life (an API call someone makes, or what the
// services record on their own), and verify must name each one, and only those.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onDuty } from "../../src/calendar/index.js";
import { loadCustomer } from "../../src/plan/loadCustomer.js";
import { runCliAsync, type CliResult } from "../support/cli.js";
import { examples, pulumi, recordingAsOf, scratchProject, type RunResult } from "./harness.js";
import { datadogKeys, pagerdutyToken, stackConfig, startStandIns, verifyEnv, type StandIns } from "./standIns.js";

const at = new Date(recordingAsOf);
const minutesBefore = (m: number) => new Date(at.getTime() - m * 60_000).toISOString();
const explain = (r: RunResult | CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

interface JsonCheck {
  rule: string;
  subject: string;
  status: "pass" | "fail" | "note";
  expected: string;
  found: string;
  at: { line: number; col: number };
}

/** What a `pulumi up` of `customer` left in fresh stand-ins, and what the services then record on their own. */
async function deployed(customer: string): Promise<StandIns> {
  const apis = await startStandIns([customer], { tls: true });
  const project = scratchProject();
  const run = (args: string[]) => pulumi(args, { cwd: project, env: apis.env });
  const init = await run(["stack", "init", customer]);
  expect(init.code, explain(init)).toBe(0);
  for (const [key, value, secret] of stackConfig(apis, recordingAsOf)) {
    const set = await run(["config", "set", ...(secret ? ["--secret"] : []), "-s", customer, key, value]);
    expect(set.code, explain(set)).toBe(0);
  }
  // Datadog stamps the monitors when up creates them: five minutes before the instant verify checks at.
  apis.datadog.setNow(minutesBefore(5));
  const up = await run(["up", "--yes", "-s", customer]);
  expect(up.code, explain(up)).toBe(0);
  expect(apis.unhandled()).toEqual([]);
  // What the services then record on their own, for what up created: Datadog's Azure integration
  // publishes points for each monitored resource and the evaluator moves each monitor out of No Data;
  // Application Insights runs each web test every `frequency` seconds.
  for (const m of apis.datadog.state().monitors) {
    const q = /^\w+\(last_\d+[mhdw]\):\w+:([a-z][a-z0-9_.]*)\{([^}]*)\}/.exec(String(m.query));
    expect(q, String(m.query)).not.toBeNull();
    apis.datadog.addPoints(q![1]!, q![2]!.split(","), [
      [minutesBefore(3), 1],
      [minutesBefore(2), 1],
    ]);
    apis.datadog.setMonitorState(Number(m.id), "OK", minutesBefore(4));
  }
  for (const r of Object.values(apis.azure.state().resources)) {
    if (r.type !== "Microsoft.Insights/webtests") continue;
    const link = Object.keys(r.tags as Record<string, string>).find((t) => t.startsWith("hidden-link:"))!;
    apis.azure.addAvailabilityResults(link.slice("hidden-link:".length), String(r.name), [minutesBefore(4), minutesBefore(9)]);
  }
  return apis;
}

const stacks = new Map<string, StandIns>();
afterAll(async () => {
  await Promise.all([...stacks.values()].map((a) => a.close()));
});

const verifyIn = (customer: string, ...args: string[]) =>
  runCliAsync(["verify", customer, "--at", recordingAsOf, ...args], { env: verifyEnv(stacks.get(customer)!) });
const checksOf = (r: CliResult): JsonCheck[] => (JSON.parse(r.stdout) as { customers: { checks: JsonCheck[] }[] }).customers[0]!.checks;

// One `pulumi up` per example customer; nordlys' stand-ins are kept for the faults below.
describe.each(examples)("verify against what `pulumi up` of %s created", (customer) => {
  let apis: StandIns;
  const verify = (...args: string[]) => verifyIn(customer, ...args);
  beforeAll(async () => {
    apis = await deployed(customer);
    stacks.set(customer, apis);
  });

  it("passes: every monitor, handle, user, schedule and Azure alert is there and works", async () => {
    const r = await verify("--json");
    expect(r.code, explain(r)).toBe(0);
    const checks = checksOf(r);
    expect(checks.filter((c) => c.status !== "pass")).toEqual([]);
    // Every kind of check ran, against the stand-ins' HTTPS side.
    expect(new Set(checks.map((c) => c.rule))).toEqual(
      new Set([
        "monitor-definition",
        "monitor-data",
        "metric-points",
        "pagerduty-handle",
        "roster-user",
        "on-call",
        "standing-support",
        "azure-alert",
        "azure-results",
      ]),
    );
    expect(checks.filter((c) => c.rule === "monitor-definition")).toHaveLength(apis.datadog.state().monitors.length);
    const roster = loadCustomer(customer).spec.roster;
    const people = new Set([...roster.backend, ...roster.frontend, ...roster.pim, ...(roster.changes ?? []).map((c) => c.to)]);
    expect(new Set(checks.filter((c) => c.rule === "roster-user").map((c) => c.subject))).toEqual(people);
    expect(checks.filter((c) => c.rule === "on-call").map((c) => c.subject)).toEqual(
      ["backend", "frontend", "pim"].map((r) => `pico-${customer}-${r} preparedness`),
    );
    // The text form says the same in one line.
    const text = await verify();
    expect(text.code, explain(text)).toBe(0);
    expect(text.stdout).toMatch(/^verify: every check passed$/m);
  });
});

describe("verify names each fault seeded into what `pulumi up` of nordlys created", () => {
  const customer = "nordlys";
  const apis = () => stacks.get(customer)!;
  const verify = (...args: string[]) => verifyIn(customer, ...args);

  // The APIs' own calls, as a person in the vendors' web apps (or a script) would make them.
  const datadog = (method: string, path: string, body?: unknown) =>
    fetch(`${apis().datadog.url}${path}`, {
      method,
      headers: { "DD-API-KEY": datadogKeys.apiKey, "DD-APPLICATION-KEY": datadogKeys.appKey, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const pagerduty = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${apis().pagerduty.url}${path}`, {
      method,
      headers: { Authorization: `Token token=${pagerdutyToken}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(r.status, `${method} ${path}`).toBeLessThan(300);
    return (await r.json()) as Record<string, never>;
  };

  it("fails on each seeded fault and names it precisely; a PagerDuty override is a note, not a fault", async () => {
    const monitors = apis().datadog.state().monitors;
    const byEntry = (entry: string) => monitors.find((m) => (m.tags as string[]).includes(`catalog:${entry}`))!;
    const missing = byEntry("sql-cpu");
    const changed = byEntry("app-service-plan-memory");
    const silent = byEntry("service-bus-dead-letters");

    // Missing monitor: deleted in Datadog.
    expect((await datadog("DELETE", `/api/v1/monitor/${missing.id}`)).status).toBe(200);
    // Changed threshold: edited in Datadog.
    const options = changed.options as { thresholds: { critical: number } };
    const edited = { ...options, thresholds: { ...options.thresholds, critical: 99 } };
    expect((await datadog("PUT", `/api/v1/monitor/${changed.id}`, { options: edited })).status).toBe(200);
    apis().datadog.setMonitorState(Number(changed.id), "OK", minutesBefore(1));
    // No Data for three hours: the evaluator's state.
    apis().datadog.setMonitorState(Number(silent.id), "No Data", minutesBefore(180));
    // Unknown handle: the frontend service object removed from Datadog's PagerDuty integration.
    expect((await datadog("DELETE", "/api/v1/integration/pagerduty/configuration/services/pico-nordlys-frontend")).status).toBe(204);
    // E-mail in another case: the PagerDuty user edited.
    const users = (await pagerduty("GET", "/users?query=bo.holm")) as unknown as { users: { id: string }[] };
    await pagerduty("PUT", `/users/${users.users[0]!.id}`, { user: { email: "Bo.Holm@pico.dk" } });
    // Nobody on call: the backend schedule's layer for the next window edited in PagerDuty to start at noon.
    const scheduleNamed = async (name: string) => {
      const found = (await pagerduty("GET", `/schedules?query=${encodeURIComponent(name)}`)) as unknown as {
        schedules: { id: string; name: string }[];
      };
      return found.schedules.find((s) => s.name === name)!.id;
    };
    const backend = await scheduleNamed("pico-nordlys-backend preparedness");
    const schedule = ((await pagerduty("GET", `/schedules/${backend}`)) as unknown as { schedule: Record<string, unknown> }).schedule;
    const layers = schedule.schedule_layers as { name: string; start: string }[];
    const next = layers.find((l) => l.name.startsWith("2027-02-15"))!;
    expect(next, layers.map((l) => l.name).join(", ")).toBeDefined();
    next.start = "2027-02-15T12:00:00+01:00";
    await pagerduty("PUT", `/schedules/${backend}`, { schedule: { ...schedule, schedule_layers: layers } });
    // An override on the pim schedule at the next window: the other pim person covers, by a person's decision.
    const pimPeople = loadCustomer(customer).spec.roster.pim;
    const rostered = onDuty({ date: "2027-02-15" }, pimPeople);
    const substitute = pimPeople.find((p) => p !== rostered)!;
    const pim = await scheduleNamed("pico-nordlys-pim preparedness");
    const eik = (await pagerduty("GET", `/users?query=${substitute}`)) as unknown as { users: { id: string }[] };
    await pagerduty("POST", `/schedules/${pim}/overrides`, {
      overrides: [
        { start: "2027-02-15T08:00:00+01:00", end: "2027-02-15T16:00:00+01:00", user: { id: eik.users[0]!.id, type: "user_reference" } },
      ],
    });
    // Disabled web test: switched off in the Azure portal.
    const webTest = Object.values(apis().azure.state().resources).find((r) => r.name === "pico-nordlys-shop")!;
    apis().azure.edit(String(webTest.id), (r) => {
      (r.properties as Record<string, unknown>).Enabled = false;
    });

    const r = await verify("--json");
    expect(r.code, explain(r)).toBe(1);
    const failed = checksOf(r).filter((c) => c.status === "fail");
    const one = (rule: string, subject: string) => {
      const found = failed.filter((c) => c.rule === rule && c.subject === subject);
      expect(found, `${rule} ${subject} in\n${JSON.stringify(failed, null, 2)}`).toHaveLength(1);
      return found[0]!;
    };
    expect(one("monitor-definition", String(missing.name)).found).toBe("no such monitor in Datadog");
    expect(one("monitor-definition", String(changed.name)).found).toMatch(/^critical threshold: expected \d+, found 99$/);
    expect(one("monitor-data", String(silent.name)).found).toBe(`No Data for 180 minutes, since ${minutesBefore(180)}`);
    expect(one("pagerduty-handle", "@pagerduty-pico-nordlys-frontend").found).toBe(
      "no service object pico-nordlys-frontend: the handle pages nobody",
    );
    expect(one("roster-user", "bo.holm@pico.dk").found).toBe(
      "PagerDuty has Bo.Holm@pico.dk, which differs in case: the provider matches e-mails exactly",
    );
    const nobody = one("on-call", "pico-nordlys-backend preparedness");
    expect(nobody.found).toBe("nobody on call");
    expect(nobody.expected).toMatch(/^\S+@pico\.dk on call at 2027-02-15T07:00:00\.000Z, the 2027-02-15 window$/);
    expect(one("azure-alert", "pico-nordlys-shop").found).toBe("disabled");
    // Each fault once, nothing else failing (the deleted monitor has no data or points checks left to fail).
    expect(failed).toHaveLength(7);
    const note = checksOf(r).find((c) => c.rule === "on-call" && c.subject === "pico-nordlys-pim preparedness")!;
    expect(note.status).toBe("note");
    expect(note.found).toBe(`a PagerDuty override puts ${substitute} on call instead of ${rostered}; record it with \`roster swap\``);

    // Each failed check is a SARIF result at the customer-file line it comes from.
    const sarif = await verify("--format", "sarif");
    expect(sarif.code).toBe(1);
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; locations: unknown[] }[] }[] }).runs[0]!.results;
    expect(results.map((x) => x.ruleId).sort()).toEqual(failed.map((c) => c.rule).sort());
    expect(JSON.stringify(results[0]!.locations)).toContain(join("stacks", "nordlys.yaml").split("\\").join("/"));
  });
});
