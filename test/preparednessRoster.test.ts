import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { rosterLayers, type CustomerCalendar } from "../src/calendar/index.js";
import { escalation } from "../src/facts/paging.js";
import { renderSchedule, type SimLayer } from "./support/pagerdutySimulator.js";

// Wire-format marker of a secret value (Pulumi's rpc `specialSigKey` / `specialSecretSig`).
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const isWireSecret = (v: unknown) => typeof v === "object" && v !== null && (v as Record<string, unknown>)[sigKey] === secretSig;

const calendar: CustomerCalendar = {
  timezone: "Europe/Copenhagen",
  country: "DK",
  holidays: { summerWeeks: [28, 29, 30], extraDays: [], skipDays: [] },
};
const roster = {
  backend: ["ana@pico.dk", "bo@pico.dk"],
  frontend: ["cem@pico.dk"],
  pim: ["dina@pico.dk", "ana@pico.dk"],
};
const asOf = new Date("2027-03-22T10:00:00+01:00");

interface Registered {
  urn: string;
  type: string;
  name: string;
  state: Record<string, unknown>;
  additionalSecretOutputs: string[];
  rawInputs: Record<string, unknown>;
}

const calls: { token: string; inputs: Record<string, unknown> }[] = [];
const registered = new Map<string, Registered>();
let roster1: import("../components/preparednessRoster.js").PreparednessRoster;

function resolved<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state:
          args.type === "pagerduty:index/serviceIntegration:ServiceIntegration"
            ? { ...args.inputs, integrationKey: `key-${args.name}` }
            : args.inputs,
      }),
      call: (args) => {
        calls.push({ token: args.token, inputs: args.inputs });
        if (args.token === "pagerduty:index/getUser:getUser") {
          return { id: `U-${args.inputs.email}`, email: args.inputs.email, name: args.inputs.email };
        }
        if (args.token === "pagerduty:index/getSchedule:getSchedule") {
          return { id: `S-${args.inputs.name}`, name: args.inputs.name };
        }
        if (args.token === "pagerduty:index/getVendor:getVendor") {
          return { id: `V-${args.inputs.name}`, name: args.inputs.name, type: "generic_events_api_inbound_integration" };
        }
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "pico-monitoring",
    "nordlys",
    false,
  );

  // The mock engine drops the request's options; keep the ones this test checks.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: any, cb: (err: unknown, res: unknown) => void): void;
  };
  const register = monitor.registerResource.bind(monitor);
  const options = new Map<string, { additionalSecretOutputs: string[]; rawInputs: Record<string, unknown> }>();
  monitor.registerResource = (req, cb) => {
    options.set(`${req.getType()}::${req.getName()}`, {
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      rawInputs: req.getObject()?.toJavaScript() ?? {},
    });
    register(req, cb);
  };

  const { PreparednessRoster } = await import("../components/preparednessRoster.js");
  roster1 = new PreparednessRoster("nordlys-preparedness", {
    customer: "nordlys",
    timezone: calendar.timezone,
    roster,
    layers: rosterLayers(calendar, roster, asOf),
    standingSupport: { schedule: "Pico standing support" },
  });
  await Promise.all(Object.values(roster1.services).flatMap((s) => [resolved(s.serviceName), resolved(s.azureIntegrationKey)]));

  const all = (
    pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, { urn: string; state: any }> }
  ).getRegisteredResources();
  for (const [urn, r] of all) {
    const [, , qualifiedType, name] = urn.split("::") as string[];
    const type = qualifiedType!.split("$").at(-1)!;
    const opts = options.get(`${type}::${name}`);
    registered.set(urn, {
      urn,
      type,
      name: name!,
      state: r.state ?? {},
      additionalSecretOutputs: opts?.additionalSecretOutputs ?? [],
      rawInputs: opts?.rawInputs ?? {},
    });
  }
});

const ofType = (type: string) => [...registered.values()].filter((r) => r.type === type).sort((a, b) => (a.name < b.name ? -1 : 1));

