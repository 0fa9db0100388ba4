/**
 * `pico-monitoring validate` over bad input: every class of error, with its exact position.
 * Each fixture is a valid customer file with one thing wrong (see test/fixtures/invalid/).
 */
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

const cases: [fixture: string, position: string, message: RegExp][] = [
  ["unknown-top-key", "4:1", /^timezon: unknown key 'timezon' \(did you mean 'timezone'\?\)$/],
  ["unknown-resource-key", "13:72", /resources\[0\]\.resourcegroup: unknown key 'resourcegroup' \(did you mean 'resourceGroup'\?\)/],
  ["unknown-catalog-id", "18:12", /^alerts\[0\]\.use: 'app-service-5xxx' is not a Best Practice catalogue entry; nearest: app-service-5xx/],
  ["unknown-target", "19:25", /^alerts\[1\]\.on: no resource, endpoint or system has id 'portal-dbb' \(did you mean 'portal-db'\?\)/],
  ["wrong-target-kind", "19:25", /^alerts\[1\]\.on: 'sql-cpu' watches a sql-database, but 'portal-app' is an app-service$/],
  ["tunable-out-of-bounds", "19:59", /^alerts\[1\]\.tunables\.threshold: tunable 'threshold' is 99; it must be between 50 and 95 percent$/],
  ["tunable-not-integer", "18:68", /tunable 'threshold' must be a whole number between 1 and 500/],
  ["tunable-unknown", "19:48", /^alerts\[1\]\.tunables\.treshold: 'sql-cpu' has no tunable 'treshold' \(did you mean 'threshold'\?\)/],
  ["tunable-string", "19:59", /tunable 'threshold' must be a number between 50 and 95 percent/],
  ["custom-query", "22:5", /^alerts\[2\]\.query: custom alerts are not part of the Extended package/],
  ["custom-section", "20:1", /^monitors: custom alerts are not part of the Extended package/],
  ["custom-tunable-query", "19:48", /has no tunable 'query'.*custom alerts are not part of the Extended package/],
  ["eleven-alerts", "20:1", /^alerts: 11 alerts; the Extended package allows at most 10 per customer$/],
  ["duplicate-key", "3:1", /^invalid YAML: duplicate key/],
  [
    "resource-health-overlap",
    "25:33",
    /^alerts\[3\]\.on: Resource Health on 'shop-backend' watches resource group rg-fixture-prod, which the alert on 'portal' already watches; choose one$/,
  ],
  ["duplicate-alert", "20:12", /^alerts\[2\]: 'sql-cpu' on 'portal-db' is chosen twice$/],
  ["duplicate-id", "14:15", /^systems\[0\]\.resources\[1\]\.id: 'portal-app' is already used by systems\[0\]\.resources\[0\]$/],
  ["empty-role", "22:13", /^roster\.frontend: needs at least one person/],
  ["bad-email", "23:9", /^roster\.pim\[0\]: must be an e-mail address$/],
  ["missing-role", "21:3", /^roster: missing required key 'pim'$/],
  ["bad-timezone", "4:11", /^timezone: is not an IANA time zone/],
  ["week-out-of-range", "25:25", /^holidays\.summerWeeks\[2\]: ISO weeks run from 1 to 53$/],
  ["bad-date", "25:15", /^holidays\.extraDays\[0\]: is not a real calendar date$/],
  ["extra-day-weekend", "25:27", /^holidays\.extraDays\[1\]: 2027-02-13 is a Saturday; preparedness days are weekdays$/],
  [
    "extra-day-holiday",
    "27:7",
    /^holidays\.extraDays\[1\]: 2027-05-06 is a public holiday in DK \(Ascension Day\); public holidays are never/,
  ],
  ["skip-day-not-preparedness", "26:26", /^holidays\.skipDays\[1\]: 2027-06-01 is not a preparedness day, so skipping it changes nothing$/],
  ["wrong-package", "3:10", /^package: must be 'extended'/],
  ["customer-mismatch", "1:11", /^customer: 'someone-else' must equal the file name 'customer-mismatch'/],
  [
    "resource-group-not-listed",
    "14:98",
    /resourceGroup: 'rg-fixture-test' is not listed in azure\.resourceGroups \(did you mean 'rg-fixture-prod'\?\)/,
  ],
  ["sql-without-server", "14:9", /^systems\[0\]\.resources\[1\]: a sql-database needs 'server'/],
  ["injection-name", "13:52", /^systems\[0\]\.resources\[0\]\.name: must be an Azure name/],
  ["http-endpoint", "16:26", /^systems\[0\]\.endpoints\[0\]\.url: must be an https:\/\/ URL/],
  ["url-fragment", "16:26", /^systems\[0\]\.endpoints\[0\]\.url: must be an https:\/\/ URL .*fragment \(#\)/],
  ["unknown-country", "4:10", /^country: is not a country whose public holidays are known/],
  ["tunable-nan", "19:59", /^alerts\[1\]\.tunables\.threshold: tunable 'threshold' must be a number between 50 and 95 percent$/],
  ["unknown-resource-type", "13:33", /'app-servic' is not one of app-service, .* \(did you mean 'app-service'\?\)$/],
  ["missing-subscription", "5:3", /^azure: missing required key 'subscriptionId'$/],
  ["alerts-not-a-list", "17:9", /^alerts: expected array, got string "app-service-5xx"$/],
  ["invalid-yaml", "11:1", /^invalid YAML: /],
  ["not-a-mapping", "1:1", /^the document is a list; expected a mapping of keys$/],
  ["empty", "1:1", /^file is empty/],
  ["two-documents", "24:1", /^file holds more than one YAML document/],
  ["alias-bomb", "1:1", /too many alias expansions .*alias bomb/],
  ["binary-junk", "1:1", /^file is not UTF-8 text/],
  ["too-large", "1:1", /^file is \d+ bytes; an input file is at most 262144 bytes$/],
  // The rotation would give ana backend and pim on the same weekdays; the line is ana's in the later role.
  [
    "two-roles-one-day",
    "23:9",
    /^roster\.pim\[0\]: ana@pico\.dk would cover both backend and pim on \d{4}-\d{2}-\d{2}, .* one person covers one role a day/,
  ],
  [
    "summer-weeks-january",
    "25:17",
    /^holidays\.summerWeeks\[0\]: week 2 runs \d{4}-01-\d{2} to \d{4}-01-\d{2} in \d{4}, outside July; .*summerWeeksOutsideJuly: true/,
  ],
  [
    "finnish-no-timezone",
    "4:10",
    /^country: FI is not DK, so the default time zone Europe\/Copenhagen is not this customer's; state `timezone:`/,
  ],
  // Issue 12: input the loader used to let through.
  [
    "fleet-duplicate",
    "17:9",
    /^systems\[0\]\.resources\[0\]: customer 'nordlys' already monitors this Azure resource in subscription 3f1c2a4e-8b7d-4c1e-9a2f-5d6e7f8a9b0c \(stacks\/nordlys\.yaml:17:9\); one customer file per solution$/,
  ],
  [
    "same-resource-two-ids",
    "15:9",
    /^systems\[0\]\.resources\[2\]: is the same Azure resource as systems\[0\]\.resources\[0\] \('portal-app'\); give one resource one id$/,
  ],
  [
    "tunable-constructor",
    "19:48",
    /^alerts\[1\]\.tunables\.constructor: 'sql-cpu' has no tunable 'constructor'; its tunables are threshold\.$/,
  ],
  ["tunable-proto", "19:48", /^alerts\[1\]\.tunables\.__proto__: '__proto__' is not a key a customer file can use$/],
  ["tunable-tostring", "19:48", /^alerts\[1\]\.tunables\.toString: 'sql-cpu' has no tunable 'toString'; its tunables are threshold\.$/],
  ["control-escape", "2:7", /^name: holds a control or bidirectional character \(U\+0007\); write plain text$/],
  ["bidi-escape", "2:7", /^name: holds a control or bidirectional character \(U\+202E\); write plain text$/],
  [
    "endpoint-localhost",
    "16:26",
    /^systems\[0\]\.endpoints\[0\]\.url: 'localhost' names a local host; the availability test probes from the internet$/,
  ],
  ["endpoint-private", "16:26", /^systems\[0\]\.endpoints\[0\]\.url: '192\.168\.1\.10' is a private address \(192\.168\.0\.0\/16\)/],
  [
    "endpoint-link-local",
    "16:26",
    /^systems\[0\]\.endpoints\[0\]\.url: '169\.254\.169\.254' is a link-local address \(169\.254\.0\.0\/16\)/,
  ],
  ["endpoint-dot", "16:26", /^systems\[0\]\.endpoints\[0\]\.url: '\.' is not a host name$/],
  ["endpoint-port", "16:26", /^systems\[0\]\.endpoints\[0\]\.url: port 70000 is out of range; ports run from 1 to 65535$/],
  [
    "unknown-location",
    "9:13",
    /^azure\.location: 'westeuropa' is not an Azure region's programmatic name \(such as westeurope\) \(did you mean 'westeurope'\?\)$/,
  ],
  // Issue 20: Azure names never end in a period (learn.microsoft.com resource-name-rules), and a %-encoded host is no host.
  ["name-ends-with-dot", "13:52", /^systems\[0\]\.resources\[0\]\.name: must be an Azure name .*not ending with '\.'$/],
  ["url-percent-host", "16:26", /^systems\[0\]\.endpoints\[0\]\.url: must be an https:\/\/ URL with a lower-case host/],
  ["deep-nesting", "25:46", /^lists and mappings are nested more than 32 levels deep here; a customer file needs about six$/],
  // Issue 21: roster changes, each checked at its own line.
  [
    "stale-roster-change",
    "26:47",
    /^roster\.changes\[0\]\.from: the rotation puts dina@pico\.dk on backend duty on 2027-07-14, not ana@pico\.dk: the change is stale/,
  ],
  ["roster-change-not-preparedness", "25:14", /^roster\.changes\[0\]\.day: 2027-07-17 is not a preparedness day of this customer/],
  [
    "roster-change-busy",
    "25:65",
    /^roster\.changes\[0\]\.to: bo@pico\.dk is already on frontend duty on 2027-07-14; one person covers one role a day$/,
  ],
  [
    "roster-change-twice",
    "26:32",
    /^roster\.changes\[1\]\.role: 2027-07-14 backend already has a change \(roster\.changes\[0\]\); keep one$/,
  ],
  [
    "fleet-only-key",
    "24:1",
    /^maxCustomersPerPersonPerDay: a fleet-only setting: .* set in stacks\/_fleet\.yaml, never in a customer file$/,
  ],
  ["swap", "1:11", /^customer: is a word the CLI reserves \(swap\): `roster swap` is a command/],
];

describe("pico-monitoring validate: bad input", () => {
  // One run over every fixture: the command checks each file on its own, and this keeps the suite fast.
  const files = cases.map(([fixture]) => `test/fixtures/invalid/${fixture}.yaml`);
  const all = runCli(["validate", ...files]);

  it("exits 1, finds every fixture invalid and never crashes", () => {
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`customers: 0 of ${files.length} valid`);
    // A stack trace means we crashed instead of reporting.
    expect(all.stderr).not.toMatch(/\n\s+at |internal error/);
  });

  it.each(cases)("%s → %s", (fixture, position, message) => {
    const file = `test/fixtures/invalid/${fixture}.yaml`;
    const lines = all.stderr.split("\n").filter((l) => l.startsWith(`${file}:`));
    const prefix = `${file}:${position}: `;
    const hit = lines.find((l) => l.startsWith(prefix) && message.test(l.slice(prefix.length)));
    expect(hit, `expected ${prefix}${message} among:\n${lines.join("\n")}`).toBeDefined();
  });

  it("reports one file's problems alone, every one of them, in line order", () => {
    const r = runCli(["validate", "test/fixtures/invalid/unknown-resource-key.yaml"]);
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("test/"));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/:13:9: systems\[0\]\.resources\[0\]: missing required key 'resourceGroup'$/);
    expect(lines[1]).toMatch(/:13:72: systems\[0\]\.resources\[0\]\.resourcegroup: unknown key/);
  });
});

