/**
 * The customer spec: what one `stacks/<customer>.yaml` may say. Defined once, here;
 * `stacks/customer.schema.json` is generated from it (`npm run generate`).
 */
import type { z } from "zod";
import { defaultCountry, defaultSummerWeeks, defaultTimezone, packageName, roles, type Role } from "../facts/extended.js";
import { standingSupportSchema } from "./fleet.js";
import { azureRegions } from "./azureRegions.js";
import { endpointUrlProblem } from "./endpointUrl.js";
import { isHolidayCountry } from "../facts/holidayTables.js";
import { azureResourceTypeIds, safeUrl } from "./resources.js";
import { lazyRequire } from "../facts/lazy.js";
import { reservedCustomerIds } from "./customerFiles.js";

/** zod, on first use: a customer read from the checked-customer cache (src/plan/checkedCustomers.ts) needs no schema. */
const zod = lazyRequire<typeof import("zod")>("zod");

/** Answers per zone name: building a DateTimeFormat to ask costs more than the rest of a spec's checks. */
const timeZoneAnswers = new Map<string, boolean>();

function isTimeZone(tz: string): boolean {
  const known = timeZoneAnswers.get(tz);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    ok = true;
  } catch {
    ok = false;
  }
  // Bounded: a fleet names a handful of zones; an odd file full of made-up names must not grow it without end.
  if (timeZoneAnswers.size < 1000) timeZoneAnswers.set(tz, ok);
  return ok;
}

