// In-process driving of single policies, with the arguments @pulumi/policy would give them
// (notApplicable(), getConfig(), stackTags, isType/asType, opts, linked dependencies), and a
// customer stack shaped exactly like the one the pico-monitoring components register.
import { createHash } from "node:crypto";
import { join } from "node:path";
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { alertingCompanionTypes, alertingTypes } from "../../src/facts/alertingResources.js";
import { actionGroupName } from "../../src/facts/azureIds.js";
import { loadCatalog } from "../../src/catalog/load.js";
import type { Provenance } from "../../src/catalog/provenance.js";
import { renderAlert, type RenderedAlert } from "../../src/catalog/render.js";
import { packageName, roles } from "../../src/facts/extended.js";
import { pagerdutyAzureWebhookUrl, pagerdutyServiceName } from "../../src/facts/paging.js";
import { stacksDir } from "../../src/facts/paths.js";
import { alertProvenances } from "../../src/plan/alerts.js";
import { loadCustomerFile } from "../../src/plan/load.js";
import { resourceOptions } from "../../src/offline/policyResults.js";
import { isUnknownValueError, UndecidedDuringPreview } from "../../policies/resourceProps.js";

export const PROJECT = "pico-monitoring";

/** A resource as the tests describe it; also what test/support/analyzer/client.ts sends over gRPC. */
export interface TestResource {
  type: string;
  name: string;
  urn?: string;
  parent?: string;
  props?: Record<string, unknown>;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  options?: { additionalSecretOutputs?: string[] };
}

export interface CallOptions {
  config?: Record<string, unknown>;
  stackTags?: Record<string, string>;
  stack?: string;
}

export const urnOf = (r: Pick<TestResource, "type" | "name" | "urn">, stack = "nordlys") =>
  r.urn ?? `urn:pulumi:${stack}::${PROJECT}::${r.type}::${r.name}`;

class NotApplicable extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "not applicable");
  }
}

const options = (r: TestResource): PolicyResourceOptions =>
  resourceOptions({ parent: r.parent, additionalSecretOutputs: r.options?.additionalSecretOutputs });

const typeCheck = (type: string, props: Record<string, unknown>) => ({
  isType: (cls: unknown) => type === (cls as { __pulumiType?: string }).__pulumiType,
  asType: (cls: unknown) => (type === (cls as { __pulumiType?: string }).__pulumiType ? props : undefined),
});

export interface ResourceOutcome {
  violations: string[];
  notApplicable?: string;
}

export function resourceArgs(r: TestResource, o: CallOptions = {}): ResourceValidationArgs {
  const props = r.props ?? {};
  return {
    type: r.type,
    name: r.name,
    urn: urnOf(r, o.stack),
    props,
    opts: options(r),
    stackTags: new Map(Object.entries(o.stackTags ?? {})),
    getConfig: <T extends object>() => ({ ...(o.config ?? {}) }) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
    ...typeCheck(r.type, props),
  } as ResourceValidationArgs;
}

/** Runs one resource policy on one resource; returns its violation messages, or why it did not apply. */
export function validateResource(policy: ResourceValidationPolicy, r: TestResource, o: CallOptions = {}): ResourceOutcome {
  const violations: string[] = [];
  try {
    for (const v of [policy.validateResource ?? []].flat()) {
      const returned = v(resourceArgs(r, o), (m) => violations.push(m));
      if (returned instanceof Promise) throw new Error("policy is asynchronous");
    }
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, notApplicable: e.reason ?? "" };
    throw e;
  }
  return { violations };
}

/** PolicyResources with parents and dependencies linked, as the analyzer links them. */
export function policyResources(resources: readonly TestResource[], stack = "nordlys"): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const linked = resources.map((r) => {
    const props = r.props ?? {};
    const pr = {
      type: r.type,
      name: r.name,
      urn: urnOf(r, stack),
      props,
      opts: options(r),
      dependencies: [],
      propertyDependencies: {},
      ...typeCheck(r.type, props),
    } as unknown as PolicyResource;
    byUrn.set(pr.urn, pr);
    return pr;
  });
  const resolve = (urns: string[] = []) => urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
  resources.forEach((r, i) => {
    const pr = linked[i]!;
    if (r.parent && byUrn.has(r.parent)) pr.parent = byUrn.get(r.parent);
    pr.dependencies = resolve(r.dependencies);
    for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) pr.propertyDependencies[k] = resolve(v);
  });
  return linked;
}

