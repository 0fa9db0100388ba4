/**
 * The credentials and sites verify reads: the same environment variables the providers read in the
 * deploy workflows (deploy.yml's header), so whatever can `pulumi up` can verify. Only names are ever
 * printed, never a value.
 */
import { UsageError } from "../facts/problems.js";

export interface VerifyCredentials {
  datadog: { apiKey: string; appKey: string /** Base URL without the trailing slash. */; host: string };
  pagerduty: { token: string /** Host (and port) the REST API is served on; pdjs builds https://<server>/. */; server: string };
  azure: { tenantId: string; clientId: string; clientSecret: string /** ARM's base URL. */; endpoint: string; authorityHost?: string };
}

/** Required: the providers' own variables. */
export const requiredVariables = [
  "DATADOG_API_KEY",
  "DATADOG_APP_KEY",
  "PAGERDUTY_TOKEN",
  "ARM_CLIENT_ID",
  "ARM_CLIENT_SECRET",
  "ARM_TENANT_ID",
] as const;

/** The host of an https:// URL, with its port; a usage error naming the variable otherwise (its value is not secret). */
function httpsHost(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${variable} must be an https:// URL, such as https://api.pagerduty.com`);
  }
  if (url.protocol !== "https:") throw new UsageError(`${variable} must be an https:// URL, such as https://api.pagerduty.com`);
  return url.host;
}

export function readCredentials(env: NodeJS.ProcessEnv): VerifyCredentials {
  const missing = requiredVariables.filter((v) => !env[v]);
  if (missing.length > 0) {
    throw new UsageError(
      `verify needs the providers' credentials in the environment; not set: ${missing.join(", ")} (README, "Before the first real run")`,
    );
  }
  const get = (v: (typeof requiredVariables)[number]) => env[v] as string;
  // DATADOG_HOST as the deploy workflows set it (https://api.datadoghq.eu/ for an EU org; unset means US1).
  const datadogHost = (env.DATADOG_HOST || "https://api.datadoghq.com/").replace(/\/+$/, "");
  httpsHost("DATADOG_HOST", datadogHost);
  // The provider's serviceRegion ("eu": api.eu.pagerduty.com) or apiUrlOverride, as variables of verify's own.
  const pagerdutyServer = env.PAGERDUTY_API_URL_OVERRIDE
    ? httpsHost("PAGERDUTY_API_URL_OVERRIDE", env.PAGERDUTY_API_URL_OVERRIDE)
    : env.PAGERDUTY_SERVICE_REGION === "eu"
      ? "api.eu.pagerduty.com"
      : "api.pagerduty.com";
  const armEndpoint = (env.ARM_ENDPOINT || "https://management.azure.com").replace(/\/+$/, "");
  httpsHost("ARM_ENDPOINT", armEndpoint);
  return {
    datadog: { apiKey: get("DATADOG_API_KEY"), appKey: get("DATADOG_APP_KEY"), host: datadogHost },
    pagerduty: { token: get("PAGERDUTY_TOKEN"), server: pagerdutyServer },
    azure: {
      tenantId: get("ARM_TENANT_ID"),
      clientId: get("ARM_CLIENT_ID"),
      clientSecret: get("ARM_CLIENT_SECRET"),
      endpoint: armEndpoint,
      // @azure/identity's own variable for a sovereign cloud's (or a stand-in's) identity platform.
      ...(env.AZURE_AUTHORITY_HOST ? { authorityHost: env.AZURE_AUTHORITY_HOST } : {}),
    },
  };
}
