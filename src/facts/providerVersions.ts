/**
 * The version of each installed provider SDK, as the engine stamps it on every provider resource it registers
 * (pulumi/pulumi pkg/resource/deploy/source_eval.go `SetProviderVersion`; seen in every recording under
 * test/recordings/): the package's `pulumi.version`, else its own version, without a leading `v`.
 */
import { createRequire } from "node:module";

const versions = new Map<string, string | undefined>();

export function providerSdkVersion(pkg: string): string | undefined {
  if (!versions.has(pkg)) {
    let version: string | undefined;
    try {
      const json = createRequire(__filename)(`@pulumi/${pkg}/package.json`) as { version?: string; pulumi?: { version?: string } };
      version = (json.pulumi?.version ?? json.version)?.replace(/^v/, "");
    } catch {
      version = undefined;
    }
    versions.set(pkg, version);
  }
  return versions.get(pkg);
}
