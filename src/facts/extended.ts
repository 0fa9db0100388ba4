/**
 * The promises of Pico's Extended service package, in one place.
 * The validator, the components, the policy pack and the reports all read these.
 */

/** Extended monitoring: at most this many standard alerts per customer. */
export const maxAlerts = 10;

export const packageName = "extended";

/** The holiday preparedness team. */
export const roles = ["backend", "frontend", "pim"] as const;
export type Role = (typeof roles)[number];

export const roleTitles: Record<Role, string> = {
  backend: "Backend developer",
  frontend: "Frontend developer",
  pim: "PIM consultant",
};

/** Preparedness window, local time of the customer. */
export const preparednessHours = { start: "08:00", end: "16:00" } as const;

export const defaultTimezone = "Europe/Copenhagen";
export const defaultCountry = "DK";
/** ISO weeks of the most common July holiday weeks. */
export const defaultSummerWeeks = [28, 29, 30];
/** Days of December between Christmas and New Year that count, when weekdays. */
export const christmasDays = [27, 28, 29, 30];
