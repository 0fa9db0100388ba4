/**
 * The silences of the customer's approved maintenance windows, each exactly as src/plan/maintenance.ts
 * renders it: Datadog downtimes on the affected targets' monitors, and an Azure alert processing rule
 * on the affected alert rules. Created only while a window has not ended.
 */
// The modules on their own: the packages' indexes load every namespace as they load.
import { AlertProcessingRuleByName } from "@pulumi/azure-native/alertsmanagement/alertProcessingRuleByName";
import { DowntimeSchedule } from "@pulumi/datadog/downtimeSchedule";
import * as pulumi from "@pulumi/pulumi";
import type { RenderedSilence } from "../src/plan/maintenance.js";

export interface MaintenanceWindowsArgs {
  silences: readonly RenderedSilence[];
}

export class MaintenanceWindows extends pulumi.ComponentResource {
  public readonly downtimes: Record<string, DowntimeSchedule> = {};
  public readonly processingRules: Record<string, AlertProcessingRuleByName> = {};

  /** `opts.providers` must carry the customer's azure-native provider, as AzureHealthChecks's do. */
  constructor(name: string, args: MaintenanceWindowsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pico:monitoring:MaintenanceWindows", name, {}, opts);
    for (const s of args.silences) {
      if (s.kind === "datadog-downtime") this.downtimes[s.name] = new DowntimeSchedule(s.name, s.downtime, { parent: this });
      else this.processingRules[s.name] = new AlertProcessingRuleByName(s.name, s.rule, { parent: this });
    }
    this.registerOutputs({ windows: [...new Set(args.silences.map((s) => s.window))] });
  }
}