describe("pico-monitoring validate: roster warnings and fleet settings", () => {
  it("warns about an empty summer week list but accepts the file", () => {
    const r = runCli(["validate", "test/fixtures/warn/no-summer-weeks.yaml"]);
    expect(r.stderr).toContain(
      "test/fixtures/warn/no-summer-weeks.yaml:25:16: warning: holidays.summerWeeks: empty, so there is no summer preparedness at all",
    );
    expect(r.stdout).toContain("customers: 1 of 1 valid");
    expect(r.code).toBe(0);
  });

  it("warns about a roster e-mail with capitals, since PagerDuty's lookup matches it exactly, and accepts the file", () => {
    const r = runCli(["validate", "test/fixtures/warn/email-capitals.yaml"]);
    expect(r.stderr.trimEnd()).toBe(
      "test/fixtures/warn/email-capitals.yaml:21:13: warning: roster.backend[0]: 'Dag.Lund@Pico.dk' has capitals; PagerDuty's user lookup matches the e-mail exactly, case included, so it must be written as PagerDuty holds it (usually 'dag.lund@pico.dk')",
    );
    expect(r.stdout).toContain("customers: 1 of 1 valid");
    expect(r.code).toBe(0);
  });

  it("warns about an extra or skipped day outside the years the schedules hold, and accepts the file", () => {
    const r = runCli(["validate", "test/fixtures/warn/dates-outside-schedules.yaml"]);
    const year = new Date().getUTCFullYear();
    const held = `(${year} and ${year + 1}); listing it changes nothing`;
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      `test/fixtures/warn/dates-outside-schedules.yaml:25:15: warning: holidays.extraDays[0]: 2019-02-15 is outside the years the schedules hold ${held}`,
      `test/fixtures/warn/dates-outside-schedules.yaml:26:14: warning: holidays.skipDays[0]: 2072-12-30 is outside the years the schedules hold ${held}`,
    ]);
    expect(r.code).toBe(0);
  });

  it("never takes the fleet settings for a customer", () => {
    const r = runCli(["validate"]);
    // A warning may name the fleet file's settings (one person on too many customers); none is about it as a customer.
    expect(r.stdout).not.toContain("_fleet");
    expect(r.stderr).not.toMatch(/^stacks\/_fleet\.yaml:/m);
  });

  it("warns about a roster change whose day is over, and still passes", () => {
    const r = runCli(["validate", "test/fixtures/warn/past-roster-change.yaml"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trimEnd()).toBe(
      "test/fixtures/warn/past-roster-change.yaml:25:14: warning: roster.changes[0].day: 2026-07-14 is past: the change is kept as history, and PagerDuty holds no layer for that day any more",
    );
  });

  it.each(["_fleet", "stacks/_fleet.yaml"])("says `validate %s` names the fleet settings, not a customer (exit 2)", (arg) => {
    const r = runCli(["validate", arg]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `pico-monitoring: '${arg}' is the fleet settings (stacks/_fleet.yaml), not a customer; every command reads them with each customer`,
    );
  });
});

