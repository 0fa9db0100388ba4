/**
 * One customer's Extended monitoring: the root of the stack. Every resource is its descendant.
 */
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { packageName, roles, type Role } from "../src/facts/extended.js";
import type { CustomerPlan } from "../src/plan/plan.js";
import { AzureHealthChecks, type RenderedAzureAlert } from "./azureHealthChecks.js";
import { DatadogMonitors, type RenderedMonitor } from "./datadogMonitors.js";
import { MaintenanceWindows } from "./maintenanceWindows.js";
import { PreparednessRoster } from "./preparednessRoster.js";

export interface CustomerMonitoringArgs {
  /** From `planCustomer(spec, catalog, asOf)`. */
  plan: CustomerPlan;
}

export class CustomerMonitoring extends pulumi.ComponentResource {
  public readonly roster: PreparednessRoster;
  public readonly datadog: DatadogMonitors;
  public readonly azure: AzureHealthChecks;
  /** Present while an approved maintenance window has not ended. */
  public readonly maintenance: MaintenanceWindows | undefined;

  constructor(name: string, args: CustomerMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pico:monitoring:CustomerMonitoring", name, {}, opts);
    const { spec, alerts, layers } = args.plan;

    this.roster = new PreparednessRoster(
      `${spec.customer}-roster`,
      { customer: spec.customer, timezone: spec.timezone, roster: spec.roster, layers, standingSupport: args.plan.standingSupport },
      { parent: this },
    );
    // Depending on the roster waits for its Datadog service objects, so every @pagerduty handle exists first.
    this.datadog = new DatadogMonitors(
      `${spec.customer}-datadog`,
      { monitors: alerts.filter((a): a is RenderedMonitor => a.kind === "datadog-monitor") },
      { parent: this, dependsOn: [this.roster] },
    );
    const s = this.roster.services;
    // The customer's subscription, from the customer file: never whatever ARM_SUBSCRIPTION_ID says.
    const azureProvider = new AzureProvider(`${spec.customer}-azure`, { subscriptionId: spec.azure.subscriptionId }, { parent: this });
    this.azure = new AzureHealthChecks(
      `${spec.customer}-azure`,
      {
        customer: spec.customer,
        monitoringResourceGroup: spec.azure.monitoringResourceGroup,
        alerts: alerts.filter((a): a is RenderedAzureAlert => a.kind !== "datadog-monitor"),
        pagerdutyKeys: Object.fromEntries(roles.map((r) => [r, s[r].azureIntegrationKey])) as Record<Role, pulumi.Output<string>>,
      },
      { parent: this, providers: { "azure-native": azureProvider } },
    );
    // Silences last: a downtime or processing rule names what the alerts above are, never the other way round.
    if (args.plan.silences.length > 0) {
      this.maintenance = new MaintenanceWindows(
        `${spec.customer}-maintenance`,
        { silences: args.plan.silences },
        { parent: this, dependsOn: [this.datadog, this.azure], providers: { "azure-native": azureProvider } },
      );
    }
    this.registerOutputs({
      customer: spec.customer,
      package: packageName,
      alertCount: alerts.length,
      pagerdutyServices: Object.fromEntries(Object.entries(s).map(([role, svc]) => [role, svc.serviceName])),
    });
  }
}
