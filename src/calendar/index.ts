export { easterSunday } from "./easter";
export {
  preparednessDays,
  preparednessKindTitles,
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
  type CustomerCalendar,
  type Horizon,
  type PreparednessWindow,
  type RosterDay,
} from "./windows";
export { rosterLayers, scheduleLayers, type LayerRestriction, type ScheduleLayer } from "./scheduleLayers";
