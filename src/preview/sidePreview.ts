/**
 * One side of a diff, previewed inside a long-lived worker (src/audit/worker.ts) instead of a
 * `pico-monitoring preview <customer> --json --at <as-of>` process per customer. The answer is
 * what that command would have printed and exited with, so the diff reads both the same way.
 */
import { describeFailure } from "../facts/problems.js";

/** Marks a worker that answers side-preview requests; `diff` looks for it in the base's worker. */
export const sidePreviewProtocol = "pico-side-preview/1";

export interface SidePreviewRequest {
  type: "preview";
  protocol: typeof sidePreviewProtocol;
  customer: string;
  at: string;
}
export interface SidePreviewAnswer {
  type: "preview";
  code: number;
  stdout: string;
  stderr: string;
}

export async function previewSide(req: SidePreviewRequest): Promise<SidePreviewAnswer> {
  try {
    const { parseAsOf } = await import("../facts/asOf.js");
    const { loadCustomer } = await import("../plan/loadCustomer.js");
    const { spec, catalog, file } = loadCustomer(req.customer);
    const asOf = parseAsOf(req.at, spec.timezone);
    const { judgeCustomer } = await import("./customer.js");
    const { mandatoryFailures, previewJson } = await import("./render.js");
    const { preview, report: policies } = await judgeCustomer(spec, catalog, asOf, { file });
    return {
      type: "preview",
      code: mandatoryFailures(policies).length > 0 ? 1 : 0,
      stdout: previewJson({ ...preview, policies }),
      stderr: "",
    };
  } catch (e) {
    const { code, lines } = describeFailure(e);
    return { type: "preview", code, stdout: "", stderr: lines.map((l) => `${l}\n`).join("") };
  }
}
