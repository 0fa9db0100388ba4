// Every policy of this pack is a promise of the Extended package, so a violation is mandatory whatever
// `--policy-pack-config` says: `{"all": "advisory"}` must not let an eleventh alert through.
//
// @pulumi/policy 1.21 takes the enforcement level per violation as well as per policy: its
// `reportViolation` also accepts an object whose `enforcementLevel` wins over the configured one
// (server.js `makeReportViolationFun`), and the CLI fails on a mandatory diagnostic. The typed
// `ReportViolation` only admits `(message, urn)`, so the object form is reached here, once. The object
// form sends `message` as given, without the description the string form puts before it, so the
// description is put there the same way: messages read as they do with the string form.
//
// What no pack can prevent: a policy configured `disabled` is never called (server.js skips it before
// any validation runs). `pico-monitoring audit` refuses such a configuration (src/cli/audit.ts), and the
// workflows pass none (test/workflows.test.ts); see policies/README.md.
import type { EnforcementLevel, Policy, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** The object form of a violation, as @pulumi/policy 1.21 reads it (server.js `makeReportViolationFun`). */
export interface ViolationReport {
  name: string;
  message: string;
  description: string;
  urn?: string;
  enforcementLevel: EnforcementLevel;
  severity?: Policy["severity"];
}

/** What a promise's violations carry, whatever the configuration says. */
export const promiseLevel: EnforcementLevel = "mandatory";

// The policies made promises by `promise`, for the in-process runner (src/offline/policyResults.ts).
const promises = new WeakSet<Policy>();

/** Whether `policy` reports every violation as mandatory itself. */
export const isPromise = (policy: Policy): boolean => promises.has(policy);

/** `report` with every violation sent at the promise's level, in the object form. */
function mandatoryReport(policy: Policy, report: ReportViolation): ReportViolation {
  const send = report as unknown as (violation: ViolationReport) => void;
  return (message: string, urn?: string) =>
    send({
      name: policy.name,
      // The string form's text: the description, then the message on the next line.
      message: message ? `${policy.description}\n${message}` : policy.description,
      description: policy.description,
      ...(urn ? { urn } : {}),
      enforcementLevel: promiseLevel,
      ...(policy.severity ? { severity: policy.severity } : {}),
    });
}

/** The policy, its violations mandatory whatever the configuration says (anything but `disabled`). */
export function promise<P extends ResourceValidationPolicy | StackValidationPolicy>(policy: P): P {
  let made: P;
  if ("validateStack" in policy) {
    const validate = policy.validateStack;
    made = { ...policy, validateStack: (args, report) => validate(args, mandatoryReport(policy, report)) };
  } else {
    const validate = policy.validateResource;
    const wrap =
      (v: Exclude<typeof validate, unknown[] | undefined>): typeof v =>
      (args, report) =>
        v(args, mandatoryReport(policy, report));
    made = { ...policy, validateResource: Array.isArray(validate) ? validate.map(wrap) : validate && wrap(validate) };
  }
  promises.add(made);
  return made;
}
