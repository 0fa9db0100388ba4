/** ARM ids of the monitoring resources Pico creates, derived from names so that they are known before deployment. */
import type { Role } from "./extended.js";
import { pagerdutyServiceName } from "./paging.js";

const insights = (subscriptionId: string, resourceGroup: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Insights`;

export const applicationInsightsId = (subscriptionId: string, resourceGroup: string, name: string) =>
  `${insights(subscriptionId, resourceGroup)}/components/${name}`;

export const webTestId = (subscriptionId: string, resourceGroup: string, name: string) =>
  `${insights(subscriptionId, resourceGroup)}/webtests/${name}`;

/** One action group per role, named like the role's PagerDuty service. */
export const actionGroupName = (customer: string, role: Role) => pagerdutyServiceName(customer, role);

export const actionGroupId = (subscriptionId: string, resourceGroup: string, customer: string, role: Role) =>
  `${insights(subscriptionId, resourceGroup)}/actionGroups/${actionGroupName(customer, role)}`;

/** An alert rule the catalogue renders, by its ARM name (`ruleName`, `activityLogAlertName`). */
export const metricAlertId = (subscriptionId: string, resourceGroup: string, name: string) =>
  `${insights(subscriptionId, resourceGroup)}/metricAlerts/${name}`;

export const activityLogAlertId = (subscriptionId: string, resourceGroup: string, name: string) =>
  `${insights(subscriptionId, resourceGroup)}/activityLogAlerts/${name}`;

export const resourceGroupId = (subscriptionId: string, resourceGroup: string) =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
