// The pack's re-plan holds the stack's customer file against the other customer files beside it
// (src/plan/fleetCheck.ts), so a real `pulumi preview --policy-pack policies` fails an overlapping
// customer too (issue 20), over the analyzer's gRPC interface as the Pulumi CLI drives it.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stacksDir } from "../../src/facts/paths.js";
import { compliantView, overGrpc, packs } from "../support/closedWorld.js";

describe("stack-matches-customer-file: a customer file another customer's file overlaps", () => {
  const dir = mkdtempSync(join(tmpdir(), "pico-pack-fleet-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  copyFileSync(join(stacksDir(), "nordlys.yaml"), join(dir, "nordlys.yaml"));
  // Same subscription and resources under another id.
  writeFileSync(
    join(dir, "fjord.yaml"),
    readFileSync(join(stacksDir(), "nordlys.yaml"), "utf8").replace("customer: nordlys", "customer: fjord"),
  );

  it("fails the compliant stack, naming both files", async () => {
    const view = await compliantView("nordlys", "first-preview");
    const pack = await packs.get("nordlys", "first-preview", {}, { PICO_PACK_STACKS_DIR: dir });
    const found = (await overGrpc(pack, view, "AnalyzeStack")).filter((v) => v.policy === "stack-matches-customer-file");
    expect(found.map((v) => v.message).join("\n")).toMatch(
      /stacks\/nordlys\.yaml is invalid, so nothing can match it: .*nordlys\.yaml:17:9: systems\[0\]\.resources\[0\]: customer 'fjord' already monitors this Azure resource .*fjord\.yaml:17:9/,
    );
  });
});
