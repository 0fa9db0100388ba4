// released-catalog-versions: an alert's provenance names a catalogue entry version that was released,
// i.e. that catalog/versions.lock.json records. Releasing is a reviewed step (`npm run generate`
// appends the digest; .github/CODEOWNERS puts catalog/ before its owners), so an entry bumped to a
// version nobody released, and rendered from the same unreviewed edit, can't reach a stack.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isAlertingResourceType } from "../src/facts/alertingResources.js";
import { fromAzureTags, fromDatadogTags } from "../src/catalog/provenance.js";
import { lockKey, readVersionLock, versionLockPath, type VersionLock } from "../src/catalog/versionLock.js";
import { catalogDir } from "../src/facts/paths.js";
import { elements, peek, UNKNOWN } from "./resourceProps.js";

/** The kinds of violation this policy reports (the tests trigger each). */
export const releasedCatalogVersionsMessages = ["unreleased"] as const;

/** The repository's released versions (catalog/versions.lock.json); none when it is missing or unreadable (fail closed). */
export function repositoryReleasedVersions(): VersionLock {
  const read = readVersionLock(versionLockPath(catalogDir()));
  return read.ok ? read.lock : {};
}

/** The policy, holding provenance to `released`. */
export const releasedCatalogVersions = (released: VersionLock): ResourceValidationPolicy => ({
  name: "released-catalog-versions",
  description: "Every catalogue alert names an entry version that catalog/versions.lock.json records as released.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Release the entry's version with `npm run generate` (it appends the digest to catalog/versions.lock.json) in a " +
    "pull request the catalogue's code owners approve, or pin the alert to a released version.",
  validateResource: (args, reportViolation) => {
    if (!isAlertingResourceType(args.type)) return;
    const tags = peek(args.props, "tags");
    if (tags === UNKNOWN || tags === undefined || tags === null) return; // no provenance: no-custom-alerts rejects it
    const provenance = Array.isArray(tags)
      ? fromDatadogTags(elements(tags).filter((t): t is string => typeof t === "string"))
      : fromAzureTags(tags);
    if (typeof provenance === "string") return;
    if (Object.hasOwn(released, lockKey({ id: provenance.entry, version: provenance.version }))) return;
    reportViolation(
      `'${args.name}' is rendered from catalogue entry ${provenance.entry} v${provenance.version}, which catalog/versions.lock.json doesn't record as released`,
    );
  },
});
