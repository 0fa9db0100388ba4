/** The customer's Datadog monitors, each exactly as rendered from its catalogue entry. */
// The module on its own: @pulumi/datadog's index loads every provider namespace's index as it loads.
import { Monitor } from "@pulumi/datadog/monitor";
import * as pulumi from "@pulumi/pulumi";
import type { RenderedAlert } from "../src/catalog/render.js";

export type RenderedMonitor = Extract<RenderedAlert, { kind: "datadog-monitor" }>;

export interface DatadogMonitorsArgs {
  monitors: readonly RenderedMonitor[];
}

export class DatadogMonitors extends pulumi.ComponentResource {
  /** By logical name (customer, catalogue entry, target). */
  public readonly monitors: Record<string, Monitor> = {};

  constructor(name: string, args: DatadogMonitorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pico:monitoring:DatadogMonitors", name, {}, opts);
    for (const alert of args.monitors) {
      this.monitors[alert.name] = new Monitor(alert.name, alert.monitor, { parent: this });
    }
    this.registerOutputs({ monitorIds: Object.fromEntries(Object.entries(this.monitors).map(([k, m]) => [k, m.id])) });
  }
}