describe("pico-monitoring validate: warnings and data", () => {
  it("warns about an extra day that is already a preparedness day, and still passes", () => {
    const r = runCli(["validate", "test/fixtures/warn/extra-day-preparedness.yaml"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trimEnd()).toBe(
      "test/fixtures/warn/extra-day-preparedness.yaml:25:27: warning: holidays.extraDays[1]: 2027-07-14 is already a preparedness day (Summer holiday); listing it changes nothing",
    );
  });

  it("--json lists every problem and warning as data, and nothing else", () => {
    const r = runCli(["validate", "--json", "test/fixtures/invalid/endpoint-port.yaml", "test/fixtures/warn/extra-day-preparedness.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const json = JSON.parse(r.stdout);
    expect(json.valid).toBe(false);
    expect(json.customers).toEqual([
      { file: "test/fixtures/invalid/endpoint-port.yaml", valid: false },
      { file: "test/fixtures/warn/extra-day-preparedness.yaml", valid: true },
    ]);
    expect(json.problems).toEqual([
      {
        file: "test/fixtures/invalid/endpoint-port.yaml",
        line: 16,
        col: 26,
        message: "systems[0].endpoints[0].url: port 70000 is out of range; ports run from 1 to 65535",
      },
    ]);
    expect(json.warnings).toHaveLength(1);
    expect(json.warnings[0]).toMatchObject({ line: 25, col: 27 });
  });
});

describe("pico-monitoring validate: catalogue", () => {
  it("names the file, line and entry of each catalogue problem", () => {
    const r = runCli(["validate", "--catalog", "test/fixtures/bad-catalog", "stacks/nordlys.yaml"]);
    expect(r.code).toBe(1);
    const out = r.stderr;
    expect(out).toContain(
      "test/fixtures/bad-catalog/app-service-5xx.yaml:9:1: catalogue entry 'app-service-5xx': entry has unknown field 'colour'",
    );
    expect(out).toContain(
      "test/fixtures/bad-catalog/app-service-5xx.yaml:6:8: catalogue entry 'app-service-5xx': owner must be equal to one of the allowed values: backend, frontend, pim",
    );
    expect(out).toContain(
      "test/fixtures/bad-catalog/redis-memory.yaml:12:5: catalogue entry 'redis-memory': tunable 'threshold' default 120 is outside 50..99",
    );
    expect(out).toContain(
      "test/fixtures/bad-catalog/redis-memory.yaml:18:3: catalogue entry 'redis-memory': template uses unknown placeholder ${nme}",
    );
    expect(out).toContain(
      "test/fixtures/bad-catalog/wrong-name.yaml:1:5: catalogue entry 'storage-availability': id must equal the file name 'wrong-name'",
    );
    expect(out).toContain("catalogue entry 'sql-cpu': critical threshold 80 does not match the query's 70");
  });
});

describe("pico-monitoring validate: good input and usage", () => {
  it("accepts the catalogue and every example customer", () => {
    const r = runCli(["validate"]);
    expect(r.stdout).toMatch(/catalogue: \d+ entries ok; customers: 3 of 3 valid/);
    expect(r.code).toBe(0);
  });

  it("exits 2 on a usage error", () => {
    expect(runCli(["validate", "--no-such-flag"]).code).toBe(2);
    expect(runCli(["no-such-command"]).code).toBe(2);
  });

  it("reports a missing file as a usage error before checking anything", () => {
    const r = runCli(["validate", "stacks/nobody.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^pico-monitoring: no such customer file 'stacks\/nobody\.yaml'; customers: baltic-freight, havblik, nordlys$/m,
    );
  });
});
