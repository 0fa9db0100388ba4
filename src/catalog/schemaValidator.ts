/**
 * The catalogue's ajv validator. Compiling the schema costs more than the rest of a preview's
 * catalogue work, so the compiled code is kept in dist/, keyed by the schema's digest: a changed
 * schema is compiled afresh, and an unwritable dist/ only costs the compile.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ValidateFunction } from "ajv";
import { buildCacheFile, keepText } from "../facts/buildCache.js";
import { projectRoot } from "../facts/paths.js";

export function catalogSchemaValidator(): ValidateFunction {
  const text = readFileSync(join(projectRoot(), "catalog", "catalog.schema.json"), "utf8");
  const digest = createHash("sha256").update(text).digest("hex").slice(0, 16);
  const cached = buildCacheFile(`catalog-schema-${digest}.js`);
  if (existsSync(cached)) return require(cached) as ValidateFunction;
  // Loaded only to compile: the cached code needs just ajv's small runtime helpers.
  const { default: Ajv } = require("ajv") as typeof import("ajv");
  const { default: standaloneCode } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, code: { source: true } });
  const validate = ajv.compile(JSON.parse(text));
  keepText(cached, standaloneCode(ajv, validate));
  return validate;
}
