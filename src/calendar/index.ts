export { easterSunday } from "./easter.js";
export { holidayOptionProblems, type HolidayOptionProblem } from "./holidayOptions.js";
export {
  preparednessDays,
  preparednessKindTitles,
  publicHolidayNames,
  publicHolidays,
  type CalendarOptions,
  type PreparednessDay,
  type PreparednessKind,
} from "./preparednessDays.js";
export {
  dutyRoster,
  holidayWindows,
  onDuty,
  upcomingWindows,
  weekdayNumber,
  type CustomerCalendar,
  type Horizon,
  type PreparednessWindow,
  type RosterDay,
} from "./windows.js";
export { rosterLayers, scheduleLayers, type LayerRestriction, type ScheduleLayer } from "./scheduleLayers.js";
export { doubleDuties, weekOutsideJuly, type DoubleDuty } from "./rosterRules.js";
export { pagedAt, standingSupportName, type PagedAt, type PageStep } from "./pagedAt.js";
export { changeOn, dutyOf, rosterChangeFindings, type ChangeFinding, type Roster, type RosterChange } from "./rosterChanges.js";
