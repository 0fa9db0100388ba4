// A test-only Pulumi program for the engine tier (issue 22): silences no approved window renders, which
// the real program (src/program.ts) can never register, because it renders silences only from the customer
// file's `maintenance:` entries. It registers the customer's real plan through the real components, changed
// as the stack config `hostile` says, so that only the policy pack stands between it and the cloud:
//   - "widened": the first downtime of a declared window, ending an hour after the window does;
//   - "undeclared": a downtime, with a window's shape, on a target no declared window affects;
//   - "wider-rule": the window's alert processing rule scoped to a whole resource group.
const pulumi = require("@pulumi/pulumi");
const { CustomerMonitoring } = require("../../../dist/components/customerMonitoring.js");
const { loadCustomer } = require("../../../dist/src/plan/loadCustomer.js");
const { planCustomer } = require("../../../dist/src/plan/plan.js");

const config = new pulumi.Config();
const loaded = loadCustomer(pulumi.getStack());
const plan = planCustomer(loaded.spec, loaded.catalog, new Date(config.require("asOf")));
const downtimes = plan.silences.filter((s) => s.kind === "datadog-downtime");
const mode = config.require("hostile");
if (downtimes.length === 0) throw new Error("the customer file declares no window still to end at this as-of");
if (mode === "widened") {
  const d = downtimes[0];
  const end = new Date(Date.parse(d.downtime.oneTimeSchedule.end) + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  d.downtime = { ...d.downtime, oneTimeSchedule: { ...d.downtime.oneTimeSchedule, end } };
} else if (mode === "undeclared") {
  const d = downtimes[0];
  const silenced = new Set(downtimes.map((x) => x.target));
  const other = plan.alerts.find((a) => a.kind === "datadog-monitor" && !silenced.has(a.provenance.target));
  if (!other) throw new Error("every Datadog target is silenced already");
  const target = other.provenance.target;
  const tags = d.downtime.monitorIdentifier.monitorTags.map((t) => (t.startsWith("target:") ? `target:${target}` : t));
  plan.silences.push({
    ...d,
    name: d.name.replace(d.target, target),
    target,
    downtime: { ...d.downtime, monitorIdentifier: { monitorTags: tags } },
  });
} else if (mode === "wider-rule") {
  const r = plan.silences.find((s) => s.kind === "azure-processing-rule");
  if (!r) throw new Error("the window renders no processing rule");
  const group = `/subscriptions/${loaded.spec.azure.subscriptionId}/resourceGroups/${loaded.spec.azure.resourceGroups[0]}`;
  r.rule = { ...r.rule, properties: { ...r.rule.properties, scopes: [group] } };
} else {
  throw new Error(`unknown hostile mode ${mode}`);
}
new CustomerMonitoring(loaded.spec.customer, { plan });
