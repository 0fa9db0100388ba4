/**
 * Issue 20: a copy of havblik.yaml under a new id (same subscription, same resources) passed
 * `validate acme2`, `preview acme2` and `audit` while only a full `validate` failed. The fleet check
 * now runs wherever a customer is judged, and reports the file judged, naming the other one.
 * (diff and its PR comment: test/diffCommand.test.ts; the pack: test/policies/fleetOverlap.cli.test.ts.)
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "pico-fleet-overlap-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const havblik = readFileSync(join(repoRoot, "stacks", "havblik.yaml"), "utf8");
/** The copy under a new id: acme2 sorts before havblik, so no order of the files hides the overlap. */
const acme2 = havblik.replace("customer: havblik", "customer: acme2");

/** A stacks directory holding havblik and its copy, and the copy alone (checked against stacks/). */
const fleet = join(scratch, "stacks");
const alone = join(scratch, "alone");
for (const d of [fleet, alone]) mkdirSync(d);
copyFileSync(join(repoRoot, "stacks", "havblik.yaml"), join(fleet, "havblik.yaml"));
writeFileSync(join(fleet, "acme2.yaml"), acme2);
writeFileSync(join(alone, "acme2.yaml"), acme2);

const overlap = (file: string, other: string) =>
  new RegExp(
    `${file}:16:9: systems\\[0\\]\\.resources\\[0\\]: customer '[a-z0-9]+' already monitors this Azure resource in subscription c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f \\([^)]*${other}:16:9\\); one customer file per solution`,
  );

describe("an overlapping customer file fails wherever a customer is judged", () => {
  it("validate <id>: the named file is reported, naming the other file's line", () => {
    const r = runCli(["validate", "acme2", "--stacks", fleet]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("customers: 0 of 1 valid");
    expect(r.stderr).toMatch(overlap("acme2\\.yaml", "havblik\\.yaml"));
    expect(r.stderr).toContain("customer 'havblik' already monitors");
  });

  it("validate (every file): both files are reported, each naming the other", () => {
    const r = runCli(["validate", "--stacks", fleet]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("customers: 0 of 2 valid");
    expect(r.stderr).toMatch(overlap("acme2\\.yaml", "havblik\\.yaml"));
    expect(r.stderr).toMatch(overlap("havblik\\.yaml", "acme2\\.yaml"));
  });

  it("preview: a file outside stacks/ is held against the repository's customers, and nothing is previewed", () => {
    const r = runCli(["preview", join(alone, "acme2.yaml"), "--at", "2027-01-10T12:00:00Z"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(overlap("acme2\\.yaml", "stacks/havblik\\.yaml"));
  });

  it("audit: both customers are invalid, not 'passed'", () => {
    const r = runCli(["audit", "--stacks", fleet, "--json", "--at", "2027-01-10T12:00:00Z", "--jobs", "1"]);
    const report = JSON.parse(r.stdout);
    const status = Object.fromEntries(report.customers.map((c: { customer: string; status: string }) => [c.customer, c.status]));
    expect(status).toEqual({ acme2: "invalid", havblik: "invalid" });
    const acme = report.customers.find((c: { customer: string }) => c.customer === "acme2");
    expect(acme.problems[0].message).toMatch(/customer 'havblik' already monitors this Azure resource/);
    expect(r.code).toBe(1);
  });

  it("a file of the same customer id elsewhere is that customer's, not an overlap", () => {
    const own = join(scratch, "own");
    mkdirSync(own, { recursive: true });
    copyFileSync(join(repoRoot, "stacks", "havblik.yaml"), join(own, "havblik.yaml"));
    const r = runCli(["validate", join(own, "havblik.yaml")]);
    expect(r.stderr).not.toContain("already monitors");
    expect(r.code).toBe(0);
  });
});
