export { easterSunday } from "./easter";
export { holidayOptionProblems, type HolidayOptionProblem } from "./holidayOptions";
export {
  preparednessDays,
  preparednessKindTitles,
  publicHolidayNames,
  publicHolidays,
  type CalendarOptions,
  type PreparednessDay,
  type PreparednessKind,
} from "./preparednessDays";
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
} from "./windows";
export { rosterLayers, scheduleLayers, type LayerRestriction, type ScheduleLayer } from "./scheduleLayers";
export { doubleDuties, weekOutsideJuly, type DoubleDuty } from "./rosterRules";
export { pagedAt, standingSupportName, type PagedAt, type PageStep } from "./pagedAt";
