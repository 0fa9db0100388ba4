/**
 * The Azure resource types a customer file may name, and how each maps to Azure and to Datadog.
 * One row per type: the ARM resource path and the Datadog tags that select it.
 */
export const azureResourceTypes = {
  "app-service": {
    title: "App Service (web app)",
    armType: "Microsoft.Web/sites",
  },
  "app-service-plan": {
    title: "App Service plan",
    armType: "Microsoft.Web/serverfarms",
  },
  "function-app": {
    title: "Function app",
    armType: "Microsoft.Web/sites",
  },
  "sql-database": {
    title: "Azure SQL database",
    armType: "Microsoft.Sql/servers/databases",
  },
  "service-bus": {
    title: "Service Bus namespace",
    armType: "Microsoft.ServiceBus/namespaces",
  },
  "storage-account": {
    title: "Storage account",
    armType: "Microsoft.Storage/storageAccounts",
  },
  redis: {
    title: "Azure Cache for Redis",
    armType: "Microsoft.Cache/redis",
  },
} as const;

export type AzureResourceType = keyof typeof azureResourceTypes;
export const azureResourceTypeIds = Object.keys(azureResourceTypes) as AzureResourceType[];

/** Kinds of thing a catalogue entry can bind to: an Azure resource, a public endpoint, or a whole system. */
export const targetKinds = [...azureResourceTypeIds, "endpoint", "system"] as const;
export type TargetKind = (typeof targetKinds)[number];

export interface AzureResourceRef {
  type: AzureResourceType;
  name: string;
  resourceGroup: string;
  /** SQL databases live on a server. */
  server?: string;
}

/** The ARM id of a customer resource. */
export function armResourceId(subscriptionId: string, r: AzureResourceRef): string {
  const base = `/subscriptions/${subscriptionId}/resourceGroups/${r.resourceGroup}/providers`;
  if (r.type === "sql-database") {
    return `${base}/Microsoft.Sql/servers/${r.server}/databases/${r.name}`;
  }
  return `${base}/${azureResourceTypes[r.type].armType}/${r.name}`;
}

/**
 * A probe URL that can go into Azure tags and a web test as written: https, lower-case host,
 * no credentials, fragment or characters that need quoting.
 */
export const safeUrl = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?(\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$/;
