/**
 * The Pulumi program: `pulumi up -s <customer>` reads `stacks/<customer>.yaml`.
 * Credentials come from the providers' usual environment variables or stack config, never from
 * the customer file. Pin the as-of instant with `pulumi config set asOf <ISO>` (default: now).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomerMonitoring } from "../components/customerMonitoring.js";
import { readAsOf } from "./facts/asOf.js";
import { InputError, UsageError } from "./facts/problems.js";
import { loadCustomer, type LoadedCustomer } from "./plan/loadCustomer.js";
import { planCustomer } from "./plan/plan.js";

const stack = pulumi.getStack();
const loaded = ((): LoadedCustomer => {
  try {
    return loadCustomer(stack);
  } catch (e) {
    if (e instanceof UsageError) {
      throw new Error(`no customer file stacks/${stack}.yaml for stack '${stack}' (the stack name is the customer id): ${e.message}`);
    }
    if (e instanceof InputError) throw new Error(`invalid customer file; nothing is provisioned:\n${e.message}`);
    throw e;
  }
})();

const asOfSetting = new pulumi.Config().get("asOf");
const asOf = asOfSetting === undefined ? new Date() : readAsOf(asOfSetting, loaded.spec.timezone);
if (typeof asOf === "string") throw new Error(`config asOf ${asOf}`);

const monitoring = new CustomerMonitoring(loaded.spec.customer, { plan: planCustomer(loaded.spec, loaded.catalog, asOf) });

export const customer = loaded.spec.customer;
export const alertCount = loaded.spec.alerts.length;
export const pagerdutyServices = Object.fromEntries(Object.entries(monitoring.roster.services).map(([role, s]) => [role, s.serviceName]));
