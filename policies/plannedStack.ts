// The stack a customer's file renders, as the CLI would hand it to this pack: the REAL components run
// through the mock engine (src/preview/mockEngine.ts) for the phase the CLI is in, and passed through
// the CLI-view model (src/cliView.ts). The closed-world policy compares the actual stack with this.
//
// What the mock engine makes up (resource ids, a service integration's key, the ids PagerDuty's data
// sources return) is recorded as a *placeholder*: the real stack holds real values there, which the
// comparison binds once and then requires everywhere the plan reuses them.
import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { AnalyzedResource, CliPhase } from "../src/cliView.js";
import { UNKNOWN_SENTINEL } from "./resourceProps.js";

export interface Placeholder {
    /** What the real value is, for messages: `the id of 'pico-nordlys-backend'`. */
    origin: string;
}

export interface PlannedStack {
    customer: string;
    phase: CliPhase;
    asOf: Date;
    resources: AnalyzedResource[];
    placeholders: Map<string, Placeholder>;
}

export type PlanOutcome = { ok: true; plan: PlannedStack } | { ok: false; problem: string };

/** The stack configuration key the program reads its as-of instant from (src/program.ts). */
export const asOfConfigKey = "pico-monitoring:asOf";

const cache = new Map<string, Promise<PlanOutcome>>();
let queue: Promise<unknown> = Promise.resolve();

function recordingMocks(base: pulumi.runtime.Mocks, placeholders: Map<string, Placeholder>): pulumi.runtime.Mocks {
    const note = (value: unknown, origin: string) => {
        if (typeof value === "string" && value !== "" && value !== UNKNOWN_SENTINEL && !placeholders.has(value)) placeholders.set(value, { origin });
    };
    return {
        async newResource(args) {
            const r = await base.newResource(args);
            note(r.id, `the id of '${args.name}'`);
            for (const [k, v] of Object.entries(r.state ?? {})) if (!(k in args.inputs)) note(v, `the ${k} of '${args.name}'`);
            return r;
        },
        async call(args) {
            const r = (await base.call(args)) as Record<string, unknown>;
            const what = Object.values(args.inputs ?? {}).filter((v) => typeof v === "string").join(", ");
            note(r?.["id"], `the id ${args.token.split(":").pop()} returns for ${what}`);
            return r;
        },
    };
}

async function plan(customer: string, stacksDir: string, phase: CliPhase, asOfText: string | undefined): Promise<PlanOutcome> {
    // Loaded lazily: the pack's other policies need none of this, and the components must load after the mocks.
    const { loadCatalog } = await import("../src/catalog/load.js");
    const { loadCustomerFile } = await import("../src/spec/load.js");
    const { isCustomerFileName } = await import("../src/spec/fleet.js");
    const { filesForId } = await import("../src/customerFiles.js");
    const { formatProblem } = await import("../src/problems.js");
    const { readAsOf } = await import("../src/asOf.js");
    const { planCustomer } = await import("../src/plan.js");
    const { analyzerView, mockRunFor } = await import("../src/cliView.js");
    const { runUnderMocks } = await import("../src/preview/mockEngine.js");
    const { pulumiProject } = await import("../src/preview/customer.js");

    // `.yml` too, when it is the only one, as the CLI reads it (src/spec/load.ts `customerFile`).
    const files = isCustomerFileName(`${customer}.yaml`) ? filesForId(stacksDir, customer) : [];
    const file = files.length === 1 ? files[0]! : join(stacksDir, `${customer}.yaml`);
    if (files.length !== 1) {
        return { ok: false, problem: `stack '${customer}' has no customer file stacks/${customer}.yaml (the stack name is the customer id)` };
    }
    // The pack's own catalogue, the one no-custom-alerts re-renders from: released-catalog-versions holds it to the lock.
    const catalog = loadCatalog();
    const loaded = loadCustomerFile(file, catalog);
    if (!loaded.ok) return { ok: false, problem: `stacks/${customer}.yaml is invalid, so nothing can match it: ${formatProblem(loaded.problems[0]!)}` };
    const asOf = asOfText === undefined ? new Date() : readAsOf(asOfText, loaded.spec.timezone);
    if (typeof asOf === "string") return { ok: false, problem: `stack configuration ${asOfConfigKey}: ${asOf}` };

    const placeholders = new Map<string, Placeholder>();
    const run = mockRunFor(phase);
    const customerPlan = planCustomer(loaded.spec, catalog, asOf);
    const registered = await runUnderMocks(
        async () => {
            const { CustomerMonitoring } = await import("../components/customerMonitoring.js");
            new CustomerMonitoring(loaded.spec.customer, { plan: customerPlan });
        },
        { project: pulumiProject, stack: customer, preview: run.preview, mocks: recordingMocks(run.mocks, placeholders) },
    );
    return { ok: true, plan: { customer, phase, asOf, resources: analyzerView(registered, phase), placeholders } };
}

/**
 * The planned stack for `customer` (cached: the same file, phase and as-of always plan the same).
 * Runs one at a time: the mock engine's runtime state is process-global.
 */
export function plannedStack(customer: string, stacksDir: string, phase: CliPhase, asOfText: string | undefined): Promise<PlanOutcome> {
    const key = JSON.stringify([customer, stacksDir, phase, asOfText ?? ""]);
    const cached = asOfText === undefined ? undefined : cache.get(key);
    if (cached) return cached;
    const result = queue.then(() => plan(customer, stacksDir, phase, asOfText));
    queue = result.catch(() => undefined);
    if (asOfText !== undefined) cache.set(key, result);
    return result;
}
