/**
 * Fleet settings: what holds for every customer in a stacks directory, in `stacks/_fleet.yaml`.
 *
 * It sits beside the customer files because it is read with them, reviewed with them and changes
 * every one of them. Its name starts with `_`, which no customer id can (see `customer` in
 * schema.ts), so no customer can ever be called `_fleet`, and `isCustomerFileName` tells it apart
 * from the customers wherever they are listed (validate, audit, diff).
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { z } from "zod";
import { stacksDir } from "../facts/paths.js";
import type { Problem } from "../facts/problems.js";
import { readYamlFile } from "../facts/yamlSource.js";

export const fleetFileName = "_fleet.yaml";

export const fleetFile = () => join(stacksDir(), fleetFileName);

/**
 * Pico's standing support: an existing PagerDuty schedule (by name) or user (by e-mail), looked up,
 * never created. Escalation rule targets can only be `schedule_reference` or `user_reference`
 * (terraform-provider-pagerduty website/docs/r/escalation_policy.html.markdown, `target.type`), so an
 * escalation policy can't be a target: name the schedule its first rule pages instead.
 */
export const standingSupportSchema = z
  .strictObject({
    schedule: z.string().min(1).max(255).optional().describe("Name of an existing PagerDuty schedule"),
    user: z.email({ error: "must be an e-mail address" }).optional().describe("E-mail of an existing PagerDuty user"),
  })
  .refine((s) => (s.schedule === undefined) !== (s.user === undefined), "names exactly one of `schedule` or `user`")
  .describe("Who is paged outside the preparedness windows, and after the preparedness person if they don't acknowledge");

export type StandingSupport = z.output<typeof standingSupportSchema>;

const fleetSchema = z.strictObject({
  $schema: z.string().optional(),
  standingSupport: standingSupportSchema,
});

export type FleetSettings = z.output<typeof fleetSchema>;

export type FleetResult = { ok: true; fleet: FleetSettings | undefined } | { ok: false; problems: Problem[] };

const cache = new Map<string, FleetResult>();

/** The fleet settings, or `fleet: undefined` when there is no fleet file. Read once per process. */
export function loadFleetSettings(file = fleetFile()): FleetResult {
  const cached = cache.get(file);
  if (cached) return cached;
  const result = readFleet(file);
  cache.set(file, result);
  return result;
}

function readFleet(file: string): FleetResult {
  if (!existsSync(file)) return { ok: true, fleet: undefined };
  const rel = relative(process.cwd(), file);
  const read = readYamlFile(file, rel && !rel.startsWith("..") ? rel : file);
  if (!read.ok) return read;
  const parsed = fleetSchema.safeParse(read.source.data);
  if (parsed.success) return { ok: true, fleet: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const path = issue.path as (string | number)[];
      const field = path.join(".") || "file";
      const message = issue.code === "unrecognized_keys" ? `unknown key ${issue.keys.map((k) => `'${k}'`).join(", ")}` : issue.message;
      return read.source.problem(path, `${field}: ${message}`);
    }),
  };
}
