/** Committed generated files must match their sources; `npm run generate` refreshes them. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { generatedFiles } from "../src/generate";
import { isCustomerFileName } from "../src/spec/fleet";
import { repoRoot } from "./support/cli";

describe("generated files", () => {
  for (const [file, expected] of Object.entries(generatedFiles())) {
    it(`${file.slice(repoRoot.length + 1)} is up to date (run \`npm run generate\`)`, () => {
      expect(readFileSync(file, "utf8")).toBe(expected);
    });
  }

  it("the customer JSON Schema accepts every example customer and rejects a custom alert", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, "stacks", "customer.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const stacks = readdirSync(join(repoRoot, "stacks")).filter(isCustomerFileName);
    expect(stacks.length).toBeGreaterThanOrEqual(3);
    for (const f of stacks) {
      const data = parse(readFileSync(join(repoRoot, "stacks", f), "utf8"));
      expect(validate(data), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const custom = parse(readFileSync(join(repoRoot, "stacks", "nordlys.yaml"), "utf8"));
    custom.alerts[0].query = "avg(last_5m):avg:system.cpu{*} > 1";
    expect(validate(custom)).toBe(false);
  });

  it("every example file carries the yaml-language-server modeline", () => {
    for (const f of readdirSync(join(repoRoot, "stacks")).filter(isCustomerFileName)) {
      expect(readFileSync(join(repoRoot, "stacks", f), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=./customer.schema.json");
    }
  });
});
