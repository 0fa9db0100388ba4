/**
 * The provider settings that are credentials, per provider package: the fields each installed SDK's
 * `Provider` class marks secret (providerCredentials.generated.json, which `npm run generate` reads
 * from the SDKs' provider.js; nothing here is written by hand). The pack names them in its messages
 * and requires each to be a value of the stack's configuration (policies/noPlaintextSecrets.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./paths.js";

export const providerCredentialsFile = () => join(projectRoot(), "src", "facts", "providerCredentials.generated.json");

/** The SDK packages whose Provider classes are read, by provider package name. */
export const providerSdks: Readonly<Record<string, string>> = {
  "azure-native": "@pulumi/azure-native",
  datadog: "@pulumi/datadog",
  pagerduty: "@pulumi/pagerduty",
};

let table: Record<string, string[]> | undefined;

/** The credential settings of provider package `pkg` (none for a package we have no SDK for). */
export function providerCredentials(pkg: string): readonly string[] {
  table ??= (JSON.parse(readFileSync(providerCredentialsFile(), "utf8")) as { credentials: Record<string, string[]> }).credentials;
  return table[pkg] ?? [];
}
