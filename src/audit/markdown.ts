/**
 * The audit as Markdown (GitHub-flavoured): for a pull-request comment, a CI summary or a file an
 * auditor opens. Every value from a customer file or resource is escaped: a report must show a
 * hostile name, not render it.
 */
import { escapeHtml, escapeMarkdown } from "../facts/markdown.js";
import { spanText, stateText } from "./maintenance.js";
import type { AuditedMaintenanceWindow, AuditReport, CustomerAudit } from "./model.js";
import { resultOf, statusText, tunableText } from "./report.js";

const md = escapeMarkdown;

/**
 * The pack's own texts are Markdown written in this repository: code spans stay as written, and
 * only `<`, `>` and `&` outside them are escaped, so `@pagerduty-<service>` is not taken for a tag.
 */
export function mdTrusted(s: string): string {
  return s
    .replace(/[\r\n]+/g, " ")
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeHtml(part)))
    .join("");
}

const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

export function auditMarkdown(report: AuditReport): string {
  const e = report.evidence;
  const s = report.summary;
  const out: string[] = [];
  out.push("# Extended monitoring audit", "");
  out.push(
    `${s.customers} ${s.customers === 1 ? "customer" : "customers"}: ${s.passed} passed, ${s.failed} failed` +
      (s.invalid ? `, ${s.invalid} with an invalid file` : "") +
      (s.errors ? `, ${s.errors} not audited` : "") +
      `. As of ${md(e.asOf)}.`,
    "",
  );

  out.push("## Policies by customer", "");
  out.push(row(["Customer", "Result", ...report.policies.map((p) => `${md(p.name)} (${md(p.enforcementLevel)})`)]));
  out.push(row(["---", "---", ...report.policies.map(() => "---")]));
  for (const c of report.customers) {
    out.push(
      row([
        `[${md(c.customer)}](#customer-${anchor(c.customer)})`,
        statusText(c),
        ...report.policies.map((p) => {
          const r = resultOf(c, p.name);
          if (!r) return "–";
          return r.status === "pass" ? "pass" : `**FAIL** (${r.violations.length})`;
        }),
      ]),
    );
  }
  out.push("");

  for (const c of report.customers) out.push(...customerSection(c, report));

  out.push("## Policies", "");
  for (const p of report.policies) {
    out.push(
      `- **${md(p.name)}** (${md(p.enforcementLevel)}${p.severity ? `, severity ${md(p.severity)}` : ""}): ${mdTrusted(p.description)}`,
    );
    if (p.remediation) out.push(`  Remediation: ${mdTrusted(p.remediation)}`);
  }
  out.push("");

  out.push("## Evidence", "");
  out.push(row(["", ""]), row(["---", "---"]));
  out.push(row(["Tool", `${md(e.tool.name)} ${md(e.tool.version)} (Node ${md(e.node)})`]));
  out.push(row(["Policy pack", `${md(e.pack.name)} ${md(e.pack.version)} (${md(e.pack.package)})`]));
  out.push(row(["Catalogue", `${md(e.catalog.path)}, ${e.catalog.entries} entries, ${md(e.catalog.digest)}`]));
  if (e.renderedFrom) {
    out.push(row(["Alerts rendered from", `${md(e.renderedFrom.path)}, ${e.renderedFrom.entries} entries, ${md(e.renderedFrom.digest)}`]));
  }
  out.push(
    row([
      "Git commit",
      `${md(e.git.commit)}${e.git.dirty === true ? " with uncommitted changes" : e.git.dirty === "unknown" ? " (working tree state unknown)" : ""}`,
    ]),
  );
  if (e.policyConfig) {
    out.push(
      row([
        "Policy configuration",
        `${md(e.policyConfig.path)} (sha256 ${e.policyConfig.sha256.slice(0, 12)}…): ${md(JSON.stringify(e.policyConfig.config))}`,
      ]),
    );
  }
  out.push(row(["As of", md(e.asOf)]));
  out.push(row(["Generated", md(e.generatedAt)]));
  out.push("");
  return out.join("\n");
}

/** GitHub's heading anchors: lower-case, spaces to dashes, punctuation dropped. */
const anchor = (id: string) =>
  id
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");

