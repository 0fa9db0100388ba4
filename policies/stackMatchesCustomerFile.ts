// stack-matches-customer-file: a customer's stack holds exactly what `stacks/<customer>.yaml` renders
// with the released catalogue, and nothing bound to anyone else. The stack name is the customer id.
//
// Repository mode (the repository's stacks/ beside the pack): the pack re-plans the customer from its
// file, running the real components under the mock engine for the phase the CLI is in, and compares
// the whole stack with that plan (./closedWorld): every alert, action group, PagerDuty service,
// escalation policy, schedule, integration and Datadog service object, every binding (subscription,
// resource group, resource name, endpoint URL, App Insights, the roster's people), every reference.
// Published-pack mode (no stacks/ beside the pack): only the provenance in tags can be tied to the
// stack's customer; the per-resource policies judge the rest. See policies/README.md.
//
// resource-matches-plan, its companion: AnalyzeStack sees outputs, which hold every output the
// provider declares (src/cliView.ts rule 5), so the stack comparison must tolerate declared output
// keys the plan doesn't set, among them inputs a program could set (`restrictedRoles`, `teams`,
// `supportHours`). Analyze sees the checked inputs, so this resource policy holds each planned
// resource's inputs to the plan exactly: nothing more, nothing less, nothing different. Unknowns,
// placeholders (ids, keys) and references are not judged here: the stack policy binds them across
// the stack, and a per-resource call can't (placeholders bind afresh per resource).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { fromAzureTags, fromDatadogTags } from "../src/catalog/provenance.js";
import { stackResourceTypes } from "../src/facts/alertingResources.js";
import type { CliPhase } from "../src/facts/analyzedResource.js";
import { readAsOf, asOfBeyondHorizon } from "../src/facts/asOf.js";
import { addedByTheCli, compareWithPlan, Binder, difference } from "./closedWorld.js";
import { asOfConfigKey, type PlannedStack, type PlannedStacks, type PlanOutcome } from "./plannedStack.js";
import { defaultProviderProblem, isDefaultProvider, packageOf, providerProblem } from "./providerMatchesPlan.js";
import { describe, types } from "./resourceKinds.js";
import { peek, UNKNOWN } from "./resourceProps.js";
import { isEndedSilence } from "./silencesMatchApprovedWindows.js";
import { stackContext } from "./stackContext.js";

/**
 * `pulumi up` is an update; a preview is a first preview until the stack's integration keys are known
 * (a preview of a stack that exists already sees its keys, as an update does).
 */
export function cliPhaseOf(dryRun: boolean | undefined, resources: readonly PolicyResource[]): CliPhase {
  if (dryRun === false) return "update";
  const keyKnown = resources.some((r) => r.type === types.serviceIntegration && typeof peek(r.props, "integrationKey") === "string");
  return keyKnown ? "update" : "first-preview";
}

/** Whom a resource's tags say it belongs to, when they say it. */
function taggedCustomer(r: Pick<PolicyResource, "props">): string | undefined {
  const tags = peek(r.props, "tags");
  if (tags === UNKNOWN || tags === undefined || tags === null) return undefined;
  if (Array.isArray(tags)) {
    const p = fromDatadogTags(tags);
    if (typeof p !== "string") return p.customer;
    const t = tags.find((x) => typeof x === "string" && x.startsWith("customer:"));
    return typeof t === "string" ? t.slice("customer:".length) : undefined;
  }
  const p = fromAzureTags(tags);
  if (typeof p !== "string") return p.customer;
  const c = peek(tags, "pico-customer");
  return typeof c === "string" ? c : undefined;
}

/** The kinds of violation this policy reports (the tests trigger each). */
export const stackMatchesMessages = [
  "as-of",
  "no-stack",
  "provenance",
  "no-customer-file",
  "missing",
  "extra",
  "extra-output",
  "twice",
  "differs",
  "reference",
  "placeholder",
  "unknown-where-known",
  "known-where-unknown",
] as const;

