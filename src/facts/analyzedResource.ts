// What one resource looks like to the policy pack, and the two moments the CLI runs it. Pure types,
// here in the shared facts so that the pack (policies/) and the offline harness (src/offline/) can both
// name them without importing each other. The model that produces them is src/offline/cliView.ts.

/** A first `pulumi preview` of a new stack, or an update of one that exists (ids and keys known). */
export type CliPhase = "first-preview" | "update";
export const cliPhases: readonly CliPhase[] = ["first-preview", "update"];

export interface PolicyInputResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource. */
  parent?: string;
  /** Plain data; secrets as whatever stands for them, unknowns as UNKNOWN_VALUE. */
  props: Record<string, unknown>;
  /** What stack policies see instead of `props` (AnalyzeStack is given outputs); default `props`. */
  outputs?: Record<string, unknown>;
  /** URNs this resource depends on. */
  dependencies?: string[];
  /** Per top-level property, the URNs its value was computed from. */
  propertyDependencies?: Record<string, string[]>;
  /** As registered; the CLI always knows them, so absent means none. */
  additionalSecretOutputs?: string[];
  /**
   * The provider a custom resource is registered with, as Analyze is told it (its type, name, URN
   * and settings); absent: not told, and the provider is not judged.
   */
  provider?: { type: string; name: string; urn: string; props: Record<string, unknown> };
}

/** One resource as the analyzer receives it. */
export interface AnalyzedResource extends PolicyInputResource {
  /** Where the props held a secret (its value is in `props`); the wire wraps these. */
  secretPaths: string[];
  /** What AnalyzeStack is given instead of `props`: the resource's outputs. */
  outputs: Record<string, unknown>;
  /** Where the outputs hold a secret: `secretPaths` and the additionalSecretOutputs. */
  outputSecretPaths: string[];
  /** false for component resources. */
  custom: boolean;
  /** Output keys only the SDK's declarations put there: nothing the program set or the mock answered. */
  declaredOnly?: string[];
}

/** The Pulumi project every customer stack belongs to (Pulumi.yaml `name`). */
export const pulumiProject = "pico-monitoring";
