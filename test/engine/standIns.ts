// The three SaaS API stand-ins of the engine tier started together, seeded with what must exist before a
// first `pulumi up` (the README's "Before the first real run"): every roster e-mail as a PagerDuty user, the
// standing-support schedule, the two vendors, the customers' resource groups. Everything else in them is what
// the real `pulumi up` created. Also the stack settings that point the providers at them.
import { roles } from "../../src/facts/extended.js";
import { loadCustomer } from "../../src/plan/loadCustomer.js";
import { startAzureApi, type AzureApi } from "./apis/azure.js";
import { startDatadogApi, type DatadogApi } from "./apis/datadog.js";
import { startPagerdutyApi, type PagerdutyApi } from "./apis/pagerduty.js";
import { testTls } from "./apis/tls.js";
import { examples } from "./harness.js";

export const pagerdutyToken = "engine-tier-pagerduty-token";
export const datadogKeys = { apiKey: "engine-tier-api-key", appKey: "engine-tier-app-key" };

export interface StandIns {
  pagerduty: PagerdutyApi;
  datadog: DatadogApi;
  azure: AzureApi;
  /** Environment for `pulumi`: what the stand-in plugins read (the Azure one, its ARM base URL). */
  env: Record<string, string>;
  /** Each stand-in's base URL and the label recordings give it (the port changes every run). */
  urls: Record<string, string>;
  /** Requests no stand-in handled, as `<api> <method> <path>`. */
  unhandled(): string[];
  /** What the stand-ins hold that a program created. */
  created(): string[];
  close(): Promise<void>;
}

/** The Azure service principal the ARM stand-in's token endpoint accepts, for verify's clients. */
export const azurePrincipal = { tenantId: "engine-tier-tenant", clientId: "engine-tier-client", clientSecret: "engine-tier-client-secret" };

/**
 * `tls`: the stand-ins also answer HTTPS with the test CA (./apis/tls.ts), for `pico-monitoring verify`'s
 * vendor clients; the engine's plugins keep talking plain HTTP.
 */
export async function startStandIns(customers: readonly string[] = examples, o: { tls?: boolean } = {}): Promise<StandIns> {
  const specs = customers.map((c) => loadCustomer(c).spec);
  // The people of each role, and whoever a roster change puts on duty.
  const emails = [
    ...new Set(specs.flatMap((s) => [...roles.flatMap((r) => s.roster[r]), ...(s.roster.changes ?? []).map((c) => c.to)])),
  ].sort();
  const tls = o.tls ? { tls: true } : {};
  const pagerduty = await startPagerdutyApi({
    ...tls,
    token: pagerdutyToken,
    // A fixed clock: the times the API stamps (a service's created_at) reach the recordings. Before every
    // window the program renders, so no layer start is moved; the provider keeps its own clock.
    now: () => new Date("2026-12-01T00:00:00Z"),
    users: [...emails, "standing@pico.dk"].map((email) => ({ email, name: email.split("@")[0]! })),
    schedules: [
      {
        name: "Pico standing support",
        timeZone: "Europe/Copenhagen",
        layers: [
          {
            start: "2026-01-05T00:00:00+01:00",
            rotationVirtualStart: "2026-01-05T00:00:00+01:00",
            rotationTurnLengthSeconds: 604_800,
            users: ["standing@pico.dk"],
          },
        ],
      },
    ],
  });
  const datadog = await startDatadogApi({ ...datadogKeys, ...tls });
  const resourceGroups: Record<string, Record<string, string>> = {};
  for (const s of specs) {
    const groups = (resourceGroups[s.azure.subscriptionId] ??= {});
    for (const g of [...s.azure.resourceGroups, s.azure.monitoringResourceGroup]) groups[g] = "westeurope";
  }
  const azure = await startAzureApi({ resourceGroups, now: "2026-12-01T00:00:00Z", ...tls, servicePrincipal: azurePrincipal });
  return {
    pagerduty,
    datadog,
    azure,
    env: { PICO_ARM_URL: azure.url },
    urls: { [pagerduty.url]: "<pagerduty api>", [datadog.url]: "<datadog api>", [azure.url]: "<azure api>" },
    unhandled: () => [
      ...pagerduty.state().unhandled.map((u) => `pagerduty ${u}`),
      ...datadog.state().unhandled.map((u) => `datadog ${u}`),
      ...azure.state().unhandled.map((u) => `azure ${u.method} ${u.path}`),
    ],
    created: () => [
      ...pagerduty.state().services.map((s) => `pagerduty service ${String(s.name)}`),
      ...pagerduty.state().schedules.map((s) => `pagerduty schedule ${String(s.name)}`),
      ...datadog.state().monitors.map((m) => `datadog monitor ${String(m.name)}`),
      ...Object.keys(azure.state().resources).map((id) => `azure ${id}`),
    ],
    close: async () => {
      await Promise.all([pagerduty.close(), datadog.close(), azure.close()]);
    },
  };
}

/** `pulumi config set` triples ([key, value, secret]) that point the real providers at the stand-ins. */
export function stackConfig(s: StandIns, asOf: string): [string, string, boolean][] {
  return [
    ["asOf", asOf, false],
    // terraform-provider-pagerduty v2.4.0 provider.go: token, api_url_override, skip_credentials_validation.
    ["pagerduty:token", pagerdutyToken, true],
    ["pagerduty:apiUrlOverride", s.pagerduty.url, false],
    ["pagerduty:skipCredentialsValidation", "true", false],
    // terraform-provider-datadog provider.go: api_key, app_key, api_url (no /api suffix), validate.
    ["datadog:apiKey", datadogKeys.apiKey, true],
    ["datadog:appKey", datadogKeys.appKey, true],
    ["datadog:apiUrl", s.datadog.url, false],
  ];
}

/**
 * The environment `pico-monitoring verify` reads, pointing its vendor clients at the stand-ins' HTTPS side:
 * the providers' usual credentials, the sites (DATADOG_HOST, PAGERDUTY_API_URL_OVERRIDE, ARM_ENDPOINT and
 * @azure/identity's AZURE_AUTHORITY_HOST), and the test CA (NODE_EXTRA_CA_CERTS, read by Node at start-up).
 */
export function verifyEnv(s: StandIns): Record<string, string> {
  const https = (api: { httpsUrl?: string }) => {
    if (!api.httpsUrl) throw new Error("start the stand-ins with { tls: true } for verify");
    return api.httpsUrl;
  };
  return {
    DATADOG_API_KEY: datadogKeys.apiKey,
    DATADOG_APP_KEY: datadogKeys.appKey,
    DATADOG_HOST: https(s.datadog),
    PAGERDUTY_TOKEN: pagerdutyToken,
    PAGERDUTY_API_URL_OVERRIDE: https(s.pagerduty),
    ARM_CLIENT_ID: azurePrincipal.clientId,
    ARM_CLIENT_SECRET: azurePrincipal.clientSecret,
    ARM_TENANT_ID: azurePrincipal.tenantId,
    ARM_ENDPOINT: https(s.azure),
    AZURE_AUTHORITY_HOST: https(s.azure),
    NODE_EXTRA_CA_CERTS: testTls().caFile,
  };
}
