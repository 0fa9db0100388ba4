/**
 * `pico-monitoring verify` through the built CLI, without the real engine: its usage and credential
 * errors, its output formats, and the on-call check's reading of roster changes and PagerDuty overrides
 * against the PagerDuty stand-in seeded directly through its API, as the deploy's provider would write the
 * one schedule under test. (test/engine/verify.engine.test.ts holds verify to what a real `pulumi up` made.)
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onDuty } from "../src/calendar/index.js";
import { escalation } from "../src/facts/paging.js";
import { repoRoot, runCli, runCliAsync, type CliResult } from "./support/cli.js";
import { pagerdutyToken, startStandIns, verifyEnv, type StandIns } from "./engine/standIns.js";

const at = "2027-01-10T12:00:00Z";
/** The next preparedness day of nordlys after `at` (its extraDays), whose window the on-call check reads. */
const day = "2027-02-15";
const window = { start: "2027-02-15T08:00:00+01:00", end: "2027-02-15T16:00:00+01:00" };
const backend = ["ana.berg@pico.dk", "bo.holm@pico.dk"];
const rostered = onDuty({ date: day }, backend);
const substitute = backend.find((p) => p !== rostered)!;

interface JsonCheck {
  rule: string;
  subject: string;
  status: string;
  expected: string;
  found: string;
  at: { line: number; col: number };
}
const checksOf = (r: CliResult): JsonCheck[] => (JSON.parse(r.stdout) as { customers: { checks: JsonCheck[] }[] }).customers[0]!.checks;
const explain = (r: CliResult) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