describe("PreparednessRoster under Pulumi mocks", () => {
  it("creates one schedule, policy, service, Datadog link and two integrations per role", () => {
    const counts: Record<string, number> = {};
    for (const r of registered.values()) counts[r.type] = (counts[r.type] ?? 0) + 1;
    expect(counts).toEqual({
      "pico:monitoring:PreparednessRoster": 1,
      "pagerduty:index/schedule:Schedule": 3,
      "pagerduty:index/escalationPolicy:EscalationPolicy": 3,
      "pagerduty:index/service:Service": 3,
      "pagerduty:index/serviceIntegration:ServiceIntegration": 6,
      "datadog:pagerduty/serviceObject:ServiceObject": 3,
    });
  });

  it("parents every child to the component and names it after customer and role", () => {
    const children = [...registered.values()].filter((r) => r.type !== "pico:monitoring:PreparednessRoster");
    for (const r of children) expect(r.urn).toContain("::pico:monitoring:PreparednessRoster$");
    expect(children.map((r) => r.name).sort()).toEqual(
      ["backend", "frontend", "pim"]
        .flatMap((role) => ["", "-schedule", "-escalation", "-datadog", "-azure", "-datadog-link"].map((s) => `pico-nordlys-${role}${s}`))
        .sort(),
    );
  });

  it("looks every person up once by e-mail, and both vendors by name", () => {
    const users = calls.filter((c) => c.token === "pagerduty:index/getUser:getUser").map((c) => c.inputs.email);
    expect([...users].sort()).toEqual(["ana@pico.dk", "bo@pico.dk", "cem@pico.dk", "dina@pico.dk"]);
    const vendors = calls.filter((c) => c.token === "pagerduty:index/getVendor:getVendor").map((c) => c.inputs.name);
    expect([...vendors].sort()).toEqual(["Datadog", "Microsoft Azure"]);
  });

  it("builds schedules in the customer's zone whose layers cover the windows, with PagerDuty user ids", () => {
    const expected = rosterLayers(calendar, roster, asOf);
    for (const schedule of ofType("pagerduty:index/schedule:Schedule")) {
      const role = schedule.name.replace(/^pico-nordlys-|-schedule$/g, "") as keyof typeof roster;
      expect(schedule.state.timeZone).toBe("Europe/Copenhagen");
      const layers = schedule.state.layers as SimLayer[];
      expect(layers).toEqual(expected[role].map((l) => ({ ...l, users: l.users.map((e) => `U-${e}`) })));
      const until = new Date("2029-01-01T00:00:00+01:00");
      expect(renderSchedule("Europe/Copenhagen", layers, asOf, until)).toEqual(
        renderSchedule("Europe/Copenhagen", expected[role], asOf, until).map((s) => ({ ...s, user: `U-${s.user}` })),
      );
    }
  });

  it("escalates from the role's schedule to standing support, looked up once by name, with schedule_reference targets", () => {
    const schedules = calls.filter((c) => c.token === "pagerduty:index/getSchedule:getSchedule").map((c) => c.inputs.name);
    expect(schedules).toEqual(["Pico standing support"]);
    for (const policy of ofType("pagerduty:index/escalationPolicy:EscalationPolicy")) {
      const role = policy.name.replace(/^pico-nordlys-|-escalation$/g, "");
      expect(policy.state.numLoops).toBe(escalation.numLoops);
      expect(policy.state.rules).toEqual([
        {
          escalationDelayInMinutes: escalation.preparednessAckMinutes,
          targets: [{ type: "schedule_reference", id: `pico-nordlys-${role}-schedule-id` }],
        },
        {
          escalationDelayInMinutes: escalation.standingSupportAckMinutes,
          targets: [{ type: "schedule_reference", id: "S-Pico standing support" }],
        },
      ]);
    }
  });

  it("states urgency and incident timeouts instead of inheriting the provider's defaults", () => {
    for (const service of ofType("pagerduty:index/service:Service")) {
      expect(service.state.incidentUrgencyRule).toEqual({ type: "constant", urgency: "high" });
      expect(service.state.autoResolveTimeout).toBe("null");
      expect(service.state.acknowledgementTimeout).toBe("1800");
      expect(service.state.supportHours).toBeUndefined();
    }
  });

  it("names services for the Datadog handle, and exposes those names", async () => {
    expect(ofType("pagerduty:index/service:Service").map((s) => s.state.name)).toEqual([
      "pico-nordlys-backend",
      "pico-nordlys-frontend",
      "pico-nordlys-pim",
    ]);
    expect(await resolved(roster1.services.pim.serviceName)).toBe("pico-nordlys-pim");
  });

  it("keeps integration keys secret", async () => {
    const integrations = ofType("pagerduty:index/serviceIntegration:ServiceIntegration");
    for (const integration of integrations) expect(integration.additionalSecretOutputs).toEqual(["integrationKey"]);
    expect(integrations.map((i) => [i.name, i.rawInputs.vendor])).toEqual([
      ["pico-nordlys-backend-azure", "V-Microsoft Azure"],
      ["pico-nordlys-backend-datadog", "V-Datadog"],
      ["pico-nordlys-frontend-azure", "V-Microsoft Azure"],
      ["pico-nordlys-frontend-datadog", "V-Datadog"],
      ["pico-nordlys-pim-azure", "V-Microsoft Azure"],
      ["pico-nordlys-pim-datadog", "V-Datadog"],
    ]);

    for (const link of ofType("datadog:pagerduty/serviceObject:ServiceObject")) {
      expect(isWireSecret(link.rawInputs.serviceKey)).toBe(true);
      // The Datadog integration's key, not the Azure one.
      const key = link.state.serviceKey as unknown;
      expect(isWireSecret(key) ? (key as { value: unknown }).value : key).toBe(`key-${link.name.replace(/-link$/, "")}`);
    }

    for (const service of Object.values(roster1.services)) {
      expect(await pulumi.isSecret(service.azureIntegrationKey)).toBe(true);
    }
    expect(await resolved(roster1.services.backend.azureIntegrationKey)).toBe("key-pico-nordlys-backend-azure");
  });
});
