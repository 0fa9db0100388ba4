/** `pico-monitoring preview` end to end, through the built command. */
import { describe, expect, it } from "vitest";
import { runCli, type CliResult } from "./support/cli.js";

const at = "2027-01-10T12:00:00Z";

// Tests that read the same command's output share one run of it; a test about two runs makes its own.
const runs = new Map<string, CliResult>();
const runOnce = (args: string[]): CliResult => {
  const key = JSON.stringify(args);
  let r = runs.get(key);
  if (!r) runs.set(key, (r = runCli(args)));
  return r;
};

describe("pico-monitoring preview", () => {
  it("prints the resources grouped by component, with alerts counted against the limit", () => {
    const r = runOnce(["preview", "havblik", "--at", at]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Havblik Interiør A\/S \(havblik\), as of 2027-01-10T12:00:00\.000Z/);
    expect(r.stdout).toMatch(/├─ pico:DatadogMonitors {2}havblik-datadog$/m);
    expect(r.stdout).toMatch(/Alerts:\s+10 of 10 allowed/);
  });

  it("fits an 80-column terminal and shows each alert's catalogue entry and tunables", () => {
    const r = runOnce(["preview", "havblik", "--at", at]);
    const lines = r.stdout.split("\n");
    expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
    const json = JSON.parse(runCli(["preview", "havblik", "--json", "--at", at]).stdout);
    const alerts: { name: string }[] = json.resources.filter((x: { alert: boolean }) => x.alert);
    expect(alerts).toHaveLength(10);
    for (const a of alerts) {
      const i = lines.findIndex((l) => l.includes(` ${a.name}  (alert)`));
      expect(i, a.name).toBeGreaterThan(-1);
      expect(
        lines.slice(i + 1, i + 3).some((l) => /\S+ v\d+; tunables: /.test(l)),
        a.name,
      ).toBe(true);
    }
    // The value the customer file sets, not only the entry's default.
    expect(r.stdout).toMatch(/^ .*app-service-5xx v2; tunables: threshold 25$/m);
    // A long list wraps at a comma, indented under its first line.
    expect(r.stdout).toMatch(/endpoint-availability v1; tunables: expectedStatus 204,\n {2}│ {2}│ {7}failedLocations 2/);
  });

  it("--json writes one document with customer, asOf, resources and summary; secrets masked", () => {
    const r = runOnce(["preview", "nordlys", "--json", "--at", at]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.customer).toBe("nordlys");
    expect(doc.asOf).toBe("2027-01-10T12:00:00.000Z");
    expect(doc.summary).toMatchObject({ alerts: 9, maxAlerts: 10 });
    expect(doc.resources.length).toBe(37);
    for (const res of doc.resources) expect(Object.keys(res)).toEqual(expect.arrayContaining(["urn", "type", "name", "props"]));
    const link = doc.resources.find((x: { type: string }) => x.type === "datadog:pagerduty/serviceObject:ServiceObject");
    expect(link.props.serviceKey).toBe("[secret]");
    expect(r.stdout).not.toMatch(/events\.pagerduty\.com\/integration\/[^"[]/);
  });

  it("is byte-identical for the same input and as-of", () => {
    // Two processes: one shared with the test above, one of its own.
    const a = runOnce(["preview", "nordlys", "--json", "--at", at]);
    const b = runCli(["preview", "nordlys", "--json", "--at", at]);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(b.stdout).toBe(a.stdout);
  });

  it("moving as-of forward drops finished roster windows only", () => {
    const early = JSON.parse(runCli(["preview", "nordlys", "--json", "--at", "2027-03-01T00:00:00Z"]).stdout);
    const late = JSON.parse(runCli(["preview", "nordlys", "--json", "--at", "2027-03-23T09:00:00+01:00"]).stdout);
    const layers = (doc: { resources: { name: string; props: { layers?: { name: string }[] } }[] }) =>
      doc.resources.find((x) => x.name === "pico-nordlys-backend-schedule")!.props.layers!;
    const earlyLayers = layers(early);
    const lateLayers = layers(late);
    expect(lateLayers[0]!.name).toBe("2027-03-23 Holy Week");
    expect(earlyLayers.slice(earlyLayers.length - lateLayers.length)).toEqual(lateLayers);
  });

  it("exits 1 with file:line:col on invalid input, rendering nothing", () => {
    const r = runCli(["preview", "test/fixtures/invalid/eleven-alerts.yaml", "--json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^test\/fixtures\/invalid\/eleven-alerts\.yaml:20:1: alerts: 11 alerts/m);
  });

  it("exits 2 on an unknown customer or a bad --at", () => {
    expect(runCli(["preview", "nobody"]).code).toBe(2);
    const bad = runCli(["preview", "nordlys", "--at", "next tuesday"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--at 'next tuesday' is not an ISO date-time/);
    const far = runCli(["preview", "nordlys", "--at", "9999-12-31T23:59:59Z"]);
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/outside the years the holiday calendar covers/);
  });

  it("lists the approved maintenance windows the stack holds, and says when the as-of is inside one (issue 22)", () => {
    const skagen = "test/fixtures/maintenance/skagen.yaml";
    const ahead = runCli(["preview", skagen, "--at", at]);
    expect(ahead.code, ahead.stderr).toBe(0);
    const section =
      "Maintenance: 1 approved window ahead; 1 ended, left out\n" +
      "  jan-pim-patches: Tue 2027-01-12 20:00–22:00 +01:00 (2h)\n" +
      "    systems pim; CHG-1042, approved by mette.skov@skagen-moebler.dk\n" +
      "    silences 3 alerts by 2 Datadog downtimes and 1 Azure alert processing rule:\n" +
      "      skagen-app-service-5xx-pim-app, skagen-sql-failed-connections-pim-db,\n" +
      "      skagen-resource-health-pim\n";
    // Under the policy summary, the last thing printed.
    expect(ahead.stdout).toMatch(new RegExp(`\\nPolicies: .*\\n${section.replace(/[()[\]+.*?]/g, "\\$&")}$`));
    const inside = runCli(["preview", skagen, "--at", "2027-01-12T20:30"]);
    expect(inside.stdout).toContain(
      "  jan-pim-patches: Tue 2027-01-12 20:00–22:00 +01:00 (2h)\n    the as-of is inside it: silenced until 22:00 +01:00\n",
    );
    for (const r of [ahead, inside]) expect(r.stdout.split("\n").filter((l) => [...l].length > 80)).toEqual([]);
    // Once every window has ended, the stack holds none, and the section says so.
    const after = runCli(["preview", skagen, "--at", "2027-02-01T00:00:00Z"]);
    expect(after.stdout).toMatch(/\nMaintenance: 0 approved windows ahead; 2 ended, left out\n$/);
    // A customer file without maintenance: reads as before.
    expect(runOnce(["preview", "havblik", "--at", at]).stdout).not.toContain("Maintenance");
  });
});