describe("verify: usage and credentials", () => {
  const secret = "do-not-print-4f1c9a";
  const noCredentials = Object.fromEntries(
    ["DATADOG_API_KEY", "DATADOG_APP_KEY", "PAGERDUTY_TOKEN", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET", "ARM_TENANT_ID"].map((v) => [v, ""]),
  );

  it("exits 2 with one line for a missing customer, customers with --all, an unknown customer and an unknown format", () => {
    for (const [args, message] of [
      [["verify"], "pico-monitoring: name a customer (or several), or --all"],
      [["verify", "nordlys", "--all"], "pico-monitoring: name customers or --all, not both"],
      [["verify", "nordly"], "pico-monitoring: unknown customer 'nordly'"],
      [["verify", "nordlys", "--format", "html"], "pico-monitoring: --format 'html': one of text, json, sarif, md"],
      [["verify", "nordlys", "--at", "tomorrow"], "pico-monitoring: --at 'tomorrow' is not an ISO date-time"],
    ] as const) {
      const r = runCli([...args], { env: { ...noCredentials, DATADOG_API_KEY: secret } });
      expect(r.code, explain(r)).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe("");
    }
  });

  it("exits 2 naming each missing variable, and never prints a value", () => {
    const r = runCli(["verify", "nordlys"], { env: { ...noCredentials, DATADOG_API_KEY: secret, ARM_CLIENT_SECRET: secret } });
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr).toBe(
      "pico-monitoring: verify needs the providers' credentials in the environment; not set: DATADOG_APP_KEY, PAGERDUTY_TOKEN, ARM_CLIENT_ID, ARM_TENANT_ID" +
        ' (README, "Before the first real run")\n',
    );
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it("exits 2 for a site that isn't an https:// URL, naming the variable", () => {
    const all = Object.fromEntries(Object.keys(noCredentials).map((v) => [v, secret]));
    const r = runCli(["verify", "nordlys"], { env: { ...all, DATADOG_HOST: "http://api.datadoghq.eu/" } });
    expect(r.code, explain(r)).toBe(2);
    expect(r.stderr).toBe("pico-monitoring: DATADOG_HOST must be an https:// URL, such as https://api.pagerduty.com\n");
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});

describe("verify against stand-ins seeded directly", () => {
  let apis: StandIns;
  let dir: string;
  let file: string;
  let scheduleId: string;
  let layerUser: (email: string) => Promise<void>;

  const pagerduty = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${apis.pagerduty.url}${path}`, {
      method,
      headers: { Authorization: `Token token=${pagerdutyToken}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return r.status === 204 ? {} : ((await r.json()) as Record<string, never>);
  };
  const userId = async (email: string) =>
    ((await pagerduty("GET", `/users?query=${encodeURIComponent(email)}`)) as { users: { id: string; email: string }[] }).users.find(
      (u) => u.email === email,
    )!.id;
  const verify = (...args: string[]) => runCliAsync(["verify", file, "--at", at, ...args], { env: verifyEnv(apis) });
  const backendCheck = (r: CliResult) =>
    checksOf(r).find((c) => c.rule === "on-call" && c.subject === "pico-nordlys-backend preparedness")!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "pico-verify-"));
    cpSync(join(repoRoot, "stacks"), join(dir, "stacks"), { recursive: true });
    file = join(dir, "stacks", "nordlys.yaml");
    // The roster change, written as an engineer writes it.
    const swap = runCli([
      "roster",
      "swap",
      file,
      day,
      "--role",
      "backend",
      "--to",
      substitute,
      "--reason",
      "ill",
      "--stacks",
      join(dir, "stacks"),
    ]);
    expect(swap.code, explain(swap)).toBe(0);

    apis = await startStandIns(["nordlys"], { tls: true });
    // The backend schedule as the deploy writes it for that day (the change's substitute on the layer), and
    // the escalation policy that pages it: PagerDuty lists on-calls per escalation policy.
    const layer = (email: string, id?: string) => ({
      ...(id ? { id } : {}),
      name: `${day} extra`,
      start: window.start,
      end: window.end,
      rotation_virtual_start: window.start,
      rotation_turn_length_seconds: 86_400,
      users: [{ user: { id: email, type: "user_reference" } }],
    });
    const created = (await pagerduty("POST", "/schedules", {
      schedule: {
        name: "pico-nordlys-backend preparedness",
        time_zone: "Europe/Copenhagen",
        schedule_layers: [layer(await userId(substitute))],
      },
    })) as { schedule: { id: string; schedule_layers: { id: string }[] } };
    scheduleId = created.schedule.id;
    const layerId = created.schedule.schedule_layers[0]!.id;
    layerUser = async (email) => {
      await pagerduty("PUT", `/schedules/${scheduleId}`, { schedule: { schedule_layers: [layer(await userId(email), layerId)] } });
    };
    await pagerduty("POST", "/escalation_policies", {
      escalation_policy: {
        name: "pico-nordlys-backend preparedness",
        num_loops: escalation.numLoops,
        escalation_rules: [
          { escalation_delay_in_minutes: escalation.preparednessAckMinutes, targets: [{ id: scheduleId, type: "schedule_reference" }] },
        ],
      },
    });
  });
  afterAll(async () => {
    await apis?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("expects the person a roster change puts on the day, and reports an override as an override, not a fault", async () => {
    const deployed = await verify("--json");
    // Datadog and Azure hold nothing here, so verify fails as a whole; the on-call check passes.
    expect(deployed.code, explain(deployed)).toBe(1);
    expect(backendCheck(deployed)).toMatchObject({
      status: "pass",
      expected: `${substitute} on call at 2027-02-15T07:00:00.000Z, the ${day} window (roster change: ${rostered} → ${substitute}, ill)`,
      found: `${substitute} on call`,
    });

    // In PagerDuty someone overrides the day back to the rotation's person.
    const override = (await pagerduty("POST", `/schedules/${scheduleId}/overrides`, {
      overrides: [{ start: window.start, end: window.end, user: { id: await userId(rostered), type: "user_reference" } }],
    })) as unknown as { override: { id: string } }[];
    const overridden = await verify("--json");
    expect(backendCheck(overridden)).toMatchObject({
      status: "note",
      found: `a PagerDuty override puts ${rostered} on call instead of ${substitute}; record it with \`roster swap\``,
    });
    await pagerduty("DELETE", `/schedules/${scheduleId}/overrides/${override[0]!.override.id}`);

    // The change merged but never deployed: the schedule still has the rotation's person, and no override says why.
    await layerUser(rostered);
    const stale = await verify("--json");
    expect(backendCheck(stale)).toMatchObject({ status: "fail", found: `${rostered} on call` });
    await layerUser(substitute);
  });

  it("says the same in text, JSON, SARIF and the Markdown summary, each failure at its customer-file line", async () => {
    const json = await verify("--json");
    const checks = checksOf(json);
    const failed = checks.filter((c) => c.status === "fail");
    expect(failed.length).toBeGreaterThan(0);
    // Nothing in Datadog: each planned monitor is missing, named with the line of its alert.
    const source = readFileSync(file, "utf8").split("\n");
    for (const c of failed.filter((x) => x.rule === "monitor-definition")) {
      expect(c.found).toBe("no such monitor in Datadog");
      expect(source[c.at.line - 1]).toMatch(/^\s*- \{ use: /);
    }

    const summary = join(dir, "summary.md");
    const text = await verify("--summary", summary);
    expect(text.code).toBe(1);
    const lines = text.stdout.trim().split("\n");
    expect(lines[0]).toBe(`nordlys (${file}), at 2027-01-10T12:00:00.000Z: ${checks.length} checks, ${failed.length} failed`);
    expect(lines.at(-1)).toBe(`verify: ${failed.length} checks failed`);
    expect(lines.filter((l) => l.startsWith("  FAIL "))).toHaveLength(failed.length);
    expect(lines).toContain(`  FAIL monitor-definition ${failed[0]!.subject}: expected ${failed[0]!.expected}; found ${failed[0]!.found}`);
    expect(readFileSync(summary, "utf8")).toContain(`### verify nordlys: ${failed.length} of ${checks.length} checks failed`);

    const sarif = await verify("--format", "sarif");
    expect(sarif.code).toBe(1);
    const run = (
      JSON.parse(sarif.stdout) as {
        runs: {
          tool: { driver: { rules: { id: string; properties: Record<string, unknown> }[] } };
          results: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
        }[];
      }
    ).runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      "monitor-definition",
      "monitor-data",
      "metric-points",
      "pagerduty-handle",
      "roster-user",
      "on-call",
      "standing-support",
      "azure-alert",
      "azure-results",
    ]);
    expect(run.tool.driver.rules.every((r) => r.properties["security-severity"] === "8.0")).toBe(true);
    expect(run.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.region.startLine])).toEqual(
      failed.map((c) => [c.rule, c.at.line]),
    );
    expect(run.results.every((r) => r.level === "error")).toBe(true);
  });

  it("a credential the service refuses is a failed check naming the call, and the credential is never printed", async () => {
    const wrong = "wrong-app-key-7d2e";
    const r = await runCliAsync(["verify", file, "--at", at, "--json"], { env: { ...verifyEnv(apis), DATADOG_APP_KEY: wrong } });
    expect(r.code, explain(r)).toBe(1);
    const monitors = checksOf(r).filter((c) => c.rule === "monitor-definition");
    expect(monitors).toEqual([expect.objectContaining({ status: "fail", found: "Datadog GET /api/v1/monitor: HTTP 403 (Forbidden)" })]);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });
});
