// The in-process runner (src/offline/policyResults.ts), on nordlys's golden stack and mutations of it
// (test/support/goldenStacks.ts), with the whole pack.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pack } from "../support/pack.js";
import { projectRoot } from "../../src/facts/paths.js";
import { UNKNOWN_VALUE } from "../../src/offline/policyResults.js";
import { changed, extra, find, golden, judge, T, violationsOf } from "../support/goldenStacks.js";

const stack = golden();
const version = (JSON.parse(readFileSync(join(projectRoot(), "policies", "package.json"), "utf8")) as { version: string }).version;
const jsonMonitors = [1, 2].map((i) => extra(stack, "datadog:index/monitorJson:MonitorJson", `m${i}`));
/** Nine standard alerts and two MonitorJson ones. */
const eleven = [...stack, ...jsonMonitors];

const { policies } = pack;

describe("runPolicies", () => {
  it("reports every policy of the pack, with the pack's name and version", async () => {
    const report = await judge(stack);
    expect(report.pack).toBe("pico-extended");
    expect(report.version).toBe(version);
    expect(report.results.map((r) => r.policy)).toEqual(policies.map((p) => p.name));
    for (const p of policies) expect(p.enforcementLevel).toBe("mandatory");
    for (const r of report.results) {
      expect(r).toMatchObject({ enforcementLevel: "mandatory", status: "pass", violations: [], undecided: [] });
      expect(r.description).toBeTruthy();
    }
  });

  it("names the resource for resource findings and nobody for stack-wide ones", async () => {
    const report = await judge(eleven);
    const [m1, m2] = jsonMonitors.map((r) => r.urn);
    expect(violationsOf(report, "no-custom-alerts")).toEqual([
      { urn: m1, message: "'m1' (datadog:index/monitorJson:MonitorJson) is not a kind the Best Practice catalogue renders" },
      { urn: m2, message: "'m2' (datadog:index/monitorJson:MonitorJson) is not a kind the Best Practice catalogue renders" },
    ]);
    expect(violationsOf(report, "max-ten-alerts")).toEqual([{ message: expect.stringMatching(/^this stack has 11 alerts; /) }]);
    expect(report.results[1]).toMatchObject({ policy: "max-ten-alerts", status: "fail" });
    // The closed-world policies name the same two resources.
    expect(violationsOf(report, "only-known-resource-kinds").map((v) => v.urn)).toEqual([m1, m2]);
    expect(violationsOf(report, "stack-matches-customer-file").map((v) => v.urn)).toEqual([m1, m2]);
  });

  it("applies policy config like --policy-pack-config: schema defaults, properties, levels, `all`", async () => {
    const five = await judge(stack, { config: { "max-ten-alerts": { maxAlerts: 5 } } });
    expect(five.results[1]).toMatchObject({ policy: "max-ten-alerts", status: "fail" });
    expect(five.results[1]!.violations[0]!.message).toMatch(/^this stack has 9 alerts; the Extended package allows at most 5: /);
    expect(five.results.filter((r) => r.status === "fail").map((r) => r.policy)).toEqual(["max-ten-alerts"]);

    // Every policy is a promise: advisory can't weaken it, as over gRPC (policies/promise.ts).
    const advisory = await judge(eleven, { config: { all: "advisory" } });
    expect(advisory.results.map((r) => r.enforcementLevel)).toEqual(policies.map(() => "mandatory"));
    expect(advisory.results[1]!.status).toBe("fail");

    const disabled = await judge(eleven, { config: { "max-ten-alerts": { enforcementLevel: "disabled", maxAlerts: 3 } } });
    expect(disabled.results[1]).toMatchObject({ enforcementLevel: "disabled", status: "pass", violations: [] });
  });

  it("rejects invalid config before running anything", async () => {
    await expect(judge(stack, { config: { "max-ten-alerts": { maxAlerts: 0 } } })).rejects.toThrow(
      /policy configuration is invalid:\n {2}max-ten-alerts\.maxAlerts: must be >= 1/,
    );
    await expect(judge(stack, { config: { "max-ten-alerts": { maxAlerts: 2.5 } } })).rejects.toThrow(/must be integer/);
    // Config may lower the Extended limit for a stack, never raise it.
    await expect(judge(stack, { config: { "max-ten-alerts": { maxAlerts: 11 } } })).rejects.toThrow(
      /policy configuration is invalid:\n {2}max-ten-alerts\.maxAlerts: must be <= 10/,
    );
    await expect(judge(stack, { config: { "max-ten-alerts": { maxAlerts: 1000 } } })).rejects.toThrow(/must be <= 10/);
    const eight = await judge(stack, { config: { "max-ten-alerts": { maxAlerts: 8 } } });
    expect(eight.results[1]).toMatchObject({ policy: "max-ten-alerts", status: "fail" });
    expect(eight.results[1]!.violations[0]!.message).toMatch(/^this stack has 9 alerts; the Extended package allows at most 8: /);
    await expect(judge(stack, { config: { "no-such-policy": "mandatory" } })).rejects.toThrow(
      /no-such-policy: no such policy in pico-extended/,
    );
    await expect(judge(stack, { config: { all: "sometimes" as "advisory" } })).rejects.toThrow(
      /all: 'sometimes' is not an enforcement level/,
    );
  });

  it("reports what can't be decided during preview as undecided, not as a failure", async () => {
    const monitor = find(stack, T.datadogMonitor);
    const pending = changed(stack, T.datadogMonitor, (p) => {
      p.message = UNKNOWN_VALUE;
    });
    const report = await judge(pending);
    const route = report.results.find((r) => r.policy === "alerts-route-to-preparedness")!;
    expect(route).toMatchObject({ status: "pass", violations: [] });
    expect(route.undecided).toEqual([
      {
        message: `can't run policy 'alerts-route-to-preparedness' during preview: the message of monitor '${monitor.name}' can't be known during preview`,
      },
    ]);
    // The same unknown makes the alert non-standard: a catalogue alert's message is known in advance.
    expect(violationsOf(report, "no-custom-alerts")).toEqual([
      {
        urn: monitor.urn,
        message: `monitor '${monitor.name}': field 'message' is not known during preview; catalogue entry ${(monitor.props.tags as string[])[2]!.slice(8)} v2 fixes it in advance`,
      },
    ]);
    // And an unknown the plan doesn't have there.
    expect(violationsOf(report, "unknowns-only-where-planned").map((v) => v.urn)).toEqual([monitor.urn]);
  });

  it("loads neither gRPC nor the Pulumi SDK (the offline audit stays fast)", async () => {
    const built = join(projectRoot(), "dist", "src", "offline", "policyResults.js");
    if (!existsSync(built)) throw new Error("run `npm run build` first");
    const loaded = execFileSync(
      process.execPath,
      [
        "-e",
        `require(${JSON.stringify(built)}); console.log(Object.keys(require.cache).filter((k) => /@grpc|@pulumi[\\\\/]pulumi[\\\\/]/.test(k)).length)`,
      ],
      { encoding: "utf8" },
    );
    expect(loaded.trim()).toBe("0");
  });
});
