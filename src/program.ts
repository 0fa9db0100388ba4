/**
 * The Pulumi program: `pulumi up -s <customer>` reads `stacks/<customer>.yaml`.
 * Credentials come from the providers' usual environment variables or stack config, never from
 * the customer file. Pin the as-of instant with `pulumi config set asOf <ISO>` (default: now).
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomerMonitoring } from "../components/customerMonitoring";
import { readAsOf } from "./asOf";
import { loadCatalog } from "./catalog/load";
import { planCustomer } from "./plan";
import { formatProblem } from "./problems";
import { customerFile, loadCustomerFile } from "./spec/load";

const stack = pulumi.getStack();
const file = customerFile(stack);
if (!file) throw new Error(`no customer file stacks/${stack}.yaml for stack '${stack}' (the stack name is the customer id)`);
const loaded = loadCustomerFile(file, loadCatalog());
if (!loaded.ok) throw new Error(`invalid customer file; nothing is provisioned:\n${loaded.problems.map(formatProblem).join("\n")}`);

const asOfSetting = new pulumi.Config().get("asOf");
const asOf = asOfSetting === undefined ? new Date() : readAsOf(asOfSetting, loaded.spec.timezone);
if (typeof asOf === "string") throw new Error(`config asOf ${asOf}`);

const monitoring = new CustomerMonitoring(loaded.spec.customer, { plan: planCustomer(loaded.spec, loadCatalog(), asOf) });

export const customer = loaded.spec.customer;
export const alertCount = loaded.spec.alerts.length;
export const pagerdutyServices = Object.fromEntries(
  Object.entries(monitoring.roster.services).map(([role, s]) => [role, s.serviceName]),
);
