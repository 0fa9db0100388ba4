// no-custom-alerts: Extended monitoring is the Best Practice catalogue and nothing else. An alert is
// standard when re-rendering it from the provenance in its own tags reproduces it exactly; the
// catalogue, not this policy, says what an alert looks like.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isAlertingResourceType, normalizeResourceType } from "../src/facts/alertingResources.js";
import type { AlertKind, Catalog } from "../src/catalog/entry.js";
import { fromAzureTags, fromDatadogTags, type Provenance } from "../src/catalog/provenance.js";
import { RenderError, renderAlert, type RenderedAlert } from "../src/catalog/render.js";
import { azureApiVersionKey, azureApiVersions, isBridged } from "../src/facts/providerCheck.js";
import { describe, types } from "./resourceKinds.js";
import { elements, firstDifference, peek, UNKNOWN, type Difference, type ExtraKey } from "./resourceProps.js";

interface RenderedKind {
  kind: AlertKind;
  /** Which part of the rendering this resource must equal. */
  part: "monitor" | "metricAlert" | "activityLogAlert" | "webTest";
  tags: "datadog" | "azure";
}

// Only the tokens the components use: an alias module or the classic provider could carry the same
// definition, but nothing of Pico's creates one, so one is custom by construction.
const rendered: Record<string, RenderedKind> = {
  [types.monitor]: { kind: "datadog-monitor", part: "monitor", tags: "datadog" },
  [types.metricAlert]: { kind: "azure-availability-test", part: "metricAlert", tags: "azure" },
  [types.activityLogAlert]: { kind: "azure-resource-health", part: "activityLogAlert", tags: "azure" },
  // Not an alert by itself, but the probe its metric alert judges: a changed probe is a custom alert.
  [types.webTest]: { kind: "azure-availability-test", part: "webTest", tags: "azure" },
};

const kindTitles: Record<AlertKind, string> = {
  "datadog-monitor": "a Datadog monitor",
  "azure-availability-test": "an Azure availability test (web test and metric alert)",
  "azure-resource-health": "an Azure Resource Health alert",
};

/**
 * Under the CLI the analyzer sees the inputs after the provider's Check (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go). The renderer states every default a bridged provider's
 * Check fills in (src/facts/providerCheck.ts), so a monitor must equal its rendering with nothing
 * tolerated but the bridge's empty `__defaults` mark on each nested block (the engine drops `__` keys at the
 * top level only: test/recordings/). azure-native's Check adds `azureApiVersion`, the one key the rendering
 * can't carry (the SDK class fixes it): accepted only at the version the locked SDK pins for the type.
 */
function addedByCheck(type: string) {
  const pinned = azureApiVersions[type];
  const bridged = isBridged(type);
  return ({ path, value }: ExtraKey): boolean =>
    (pinned !== undefined && path === azureApiVersionKey && value === pinned) ||
    // A bridged provider's Check marks each nested block with the keys it defaulted; the rendering states every
    // default, so the mark is empty, and the bridge drops it before the provider sees the block.
    (bridged && /[\].]__defaults$/.test(path) && Array.isArray(value) && value.length === 0);
}

/** Why the resource is not a standard alert of `catalog`, as a sentence about `subject`; undefined when it is one. */
export function customAlertProblem(catalog: Catalog, subject: string, type: string, props: Record<string, unknown>): string | undefined {
  const problem = findProblem(catalog, type, props);
  if (!problem) return undefined;
  return "provenance" in problem
    ? `${subject} is not from the Best Practice catalogue: ${problem.provenance}`
    : `${subject}: ${problem.text}`;
}

function findProblem(
  catalog: Catalog,
  type: string,
  props: Record<string, unknown>,
): { provenance: string } | { text: string } | undefined {
  const kind = rendered[normalizeResourceType(type)]!;
  const tags = peek(props, "tags");
  if (tags === UNKNOWN) {
    return {
      text: "its tags are not known during preview, so its catalogue provenance can't be read (a catalogue alert's tags are fixed in advance)",
    };
  }
  const provenance: Provenance | string =
    kind.tags === "datadog"
      ? Array.isArray(tags)
        ? fromDatadogTags(elements(tags).filter((t): t is string => typeof t === "string"))
        : "it has no tags"
      : fromAzureTags(tags);
  if (typeof provenance === "string") return { provenance };

  let alert: RenderedAlert;
  try {
    alert = renderAlert(catalog, provenance);
  } catch (e) {
    if (!(e instanceof RenderError)) throw e;
    return { text: renderProblem(e) };
  }
  const entry = `catalogue entry ${provenance.entry} v${provenance.version}`;
  if (alert.kind !== kind.kind) return { text: `${entry} renders ${kindTitles[alert.kind]}, not this kind of resource` };

  const expected = (alert as unknown as Record<string, unknown>)[kind.part];
  const d = firstDifference(expected, props, addedByCheck(type));
  return d && { text: differenceMessage(d, entry) };
}

/**
 * The render error, minus any free-form tag value it would quote: reports are read widely, and an
 * injection attempt or a pasted secret is named, never echoed. Tunable values are numbers by then.
 */
function renderProblem(e: RenderError): string {
  if (e.field === "catalog") return "its catalog tag names no catalogue entry";
  if (e.field === "customer" || e.field === "target") return `its ${e.field} tag is not a valid ${e.field} id`;
  if (e.field.startsWith("bind-") && e.message.includes("unsafe value")) {
    return `binding '${e.field.slice(5)}' in its tags has a value a catalogue alert can't carry`;
  }
  return e.message;
}

function differenceMessage(d: Difference, entry: string): string {
  switch (d.kind) {
    case "differs":
      return `field '${d.path}' differs from ${entry}`;
    case "missing":
      return `field '${d.path}' is missing; ${entry} sets it`;
    case "extra":
      return `field '${d.path}' is not part of ${entry}`;
    case "unknown":
      return `field '${d.path}' is not known during preview; ${entry} fixes it in advance`;
  }
}

/** The policy, re-rendering from `catalog`: the released one (catalog/), whatever a run rendered from. */
export const noCustomAlerts = (catalog: Catalog): ResourceValidationPolicy => ({
  name: "no-custom-alerts",
  description:
    "Every alert is a Best Practice catalogue alert: re-rendered from the provenance in its tags, it must come out exactly as deployed.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Choose the alert in the customer file with `use: <catalogue entry>` (and only that entry's tunables), and let the " +
    "pico-monitoring components create it; do not write or edit alert resources by hand. If the catalogue lacks an " +
    "alert every customer needs, propose a new catalogue entry instead.",
  validateResource: (args, reportViolation) => {
    const type = normalizeResourceType(args.type);
    if (!rendered[type]) {
      if (!isAlertingResourceType(args.type)) args.notApplicable("not an alerting resource");
      reportViolation(`${describe(args)} is not a kind the Best Practice catalogue renders`);
      return;
    }
    const problem = customAlertProblem(catalog, describe(args), type, args.props);
    if (problem) reportViolation(problem);
  },
});
