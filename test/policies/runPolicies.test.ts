import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../src/facts/paths.js";
import { runPolicies, UNKNOWN_VALUE } from "../../src/offline/policyResults.js";
import { pack } from "../support/pack.js";
import { asPolicyInput, customerStack, openWorldOnly, resourceTypes as T, urnOf } from "../support/policyHarness.js";

const { policies } = pack;

const stack = asPolicyInput(customerStack("nordlys"));
const version = (JSON.parse(readFileSync(join(projectRoot(), "policies", "package.json"), "utf8")) as { version: string }).version;
const eleven = [
  ...stack,
  ...[1, 2].map((i) => ({ urn: `urn:x::m${i}`, type: "datadog:index/monitorJson:MonitorJson", name: `m${i}`, props: {} })),
];

describe("runPolicies", () => {
  it("reports every policy of the pack, with the pack's name and version", async () => {
    const report = await runPolicies(stack, { pack, config: openWorldOnly });
    expect(report.pack).toBe("pico-extended");
    expect(report.version).toBe(version);
    expect(report.results.map((r) => r.policy)).toEqual(policies.map((p) => p.name));
    for (const p of policies) expect(p.enforcementLevel).toBe("mandatory");
    for (const r of report.results) {
      const level = r.policy in openWorldOnly ? "disabled" : "mandatory";
      expect(r).toMatchObject({ enforcementLevel: level, status: "pass", violations: [], undecided: [] });
      expect(r.description).toBeTruthy();
    }
  });

  it("names the resource for resource findings and nobody for stack-wide ones", async () => {
    const report = await runPolicies(eleven, { pack, config: openWorldOnly });
    const byPolicy = Object.fromEntries(report.results.map((r) => [r.policy, r]));
    expect(byPolicy["no-custom-alerts"]!.violations).toEqual([
      { urn: "urn:x::m1", message: "'m1' (datadog:index/monitorJson:MonitorJson) is not a kind the Best Practice catalogue renders" },
      { urn: "urn:x::m2", message: "'m2' (datadog:index/monitorJson:MonitorJson) is not a kind the Best Practice catalogue renders" },
    ]);
    expect(byPolicy["max-ten-alerts"]!.violations).toEqual([{ message: expect.stringMatching(/^this stack has 11 alerts; /) }]);
    expect(byPolicy["max-ten-alerts"]!.status).toBe("fail");
  });

  it("applies policy config like --policy-pack-config: schema defaults, properties, levels, `all`", async () => {
    const five = await runPolicies(stack, { pack, config: { ...openWorldOnly, "max-ten-alerts": { maxAlerts: 5 } } });
    expect(five.results[1]).toMatchObject({ policy: "max-ten-alerts", status: "fail" });
    expect(five.results[1]!.violations[0]!.message).toMatch(/^this stack has 9 alerts; the Extended package allows at most 5: /);

    const advisory = await runPolicies(eleven, { pack, config: { all: "advisory" } });
    expect(advisory.results.map((r) => r.enforcementLevel)).toEqual(policies.map(() => "advisory"));
    expect(advisory.results[1]!.status).toBe("fail");

    const disabled = await runPolicies(eleven, { pack, config: { "max-ten-alerts": { enforcementLevel: "disabled", maxAlerts: 3 } } });
    expect(disabled.results[1]).toMatchObject({ enforcementLevel: "disabled", status: "pass", violations: [] });
  });

  it("rejects invalid config before running anything", async () => {
    await expect(runPolicies(stack, { pack, config: { "max-ten-alerts": { maxAlerts: 0 } } })).rejects.toThrow(
      /policy configuration is invalid:\n {2}max-ten-alerts\.maxAlerts: must be >= 1/,
    );
    await expect(runPolicies(stack, { pack, config: { "max-ten-alerts": { maxAlerts: 2.5 } } })).rejects.toThrow(/must be integer/);
    // Config may lower the Extended limit for a stack, never raise it.
    await expect(runPolicies(stack, { pack, config: { "max-ten-alerts": { maxAlerts: 11 } } })).rejects.toThrow(
      /policy configuration is invalid:\n {2}max-ten-alerts\.maxAlerts: must be <= 10/,
    );
    await expect(runPolicies(stack, { pack, config: { "max-ten-alerts": { maxAlerts: 1000 } } })).rejects.toThrow(/must be <= 10/);
    const eight = await runPolicies(stack, { pack, config: { ...openWorldOnly, "max-ten-alerts": { maxAlerts: 8 } } });
    expect(eight.results[1]).toMatchObject({ policy: "max-ten-alerts", status: "fail" });
    expect(eight.results[1]!.violations[0]!.message).toMatch(/^this stack has 9 alerts; the Extended package allows at most 8: /);
    await expect(runPolicies(stack, { pack, config: { "no-such-policy": "mandatory" } })).rejects.toThrow(
      /no-such-policy: no such policy in pico-extended/,
    );
    await expect(runPolicies(stack, { pack, config: { all: "sometimes" as "advisory" } })).rejects.toThrow(
      /all: 'sometimes' is not an enforcement level/,
    );
  });

  it("reports what can't be decided during preview as undecided, not as a failure", async () => {
    const monitor = stack.find((r) => r.type === T.monitor)!;
    const pending = stack.map((r) => (r === monitor ? { ...r, props: { ...r.props, message: UNKNOWN_VALUE } } : r));
    const report = await runPolicies(pending, { pack, config: openWorldOnly });
    const route = report.results.find((r) => r.policy === "alerts-route-to-preparedness")!;
    expect(route).toMatchObject({ status: "pass", violations: [] });
    expect(route.undecided).toEqual([
      {
        message: `can't run policy 'alerts-route-to-preparedness' during preview: the message of monitor '${monitor.name}' can't be known during preview`,
      },
    ]);
    // The same unknown makes the alert non-standard: a catalogue alert's message is known in advance.
    expect(report.results[0]!.violations).toEqual([
      {
        urn: urnOf(monitor),
        message: `monitor '${monitor.name}': field 'message' is not known during preview; catalogue entry ${(monitor.props.tags as string[])[2]!.slice(8)} v1 fixes it in advance`,
      },
    ]);
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