function customerSection(c: CustomerAudit, report: AuditReport): string[] {
  const out: string[] = [];
  out.push(`## Customer ${md(c.customer)}`, "");
  out.push(
    `${c.name ? `${md(c.name)}, ` : ""}${md(c.file)}${c.sha256 ? ` (sha256 ${c.sha256.slice(0, 12)}…)` : ""}: **${statusText(c)}**`,
    "",
  );
  if (c.problems?.length) {
    out.push("The customer file is invalid, so nothing was previewed:", "");
    for (const p of c.problems) out.push(`- ${md(c.file)}:${p.line}:${p.col}: ${md(p.message)}`);
    out.push("");
    return out;
  }
  if (c.error) {
    out.push(`The preview failed: ${md(c.error)}`, "");
    return out;
  }

  out.push(`### Alerts (${c.alerts.length})`, "");
  out.push(row(["Alert", "Catalogue entry", "Version", "Title", "Target", "Role", "Tunables", "Line", "Policies"]));
  out.push(row(["---", "---", "---", "---", "---", "---", "---", "---", "---"]));
  for (const a of c.alerts) {
    const p = a.provenance;
    const policies = a.failedPolicies.length ? `**FAIL**: ${a.failedPolicies.map(md).join(", ")}` : "pass";
    if (!p) {
      out.push(row([md(a.name), `none: ${md(a.noProvenance ?? "")}`, "", "", "", "", "", a.at.line, policies]));
      continue;
    }
    const tunables = p.tunables.map((t) => `${md(t.name)} ${md(tunableText(t))}`).join(", ") || "–";
    out.push(
      row([
        md(a.name),
        md(p.entry),
        p.version,
        md(p.title ?? "(not in the catalogue)"),
        md(p.target),
        md(p.role),
        tunables,
        a.at.line,
        policies,
      ]),
    );
  }
  out.push("");

  if (c.roster?.changes?.length) {
    out.push(`### Roster changes (${c.roster.changes.length})`, "");
    out.push(row(["Day", "Role", "From", "To", "Reason"]), row(["---", "---", "---", "---", "---"]));
    for (const x of c.roster.changes) out.push(row([x.day, md(x.role), md(x.from), md(x.to), md(x.reason)]));
    out.push("");
  }

  if (c.maintenance?.length) out.push(...maintenanceMarkdown(c.maintenance));

  out.push("### Policy results", "");
  for (const r of c.policies) {
    const p = report.policies.find((x) => x.name === r.policy);
    out.push(`- ${r.status === "pass" ? "pass" : "**FAIL**"}: ${md(r.policy)} (${md(r.enforcementLevel)})`);
    for (const v of r.violations) out.push(`  - ${md(c.file)}:${v.at.line}:${v.at.col}: ${md(v.message)}`);
    for (const v of r.undecided) out.push(`  - undecided: ${md(v.message)}`);
    if (r.status === "fail" && p?.remediation) out.push(`  - Remediation: ${mdTrusted(p.remediation)}`);
  }
  out.push("");
  return out;
}

/** Each approved window with its approval, and where it stands at the audit's as-of. */
function maintenanceMarkdown(windows: AuditedMaintenanceWindow[]): string[] {
  const out = [`### Maintenance windows (${windows.length})`, ""];
  out.push(row(["Window", "Local time", "Duration", "Systems", "Approved by", "Change", "Reason", "Preparedness", "At as-of", "Line"]));
  out.push(row(Array(10).fill("---")));
  for (const w of windows) {
    const who = w.approvedBy.name ? `${md(w.approvedBy.name)} (${md(w.approvedBy.email)})` : md(w.approvedBy.email);
    const p = w.preparedness;
    const preparedness = p
      ? `**overlaps** ${p.date} (${md(p.title)}, ${md(spanText(p))})${p.reason !== undefined ? `: ${md(p.reason)}` : ""}`
      : "no overlap";
    out.push(
      row([
        md(w.id),
        `${md(spanText(w))} ${md(w.timezone)}`,
        w.duration,
        w.systems.map(md).join(", "),
        who,
        md(w.change),
        md(w.reason),
        preparedness,
        w.state === "running" ? `**${stateText[w.state]}**` : stateText[w.state],
        w.at.line,
      ]),
    );
  }
  out.push("");
  return out;
}
