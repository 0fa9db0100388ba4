import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliLoading } from "./support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "pico-startup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function loadedPackages(args: string[]): { code: number | null; packages: string[] } {
  return runCliLoading(args, join(scratch, `${args.join("_").replace(/[^\w-]/g, "")}.txt`));
}

const pulumi = (ps: string[]) => ps.filter((p) => p.startsWith("@pulumi/") || p === "@grpc/grpc-js");

describe("what each command loads", () => {
  it("--help loads commander and nothing else", () => {
    const { code, packages } = loadedPackages(["--help"]);
    expect(code).toBe(0);
    expect(packages).toEqual(["commander"]);
  });

  it("validate loads the validators but not the Pulumi SDK or date-holidays", () => {
    const { code, packages } = loadedPackages(["validate"]);
    expect(code).toBe(0);
    // ajv only compiles and checks a catalogue that changed; one that passed is read from
    // dist/.cache (src/catalog/load.ts; test/catalog.test.ts checks a changed one afresh).
    expect(packages).toEqual(expect.arrayContaining(["zod", "yaml"]));
    expect(pulumi(packages)).toEqual([]);
    // The committed customers' holidays come from the generated tables.
    expect(packages).not.toContain("date-holidays");
  });

  it("roster loads neither the Pulumi SDK nor date-holidays", () => {
    const { code, packages } = loadedPackages(["roster", "havblik", "--year", "2027"]);
    expect(code).toBe(0);
    expect(pulumi(packages)).toEqual([]);
    expect(packages).not.toContain("date-holidays");
  });

  it("preview does load the Pulumi SDK (the check above can see it)", () => {
    const { code, packages } = loadedPackages(["preview", "havblik", "--json", "--at", "2027-01-10T12:00:00Z"]);
    expect(code).toBe(0);
    expect(packages).toContain("@pulumi/pulumi");
  });
});