function buildCustomerSpecSchema() {
  const { z } = zod();
  const id = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "must be a lower-case id: a letter, then letters, digits or '-' (at most 40)");

  // Azure allows a few more characters in some names (such as parentheses in resource groups);
  // these values are spliced into Datadog queries, so only characters that can't change a query pass.
  // No name ends in a period: Azure refuses it for resource groups and the resources named here
  // (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules, "Can't end with period").
  const azureName = z
    .string()
    .regex(
      /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,88}[A-Za-z0-9_-])?$/,
      "must be an Azure name of letters, digits, '.', '_' or '-' (at most 90), starting with a letter or digit and not ending with '.'",
    );

  const isoDate = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date written YYYY-MM-DD")
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
    }, "is not a real calendar date");

  const azureResource = z.strictObject({
    id: id.describe("Id used by `alerts[].on`; unique in the file"),
    type: z.enum(azureResourceTypeIds).describe("Kind of Azure resource"),
    name: azureName.describe("Azure resource name"),
    resourceGroup: azureName.describe("Resource group; one of azure.resourceGroups"),
    server: azureName.optional().describe("SQL server name (sql-database only)"),
  });

  const endpoint = z.strictObject({
    id: id.describe("Id used by `alerts[].on`; unique in the file"),
    url: z
      .string()
      // Lower-case scheme and host, no credentials, no fragment, no characters that need quoting:
      // the URL lands in Azure tags and the web test as written.
      .regex(safeUrl, "must be an https:// URL with a lower-case host, and no credentials, fragment (#) or spaces")
      .max(200)
      .superRefine((url, ctx) => {
        const problem = endpointUrlProblem(url);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .describe("Public URL probed by the availability test"),
  });

  const system = z.strictObject({
    id: id.describe("System id, for example `pim` or `portal`"),
    kind: z.enum(["pim", "portal", "integration", "data-platform"]).describe("What the system is"),
    resources: z.array(azureResource).default([]).describe("Azure resources of the system"),
    endpoints: z.array(endpoint).default([]).describe("Public endpoints of the system"),
  });

  // Checked against the entry's declared bounds by the loader, whose message names them.
  const tunableValue = z.unknown();

  const alert = z.strictObject({
    use: id.describe("Catalogue entry id (see catalog/README.md)"),
    on: id.describe("Id of the resource, endpoint or system the alert watches"),
    tunables: z.record(z.string(), tunableValue).default({}).describe("Values for the entry's declared tunables only"),
  });

  const email = z.email({ error: "must be an e-mail address" });

  function people(role: Role) {
    return z
      .array(email)
      .min(1, `needs at least one person: the ${role} role is always staffed`)
      .refine((a) => new Set(a.map((e) => e.toLowerCase())).size === a.length, "lists the same person twice")
      .describe(`People in the ${role} role, by PagerDuty e-mail, in rotation order`);
  }

  const rosterChange = z.strictObject({
    day: isoDate.describe("The preparedness day the change is for"),
    role: z.enum(roles).describe("The role whose person changes that day"),
    from: email.describe("Who the rotation puts on duty that day (checked, so a change goes stale when the rotation moves)"),
    to: email.describe("Who covers instead; not on another role that day"),
    reason: z.string().min(1).max(200).describe("Why, for the audit trail (ill, swapped with ...)"),
  });

  const roster = z.strictObject({
    ...(Object.fromEntries(roles.map((r) => [r, people(r)])) as unknown as Record<Role, ReturnType<typeof people>>),
    changes: z
      .array(rosterChange)
      .default([])
      .describe("Dated substitutions: on `day`, `to` covers `role` instead of `from` (see `pico-monitoring roster swap`)"),
  });

  const holidays = z.strictObject({
    summerWeeks: z
      .array(z.number().int().min(1, "ISO weeks run from 1 to 53").max(53, "ISO weeks run from 1 to 53"))
      .default([...defaultSummerWeeks])
      .describe("ISO weeks of summer preparedness, Monday to Friday; weeks whose weekdays fall in July every year"),
    summerWeeksOutsideJuly: z.boolean().default(false).describe("Set true to allow summer weeks that are not in July every year"),
    extraDays: z.array(isoDate).default([]).describe("Extra preparedness days"),
    skipDays: z.array(isoDate).default([]).describe("Default days left out"),
  });

  // Approved maintenance (the package's software-management promise): a window silences exactly its
  // systems' alerts while a customer-approved patch is applied (src/plan/maintenance.ts renders it).
  const approver = z.strictObject({
    name: z.string().min(1).max(120).describe("Who at the customer approves maintenance"),
    email: email.describe("Their e-mail: what `maintenance[].approvedBy` names"),
  });

  const maintenanceWindow = z.strictObject({
    id: id.describe("Window id, unique in the file; part of the silences' names"),
    start: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/, "must be a local date and time written 'YYYY-MM-DD HH:MM' (in the customer's timezone)")
      .describe("Local start in the customer's `timezone`, YYYY-MM-DD HH:MM"),
    duration: z
      .string()
      .regex(/^(?=\d)(?:\d+h)?(?:\d+m)?$/, "must be a duration such as 90m, 2h or 1h30m")
      .describe("How long alerts are silenced, such as 2h or 1h30m; at most the fleet's maxMaintenanceDuration"),
    systems: z
      .array(id)
      .min(1, "needs at least one system: a window silences the alerts of the systems being patched")
      .refine((a) => new Set(a).size === a.length, "lists the same system twice")
      .describe("Ids of the systems being patched (from `systems:`)"),
    approvedBy: email.describe("Who at the customer approved it: one of `approvers[].email`"),
    change: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/, "must be a change reference of letters, digits, '.', '_', '/' or '-' (at most 64)")
      .describe("The change or ticket reference the approval was given on"),
    reason: z.string().min(1).max(200).describe("What is being done, for the silences' messages and the audit"),
    duringPreparedness: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("Why the window may overlap a preparedness window (holiday periods run on reduced staff)"),
  });

  return z.strictObject({
    $schema: z.string().optional(),
    customer: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,30}$/, "must be a lower-case id of 2 to 31 letters, digits or '-'")
      .refine((id) => !reservedCustomerIds.includes(id), {
        message: `is a word the CLI reserves (${reservedCustomerIds.join(", ")}): \`roster swap\` is a command, so no customer can be called that`,
      })
      .describe("Customer id; equals the file name and the Pulumi stack name"),
    name: z.string().min(1).max(120).describe("Customer's legal or display name"),
    package: z.literal(packageName, { error: `must be '${packageName}': the only package this tool provisions` }),
    timezone: z
      .string()
      .refine(isTimeZone, "is not an IANA time zone (for example Europe/Copenhagen)")
      .default(defaultTimezone)
      .describe(
        `IANA time zone of the preparedness windows; default ${defaultTimezone}, and required when country is not ${defaultCountry}`,
      ),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be an ISO 3166 country code such as DK")
      .refine(isHolidayCountry, "is not a country whose public holidays are known (date-holidays)")
      .default(defaultCountry)
      .describe("Country whose public holidays are never preparedness days"),
    azure: z
      .strictObject({
        subscriptionId: z.guid({ error: "must be a subscription GUID" }).describe("Customer's Azure subscription"),
        resourceGroups: z.array(azureName).min(1).describe("Resource groups that hold the monitored resources"),
        monitoringResourceGroup: azureName.describe("Resource group for Pico's alerts, web tests and action group"),
        applicationInsights: azureName.describe("Existing Application Insights component in the monitoring resource group"),
        location: z
          .enum(azureRegions, { error: "is not an Azure region's programmatic name (such as westeurope)" })
          .default("westeurope")
          .describe("Region of the web tests"),
      })
      .describe("Where the customer's solution runs"),
    systems: z.array(system).min(1).describe("Monitored systems"),
    alerts: z.array(alert).describe("Chosen Best Practice catalogue alerts"),
    roster: roster.describe("Holiday preparedness roster"),
    holidays: holidays.default({ summerWeeks: [...defaultSummerWeeks], summerWeeksOutsideJuly: false, extraDays: [], skipDays: [] }),
    standingSupport: standingSupportSchema().optional().describe("Overrides the fleet's standing support (stacks/_fleet.yaml)"),
    approvers: z
      .array(approver)
      .default([])
      .refine((a) => new Set(a.map((p) => p.email.toLowerCase())).size === a.length, "lists the same person twice")
      .describe("People at the customer who approve maintenance windows, each once"),
    maintenance: z.array(maintenanceWindow).default([]).describe("Approved maintenance windows (see `pico-monitoring maintenance plan`)"),
  });
}

let built: ReturnType<typeof buildCustomerSpecSchema> | undefined;

/** The schema, built on first use. */
export const customerSpecSchema = () => (built ??= buildCustomerSpecSchema());

export type CustomerSpec = z.output<ReturnType<typeof customerSpecSchema>>;
export type SystemSpec = CustomerSpec["systems"][number];
export type AzureResourceSpec = SystemSpec["resources"][number];
export type EndpointSpec = SystemSpec["endpoints"][number];
export type AlertSpec = CustomerSpec["alerts"][number];
export type HolidayOptions = CustomerSpec["holidays"];
export type RosterSpec = CustomerSpec["roster"];
export type MaintenanceWindowSpec = CustomerSpec["maintenance"][number];