export interface StackOutcome {
  violations: { urn?: string; message: string }[];
  /** Set when the policy gave up because a value is not known during preview. */
  undecided?: string;
  notApplicable?: string;
}

export function validateStack(policy: StackValidationPolicy, resources: readonly TestResource[], o: CallOptions = {}): StackOutcome {
  const violations: { urn?: string; message: string }[] = [];
  try {
    const returned = policy.validateStack(
      {
        resources: policyResources(resources, o.stack),
        getConfig: <T extends object>() => ({ ...(o.config ?? {}) }) as T,
        stackTags: new Map(Object.entries(o.stackTags ?? {})),
        notApplicable: (reason?: string): never => {
          throw new NotApplicable(reason);
        },
      },
      (message, urn) => violations.push(urn ? { urn, message } : { message }),
    );
    if (returned instanceof Promise) throw new Error("policy is asynchronous");
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, notApplicable: e.reason ?? "" };
    if (e instanceof UndecidedDuringPreview || isUnknownValueError(e)) return { violations, undecided: (e as Error).message };
    throw e;
  }
  return { violations };
}

// ---------------------------------------------------------------------------------------------------
// A customer's stack, as the components register it
// ---------------------------------------------------------------------------------------------------

/** Stand-in for a secret key: 32 hex digits, like the real ones. */
export const fakeKey = (seed: string) => createHash("md5").update(seed).digest("hex");

function customerSpec(customer: string) {
  const loaded = loadCustomerFile(join(stacksDir(), `${customer}.yaml`), loadCatalog());
  if (!loaded.ok) throw new Error(`stacks/${customer}.yaml: ${JSON.stringify(loaded.problems)}`);
  return loaded.spec;
}

export function customerAlerts(customer = "nordlys"): RenderedAlert[] {
  const catalog = loadCatalog();
  return alertProvenances(customerSpec(customer), catalog).map((p) => renderAlert(catalog, p));
}

export function customerProvenances(customer = "nordlys"): Provenance[] {
  return customerAlerts(customer).map((a) => a.provenance);
}

const T = {
  root: "pico:monitoring:CustomerMonitoring",
  roster: "pico:monitoring:PreparednessRoster",
  datadog: "pico:monitoring:DatadogMonitors",
  azure: "pico:monitoring:AzureHealthChecks",
  service: alertingCompanionTypes.pagerdutyService,
  integration: alertingCompanionTypes.pagerdutyServiceIntegration,
  serviceObject: alertingCompanionTypes.datadogPagerdutyServiceObject,
  actionGroup: alertingCompanionTypes.azureActionGroup,
  monitor: alertingTypes.datadogMonitor,
  webTest: alertingCompanionTypes.azureWebTest,
  metricAlert: alertingTypes.azureMetricAlert,
  activityLogAlert: alertingTypes.azureActivityLogAlert,
} as const;
export { T as resourceTypes };

const clone = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V;

