// Providers are part of the plan. Analyze is told each resource's provider (its type, name, URN and
// settings; @pulumi/policy server.js `getProviderResource`), so before a resource exists the pack can
// hold it to the provider the plan gives it, with exactly the planned settings:
//   - an explicit provider (the program's azure-native one for the customer's subscription) is the
//     planned provider resource, by type and logical name along its parents, with its planned inputs;
//   - otherwise the package's default provider, which the CLI builds from the stack's configuration
//     (`<package>:<key>`), so its settings are exactly the configuration's for that package: a
//     `bearerToken` or `apiUrl` the configuration doesn't hold sends resources elsewhere.
// Messages name settings, never values: a setting may be a key.
import { providerSdkVersion } from "../src/facts/providerVersions.js";
import type { PolicyProviderResource } from "@pulumi/policy";
import type { AnalyzedResource } from "../src/facts/analyzedResource.js";
import { providerCredentials } from "../src/facts/providerCredentials.js";
import { Binder, difference } from "./closedWorld.js";
import type { PlannedStack } from "./plannedStack.js";
import { isPlainObject, peek, sameScalar, UNKNOWN, absent } from "./resourceProps.js";

const providerPrefix = "pulumi:providers:";

/** The provider package of a resource type: `datadog` for `datadog:index/monitor:Monitor`. */
export const packageOf = (type: string): string =>
  type.startsWith(providerPrefix) ? type.slice(providerPrefix.length) : type.split(":")[0]!;

/** A provider the CLI creates from the stack's configuration (`default`, `default_5_11_0`). */
export const isDefaultProvider = (p: { type: string; name: string }): boolean =>
  p.type.startsWith(providerPrefix) && /^default(_|$)/.test(p.name);

// A URN without its stack and project, as the plan and the real stack share it.
const urnTail = (urn: string) => urn.split("::").slice(2).join("::");

const settingTitle = (pkg: string, key: string) => (providerCredentials(pkg).includes(key) ? `credential '${key}'` : `setting '${key}'`);

/**
 * What is wrong with a default provider's settings for `pkg`, given the stack configuration: each
 * setting must be the configuration's `<pkg>:<key>`, and each such configuration value must be set.
 */
export function defaultProviderProblem(
  pkg: string,
  props: Record<string, unknown>,
  config: Readonly<Record<string, string>> | undefined,
): string | undefined {
  const configured = Object.entries(config ?? {})
    .filter(([k]) => k.startsWith(`${pkg}:`))
    .map(([k, v]) => [k.slice(pkg.length + 1), v] as const);
  const want = new Map(configured);
  for (const key of Object.keys(props).sort()) {
    const v = peek(props, key);
    if (v !== UNKNOWN && absent(v)) continue;
    // The engine's own stamp: the installed SDK's version, never the stack's configuration.
    if (key === "version" && !want.has(key) && v === providerSdkVersion(pkg)) continue;
    const c = want.get(key);
    if (c === undefined) return `${settingTitle(pkg, key)} is not in the stack configuration (${pkg}:${key})`;
    const same = v !== UNKNOWN && (sameScalar(c, v) || (typeof v !== "string" && JSON.stringify(v) === c));
    if (!same) return `${settingTitle(pkg, key)} is not the stack configuration's ${pkg}:${key}`;
  }
  for (const [key] of configured) {
    const v = peek(props, key);
    if (v !== UNKNOWN && absent(v)) return `${settingTitle(pkg, key)} is missing, though the stack configuration sets ${pkg}:${key}`;
  }
  return undefined;
}

/**
 * Why `provider` is not the one the plan gives the planned resource `planned`, or undefined when it is.
 * `config` is the stack configuration the CLI builds default providers from.
 */
export function providerProblem(
  plan: PlannedStack,
  planned: AnalyzedResource,
  provider: PolicyProviderResource,
  config: Readonly<Record<string, string>> | undefined,
  phase: string,
): string | undefined {
  const uses = `its provider '${provider.name}' (${provider.type})`;
  const explicit = plan.providers.get(planned.urn);
  if (explicit === undefined) {
    const pkg = packageOf(planned.type);
    if (provider.type !== `${providerPrefix}${pkg}` || !isDefaultProvider(provider)) {
      return `${uses} is not the default ${pkg} provider ${plan.file} gives it`;
    }
    const wrong = defaultProviderProblem(pkg, isPlainObject(provider.props) ? provider.props : {}, config);
    return wrong && `${uses}: ${wrong}`;
  }
  const want = plan.resources.find((r) => r.urn === explicit);
  if (!want || provider.type !== want.type || urnTail(provider.urn) !== urnTail(want.urn)) {
    return `${uses} is not the provider '${explicit.split("::").pop()}' ${plan.file} gives it`;
  }
  const d = difference(want.props, provider.props, Binder.of(plan.placeholders), phase, "", {});
  return d && `${uses}: ${settingTitle(packageOf(want.type), d[0])} ${d[1]}`;
}
