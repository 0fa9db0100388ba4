/**
 * The holiday preparedness roster in PagerDuty, and its link into Datadog.
 *
 * Per role: a schedule holding exactly the preparedness windows, an escalation policy that pages
 * it first and Pico's standing support after it (see `escalation` in src/facts/paging.ts for why that
 * reaches someone every day of the year), a service with a Datadog and an Azure integration, and
 * the Datadog service object that makes `@pagerduty-<service name>` work. Standing support is an
 * existing PagerDuty schedule or user, looked up by name, never created here. The windows and who
 * covers them come from `src/calendar`; this component only turns them into resources.
 */
// Each module on its own: the packages' indexes require their other modules as they load.
import { ServiceObject } from "@pulumi/datadog/pagerduty/serviceObject";
import { EscalationPolicy } from "@pulumi/pagerduty/escalationPolicy";
import { getScheduleOutput } from "@pulumi/pagerduty/getSchedule";
import { getUserOutput } from "@pulumi/pagerduty/getUser";
import { getVendorOutput } from "@pulumi/pagerduty/getVendor";
import { Schedule } from "@pulumi/pagerduty/schedule";
import { Service } from "@pulumi/pagerduty/service";
import { ServiceIntegration } from "@pulumi/pagerduty/serviceIntegration";
import * as pulumi from "@pulumi/pulumi";
import type { Roster } from "../src/calendar/rosterChanges.js";
import type { ScheduleLayer } from "../src/calendar/scheduleLayers.js";
import { roles, roleTitles, type Role } from "../src/facts/extended.js";
import { alertCreation, escalation, incidentTimeouts, incidentUrgency, pagerdutyServiceName } from "../src/facts/paging.js";
import type { StandingSupport } from "../src/customer/fleet.js";

export interface PreparednessRosterArgs {
  customer: string;
  /** IANA zone of the schedules; the layers' offsets are already computed for it. */
  timezone: string;
  /** People per role, by PagerDuty e-mail, and the dated changes that put someone else on a day. */
  roster: Roster;
  /** Layers per role with users by e-mail, from `rosterLayers()`; at least one per role. */
  layers: Record<Role, readonly ScheduleLayer[]>;
  /** Who is paged outside the windows, and when the preparedness person doesn't acknowledge. */
  standingSupport: StandingSupport;
}

export interface RoleService {
  /** PagerDuty service name, known to Datadog once this resolves. */
  serviceName: pulumi.Output<string>;
  /** Secret key of the service's Azure integration, for an action group webhook. */
  azureIntegrationKey: pulumi.Output<string>;
}

export class PreparednessRoster extends pulumi.ComponentResource {
  public readonly services: Record<Role, RoleService>;

  constructor(name: string, args: PreparednessRosterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("pico:monitoring:PreparednessRoster", name, {}, opts);

    const userIds = new Map<string, pulumi.Output<string>>();
    // A change's substitute may be in no list of this customer, so is looked up as well.
    const substitutes = (args.roster.changes ?? []).map((c) => c.to);
    for (const email of [...roles.flatMap((role) => args.roster[role]), ...substitutes]) {
      if (!userIds.has(email)) userIds.set(email, getUserOutput({ email }, { parent: this }).id);
    }
    // Escalation rule targets are `schedule_reference` or `user_reference` only
    // (terraform-provider-pagerduty website/docs/r/escalation_policy.html.markdown).
    const standing = args.standingSupport;
    const standingTarget =
      standing.schedule !== undefined
        ? { type: "schedule_reference", id: getScheduleOutput({ name: standing.schedule }, { parent: this }).id }
        : { type: "user_reference", id: userIds.get(standing.user!) ?? getUserOutput({ email: standing.user! }, { parent: this }).id };
    const datadogVendor = getVendorOutput({ name: "Datadog" }, { parent: this });
    const azureVendor = getVendorOutput({ name: "Microsoft Azure" }, { parent: this });

    const services = {} as Record<Role, RoleService>;
    for (const role of roles) {
      const serviceName = pagerdutyServiceName(args.customer, role);
      const layers = args.layers[role];
      if (layers.length === 0) {
        throw new Error(`${args.customer}: no preparedness windows ahead for ${role}; a schedule needs a layer`);
      }

      const schedule = new Schedule(
        `${serviceName}-schedule`,
        {
          name: `${serviceName} preparedness`,
          description: `${roleTitles[role]} on holiday preparedness duty for ${args.customer}`,
          timeZone: args.timezone,
          layers: layers.map((layer) => ({
            ...layer,
            users: layer.users.map((email) => {
              const id = userIds.get(email);
              const changed = args.roster.changes?.some((c) => c.role === role && c.to === email && layer.name.startsWith(c.day));
              if (!id || !(args.roster[role].includes(email) || changed))
                throw new Error(
                  `${args.customer}: layer '${layer.name}' names ${email}, who is not in the ${role} roster nor a change's substitute`,
                );
              return id;
            }),
          })),
        },
        { parent: this },
      );

      const escalationPolicy = new EscalationPolicy(
        `${serviceName}-escalation`,
        {
          name: `${serviceName} preparedness`,
          numLoops: escalation.numLoops,
          rules: [
            {
              escalationDelayInMinutes: escalation.preparednessAckMinutes,
              // The provider rejects `schedule`, although the registry examples show it.
              targets: [{ type: "schedule_reference", id: schedule.id }],
            },
            { escalationDelayInMinutes: escalation.standingSupportAckMinutes, targets: [standingTarget] },
          ],
        },
        { parent: this },
      );

      const service = new Service(
        serviceName,
        {
          name: serviceName,
          description: `Pico Extended: ${roleTitles[role]} for ${args.customer}`,
          escalationPolicy: escalationPolicy.id,
          incidentUrgencyRule: { ...incidentUrgency },
          ...incidentTimeouts,
          alertCreation,
        },
        { parent: this },
      );

      // The provider doesn't mark integration keys secret; the engine must.
      const keyIsSecret = { parent: this, additionalSecretOutputs: ["integrationKey"] };
      const datadogIntegration = new ServiceIntegration(
        `${serviceName}-datadog`,
        { name: "Datadog", service: service.id, vendor: datadogVendor.id },
        keyIsSecret,
      );
      const azureIntegration = new ServiceIntegration(
        `${serviceName}-azure`,
        { name: "Microsoft Azure", service: service.id, vendor: azureVendor.id },
        keyIsSecret,
      );

      const datadogService = new ServiceObject(
        `${serviceName}-datadog-link`,
        { serviceName: service.name, serviceKey: pulumi.secret(datadogIntegration.integrationKey) },
        { parent: this },
      );

      services[role] = {
        // From the Datadog link, so a monitor using the handle waits until Datadog knows it.
        serviceName: datadogService.serviceName,
        azureIntegrationKey: pulumi.secret(azureIntegration.integrationKey),
      };
    }

    this.services = services;
    // Names only: a component's outputs reach the pack's AnalyzeStack with secrets decrypted and unmarked
    // (seen under the real CLI), so an integration key registered here would read as a pasted literal.
    this.registerOutputs({ serviceNames: Object.fromEntries(roles.map((r) => [r, services[r].serviceName])) });
  }
}