/** The policy, comparing each stack with the plans `plans` gives (the pack's planner, see ./pack). */
export const stackMatchesCustomerFile = (plans: PlannedStacks): StackValidationPolicy => ({
  name: "stack-matches-customer-file",
  description:
    "The stack (named after the customer) holds exactly what stacks/<customer>.yaml renders with the released catalogue: " +
    "nothing more, nothing less, nothing different, every reference between resources as planned.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Change the customer file, not the program or the stack: run `pico-monitoring preview <customer>` to see what it " +
    "renders. Remove resources the file doesn't render; a routing or binding change goes through the file's review.",
  validateStack: async (args, reportViolation) => {
    const ctx = stackContext();
    const far = asOfProblem(ctx.config, ctx.clock);
    if (far) reportViolation(far);
    const stack = ctx.stack;
    if (!stack) {
      reportViolation("the pack was not told which stack it judges (PULUMI_NODEJS_STACK), so nothing can be tied to a customer");
      return;
    }
    for (const r of args.resources) {
      const tagged = taggedCustomer(r);
      if (tagged !== undefined && tagged !== stack) {
        reportViolation(`${describe(r)}: its provenance names customer '${tagged}', not this stack's customer '${stack}'`, r.urn);
      }
    }
    if (!ctx.stacksDir) return; // published pack: see policies/README.md
    const phase = cliPhaseOf(ctx.dryRun, args.resources);
    const outcome = await plans(stack, ctx.stacksDir, phase, ctx.config?.[asOfConfigKey]);
    if (!outcome.ok) {
      reportViolation(outcome.problem);
      return;
    }
    const leaving = endedSilences(args.resources, outcome.plan);
    for (const m of compareWithPlan(outcome.plan.resources, outcome.plan.placeholders, args.resources, outcome.plan.file, phase)) {
      if (m.urn !== undefined && leaving.has(m.urn)) continue;
      reportViolation(m.message, m.urn);
    }
  },
});

/**
 * Silences whose window has ended, and a maintenance component left holding only those, when the plan holds
 * none of them: what the `up` after a window deletes (./silencesMatchApprovedWindows.ts `isEndedSilence`).
 */
function endedSilences(resources: readonly PolicyResource[], plan: PlannedStack): Set<string> {
  const planned = new Set(plan.resources.map((r) => r.urn));
  const ended = new Set(resources.filter((r) => !planned.has(r.urn) && isEndedSilence(r, plan.asOf)).map((r) => r.urn));
  for (const c of resources) {
    if (c.type !== stackResourceTypes.maintenanceWindows || planned.has(c.urn)) continue;
    const parentOf = (r: PolicyResource) => r.parent?.urn ?? (r.opts?.parent || undefined);
    if (resources.every((r) => parentOf(r) !== c.urn || ended.has(r.urn))) ended.add(c.urn);
  }
  return ended;
}

/** The kinds of violation resource-matches-plan reports (the tests trigger each). */
export const resourceMatchesMessages = [
  "not-planned",
  "missing",
  "differs",
  "unplanned-resource",
  "no-customer-file",
  "no-stack",
  "provenance",
  "provider",
  "default-provider",
  "as-of",
  "secret-output",
] as const;

// A URN without its stack and project: the mock engine's plan and the real stack share the rest.
const urnTail = (urn: string) => urn.split("::").slice(2).join("::");

// Each resource looks up its planned counterparts: indexed once per plan, not searched per resource.
const plannedIndex = new WeakMap<PlannedStack, Map<string, PlannedStack["resources"]>>();
function byTypeAndTail(plan: PlannedStack): Map<string, PlannedStack["resources"]> {
  let index = plannedIndex.get(plan);
  if (!index) {
    index = new Map();
    for (const p of plan.resources) {
      const key = `${p.type} ${urnTail(p.urn)}`;
      const list = index.get(key);
      if (list) list.push(p);
      else index.set(key, [p]);
    }
    plannedIndex.set(plan, index);
  }
  return index;
}

// Analyze comes once per resource; without a configured as-of each would plan afresh (PlannedStacks
// caches only a fixed as-of), so one plan serves a run's worth of calls.
function recentPlans(plans: PlannedStacks): PlannedStacks {
  const recent = new Map<string, { at: number; plan: Promise<PlanOutcome> }>();
  return (stack, stacksDir, phase, asOfText) => {
    if (asOfText !== undefined) return plans(stack, stacksDir, phase, asOfText);
    const key = JSON.stringify([stack, stacksDir, phase]);
    const hit = recent.get(key);
    if (hit && Date.now() - hit.at < 60_000) return hit.plan;
    const plan = plans(stack, stacksDir, phase, undefined);
    recent.set(key, { at: Date.now(), plan });
    return plan;
  };
}

