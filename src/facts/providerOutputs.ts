/**
 * The output properties each provider SDK class declares (providerOutputs.generated.json, which
 * `npm run generate` reads from the installed SDKs' `.d.ts`; ./providerCheck `sdkDeclarations` says
 * which files). AnalyzeStack is handed these, not the inputs (./cliView rule 5), so the CLI-view
 * model adds them and the stack comparison tolerates them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./paths.js";

/** The shape of a declared output's type, enough to give it a stand-in value. */
export type OutputKind = "string" | "number" | "boolean" | "list" | "object";

export const providerOutputsFile = () => join(projectRoot(), "src", "facts", "providerOutputs.generated.json");

let table: Record<string, Record<string, OutputKind>> | undefined;

/** The declared outputs of a type token, or undefined for a type we have no SDK declarations for. */
export function declaredOutputs(type: string): Readonly<Record<string, OutputKind>> | undefined {
  table ??= (JSON.parse(readFileSync(providerOutputsFile(), "utf8")) as { outputs: Record<string, Record<string, OutputKind>> }).outputs;
  return table[type];
}
