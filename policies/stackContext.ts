// What a policy knows about the stack it judges besides its resources. Under the CLI that is the pack
// process's environment (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go `constructEnv`:
// PULUMI_NODEJS_STACK, PULUMI_NODEJS_DRY_RUN, PULUMI_CONFIG with secrets decrypted; modelled by
// `packProcessEnv` in src/offline/cliView.ts). In-process (src/offline/policyResults.ts) the caller says it instead,
// through `withStackContext`, so an offline run and the CLI judge the same stack the same way.
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface StackContext {
  /** The stack name: the customer id. */
  stack?: string;
  /** true on `pulumi preview`, false on `pulumi up`. */
  dryRun?: boolean;
  /** Stack configuration, `namespace:key` -> value (secrets decrypted), or undefined when not given. */
  config?: Record<string, string>;
  /**
   * Where the customer files are: repository mode. Undefined: a published pack with no repository
   * beside it.
   */
  stacksDir?: string;
  /**
   * What time it is for the pack: the as-of must be within the schedules' horizon of it. Under the
   * CLI always the real time (no configuration moves it); in-process, `audit --at` and `preview --at` say it.
   */
  clock?: Date;
}

let override: StackContext | undefined;

/** Runs `fn` with the given context instead of the process environment (in-process runs only). */
export async function withStackContext<T>(context: StackContext, fn: () => Promise<T>): Promise<T> {
  const saved = override;
  override = context;
  try {
    return await fn();
  } finally {
    override = saved;
  }
}

function parseConfig(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  } catch {
    return undefined;
  }
}

/**
 * The repository's stacks/ next to the pack (policies/ -> ../stacks). The pack runs from
 * dist/policies, so it looks for the directory above it that holds both policies/ and stacks/.
 * PICO_PACK_STACKS_DIR overrides it (a directory that does not exist stands for a published pack).
 */
function repositoryStacksDir(): string | undefined {
  const set = process.env["PICO_PACK_STACKS_DIR"];
  if (set !== undefined) return set !== "" && existsSync(set) ? set : undefined;
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    const stacks = join(dir, "stacks");
    if (existsSync(join(dir, "policies", "PulumiPolicy.yaml")) && existsSync(stacks)) return stacks;
    dir = join(dir, "..");
  }
  return undefined;
}

export function stackContext(): StackContext {
  if (override) return override;
  const env = process.env;
  const dry = env["PULUMI_NODEJS_DRY_RUN"] ?? env["PULUMI_DRY_RUN"];
  return {
    stack: env["PULUMI_NODEJS_STACK"] ?? env["PULUMI_STACK"],
    dryRun: dry === undefined ? undefined : dry === "true",
    config: parseConfig(env["PULUMI_CONFIG"]),
    stacksDir: repositoryStacksDir(),
  };
}

/** The repository's stacks/ as the in-process caller sees it. */
export const defaultStacksDir = repositoryStacksDir;
