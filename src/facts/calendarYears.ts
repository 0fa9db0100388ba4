/**
 * Years the holiday calendar is defined for: the as-of reader (asOf.ts) refuses an instant outside
 * them, and the zone tables (zoneTables.ts) cover them. Its own module, so neither imports the other.
 */
export const calendarYears = { first: 1900, last: 2200 } as const;
