// stack-matches-customer-file and its companion resource-matches-plan over the CLI's view: see test/support/closedWorld.ts.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stackMatchesMessages, resourceMatchesMessages } from "../../policies/stackMatchesCustomerFile.js";
import { runPolicies } from "../../src/offline/policyResults.js";
import { pack } from "../support/pack.js";
import { stacksDir } from "../../src/facts/paths.js";
import { hostileStack, overGrpc, packs, policySuite, stackOf } from "../support/closedWorld.js";
import { hostileStacks } from "../support/hostileStacks.js";

policySuite("stack-matches-customer-file", stackMatchesMessages, hostileStacks);
policySuite("resource-matches-plan", resourceMatchesMessages, hostileStacks);

describe("a published pack (no stacks/ beside it)", () => {
  const published = { PICO_PACK_STACKS_DIR: join(tmpdir(), "pico-no-such-repository") };
  const byName = (name: string) => hostileStacks.find((c) => c.name === name)!;

  it.each([
    ["sees provenance naming another customer", "a monitor whose provenance names another customer", true],
    [
      "can't see a service re-pointed at another role's escalation policy",
      "a PagerDuty service on another role's escalation policy",
      false,
    ],
    ["can't see a missing action group", "a stack without one action group", false],
  ] as const)("%s", async (_what, name, seen) => {
    const c = byName(name);
    const { hostile, phase, stack } = await hostileStack(c);
    const local = (await runPolicies(hostile, { pack, stack: { ...stackOf(stack, phase), stacksDir: undefined } })).results.find(
      (r) => r.policy === c.policy,
    )!;
    const remote = (await overGrpc(await packs.get(stack, phase, {}, published), hostile)).filter((v) => v.policy === c.policy);
    expect(local.violations.some((v) => c.expect.test(v.message))).toBe(seen);
    expect(remote.some((v) => c.expect.test(v.message))).toBe(seen);
    if (!seen) expect([local.violations, remote]).toEqual([[], []]);
  });
});

describe("a customer file named <id>.yml", () => {
  const dir = mkdtempSync(join(tmpdir(), "pico-yml-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(stacksDir(), "nordlys.yaml"), join(dir, "nordlys.yml"));

  it.each(["a stack without one action group", "a monitor re-bound to another app"])(
    "is named as it is in the messages: %s",
    async (name) => {
      const c = hostileStacks.find((h) => h.name === name)!;
      const { hostile, phase, stack } = await hostileStack(c);
      const report = await runPolicies(hostile, { pack, stack: { ...stackOf(stack, phase), stacksDir: dir } });
      const messages = report.results.filter((r) => r.policy === c.policy).flatMap((r) => r.violations.map((v) => v.message));
      expect(messages).not.toEqual([]);
      expect(messages.join("\n")).toContain("stacks/nordlys.yml");
      expect(messages.join("\n")).not.toContain("stacks/nordlys.yaml");
    },
  );
});
