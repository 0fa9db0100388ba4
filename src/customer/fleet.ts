/**
 * Fleet settings: what holds for every customer in a stacks directory, in `stacks/_fleet.yaml`.
 *
 * It sits beside the customer files because it is read with them, reviewed with them and changes
 * every one of them. Its name starts with `_`, which no customer id can (see `customer` in
 * schema.ts), so no customer can ever be called `_fleet`, and `isCustomerFileName` tells it apart
 * from the customers wherever they are listed (validate, audit, diff).
 */
import { existsSync } from "node:fs";
import { relative } from "node:path";
import type { z } from "zod";
import { lazyRequire } from "../facts/lazy.js";
import type { Problem } from "../facts/problems.js";
import { readYamlFile } from "../facts/yamlSource.js";
import { fleetFile } from "./fleetFile.js";

export { fleetFile, fleetFileName } from "./fleetFile.js";

/** One person on duty for more customers than this on one day is warned about (`validate`, fleet-wide). */
export const defaultMaxCustomersPerPersonPerDay = 2;

/**
 * GitHub Actions generates at most 256 jobs per matrix (docs.github.com, "Running variations of jobs
 * in a workflow": "A matrix will generate a maximum of 256 jobs per workflow run"); a roll-out's
 * customers are cut into at most this many shards.
 */
export const githubMatrixLimit = 256;

/** How a change reaches many customers (see src/plan/rollout.ts); every field has a default. */
export const defaultRollout = {
  maxShards: githubMatrixLimit,
  canaryShare: 0.05,
  directUpTo: 3,
} as const;

/** Settings only the fleet file holds: a customer file naming one is told where it belongs. */
export const fleetOnlyKeys: readonly string[] = ["maxCustomersPerPersonPerDay", "rollout", "maxMaintenanceDuration"];

/** The longest maintenance window a customer file may declare, unless stacks/_fleet.yaml says otherwise. */
export const defaultMaxMaintenanceDuration = "4h";

/**
 * Pico's standing support: an existing PagerDuty schedule (by name) or user (by e-mail), looked up,
 * never created. Escalation rule targets can only be `schedule_reference` or `user_reference`
 * (terraform-provider-pagerduty website/docs/r/escalation_policy.html.markdown, `target.type`), so an
 * escalation policy can't be a target: name the schedule its first rule pages instead.
 */
const zod = lazyRequire<typeof import("zod")>("zod");

function buildSchemas() {
  const { z } = zod();
  const standingSupport = z
    .strictObject({
      schedule: z.string().min(1).max(255).optional().describe("Name of an existing PagerDuty schedule"),
      user: z.email({ error: "must be an e-mail address" }).optional().describe("E-mail of an existing PagerDuty user"),
    })
    .refine((s) => (s.schedule === undefined) !== (s.user === undefined), "names exactly one of `schedule` or `user`")
    .describe("Who is paged outside the preparedness windows, and after the preparedness person if they don't acknowledge");
  const fleet = z.strictObject({
    $schema: z.string().optional(),
    standingSupport,
    // Fleet-only: a customer file can't say how many customers one person may cover (see fleetOnlyKeys).
    maxCustomersPerPersonPerDay: z
      .number()
      .int()
      .min(1)
      .default(defaultMaxCustomersPerPersonPerDay)
      .describe("validate warns when one person is on duty for more customers than this on one preparedness day"),
    // Fleet-only: the longest approved maintenance window (src/plan/maintenance.ts).
    maxMaintenanceDuration: z
      .string()
      .regex(/^(?=\d)(?:\d+h)?(?:\d+m)?$/, "must be a duration such as 4h or 3h30m")
      .default(defaultMaxMaintenanceDuration)
      .describe("The longest maintenance window a customer file may declare"),
    // Fleet-only: how a catalogue or code change is rolled out in waves (src/plan/rollout.ts).
    rollout: z
      .strictObject({
        canaries: z
          .array(z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a customer id"))
          .default([])
          .describe("Customers that get a catalogue or code change first; the rest follow after their verify and an approval"),
        canaryShare: z
          .number()
          .gt(0)
          .lte(1)
          .default(defaultRollout.canaryShare)
          .describe("When no named canary is affected: this share of the affected customers (at least one) goes first"),
        directUpTo: z
          .number()
          .int()
          .min(0)
          .default(defaultRollout.directUpTo)
          .describe("A change touching at most this many customers skips the canary wave"),
        maxShards: z
          .number()
          .int()
          .min(1)
          .max(githubMatrixLimit)
          .default(defaultRollout.maxShards)
          .describe("Jobs per wave at most (GitHub Actions allows 256 per matrix)"),
      })
      .prefault({})
      .describe("How a change reaches the fleet: canaries first, then the rest, in at most maxShards jobs per wave"),
  });
  return { standingSupport, fleet };
}

/** Built on first use: zod is loaded only by a check that runs (see src/plan/checkedCustomers.ts). */
let built: ReturnType<typeof buildSchemas> | undefined;
const schemas = () => (built ??= buildSchemas());

export const standingSupportSchema = () => schemas().standingSupport;

export type StandingSupport = z.output<ReturnType<typeof standingSupportSchema>>;

export type FleetSettings = z.output<ReturnType<typeof schemas>["fleet"]>;

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
  const parsed = schemas().fleet.safeParse(read.source.data);
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
