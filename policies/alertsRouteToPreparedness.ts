// alerts-route-to-preparedness: Pico is the first point of contact when an alert fires, so every alert
// must reach the preparedness roster this same stack creates. A handle or action group that points
// elsewhere pages nobody, or somebody outside the promise.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { armKind, describe, types } from "./resourceKinds.js";
import { elements, peek, peekPath, undecided, UNKNOWN, type Peeked } from "./resourceProps.js";

/** Removes `{{#is_…}}…{{/is_…}}` and `{{^is_…}}…{{/is_…}}` blocks; an unclosed block runs to the end. */
export function unconditionalText(message: string): string {
    const block = /\{\{\s*[#^]\s*(is_\w+)\b[^}]*\}\}[\s\S]*?\{\{\s*\/\s*\1\s*\}\}/;
    let text = message;
    for (let before = ""; before !== text; ) {
        before = text;
        text = text.replace(block, " ");
    }
    const unclosed = /\{\{\s*[#^]\s*is_\w+/.exec(text);
    return unclosed ? text.slice(0, unclosed.index) : text;
}

/** PagerDuty service names a Datadog message pages, `@pagerduty-<service>`, in order of appearance. */
export function pagerdutyHandles(text: string): string[] {
    return [...text.matchAll(/@pagerduty-([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!.replace(/[.-]+$/, ""));
}

/** Resource group and name of an Azure Monitor action group id, or undefined when it is not one. */
export function parseActionGroupId(id: string): { resourceGroup: string; name: string } | undefined {
    const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Insights\/actionGroups\/([^/]+)$/i.exec(id);
    return m ? { resourceGroup: m[1]!, name: m[2]! } : undefined;
}

const str = (v: Peeked) => (typeof v === "string" ? v : undefined);

type Pending = { resource: PolicyResource; path: (string | number)[] };

/** Names Datadog knows as PagerDuty services in this stack, and the links whose name isn't known yet. */
function linkedServices(resources: PolicyResource[]) {
    const names = new Set<string>();
    const pending: Pending[] = [];
    for (const r of resources) {
        if (r.type !== types.serviceObject) continue;
        let name = peek(r.props, "serviceName");
        if (name === UNKNOWN) {
            // In preview the link's name may still be an output; the PagerDuty service it came from knows it.
            const source = (r.propertyDependencies["serviceName"] ?? []).find((d) => d.type === types.pagerdutyService);
            if (source) name = peek(source.props, "name");
        }
        if (name === UNKNOWN) pending.push({ resource: r, path: ["serviceName"] });
        else if (typeof name === "string") names.add(name);
    }
    return { names, pending };
}

/** Action groups this stack creates, as lower-case `rg/name`, or `*\/name` when the group's props lack its RG. */
function stackActionGroups(resources: PolicyResource[]) {
    const keys = new Set<string>();
    const pending: Pending[] = [];
    for (const r of resources) {
        if (armKind(r.type) !== types.actionGroup) continue;
        // Inputs carry `actionGroupName`; outputs after an update carry the ARM name as `name`.
        const nameKey = peek(r.props, "actionGroupName") !== undefined ? "actionGroupName" : "name";
        const name = peek(r.props, nameKey);
        const rg = peek(r.props, "resourceGroupName");
        if (name === UNKNOWN || rg === UNKNOWN) {
            pending.push({ resource: r, path: [name === UNKNOWN ? nameKey : "resourceGroupName"] });
            continue;
        }
        if (typeof name !== "string") continue;
        keys.add(`${typeof rg === "string" ? rg : "*"}/${name}`.toLowerCase());
    }
    return { keys, pending };
}

/** The action group ids an Azure alert notifies, each with where it sits in the props. */
function actionGroupIds(r: PolicyResource): { id: Peeked; path: (string | number)[] }[] {
    const base = armKind(r.type) === types.metricAlert ? ["actions"] : ["actions", "actionGroups"];
    const actions = peekPath(r.props, base);
    if (actions === UNKNOWN) return [{ id: UNKNOWN, path: base }];
    return elements(actions).map((a, i) =>
        a === UNKNOWN ? { id: UNKNOWN, path: [...base, i] } : { id: peek(a, "actionGroupId"), path: [...base, i, "actionGroupId"] },
    );
}

function giveUp(p: Pending, what: string): never {
    return undecided(p.resource.props, p.path, `${what} ${describe(p.resource)}`);
}

export const alertsRouteToPreparedness: StackValidationPolicy = {
    name: "alerts-route-to-preparedness",
    description:
        "Every alert pages the customer's preparedness roster in this stack: Datadog monitors through a @pagerduty-<service> handle " +
        "outside {{#is_…}} blocks for a service this stack links into Datadog, Azure alerts through an action group this stack creates.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Create alerts only through the pico-monitoring components: they render the role's @pagerduty handle (outside conditional " +
        "blocks, so recoveries resolve the incident) and the role's action group id, and the roster component creates the PagerDuty " +
        "services, their Datadog links and the action groups in the same stack.",
    validateStack: (args, reportViolation) => {
        const services = linkedServices(args.resources);
        const groups = stackActionGroups(args.resources);

        for (const r of args.resources) {
            const kind = armKind(r.type);
            if (kind === types.monitor) {
                const message = peek(r.props, "message");
                if (message === UNKNOWN) undecided(r.props, ["message"], `the message of ${describe(r)}`);
                const text = str(message) ?? "";
                const all = pagerdutyHandles(text);
                const unconditional = pagerdutyHandles(unconditionalText(text));
                if (unconditional.length === 0) {
                    reportViolation(
                        all.length === 0
                            ? `${describe(r)} pages no PagerDuty service: its message has no @pagerduty-<service> handle`
                            : `${describe(r)} pages PagerDuty only inside {{#is_…}} blocks, so recoveries would not resolve the incident; put the handle outside them`,
                        r.urn,
                    );
                }
                for (const service of new Set(all)) {
                    if (services.names.has(service)) continue;
                    if (services.pending[0]) giveUp(services.pending[0], "the service name of");
                    reportViolation(
                        `${describe(r)} pages @pagerduty-${service}, but no datadog.pagerduty.ServiceObject in this stack links a PagerDuty service of that name`,
                        r.urn,
                    );
                }
            } else if (kind === types.metricAlert || kind === types.activityLogAlert) {
                const ids = actionGroupIds(r);
                const unknownId = ids.find((a) => a.id === UNKNOWN);
                if (unknownId) undecided(r.props, unknownId.path, `the action groups of ${describe(r)}`);
                if (ids.length === 0) {
                    reportViolation(`${describe(r)} notifies no action group, so nobody is paged`, r.urn);
                }
                for (const { id } of ids) {
                    const parsed = typeof id === "string" ? parseActionGroupId(id) : undefined;
                    if (!parsed) {
                        reportViolation(`${describe(r)} notifies something that is not an Azure Monitor action group id`, r.urn);
                        continue;
                    }
                    const { resourceGroup, name } = parsed;
                    const key = `${resourceGroup}/${name}`.toLowerCase();
                    if (groups.keys.has(key) || groups.keys.has(`*/${name}`.toLowerCase())) continue;
                    if (groups.pending[0]) giveUp(groups.pending[0], "the name of");
                    reportViolation(
                        `${describe(r)} notifies action group '${name}' in resource group '${resourceGroup}', which this stack does not create`,
                        r.urn,
                    );
                }
            }
        }
    },
};
