// silences-match-approved-windows: a silence (a Datadog downtime, an Azure alert processing or action rule,
// a PagerDuty maintenance window) stops pages. The Extended package allows one only as an approved
// maintenance window of this customer's file renders it (src/plan/maintenance.ts): the same resource, the
// same scope, the same interval, within the fleet's maximum. Anything else (a silence with no window, a
// longer or moved one, a wider scope, one naming another customer's monitors) is rejected before it exists:
// Analyze sees each resource's inputs, also under `pulumi up --skip-preview`.
import { join } from "node:path";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { Catalog } from "../src/catalog/entry.js";
import { filesForId } from "../src/customer/customerFiles.js";
import { defaultMaxMaintenanceDuration, fleetFileName, loadFleetSettings } from "../src/customer/fleet.js";
import { isSilencingResourceType, normalizeResourceType, silencingTypes } from "../src/facts/alertingResources.js";
import { readAsOf } from "../src/facts/asOf.js";
import { azureApiVersionKey } from "../src/facts/providerCheck.js";
import { loadCustomerFile } from "../src/plan/load.js";
import { durationMinutes, formatDuration, type RenderedSilence } from "../src/plan/maintenance.js";
import { planCustomer } from "../src/plan/plan.js";
import { asOfConfigKey } from "./plannedStack.js";
import { firstDifference, peekPath } from "./resourceProps.js";
import { stackContext } from "./stackContext.js";

/** The kinds of violation this policy reports (the tests trigger each). */
export const silencesMatchMessages = [
  "never-rendered",
  "no-stack",
  "no-repository",
  "customer-file",
  "no-window",
  "other-customer",
  "too-long",
  "scope",
  "interval",
  "differs",
] as const;

const rendered = new Set<string>([silencingTypes.datadogDowntimeSchedule, silencingTypes.azureAlertProcessingRule]);

/** Where each rendered type keeps its interval and its scope. */
const intervalPaths: Record<string, [from: string[], until: string[]]> = {
  [silencingTypes.datadogDowntimeSchedule]: [
    ["oneTimeSchedule", "start"],
    ["oneTimeSchedule", "end"],
  ],
  [silencingTypes.azureAlertProcessingRule]: [
    ["properties", "schedule", "effectiveFrom"],
    ["properties", "schedule", "effectiveUntil"],
  ],
};
const scopeKeys = ["scope", "monitorIdentifier", "recurringSchedule", "properties.scopes", "properties.conditions", "properties.actions"];
const intervalKeys = ["oneTimeSchedule", "properties.schedule"];

