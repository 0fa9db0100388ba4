// no-plaintext-secrets: integration keys and API keys are Pulumi secrets taken from where they are
// born (a PagerDuty service integration, the stack's configuration), never strings in the program.
//
// CrossGuard hands every secret to the policy already decrypted, so a value can't show whether it was
// secret. What a stack policy CAN see, and this one checks:
//   - where a value came from: `propertyDependencies` name the resources a property was computed from;
//   - resource options: `additionalSecretOutputs`;
//   - the values themselves, so a key pasted where no key belongs is visible;
//   - under the CLI, the stack's configuration (PULUMI_CONFIG, decrypted), so a provider credential
//     that is not a configuration value was written into the program, and a provider setting that
//     sends resources to another Datadog site or org (or PagerDuty region) than it names is visible.
// What it can't: whether a configuration value was set with --secret, whether a value depending on an
// integration really is its key, and whether a registered input is wrapped in a secret (the offline
// preview checks that on what the program registered).
import type { PolicyResource, PolicyResourceOptions, StackValidationPolicy } from "@pulumi/policy";
import { providerCredentials } from "../src/facts/providerCredentials.js";
import { armKind, describe, types } from "./resourceKinds.js";
import { elements, type Peeked, peek, topLevel, UNKNOWN } from "./resourceProps.js";
import { stackContext } from "./stackContext.js";

/** Where a secret does belong; whether it got there honestly is checked separately. */
const secretHomes: Record<string, readonly string[]> = {
  [types.serviceObject]: ["serviceKey"],
  [types.serviceIntegration]: ["integrationKey"],
  [types.actionGroup]: ["webhookReceivers"],
  "datadog:index/apiKey:ApiKey": ["key"],
  "datadog:index/applicationKey:ApplicationKey": ["key"],
};

/**
 * Provider settings that choose where resources go: another Datadog site or org, another PagerDuty
 * region. They must be what the stack's configuration (`<package>:<key>`) says, or absent with it.
 */
const destinations: Record<string, readonly string[]> = {
  datadog: ["apiUrl", "orgUuid"],
  pagerduty: ["serviceRegion", "apiUrlOverride"],
};

// Datadog API keys and PagerDuty integration keys are 32 hex digits, Datadog application keys 40: any
// run of 32 or more, glued to other text or not (a key concatenated from parts is one run again).
const keyLike = /[0-9a-fA-F]{32}/;
// A key in a URL, in any form the services take one: PagerDuty's events API in any region, scheme or
// port (`/integration/<key>/enqueue`, `/x-ere/<key>`, Events v2 `routing_key`), Datadog's intake and API
// hosts in any site with `api_key`/`dd-api-key`/`application_key` parameters.
const pagerdutyEventsUrl = /events(?:\.[a-z0-9-]+)?\.pagerduty\.com(?::\d+)?\/+(?:integration|x-ere|generic)\/+[^/\s?#]+/i;
const keyParameter =
  /(?:^|[?&;\s/])(?:api[_-]?key|dd[_-]api[_-]key|app(?:lication)?[_-]?key|dd[_-]application[_-]key|routing[_-]?key|service[_-]?key|integration[_-]?key|token)=[^&\s#]{8,}/i;

// A digest says what it is; the catalogue's provenance evidence carries these.
const labelledDigest = /sha256:[0-9a-fA-F]{64}(?![0-9a-fA-F])/g;

// The shortest string any of the three patterns can match (`token=` and 8 characters).
const shortestKeyLike = 14;

export function looksLikeKey(value: string): boolean {
  if (value.length < shortestKeyLike) return false;
  // Without a run of 32 hex digits there is no digest to strip either, so the strip is needed only after one.
  return (
    (keyLike.test(value) && keyLike.test(value.replace(labelledDigest, ""))) || pagerdutyEventsUrl.test(value) || keyParameter.test(value)
  );
}

/**
 * The path of the first string in a value that looks like a key outside `homes` (top-level properties
 * where a secret belongs, as `topLevel` reads a path): every string first, then object keys (tag names). A plain walk, not generators:
 * it runs over every resource of every stack.
 */
function firstKeyLike(value: unknown, homes: readonly string[]): string | undefined {
  let found: string | undefined;
  const visitStrings = (v: Peeked, path: string, top: string): boolean => {
    if (v === UNKNOWN || v === null || v === undefined) return false;
    if (typeof v === "string") {
      if (homes.includes(top) || !looksLikeKey(v)) return false;
      found = path;
      return true;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (visitStrings(peek(v, i), `${path}[${i}]`, top)) return true;
    } else if (typeof v === "object") {
      for (const k of Object.keys(v)) if (visitStrings(peek(v, k), path ? `${path}.${k}` : k, path ? top : topLevel(k))) return true;
    }
    return false;
  };
  const visitKeys = (v: Peeked, at: string, top: string): boolean => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (visitKeys(peek(v, i), `${at}[${i}]`, top)) return true;
    } else if (v !== null && typeof v === "object") {
      for (const k of Object.keys(v)) {
        const p = at ? `${at}.${k}` : k;
        const t = at ? top : topLevel(k);
        if (!homes.includes(t) && looksLikeKey(k)) {
          found = p;
          return true;
        }
        if (visitKeys(peek(v, k), p, t)) return true;
      }
    }
    return false;
  };
  if (!visitStrings(value as Peeked, "", "")) visitKeys(value as Peeked, "", "");
  return found;
}

const fromIntegration = (r: PolicyResource, prop: string) =>
  (r.propertyDependencies[prop] ?? []).some((d) => d.type === types.serviceIntegration);

/**
 * Every string value of the stack's configuration (PULUMI_CONFIG, which the CLI gives a policy pack
 * with secrets decrypted), including those inside structured values. Undefined when not told one.
 */
