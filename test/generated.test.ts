/** Committed generated files must match their sources; `npm run generate` refreshes them. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import Holidays from "date-holidays";
import { loadCatalog } from "../src/catalog/load.js";
import { maxAlerts } from "../src/facts/extended.js";
import { generatedFiles, goldenStackFiles } from "../src/generate.js";
import { goldenStackFile, goldenStacks } from "../src/offline/goldenStacks.js";
import { customerFilesIn } from "../src/customer/customerFiles.js";
import { repoRoot } from "./support/cli.js";

describe("generated files", () => {
  for (const [file, expected] of Object.entries(generatedFiles())) {
    it(`${file.slice(repoRoot.length + 1)} is up to date (run \`npm run generate\`)`, () => {
      expect(readFileSync(file, "utf8")).toBe(expected);
    });
  }

  describe("golden stacks (test/golden/)", () => {
    let expected: Record<string, string>;
    beforeAll(async () => {
      expected = await goldenStackFiles();
    });
    it.each(goldenStacks())("$customer.$phase.json is up to date (run `npm run generate`)", ({ customer, phase }) => {
      const file = goldenStackFile(customer, phase);
      expect(readFileSync(file, "utf8")).toBe(expected[file]);
    });
    it("are exactly the example customers' stacks in each CLI phase", () => {
      const committed = readdirSync(join(repoRoot, "test", "golden")).map((f) => join(repoRoot, "test", "golden", f));
      expect(committed.sort()).toEqual(Object.keys(expected).sort());
    });
  });

  it("the customer JSON Schema accepts every example customer and rejects a custom alert", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, "stacks", "customer.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const stacks = customerFilesIn(join(repoRoot, "stacks"));
    expect(stacks.length).toBeGreaterThanOrEqual(3);
    for (const f of stacks) {
      const data = parse(readFileSync(f, "utf8"));
      expect(validate(data), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const custom = parse(readFileSync(join(repoRoot, "stacks", "nordlys.yaml"), "utf8"));
    custom.alerts[0].query = "avg(last_5m):avg:system.cpu{*} > 1";
    expect(validate(custom)).toBe(false);
  });

  describe("the customer JSON Schema is as strict as the loader, where a schema can be", () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, "stacks", "customer.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const nordlys = () => parse(readFileSync(join(repoRoot, "stacks", "nordlys.yaml"), "utf8"));
    const p = schema.properties;

    it("alerts: at most the package's limit, chosen from the catalogue's ids", () => {
      expect(p.alerts.maxItems).toBe(maxAlerts);
      expect(p.alerts.items.properties.use.enum).toEqual([...loadCatalog().entries.keys()].sort());
      const tooMany = nordlys();
      while (tooMany.alerts.length <= maxAlerts) tooMany.alerts.push(tooMany.alerts[0]);
      expect(validate(tooMany)).toBe(false);
      const unknown = nordlys();
      unknown.alerts[0].use = "app-service-5xxx";
      expect(validate(unknown)).toBe(false);
    });

    it("tunables: each entry's own names, numbers within the entry's bounds", () => {
      const catalog = loadCatalog();
      const sqlCpu = catalog.entries.get("sql-cpu")!.tunables.threshold!;
      const withTunables = (tunables: Record<string, unknown>) => {
        const d = nordlys();
        d.alerts = [{ use: "sql-cpu", on: d.alerts.find((a: { use: string }) => a.use === "sql-cpu")?.on ?? "x", tunables }];
        return d;
      };
      expect(validate(withTunables({ threshold: sqlCpu.min }))).toBe(true);
      expect(validate(withTunables({ threshold: sqlCpu.max }))).toBe(true);
      for (const bad of [{ threshold: sqlCpu.max + 1 }, { threshold: sqlCpu.min - 1 }, { threshold: "80" }, { treshold: 80 }]) {
        expect(validate(withTunables(bad)), JSON.stringify(bad)).toBe(false);
      }
      // An entry without tunables takes none.
      expect(Object.keys(catalog.entries.get("resource-health")!.tunables)).toEqual([]);
      const none = nordlys();
      none.alerts = [{ use: "resource-health", on: "x", tunables: { threshold: 1 } }];
      expect(validate(none)).toBe(false);
      // Whole numbers where the entry asks for them.
      const whole = [...catalog.entries.values()].flatMap((e) =>
        Object.entries(e.tunables)
          .filter(([, t]) => t.integer)
          .map(([name, t]) => ({ id: e.id, name, t })),
      );
      expect(whole.length).toBeGreaterThan(0);
      const w = whole[0]!;
      const d = nordlys();
      d.alerts = [{ use: w.id, on: "x", tunables: { [w.name]: w.t.min + 0.5 } }];
      expect(validate(d)).toBe(false);
    });

    it("no one twice in a role, no week or day twice, and dates as dates", () => {
      for (const change of [
        (d: { roster: { backend: string[] } }) => d.roster.backend.push(d.roster.backend[0]!),
        (d: { holidays: { summerWeeks: number[] } }) => d.holidays.summerWeeks.push(d.holidays.summerWeeks[0]!),
      ] as ((d: never) => void)[]) {
        const d = nordlys();
        change(d as never);
        expect(validate(d)).toBe(false);
      }
      expect(p.holidays.properties.extraDays.items.format).toBe("date");
      expect(p.holidays.properties.skipDays.uniqueItems).toBe(true);
    });

    it("time zones by pattern (every zone Node knows passes), countries by the holiday calendar's list", () => {
      const zone = new RegExp(p.timezone.pattern);
      expect(Intl.supportedValuesOf("timeZone").filter((z) => !zone.test(z))).toEqual([]);
      expect(zone.test("Copenhagen")).toBe(false);
      expect(p.country.enum).toEqual(Object.keys(new Holidays().getCountries()).sort());
      expect(p.country.enum).toContain("SE");
      expect(p.country.enum).toContain("FI");
    });
  });

  it("every example file carries the yaml-language-server modeline", () => {
    for (const f of customerFilesIn(join(repoRoot, "stacks"))) {
      expect(readFileSync(f, "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=./customer.schema.json");
    }
  });
});
