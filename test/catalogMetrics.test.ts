/**
 * Issue 20: metric names settled from Datadog-owned sources. A monitor on a name Datadog never
 * publishes never alerts, so what the previews query is checked here, through the CLI, and each
 * name Datadog's own tables don't list must be checked on the first real run (README).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./support/cli.js";

const queries = (customer: string): string[] => {
  const r = runCli(["preview", customer, "--json", "--at", "2027-01-10T12:00:00Z"]);
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { resources: { type: string; props: { query?: string } }[] };
  return doc.resources.filter((x) => x.type === "datadog:index/monitor:Monitor").map((x) => x.props.query ?? "");
};

describe("the metrics the catalogue queries", () => {
  const havblik = queries("havblik");

  it("storage availability is Datadog's account-level azure.storage.availability, not a name no Datadog table lists", () => {
    const storage = havblik.filter((q) => q.includes(":azure.storage"));
    expect(storage).toHaveLength(1);
    expect(storage[0]).toMatch(
      /^avg\(last_15m\):avg:azure\.storage\.availability\{name:sthavblikdata,resource_group:rg-havblik-data\} < \d+/,
    );
    expect(havblik.join("\n")).not.toContain("azure.storage_storageaccounts.");
  });

  it("every azure.app_services.* name outside Datadog's App Services table has a first-run check in the README", () => {
    // Datadog's App Services metric table (DataDog/documentation content/es/integrations/azure_app_services.md).
    const listed = new Set(["cpu_time", "bytes_received", "bytes_sent", "memory_working_set", "response_time", "requests"]);
    const names = new Set(havblik.flatMap((q) => [...q.matchAll(/azure\.app_services\.([a-z0-9_]+)/g)].map((m) => m[1]!)));
    const unlisted = [...names].filter((n) => !listed.has(n)).sort();
    expect(unlisted).toEqual(["health_check_status", "http5xx"]);
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    for (const n of unlisted) expect(readme).toContain(`\`azure.app_services.${n}\``);
    expect(readme).toContain("api/v1/metrics/azure.app_services.http5xx");
  });
});
