// Stand-in for `pico-monitoring preview <customer> --json` until the CLI exists: a ~40-resource
// program shaped like a customer (root component; Datadog, Azure health and roster components),
// run through the compiled runner (dist/) and printed as preview JSON.
// Usage: node bench/sample-preview.mjs [--table]
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// First, as the CLI entry point should: defer TypeScript/arborist inside @pulumi/pulumi.
require("../dist/src/preview/fastStart.js");
const { runUnderMocks } = require("../dist/src/preview/mockEngine.js");
const { previewJson, formatPreviewTable, countAlerts } = require("../dist/src/preview/render.js");

const customer = "bench";

function program() {
  // Providers are loaded only now, after the mocks are installed, and only the sub-modules needed.
  const pulumi = require("@pulumi/pulumi");
  const datadog = require("@pulumi/datadog");
  const pagerduty = require("@pulumi/pagerduty");
  const monitor = require("@pulumi/azure-native/monitor");
  const insights = require("@pulumi/azure-native/applicationinsights");
  const rg = "rg-bench-prod";
  const sub = "/subscriptions/00000000-0000-0000-0000-000000000000";

  class Roster extends pulumi.ComponentResource {
    constructor(name, opts) {
      super("pico:bench:Roster", name, {}, opts);
      const users = ["ana", "bo", "cem", "dina", "eik"].map(
        (u) => pagerduty.getUserOutput({ email: `${u}@pico.dk` }, { parent: this }).id,
      );
      const periods = [
        ["easter", "2026-03-30T08:00:00+02:00", "2026-04-01T16:00:00+02:00"],
        ["ascension", "2026-05-15T08:00:00+02:00", "2026-05-15T16:00:00+02:00"],
        ["summer", "2026-07-06T08:00:00+02:00", "2026-07-24T16:00:00+02:00"],
        ["christmas", "2026-12-28T08:00:00+01:00", "2026-12-30T16:00:00+01:00"],
      ];
      const roles = ["backend", "frontend", "pim"];
      const policies = roles.map((role, i) => {
        const schedules = periods.map(
          ([period, start, end]) =>
            new pagerduty.Schedule(
              `${name}-${role}-${period}`,
              {
                name: `${customer} ${role} ${period}`,
                timeZone: "Europe/Copenhagen",
                layers: [
                  {
                    name: period,
                    start,
                    end,
                    rotationVirtualStart: start,
                    rotationTurnLengthSeconds: 604800,
                    users: [users[i], users[(i + 3) % users.length]],
                    restrictions: [{ type: "daily_restriction", startTimeOfDay: "08:00:00", durationSeconds: 28800 }],
                  },
                ],
              },
              { parent: this },
            ),
        );
        return new pagerduty.EscalationPolicy(
          `${name}-${role}-policy`,
          {
            name: `${customer} ${role} preparedness`,
            rules: [
              { escalationDelayInMinutes: 30, targets: schedules.map((s) => ({ type: "schedule_reference", id: s.id })) },
            ],
          },
          { parent: this },
        );
      });
      const [service, ...otherServices] = policies.map(
        (policy, i) =>
          new pagerduty.Service(`${name}-${roles[i]}-service`, { name: `${customer} ${roles[i]}`, escalationPolicy: policy.id }, { parent: this }),
      );
      void otherServices;
      const vendor = pagerduty.getVendorOutput({ name: "Datadog" }, { parent: this });
      const dd = new pagerduty.ServiceIntegration(
        `${name}-datadog`,
        { service: service.id, vendor: vendor.id },
        { parent: this, additionalSecretOutputs: ["integrationKey"] },
      );
      const azure = new pagerduty.ServiceIntegration(
        `${name}-azure`,
        { service: service.id, vendor: pagerduty.getVendorOutput({ name: "Microsoft Azure" }, { parent: this }).id },
        { parent: this, additionalSecretOutputs: ["integrationKey"] },
      );
      this.datadogKey = dd.integrationKey;
      this.azureKey = azure.integrationKey;
      this.registerOutputs({});
    }
  }

  class DatadogMonitors extends pulumi.ComponentResource {
    constructor(name, args, opts) {
      super("pico:bench:DatadogMonitors", name, {}, opts);
      new datadog.pagerduty.ServiceObject(`${name}-pd`, { serviceName: `${customer}-extended`, serviceKey: args.key }, { parent: this });
      for (let i = 0; i < 6; i++) {
        new datadog.Monitor(
          `${name}-m${i}`,
          {
            name: `[${customer}] alert ${i}`,
            type: "metric alert",
            query: `avg(last_15m):avg:azure.app_services.http5xx{resource_group:${rg},name:app-${i}} > ${10 + i}`,
            message: `Alert ${i} {{#is_alert}}firing{{/is_alert}} @pagerduty-${customer}-extended`,
            monitorThresholds: { critical: 10 + i },
            tags: [`customer:${customer}`, `catalog:entry-${i}:1`],
          },
          { parent: this },
        );
      }
      this.registerOutputs({});
    }
  }

  class AzureHealth extends pulumi.ComponentResource {
    constructor(name, args, opts) {
      super("pico:bench:AzureHealth", name, {}, opts);
      const ag = new monitor.ActionGroup(
        `${name}-ag`,
        {
          resourceGroupName: rg,
          groupShortName: "pico",
          enabled: true,
          location: "Global",
          webhookReceivers: [
            {
              name: "pagerduty",
              serviceUri: pulumi.interpolate`https://events.pagerduty.com/integration/${args.key}/enqueue`,
              useCommonAlertSchema: true,
            },
          ],
        },
        { parent: this },
      );
      const component = `${sub}/resourceGroups/${rg}/providers/microsoft.insights/components/ai-bench`;
      for (let i = 0; i < 2; i++) {
        const test = new insights.WebTest(
          `${name}-probe${i}`,
          {
            resourceGroupName: rg,
            webTestKind: "standard",
            syntheticMonitorId: `${name}-probe${i}`,
            webTestName: `${name}-probe${i}`,
            name: `probe ${i}`,
            enabled: true,
            frequency: 300,
            timeout: 30,
            locations: [{ location: "emea-nl-ams-azr" }, { location: "emea-se-sto-edge" }],
            request: { requestUrl: `https://bench${i}.example.com/health`, httpVerb: "GET" },
            tags: { [`hidden-link:${component}`]: "Resource" },
          },
          { parent: this },
        );
        new monitor.MetricAlert(
          `${name}-probe${i}-alert`,
          {
            resourceGroupName: rg,
            severity: 1,
            enabled: true,
            location: "global",
            scopes: [test.id, component],
            evaluationFrequency: "PT1M",
            windowSize: "PT5M",
            criteria: {
              odataType: "Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria",
              webTestId: test.id,
              componentId: component,
              failedLocationCount: 2,
            },
            actions: [{ actionGroupId: ag.id }],
          },
          { parent: this },
        );
      }
      for (let i = 0; i < 2; i++) {
        new monitor.ActivityLogAlert(
          `${name}-health${i}`,
          {
            resourceGroupName: rg,
            location: "Global",
            enabled: true,
            scopes: [`${sub}/resourceGroups/${rg}`],
            condition: { allOf: [{ field: "category", equals: "ResourceHealth" }] },
            actions: { actionGroups: [{ actionGroupId: ag.id }] },
          },
          { parent: this },
        );
      }
      this.registerOutputs({});
    }
  }

  class CustomerMonitoring extends pulumi.ComponentResource {
    constructor(name) {
      super("pico:bench:CustomerMonitoring", name, {});
      const roster = new Roster(`${name}-roster`, { parent: this });
      new DatadogMonitors(`${name}-datadog`, { key: roster.datadogKey }, { parent: this });
      new AzureHealth(`${name}-azure`, { key: roster.azureKey }, { parent: this });
      this.registerOutputs({});
    }
  }

  new CustomerMonitoring(customer);
}

const resources = await runUnderMocks(program, { project: "pico-monitoring", stack: customer });
if (process.argv.includes("--table")) {
  process.stdout.write(formatPreviewTable(resources, { maxAlerts: 10 }));
} else {
  process.stdout.write(
    previewJson({
      customer,
      asOf: "2026-07-01T00:00:00.000Z",
      resources,
      summary: { alerts: countAlerts(resources), maxAlerts: 10 },
    }),
  );
}
