/** The shape of a catalogue entry; `catalog/catalog.schema.json` is the checked definition. */
import type { Role } from "../facts/extended.js";
import type { TargetKind } from "../customer/resources.js";

export type AlertKind = "datadog-monitor" | "azure-availability-test" | "azure-resource-health";

export interface Tunable {
  description: string;
  default: number;
  min: number;
  max: number;
  integer?: boolean;
  unit?: string;
}

export interface DatadogMonitorTemplate {
  name: string;
  type: "query alert" | "metric alert";
  query: string;
  message: string;
  critical: string;
  warning?: string;
  priority: number;
  options: {
    notifyNoData: boolean;
    noDataTimeframe?: number | string;
    evaluationDelay: number;
    renotifyInterval: number;
    requireFullWindow: boolean;
    includeTags: boolean;
  };
}

export interface AvailabilityTestTemplate {
  frequencySeconds: number | string;
  timeoutSeconds: number | string;
  locations: string[];
  sslCheck: boolean;
  sslCertRemainingLifetimeDays: number | string;
  expectedStatus: number | string;
  followRedirects: boolean;
  retryEnabled: boolean;
  severity: number;
  failedLocationCount: number | string;
  evaluationFrequency: string;
  windowSize: string;
}

export interface ResourceHealthTemplate {
  currentHealthStatus: string[];
  causes: string[];
}

interface EntryBase {
  id: string;
  version: number;
  title: string;
  description: string;
  runbook: string;
  owner: Role;
  target: TargetKind;
  /** Public citations: Datadog's metric and tag keys, and the threshold's origin (AMBA). */
  sources: { metric?: string; threshold: string; departs?: string };
  tunables: Record<string, Tunable>;
  /** Where the entry was read from, for messages. */
  file: string;
}

export type CatalogEntry =
  | (EntryBase & { kind: "datadog-monitor"; template: DatadogMonitorTemplate })
  | (EntryBase & { kind: "azure-availability-test"; template: AvailabilityTestTemplate })
  | (EntryBase & { kind: "azure-resource-health"; template: ResourceHealthTemplate });

export interface Catalog {
  entries: Map<string, CatalogEntry>;
  /** sha256 over the entry files, for audit evidence. */
  digest: string;
}
