// PLACEHOLDER policies: they only give the analyzer harness (test/support/analyzerClient.ts) something
// to drive. Replace them with the real Extended rules. This module must never construct a PolicyPack.
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** Top-level `forbidden: true` in a resource's inputs. */
function isForbidden(props: Record<string, unknown>): boolean {
    return props["forbidden"] === true;
}

export const placeholderNoForbidden: ResourceValidationPolicy = {
    name: "placeholder-no-forbidden",
    description: "Placeholder: a resource must not set `forbidden: true`.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (isForbidden(args.props)) {
            reportViolation(`Resource '${args.name}' (${args.type}) sets forbidden: true.`);
        }
    },
};

export interface PlaceholderStackLimitConfig {
    maxForbidden?: number;
}

export const placeholderStackLimit: StackValidationPolicy = {
    name: "placeholder-stack-limit",
    description: "Placeholder: a stack may hold at most `maxForbidden` resources with `forbidden: true`.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxForbidden: { type: "integer", minimum: 0, default: 0 },
        },
    },
    validateStack: (args, reportViolation) => {
        // The CLI fills schema defaults in before Configure; in-process callers may not, so default here too.
        const max = args.getConfig<PlaceholderStackLimitConfig>().maxForbidden ?? 0;
        const forbidden = args.resources.filter((r) => isForbidden(r.props));
        if (forbidden.length > max) {
            reportViolation(
                `${forbidden.length} resources set forbidden: true (at most ${max}): ` +
                    forbidden.map((r) => r.name).join(", "),
            );
        }
    },
};

export const placeholderPolicies = [placeholderNoForbidden, placeholderStackLimit];