/** Why the configured as-of is too far from the pack's clock, as a violation message; undefined when within reason. */
export function asOfProblem(config: Readonly<Record<string, string>> | undefined, clock: Date | undefined): string | undefined {
  const text = config?.[asOfConfigKey];
  if (text === undefined) return undefined; // the program reads the clock itself
  // Offset-less text is local to the customer; a day either way is nothing against the horizon.
  const asOf = readAsOf(text, "UTC");
  if (typeof asOf === "string") return undefined; // the plan reports an unreadable as-of
  const wrong = asOfBeyondHorizon(asOf, clock ?? new Date());
  return wrong && `stack configuration ${asOfConfigKey} ${wrong}; pin an as-of near the deployment, or unset it`;
}

/** The policy, holding each resource to the plans `plans` gives (the pack's planner, see ./pack). */
export const resourceMatchesPlan = (plans: PlannedStacks): ResourceValidationPolicy => {
  const planFor = recentPlans(plans);
  return {
    name: "resource-matches-plan",
    description:
      "Each resource is one stacks/<customer>.yaml renders, registered with exactly the inputs it renders and the provider it " +
      "gives it: decided per resource, before the resource exists.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
      "Change the customer file, not the program or the stack: run `pico-monitoring preview <customer>` to see what it " +
      "renders, and remove the resources, settings and providers it doesn't.",
    validateResource: async (args, reportViolation) => {
      const ctx = stackContext();
      // Everything decidable per resource is decided here: `pulumi up --skip-preview` runs only Analyze
      // before a resource is created, and AnalyzeStack after the whole stack was deployed.
      if (args.type === stackResourceTypes.pagerdutySchedule) {
        const far = asOfProblem(ctx.config, ctx.clock);
        if (far) reportViolation(`${describe(args)}: ${far}`, args.urn);
      }
      if (!ctx.stack) {
        reportViolation(
          `${describe(args)}: the pack was not told which stack it judges (PULUMI_NODEJS_STACK), so it can't be tied to a customer`,
        );
        return;
      }
      const tagged = taggedCustomer(args);
      if (tagged !== undefined && tagged !== ctx.stack) {
        reportViolation(`${describe(args)}: its provenance names customer '${tagged}', not this stack's customer '${ctx.stack}'`, args.urn);
      }
      if (isDefaultProvider(args)) {
        const wrong = defaultProviderProblem(packageOf(args.type), args.props, ctx.config);
        if (wrong) reportViolation(`default provider '${args.name}' (${args.type}): ${wrong}`, args.urn);
      }
      if (!ctx.stacksDir) return; // published pack: see policies/README.md
      // Inputs differ between phases only where the plan is unknown, which is not judged here.
      const phase: CliPhase = ctx.dryRun === false ? "update" : "first-preview";
      const outcome = await planFor(ctx.stack, ctx.stacksDir, phase, ctx.config?.[asOfConfigKey]);
      if (!outcome.ok) {
        reportViolation(`${describe(args)}: ${outcome.problem}`, args.urn);
        return;
      }
      const plan = outcome.plan;
      if (addedByTheCli(args)) return; // the stack resource, and default providers (judged above)
      const candidates = byTypeAndTail(plan).get(`${args.type} ${urnTail(args.urn)}`) ?? [];
      if (candidates.length === 0) {
        reportViolation(`${describe(args)} is not something ${plan.file} renders`, args.urn);
        return;
      }
      let first: [string, string] | undefined;
      let matched: (typeof candidates)[number] | undefined;
      for (const p of candidates) {
        const d = difference(p.props, args.props, Binder.of(plan.placeholders), phase, "", { unknowns: true });
        if (!d) {
          matched = p;
          break;
        }
        first ??= d;
      }
      if (!matched) {
        reportViolation(`${describe(args)}: input '${first![0]}' ${first![1]} (${plan.file})`, args.urn);
        matched = candidates[0]!;
      }
      // What the engine stores as a secret is decided when the resource is created: a key kept out of
      // additionalSecretOutputs would be in the state in plain text before any stack policy runs.
      const keptSecret = new Set(args.opts?.additionalSecretOutputs ?? []);
      const plain = (matched.additionalSecretOutputs ?? []).find((k) => !keptSecret.has(k));
      if (plain) reportViolation(`${describe(args)}: '${plain}' is not in additionalSecretOutputs as ${plan.file} registers it`, args.urn);
      // Component resources have no provider; a custom resource is always told its own (default or explicit).
      if (matched.custom && args.provider) {
        const wrong = providerProblem(plan, matched, args.provider, ctx.config, phase);
        if (wrong) reportViolation(`${describe(args)}: ${wrong}`, args.urn);
      }
    },
  };
};
