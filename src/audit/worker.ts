/**
 * An audit worker process (see pool.ts): audits the customer files the parent sends, one at a
 * time, and answers with each customer's audit record. `diff` uses the same workers to preview
 * each side (src/preview/sidePreview.ts).
 */
// First: defers parts of @pulumi/pulumi that only closure serialization uses (see fastStart.ts).
import "../offline/fastStart.js";
import { formatProblem } from "../facts/problems.js";
import { auditContext, auditCustomerFile, type AuditContext } from "./customer.js";
import type { SidePreviewRequest } from "../preview/sidePreview.js";
import type { FromWorker, ToWorker } from "./pool.js";

let ctx: AuditContext | undefined;
const send = (m: FromWorker) => process.send!(m);

process.on("message", (m: ToWorker | SidePreviewRequest) => {
  if (m.type === "preview") {
    import("../preview/sidePreview.js")
      .then(({ previewSide }) => previewSide(m))
      .then(
        (answer) => process.send!(answer),
        (e: unknown) => send({ type: "failed", message: (e as Error)?.message ?? String(e) }),
      );
    return;
  }
  if (m.type === "init") {
    // The parent has loaded this catalogue already; it is valid unless it changed since.
    const loaded = auditContext(m.catalogDir, m.asOf, m.policyConfig, m.stacksDir);
    if (loaded.ok) ctx = loaded.ctx;
    else send({ type: "failed", message: `the catalogue changed during the audit: ${loaded.problems.map(formatProblem).join("; ")}` });
    return;
  }
  if (!ctx) {
    send({ type: "failed", message: "worker was not initialised" });
    return;
  }
  auditCustomerFile(m.file, ctx).then(
    (audit) => send({ type: "result", index: m.index, audit }),
    (e: unknown) => send({ type: "failed", message: (e as Error)?.message ?? String(e) }),
  );
});
process.on("disconnect", () => process.exit(0));
