/**
 * Azure health checks: availability tests with their alerts, Resource Health alerts, and one
 * action group per role that pages that role's PagerDuty service.
 */
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import { actionGroupName } from "../src/facts/azureIds.js";
import type { RenderedAlert } from "../src/catalog/render.js";
import { packageName, roles, type Role } from "../src/facts/extended.js";
import { pagerdutyAzureWebhookUrl } from "../src/facts/paging.js";

export type RenderedAzureAlert = Extract<RenderedAlert, { kind: "azure-availability-test" | "azure-resource-health" }>;

export interface AzureHealthChecksArgs {
  customer: string;
  monitoringResourceGroup: string;
  alerts: readonly RenderedAzureAlert[];
  /** Secret PagerDuty Azure-integration key per role. */
  pagerdutyKeys: Record<Role, pulumi.Input<string>>;
}

export class AzureHealthChecks extends pulumi.ComponentResource {
  public readonly actionGroups = {} as Record<Role, monitor.ActionGroup>;
  public readonly webTests: Record<string, applicationinsights.WebTest> = {};
  public readonly alerts: Record<string, monitor.MetricAlert | monitor.ActivityLogAlert> = {};

  constructor(name: string, args: AzureHealthChecksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pico:monitoring:AzureHealthChecks", name, {}, opts);
    const parent = { parent: this };

    for (const role of roles) {
      const groupName = actionGroupName(args.customer, role);
      this.actionGroups[role] = new monitor.ActionGroup(
        groupName,
        {
          actionGroupName: groupName,
          resourceGroupName: args.monitoringResourceGroup,
          location: "Global",
          groupShortName: role,
          enabled: true,
          webhookReceivers: [
            {
              name: "pagerduty",
              serviceUri: pulumi.secret(pulumi.output(args.pagerdutyKeys[role]).apply(pagerdutyAzureWebhookUrl)),
              useCommonAlertSchema: true,
            },
          ],
          tags: { "pico-customer": args.customer, "pico-package": packageName, "pico-role": role },
        },
        parent,
      );
    }

    for (const alert of args.alerts) {
      // Alerts name their action group by ARM id, so they must wait for it explicitly.
      const group = this.actionGroups[alert.provenance.role];
      if (alert.kind === "azure-availability-test") {
        const webTest = new applicationinsights.WebTest(`${alert.name}-webtest`, alert.webTest, parent);
        this.webTests[alert.name] = webTest;
        this.alerts[alert.name] = new monitor.MetricAlert(alert.name, alert.metricAlert, {
          parent: this,
          dependsOn: [webTest, group],
        });
      } else {
        this.alerts[alert.name] = new monitor.ActivityLogAlert(alert.name, alert.activityLogAlert, { parent: this, dependsOn: [group] });
      }
    }
    this.registerOutputs({
      actionGroupIds: Object.fromEntries(roles.map((r) => [r, this.actionGroups[r].id])),
      alertIds: Object.fromEntries(Object.entries(this.alerts).map(([k, a]) => [k, a.id])),
    });
  }
}
