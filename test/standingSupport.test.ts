/**
 * Standing support named as a PagerDuty user (`standingSupport: { user: <e-mail> }`) instead of a
 * schedule: through the CLI, every role's escalation policy pages that user second, with a
 * `user_reference` target (terraform-provider-pagerduty website/docs/r/escalation_policy.html.markdown,
 * `target.type`), and the pack accepts the stack.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { escalation } from "../src/facts/paging.js";
import { stableId } from "../src/offline/mockEngine.js";
import { repoRoot, runCli } from "./support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "pico-standing-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Doc = {
  policies: { results: { policy: string; enforcementLevel: string; status: string }[] };
  resources: { type: string; name: string; props: { rules?: { escalationDelayInMinutes: number; targets: unknown[] }[] } }[];
};

function previewWith(standingSupport: string): Doc {
  const file = join(scratch, "nordlys.yaml");
  const source = readFileSync(join(repoRoot, "stacks", "nordlys.yaml"), "utf8");
  writeFileSync(file, `${source.trimEnd()}\nstandingSupport: ${standingSupport}\n`);
  const r = runCli(["preview", file, "--json", "--at", "2027-01-10T12:00:00Z"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Doc;
}

describe("standing support as a PagerDuty user", () => {
  it.each([
    ["someone outside the roster", "duty.manager@pico.dk"],
    ["someone on the roster", "bo.holm@pico.dk"],
  ])("%s is paged second by every role's escalation policy, by user_reference", (_who, email) => {
    const doc = previewWith(`{ user: ${email} }`);
    const policies = doc.resources.filter((r) => r.type === "pagerduty:index/escalationPolicy:EscalationPolicy");
    expect(policies.map((p) => p.name).sort()).toEqual([
      "pico-nordlys-backend-escalation",
      "pico-nordlys-frontend-escalation",
      "pico-nordlys-pim-escalation",
    ]);
    for (const p of policies) {
      expect(p.props.rules?.[1]).toEqual({
        escalationDelayInMinutes: escalation.standingSupportAckMinutes,
        // The mock engine's getUser answer for that e-mail (src/offline/mockEngine.ts previewMocks).
        targets: [{ type: "user_reference", id: stableId("P", email) }],
      });
    }
    expect(doc.policies.results.filter((r) => r.enforcementLevel === "mandatory" && r.status === "fail")).toEqual([]);
  });
});