/** The resources of one customer's stack, as `CustomerMonitoring` registers them, with their dependencies. */
export function customerStack(customer = "nordlys"): TestResource[] {
  const { monitoringResourceGroup } = customerSpec(customer).azure;
  const at = (r: TestResource): TestResource & { urn: string } => ({ ...r, urn: urnOf(r, customer) });
  const root = at({ type: T.root, name: customer });
  const roster = at({ type: T.roster, name: `${customer}-roster`, parent: root.urn });
  const datadog = at({ type: T.datadog, name: `${customer}-datadog`, parent: root.urn });
  const azure = at({ type: T.azure, name: `${customer}-azure`, parent: root.urn });
  const out: TestResource[] = [root, roster, datadog, azure];

  for (const role of roles) {
    const serviceName = pagerdutyServiceName(customer, role);
    const service = at({
      type: T.service,
      name: serviceName,
      parent: roster.urn,
      props: { name: serviceName, escalationPolicy: "PESCAL1" },
    });
    const integration = (vendor: string, suffix: string) =>
      at({
        type: T.integration,
        name: `${serviceName}-${suffix}`,
        parent: roster.urn,
        props: { name: vendor, service: "PSERVC1", vendor: "PVENDR1", integrationKey: fakeKey(`${serviceName}-${suffix}`) },
        dependencies: [service.urn],
        propertyDependencies: { service: [service.urn] },
        options: { additionalSecretOutputs: ["integrationKey"] },
      });
    const ddIntegration = integration("Datadog", "datadog");
    const azIntegration = integration("Microsoft Azure", "azure");
    const link = at({
      type: T.serviceObject,
      name: `${serviceName}-datadog-link`,
      parent: roster.urn,
      props: { serviceName, serviceKey: fakeKey(`${serviceName}-datadog`) },
      dependencies: [service.urn, ddIntegration.urn],
      propertyDependencies: { serviceName: [service.urn], serviceKey: [ddIntegration.urn] },
    });
    const group = actionGroupName(customer, role);
    const actionGroup = at({
      type: T.actionGroup,
      name: group,
      parent: azure.urn,
      props: {
        actionGroupName: group,
        resourceGroupName: monitoringResourceGroup,
        location: "Global",
        groupShortName: role,
        enabled: true,
        webhookReceivers: [
          { name: "pagerduty", serviceUri: pagerdutyAzureWebhookUrl(fakeKey(`${serviceName}-azure`)), useCommonAlertSchema: true },
        ],
        tags: { "pico-customer": customer, "pico-package": packageName, "pico-role": role },
      },
      dependencies: [azIntegration.urn],
      propertyDependencies: { webhookReceivers: [azIntegration.urn] },
    });
    out.push(service, ddIntegration, azIntegration, link, actionGroup);
  }

  for (const alert of customerAlerts(customer)) {
    if (alert.kind === "datadog-monitor") {
      out.push(at({ type: T.monitor, name: alert.name, parent: datadog.urn, props: clone(alert.monitor) }));
    } else if (alert.kind === "azure-availability-test") {
      const webTest = at({ type: T.webTest, name: `${alert.name}-webtest`, parent: azure.urn, props: clone(alert.webTest) });
      out.push(
        webTest,
        at({ type: T.metricAlert, name: alert.name, parent: azure.urn, props: clone(alert.metricAlert), dependencies: [webTest.urn] }),
      );
    } else {
      out.push(at({ type: T.activityLogAlert, name: alert.name, parent: azure.urn, props: clone(alert.activityLogAlert) }));
    }
  }
  return out;
}

/** The first resource of a type in a stack (a copy you may change). */
export function first(stack: readonly TestResource[], type: string): TestResource {
  const r = stack.find((x) => x.type === type);
  if (!r) throw new Error(`no ${type} in the stack`);
  return clone(r);
}

/** The stack with one resource replaced (matched by URN). */
export function replace(stack: readonly TestResource[], r: TestResource): TestResource[] {
  return stack.map((x) => (urnOf(x) === urnOf(r) ? r : x));
}

/** For runPolicies: URNs filled in and options flattened. */
export function asPolicyInput(resources: readonly TestResource[], stack = "nordlys") {
  return resources.map((r) => ({
    urn: urnOf(r, stack),
    type: r.type,
    name: r.name,
    ...(r.parent ? { parent: r.parent } : {}),
    props: r.props ?? {},
    ...(r.dependencies ? { dependencies: r.dependencies } : {}),
    ...(r.propertyDependencies ? { propertyDependencies: r.propertyDependencies } : {}),
    ...(r.options?.additionalSecretOutputs ? { additionalSecretOutputs: r.options.additionalSecretOutputs } : {}),
  }));
}

/**
 * Hand-built stacks are not the CLI's view, so they test the per-resource ("open-world") policies
 * only, the ones a published pack without the repository relies on. The closed-world policies are
 * judged on the CLI's view in test/policies/*.cli.test.ts and the side-door suite.
 */
export const openWorldOnly = {
  "only-known-resource-kinds": "disabled",
  "stack-matches-customer-file": "disabled",
  "resource-matches-plan": "disabled",
  "released-catalog-versions": "disabled",
  "unknowns-only-where-planned": "disabled",
} as const;