/** An ARM schedule time has no offset: the rendered rules say UTC (timeZone: "UTC"). */
function instant(v: unknown, type: string): number | undefined {
  if (typeof v !== "string") return undefined;
  const text = type === silencingTypes.azureAlertProcessingRule && !/[Zz]|[+-]\d\d:\d\d$/.test(v) ? `${v}Z` : v;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * A silence whose interval ended at or before `asOf`: it silences nothing any more. Previewing the `up` that
 * removes it (its window ended, so the program no longer registers it), the real engine still hands it to
 * AnalyzeStack with its old outputs (test/engine/maintenance.engine.test.ts), so the closed-world stack
 * policy lets exactly these leave.
 */
export function isEndedSilence(r: { type: string; props: Record<string, unknown> }, asOf: Date): boolean {
  const type = normalizeResourceType(r.type);
  const paths = intervalPaths[type];
  if (!paths) return false;
  const until = instant(peekPath(r.props, paths[1]), type);
  return until !== undefined && until <= asOf.getTime();
}

/** Whose monitors or alerts the silence names, when it names one other than `stack`. */
function otherCustomer(props: Record<string, unknown>, type: string, stack: string): string | undefined {
  if (type === silencingTypes.datadogDowntimeSchedule) {
    const tags = peekPath(props, ["monitorIdentifier", "monitorTags"]);
    if (!Array.isArray(tags)) return undefined;
    const named = tags.filter((t): t is string => typeof t === "string" && t.startsWith("customer:")).map((t) => t.slice(9));
    return named.find((c) => c !== stack);
  }
  const tagged = peekPath(props, ["tags", "pico-customer"]);
  return typeof tagged === "string" && tagged !== stack ? tagged : undefined;
}

// One plan per customer file, as-of and catalogue a minute at most: Analyze comes once per resource.
const recent = new Map<string, { at: number; silences: Map<string, RenderedSilence> | string }>();

function approvedSilences(catalog: Catalog, stacksDir: string, stack: string, asOfText: string | undefined, clock: Date | undefined) {
  const key = JSON.stringify([stacksDir, stack, asOfText, clock?.getTime()]);
  const hit = recent.get(key);
  if (hit && Date.now() - hit.at < 60_000) return hit.silences;
  const silences = planSilences(catalog, stacksDir, stack, asOfText, clock);
  recent.set(key, { at: Date.now(), silences });
  return silences;
}

function planSilences(
  catalog: Catalog,
  stacksDir: string,
  stack: string,
  asOfText: string | undefined,
  clock: Date | undefined,
): Map<string, RenderedSilence> | string {
  const files = filesForId(stacksDir, stack);
  if (files.length !== 1)
    return `stacks/${stack}.yaml: ${files.length ? "two files name this customer" : "no customer file names this stack"}`;
  const loaded = loadCustomerFile(files[0]!, catalog, stacksDir);
  if (!loaded.ok)
    return `${loaded.problems[0]?.file ?? files[0]}: the customer file is invalid (${loaded.problems[0]?.message ?? "see validate"})`;
  let asOf = clock ?? new Date();
  if (asOfText !== undefined) {
    const read = readAsOf(asOfText, loaded.spec.timezone);
    if (typeof read === "string") return `stack configuration ${asOfConfigKey}: ${read}`;
    asOf = read;
  }
  return new Map(planCustomer(loaded.spec, catalog, asOf).silences.map((s) => [s.name, s]));
}

function maxMinutes(stacksDir: string | undefined): number {
  const fleet = stacksDir ? loadFleetSettings(join(stacksDir, fleetFileName)) : undefined;
  return durationMinutes(fleet?.ok && fleet.fleet ? fleet.fleet.maxMaintenanceDuration : defaultMaxMaintenanceDuration);
}

export const silencesMatchApprovedWindows = (catalog: Catalog): ResourceValidationPolicy => ({
  name: "silences-match-approved-windows",
  description:
    "A downtime, alert processing rule or maintenance window exists only as an approved maintenance window of the customer's " +
    "file renders it: the same scope, the same interval, within the fleet's maximum duration.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Silence alerts only through the customer file: add the window with `pico-monitoring maintenance plan <customer>` " +
    "(systems, start, duration, the customer's approver and change reference), review it in the pull request, and " +
    "remove any silence the program creates itself.",
  validateResource: (args, reportViolation) => {
    const type = normalizeResourceType(args.type);
    if (!isSilencingResourceType(type)) return;
    const what = `'${args.name}' (${args.type})`;
    if (!rendered.has(type)) {
      reportViolation(`${what}: no approved maintenance window renders this kind of silence`, args.urn);
      return;
    }
    const ctx = stackContext();
    const stack = ctx.stack;
    if (!stack) {
      reportViolation(`${what}: the pack was not told which stack it judges, so no approved window can allow this silence`);
      return;
    }
    const props = args.props as Record<string, unknown>;
    const other = otherCustomer(props, type, stack);
    if (other) reportViolation(`${what}: it silences customer '${other}', not this stack's customer '${stack}'`, args.urn);
    const [fromPath, untilPath] = intervalPaths[type]!;
    const from = instant(peekPath(props, fromPath), type);
    const until = instant(peekPath(props, untilPath), type);
    const max = maxMinutes(ctx.stacksDir);
    if (from === undefined || until === undefined) {
      reportViolation(`${what}: it has no fixed end, and a silence lasts at most ${formatDuration(max)}`, args.urn);
    } else if ((until - from) / 60_000 > max) {
      reportViolation(
        `${what}: it silences for ${formatDuration(Math.round((until - from) / 60_000))}, longer than the fleet's maximum of ${formatDuration(max)}`,
        args.urn,
      );
    }
    if (!ctx.stacksDir) {
      reportViolation(
        `${what}: a published pack can't read the customer's approved windows (no stacks/ beside it), so it allows no silence`,
      );
      return;
    }
    const approved = approvedSilences(catalog, ctx.stacksDir, stack, ctx.config?.[asOfConfigKey], ctx.clock);
    if (typeof approved === "string") {
      reportViolation(`${what}: ${approved}`, args.urn);
      return;
    }
    const window = approved.get(args.name);
    if (!window || window.type !== type) {
      reportViolation(`${what}: no approved maintenance window of stacks/${stack} renders it (or its window has ended)`, args.urn);
      return;
    }
    const expected = window.kind === "datadog-downtime" ? window.downtime : window.rule;
    // azure-native's Check adds its API version; nothing else may differ.
    const d = firstDifference(expected, props, (x) => x.path === azureApiVersionKey);
    if (!d) return;
    const area = scopeKeys.some((k) => d.path.startsWith(k))
      ? "scope"
      : intervalKeys.some((k) => d.path.startsWith(k))
        ? "interval"
        : "setting";
    reportViolation(
      `${what}: its ${area} is not what window '${window.window}' renders (${d.path || "the resource"}: ${d.kind}); ` +
        "run `pico-monitoring preview` to see the approved silence",
      args.urn,
    );
  },
});