function stackConfigValues(config: Record<string, string> | undefined): Set<string> | undefined {
  if (!config) return undefined;
  const values = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v === "string") {
      values.add(v);
      if (/^[[{]/.test(v.trim())) {
        try {
          add(JSON.parse(v));
        } catch {
          // a plain string that merely starts with a bracket
        }
      }
    } else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === "object") Object.values(v).forEach(add);
  };
  Object.values(config).forEach(add);
  return values;
}

/** Every provider of the stack, explicit or default, whatever its name or package. */
function explicitProviders(resources: PolicyResource[]): { urn: string; type: string; name: string; props: Record<string, unknown> }[] {
  const byUrn = new Map<string, { urn: string; type: string; name: string; props: Record<string, unknown> }>();
  const consider = (p: { urn: string; type: string; name: string; props: Record<string, unknown> } | undefined) => {
    if (!p || byUrn.has(p.urn)) return;
    // Default providers too: the CLI builds them from the stack's configuration, so theirs always match it.
    const pkg = /^pulumi:providers:(.+)$/.exec(p.type)?.[1];
    if (!pkg) return;
    byUrn.set(p.urn, p);
  };
  for (const r of resources) {
    consider(r.type.startsWith("pulumi:providers:") ? r : undefined);
    consider(r.provider);
  }
  return [...byUrn.values()];
}

/** The kinds of violation this policy reports (the tests trigger each). */
export const noPlaintextSecretsMessages = [
  "service-key-source",
  "webhook-source",
  "integration-key-output",
  "pasted-key",
  "credential",
  "destination",
] as const;

export const noPlaintextSecrets: StackValidationPolicy = {
  name: "no-plaintext-secrets",
  description:
    "Integration keys and API keys are secrets taken from their source (a PagerDuty service integration, the stack's " +
    "configuration), never strings written into the program or pasted into another field.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Pass PagerDuty keys on as outputs: `pulumi.secret(integration.integrationKey)` for the Datadog service object, and a " +
    "webhook URL built from the key output for the action group; give every pagerduty.ServiceIntegration " +
    '`additionalSecretOutputs: ["integrationKey"]`. Put provider credentials in the stack with `pulumi config set --secret` ' +
    "(or the provider's environment variables) and rotate any key that was written into code or a field.",
  validateStack: (args, reportViolation) => {
    for (const r of args.resources) {
      const kind = armKind(r.type);
      if (kind === types.serviceObject && !fromIntegration(r, "serviceKey")) {
        reportViolation(
          `${describe(r)}: serviceKey does not come from a pagerduty.ServiceIntegration's integrationKey; a key written into the program is a plaintext secret`,
          r.urn,
        );
      }
      if (kind === types.actionGroup && pagesPagerDuty(r) && !fromIntegration(r, "webhookReceivers")) {
        reportViolation(
          `${describe(r)}: its PagerDuty webhook URL does not come from a pagerduty.ServiceIntegration's integration key; a key written into the program is a plaintext secret`,
          r.urn,
        );
      }
      if (kind === types.serviceIntegration && !secretOutput(r.opts, "integrationKey")) {
        reportViolation(
          `${describe(r)}: integrationKey is not in additionalSecretOutputs, so the key would be stored in plain text in the stack's state`,
          r.urn,
        );
      }
      if (!r.type.startsWith("pulumi:providers:")) {
        const homes = secretHomes[kind] ?? [];
        // One per resource: the first is enough to act on, and nothing is echoed.
        const path = firstKeyLike(r.props, homes);
        if (path !== undefined)
          reportViolation(`${describe(r)}: field '${path}' holds what looks like a literal API or integration key`, r.urn);
      }
    }

    const stackConfig = stackContext().config;
    const config = stackConfigValues(stackConfig);
    if (!config || !stackConfig) return; // not told the stack's configuration: nothing to compare with
    for (const p of explicitProviders(args.resources)) {
      const pkg = p.type.slice("pulumi:providers:".length);
      for (const key of destinations[pkg] ?? []) {
        const v = peek(p.props, key);
        const configured = stackConfig[`${pkg}:${key}`];
        if (v === undefined || v === null || v === "" || v === configured) continue;
        reportViolation(
          `provider '${p.name}' (${pkg}): ${key} is not the stack configuration's ${pkg}:${key}, so its resources would go to another site, org or region`,
          p.urn,
        );
      }
      // The settings the installed SDK's Provider class marks secret (generated, src/facts/providerCredentials.ts).
      for (const key of providerCredentials(pkg)) {
        const v = peek(p.props, key);
        if (typeof v !== "string" || v === "" || config.has(v)) continue;
        reportViolation(
          `provider '${p.name}' (${pkg}): ${key} is not a value of the stack's configuration, so it was written into the program or read from elsewhere; set it with \`pulumi config set --secret\``,
          p.urn,
        );
      }
    }
  },
};

/**
 * An action group pages PagerDuty when a webhook receiver points at PagerDuty's events API; while the
 * URL is still unknown (preview), a webhook receiver is presumed to, since the roster's keys are outputs.
 */
function pagesPagerDuty(r: PolicyResource): boolean {
  const receivers = peek(r.props, "webhookReceivers");
  if (receivers === UNKNOWN) return true;
  return elements(receivers).some((w) => {
    if (w === UNKNOWN) return true;
    const uri = peek(w, "serviceUri");
    return uri === UNKNOWN || (typeof uri === "string" && /^https:\/\/events\.pagerduty\.com\//i.test(uri));
  });
}

/** The engine always reports options; an in-process caller that doesn't know them passes none. */
function secretOutput(opts: PolicyResourceOptions | undefined, prop: string): boolean {
  return (opts?.additionalSecretOutputs ?? []).includes(prop);
}
