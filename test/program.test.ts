/**
 * The Pulumi program itself (what `pulumi up -s <customer>` runs), under the mock engine:
 * it reads stacks/<stack>.yaml, honours the asOf setting, and refuses a bad stack before creating anything.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadCatalog } from "../src/catalog/load.js";
import { mockRunFor } from "../src/offline/cliView.js";
import { previewCustomer } from "../src/preview/customer.js";
import { runUnderMocks } from "../src/offline/mockEngine.js";
import { loadCustomer } from "../src/plan/loadCustomer.js";

const asOf = "2027-01-10T12:00:00Z";

async function runProgram(stack: string) {
  vi.resetModules();
  process.env.PULUMI_CONFIG = JSON.stringify({ "pico-monitoring:asOf": asOf });
  return runUnderMocks(
    async () => {
      await import("../src/program.js");
    },
    { project: "pico-monitoring", stack, ...mockRunFor("first-preview") },
  );
}

afterEach(() => {
  delete process.env.PULUMI_CONFIG;
});

describe("the Pulumi program", () => {
  it("creates for stack 'havblik' exactly what the offline preview shows", async () => {
    const fromProgram = await runProgram("havblik");
    const catalog = loadCatalog();
    const loaded = loadCustomer("stacks/havblik.yaml", catalog);
    const preview = await previewCustomer(loaded.spec, catalog, new Date(asOf));
    const strip = (rs: { urn: string; props: unknown }[]) => rs.map((r) => ({ urn: r.urn, props: r.props }));
    expect(strip(fromProgram)).toEqual(strip(preview.resources));
  });

  it("refuses a stack without a customer file, creating nothing", async () => {
    await expect(runProgram("nobody")).rejects.toThrow(/no customer file stacks\/nobody\.yaml/);
  });
});
