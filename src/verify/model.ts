/**
 * What `pico-monitoring verify` reports: per customer, one check per thing that must hold in the live
 * services for an alert to fire and reach a person, each with what was expected and what was found.
 */

/** A line and column in the customer file. */
export interface SourcePosition {
  line: number;
  col: number;
}

/** The checks, as rule ids (SARIF rules, `--json`'s `rule`). */
export const verifyRules = {
  "monitor-definition": {
    title: "Each planned Datadog monitor exists with the planned definition",
    help: "A monitor that is missing or differs in query, thresholds, message or tags was changed outside this repository: run the deploy again (`pulumi up --refresh`) and make lasting changes in the catalogue.",
  },
  "monitor-data": {
    title: "No monitor stays in No Data longer than its entry allows",
    help: "A monitor in No Data never alerts. Check the Datadog Azure integration for the customer's subscription, and that the target resource still exists under that name.",
  },
  "metric-points": {
    title: "Each monitor's metric has points for its target resource over the entry's window",
    help: "No points means Datadog doesn't publish this metric for this resource (a wrong metric name or tag in the catalogue entry, or the resource isn't collected): fix the entry, or the Azure integration.",
  },
  "pagerduty-handle": {
    title: "Each @pagerduty-<service> handle names a service of Datadog's PagerDuty integration",
    help: "Datadog pages nobody through an unknown handle. Check Integrations > PagerDuty in Datadog: installed, and listing the service (the deploy's datadog.pagerduty.ServiceObject adds it).",
  },
  "roster-user": {
    title: "Each roster e-mail is a PagerDuty user, matched exactly as the provider matches",
    help: "terraform-provider-pagerduty's pagerduty_user data source compares the e-mail exactly, case included: write the address in the customer file exactly as PagerDuty shows it.",
  },
  "on-call": {
    title: "Each role's schedule has the planned person on call at the start of the next preparedness window",
    help: "The schedule differs from the roster: someone edited it in PagerDuty, or the deploy didn't run. An override is reported as such, not as a fault; record it in the file with `roster swap`.",
  },
  "standing-support": {
    title: "Standing support has someone on call now",
    help: "Outside the windows every page goes to standing support; with nobody on call PagerDuty drops the incident. Fix the standing-support schedule in PagerDuty.",
  },
  "azure-alert": {
    title: "Each Azure availability test and alert exists, enabled, with the planned action group",
    help: "A disabled or changed test or alert pages nobody: run the deploy again (`pulumi up --refresh`).",
  },
  "azure-results": {
    title: "Each Azure availability test has recent results",
    help: "No results in the last window means Application Insights isn't running the test: check the test's locations and that it is enabled.",
  },
} as const;

export type VerifyRule = keyof typeof verifyRules;

export interface Check {
  rule: VerifyRule;
  /** What was checked: a monitor name, a handle, an e-mail, a schedule, an ARM resource name. */
  subject: string;
  /** pass; fail; note: passes, with something worth knowing (a PagerDuty override). */
  status: "pass" | "fail" | "note";
  expected: string;
  found: string;
  /** Where in the customer file the thing checked comes from. */
  at: SourcePosition;
}

export interface CustomerVerify {
  customer: string;
  /** The customer file, as given or relative to the working directory. */
  file: string;
  /** The instant the checks are made at (now, or --at, which without an offset is local to the customer). */
  at: string;
  checks: Check[];
}

export interface VerifyReport {
  customers: CustomerVerify[];
}

export const failedChecks = (r: VerifyReport) => r.customers.flatMap((c) => c.checks.filter((k) => k.status === "fail"));
