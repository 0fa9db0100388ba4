// A test-only Pulumi program for the engine tier: what a customer file can never produce, because the real
// program (src/program.ts) refuses such a file before any resource exists. It registers the customer's plan
// through the real components, changed as the stack config `hostile` says, so that only the policy pack
// stands between it and the cloud:
//   - "custom-monitor": one of the customer's Datadog monitors with a query and threshold of its own;
//   - "eleven-alerts": the customer's alerts plus one more standard monitor (a second copy of one, under
//     another logical name), eleven for a customer with ten.
const pulumi = require("@pulumi/pulumi");
const { CustomerMonitoring } = require("../../../dist/components/customerMonitoring.js");
const { loadCustomer } = require("../../../dist/src/plan/loadCustomer.js");
const { planCustomer } = require("../../../dist/src/plan/plan.js");

const config = new pulumi.Config();
const loaded = loadCustomer(pulumi.getStack());
const plan = planCustomer(loaded.spec, loaded.catalog, new Date(config.require("asOf")));
const monitors = plan.alerts.filter((a) => a.kind === "datadog-monitor");
const mode = config.require("hostile");
if (mode === "custom-monitor") {
  const m = monitors[0];
  const query = m.monitor.query.replace(/-?\d+(\.\d+)?\s*$/, "1");
  m.monitor = { ...m.monitor, query, monitorThresholds: { ...m.monitor.monitorThresholds, critical: "1" } };
} else if (mode === "eleven-alerts") {
  const m = monitors[0];
  plan.alerts.push({ ...m, name: `${m.name}-eleventh` });
} else {
  throw new Error(`unknown hostile mode ${mode}`);
}
new CustomerMonitoring(loaded.spec.customer, { plan });
