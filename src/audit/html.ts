/**
 * The audit as one self-contained HTML page: inline CSS, no scripts, no external assets (the
 * content security policy forbids them too), so it can be mailed, archived and opened offline.
 * Everything taken from a customer file or a resource is escaped.
 */
import { spanText, stateText } from "./maintenance.js";
import type { AuditedMaintenanceWindow, AuditedViolation, AuditReport, CustomerAudit } from "./model.js";
import { resultOf, statusText, tunableText } from "./report.js";

export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Anchor ids: customer ids are validated, but an invalid file's name is anything. */
const idFor = (customer: string) => `customer-${customer.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}`)}`;

const style = `
:root { --fail: #b42318; --fail-bg: #fef3f2; --pass: #067647; --pass-bg: #ecfdf3; --muted: #667085; --line: #d0d5dd; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #101828; margin: 0 auto; padding: 2rem; max-width: 80rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .35rem .55rem; text-align: left; vertical-align: top; }
th { background: #f9fafb; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: var(--pass); background: var(--pass-bg); font-weight: 600; }
.fail { color: var(--fail); background: var(--fail-bg); font-weight: 600; }
.na { color: var(--muted); }
.verdict { display: inline-block; padding: .25rem .75rem; border-radius: 1rem; margin: .5rem 0 1rem; }
.muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; overflow-wrap: anywhere; }
dl.evidence { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.25rem; margin: .5rem 0; }
dl.evidence dt { font-weight: 600; }
dl.evidence dd { margin: 0; overflow-wrap: anywhere; }
details { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem 1rem; margin: .75rem 0; }
details > summary { cursor: pointer; font-weight: 600; }
ul.findings { margin: .25rem 0 .75rem; padding-left: 1.25rem; }
ul.findings li { margin: .2rem 0; overflow-wrap: anywhere; }
.diff { margin: .15rem 0 0; font-size: .85em; }
/* A wide table scrolls inside its own box on a narrow screen; the page itself never scrolls sideways. */
.wide { overflow-x: auto; }
@media (max-width: 40rem) {
  body { padding: 1rem; font-size: 14px; }
  dl.evidence { grid-template-columns: 1fr; }
  dl.evidence dd { margin-bottom: .5rem; }
}
/* On paper every section is open: a closed <details> would print as its summary alone. Nothing can
   scroll on paper, so tables fit the page's width: fixed columns, long policy names and ids wrap. */
@page { size: A4; margin: 14mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  .wide { overflow: visible; }
  table { table-layout: fixed; font-size: 8pt; }
  th, td { overflow-wrap: anywhere; padding: .2rem .3rem; }
  tr { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  details { break-inside: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { list-style: none; break-after: avoid; }
}
`;

export function auditHtml(report: AuditReport): string {
  const e = report.evidence;
  const s = report.summary;
  const ok = s.passed === s.customers;
  const out: string[] = [];
  out.push(
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Extended monitoring audit, ${esc(e.asOf)}</title>`,
    `<style>${style}</style>`,
    "</head>",
    "<body>",
    "<h1>Extended monitoring audit</h1>",
    `<p class="muted">As of ${esc(e.asOf)}; generated ${esc(e.generatedAt)} by ${esc(e.tool.name)} ${esc(e.tool.version)}.</p>`,
    `<p class="verdict ${ok ? "pass" : "fail"}">${s.customers} ${s.customers === 1 ? "customer" : "customers"}: ${s.passed} passed, ${s.failed} failed` +
      (s.invalid ? `, ${s.invalid} with an invalid file` : "") +
      (s.errors ? `, ${s.errors} not audited` : "") +
      "</p>",
  );

  out.push(
    "<h2>Policies by customer</h2>",
    '<div class="wide"><table>',
    '<thead><tr><th>Customer</th><th>Result</th><th class="num">Alerts</th>',
  );
  for (const p of report.policies) out.push(`<th>${esc(p.name)}<br><span class="muted">${esc(p.enforcementLevel)}</span></th>`);
  out.push("</tr></thead>", "<tbody>");
  for (const c of report.customers) {
    out.push(
      `<tr><td><a href="#${idFor(c.customer)}">${esc(c.customer)}</a>${c.name ? `<br><span class="muted">${esc(c.name)}</span>` : ""}</td>`,
    );
    out.push(`<td class="${c.status === "pass" ? "pass" : "fail"}">${esc(statusText(c))}</td>`);
    out.push(`<td class="num">${c.status === "pass" || c.status === "fail" ? c.alerts.length : "–"}</td>`);
    for (const p of report.policies) {
      const r = resultOf(c, p.name);
      if (!r) out.push('<td class="na">not run</td>');
      else if (r.status === "pass") out.push('<td class="pass">pass</td>');
      else out.push(`<td class="fail">FAIL (${r.violations.length})</td>`);
    }
    out.push("</tr>");
  }
  out.push("</tbody>", "</table></div>");

  out.push("<h2>Evidence</h2>", '<dl class="evidence">');
  const fact = (k: string, v: string) => out.push(`<dt>${esc(k)}</dt><dd>${v}</dd>`);
  fact("Tool", `${esc(e.tool.name)} ${esc(e.tool.version)} <span class="muted">(Node ${esc(e.node)})</span>`);
  fact("Policy pack", `${esc(e.pack.name)} ${esc(e.pack.version)} <span class="muted">(${esc(e.pack.package)})</span>`);
  fact("Catalogue", `${esc(e.catalog.path)}, ${e.catalog.entries} entries<br><span class="mono">${esc(e.catalog.digest)}</span>`);
  if (e.renderedFrom) {
    fact(
      "Alerts rendered from",
      `${esc(e.renderedFrom.path)}, ${e.renderedFrom.entries} entries<br><span class="mono">${esc(e.renderedFrom.digest)}</span>`,
    );
  }
  const dirty = e.git.dirty === true ? " with uncommitted changes" : e.git.dirty === "unknown" ? " (working tree state unknown)" : "";
  fact("Git commit", `<span class="mono">${esc(e.git.commit)}</span>${esc(dirty)}`);
  if (e.policyConfig) {
    fact(
      "Policy configuration",
      `${esc(e.policyConfig.path)} <span class="muted">sha256 ${esc(e.policyConfig.sha256)}</span><br><span class="mono">${esc(JSON.stringify(e.policyConfig.config))}</span>`,
    );
  }
  fact("As of", esc(e.asOf));
  fact("Generated", esc(e.generatedAt));
  out.push("</dl>");

  out.push("<h2>Customers</h2>");
  for (const c of report.customers) out.push(...customerSection(c, report));

  out.push(
    "<h2>Policies</h2>",
    '<div class="wide"><table>',
    "<thead><tr><th>Policy</th><th>Level</th><th>What it checks</th><th>Remediation</th></tr></thead>",
    "<tbody>",
  );
  for (const p of report.policies) {
    out.push(
      `<tr><td class="mono">${esc(p.name)}</td><td>${esc(p.enforcementLevel)}${p.severity ? `<br><span class="muted">severity ${esc(p.severity)}</span>` : ""}</td>` +
        `<td>${esc(p.description)}</td><td>${markdownHtml(p.remediation ?? "")}</td></tr>`,
    );
  }
  out.push("</tbody>", "</table></div>", "</body>", "</html>", "");
  return out.join("\n");
}

/** Expected against actual for a field that differs; a value that could be a key is never shown. */
function differenceHtml(d: AuditedViolation["difference"]): string {
  if (!d) return "";
  if (d.withheld) return `<div class="diff muted">Field <code>${esc(d.field)}</code>: values withheld, as either could hold a key.</div>`;
  return (
    `<div class="diff">Field <code>${esc(d.field)}</code>: the catalogue renders <code>${esc(d.expected ?? "")}</code>; ` +
    `deployed is <code>${esc(d.actual ?? "")}</code>.</div>`
  );
}

/**
 * The Markdown the policies' remediation text uses: paragraphs, `- ` lists, `code`, **bold** and
 * [links](https://…). Escaped first, so no HTML in the text survives; links are https only.
 */
export function markdownHtml(text: string): string {
  const inline = (s: string) =>
    esc(s)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/\[([^\]]+)\]\((https:\/\/[^\s)]+)\)/g, (_, label: string, url: string) => `<a href="${url}">${label}</a>`);
  const blocks = text.trim().split(/\n\s*\n/);
  return blocks
    .map((b) => {
      const lines = b.split("\n");
      if (lines.every((l) => /^\s*[-*] /.test(l)))
        return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*] /, ""))}</li>`).join("")}</ul>`;
      return blocks.length === 1 ? inline(b) : `<p>${inline(b)}</p>`;
    })
    .join("");
}

/** Evidence of the roster: each day the schedules hold, and who covers each role. */
function rosterHtml(roster: NonNullable<CustomerAudit["roster"]>): string[] {
  const roleNames = [...new Set(roster.days.flatMap((d) => Object.keys(d.onDuty)))];
  const out = [`<h3>Preparedness roster (${roster.days.length} days from as-of, ${esc(roster.timezone)})</h3>`];
  if (roster.days.length === 0) return [...out, '<p class="muted">No preparedness days from as-of on.</p>'];
  out.push(
    '<div class="wide"><table>',
    `<thead><tr><th>Day</th>${roleNames.map((r) => `<th>${esc(r)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
  );
  for (const d of roster.days)
    out.push(`<tr><td>${esc(d.layer)}</td>${roleNames.map((r) => `<td>${esc(d.onDuty[r] ?? "")}</td>`).join("")}</tr>`);
  out.push("</tbody>", "</table></div>");
  if (roster.changes?.length) {
    out.push(`<h3>Roster changes (${roster.changes.length})</h3>`, '<div class="wide"><table>');
    out.push("<thead><tr><th>Day</th><th>Role</th><th>From</th><th>To</th><th>Reason</th></tr></thead>", "<tbody>");
    for (const c of roster.changes)
      out.push(
        `<tr><td>${esc(c.day)}</td><td>${esc(c.role)}</td><td>${esc(c.from)}</td><td>${esc(c.to)}</td><td>${esc(c.reason)}</td></tr>`,
      );
    out.push("</tbody>", "</table></div>");
  }
  return out;
}

/** The approved maintenance windows: when, what, on whose approval, and where each stands at as-of. */
function maintenanceHtml(windows: AuditedMaintenanceWindow[]): string[] {
  const out = [`<h3>Maintenance windows (${windows.length})</h3>`, '<div class="wide"><table>'];
  out.push(
    "<thead><tr><th>Window</th><th>Local time</th><th>Duration</th><th>Systems</th><th>Approved by</th><th>Change</th>" +
      "<th>Reason</th><th>Preparedness</th><th>At as-of</th><th>Line</th></tr></thead>",
    "<tbody>",
  );
  for (const w of windows) {
    const who = w.approvedBy.name
      ? `${esc(w.approvedBy.name)}<br><span class="mono">${esc(w.approvedBy.email)}</span>`
      : `<span class="mono">${esc(w.approvedBy.email)}</span>`;
    const p = w.preparedness;
    const preparedness = p
      ? `<td class="fail">overlaps ${esc(p.date)} (${esc(p.title)}, ${esc(spanText(p))})${p.reason !== undefined ? `<br><span class="muted">${esc(p.reason)}</span>` : ""}</td>`
      : '<td class="na">no overlap</td>';
    const state = w.state === "running" ? "fail" : w.state === "ended" ? "na" : "";
    out.push(
      `<tr><td class="mono">${esc(w.id)}</td><td>${esc(spanText(w))}<br><span class="muted">${esc(w.timezone)}</span></td>` +
        `<td class="num">${esc(w.duration)}</td><td class="mono">${w.systems.map(esc).join(", ")}</td><td>${who}</td>` +
        `<td class="mono">${esc(w.change)}</td><td>${esc(w.reason)}</td>${preparedness}` +
        `<td${state ? ` class="${state}"` : ""}>${esc(stateText[w.state])}</td><td class="num">${w.at.line}</td></tr>`,
    );
  }
  out.push("</tbody>", "</table></div>");
  return out;
}

function customerSection(c: CustomerAudit, report: AuditReport): string[] {
  const out: string[] = [];
  const where = (line: number, col: number) => `<span class="mono">${esc(c.file)}:${line}:${col}</span>`;
  // Failures open, passes closed: the page leads with what needs attention.
  out.push(`<details id="${idFor(c.customer)}"${c.status === "pass" ? "" : " open"}>`);
  out.push(
    `<summary>${esc(c.customer)}${c.name ? ` — ${esc(c.name)}` : ""}: <span class="${c.status === "pass" ? "pass" : "fail"}">${esc(statusText(c))}</span></summary>`,
  );
  out.push(`<p class="muted">${esc(c.file)}${c.sha256 ? `, sha256 <span class="mono">${esc(c.sha256)}</span>` : ""}</p>`);
  if (c.problems?.length) {
    out.push("<p>The customer file is invalid, so nothing was previewed:</p>", '<ul class="findings">');
    for (const p of c.problems) out.push(`<li>${where(p.line, p.col)}: ${esc(p.message)}</li>`);
    out.push("</ul>", "</details>");
    return out;
  }
  if (c.error) {
    out.push(`<p class="fail">The preview failed: ${esc(c.error)}</p>`, "</details>");
    return out;
  }

  out.push(`<h3>Alerts (${c.alerts.length})</h3>`, '<div class="wide"><table>');
  out.push(
    "<thead><tr><th>Alert</th><th>Catalogue entry</th><th>Version</th><th>Title</th><th>Target</th><th>Role</th><th>Tunables</th><th>Line</th><th>Policies</th></tr></thead>",
    "<tbody>",
  );
  for (const a of c.alerts) {
    const p = a.provenance;
    const policies = a.failedPolicies.length
      ? `<td class="fail">FAIL: ${a.failedPolicies.map(esc).join(", ")}</td>`
      : '<td class="pass">pass</td>';
    if (!p) {
      out.push(
        `<tr><td class="mono">${esc(a.name)}</td><td colspan="6" class="fail">no provenance: ${esc(a.noProvenance ?? "")}</td><td class="num">${a.at.line}</td>${policies}</tr>`,
      );
      continue;
    }
    const tunables = p.tunables.length
      ? p.tunables.map((t) => `${esc(t.name)} ${esc(tunableText(t))}`).join("<br>")
      : '<span class="muted">none</span>';
    out.push(
      `<tr><td class="mono">${esc(a.name)}</td><td class="mono">${esc(p.entry)}</td><td class="num">${p.version}</td>` +
        `<td>${p.title ? esc(p.title) : '<span class="fail">not in the catalogue</span>'}</td><td class="mono">${esc(p.target)}</td>` +
        `<td>${esc(p.role)}</td><td>${tunables}</td><td class="num">${a.at.line}</td>${policies}</tr>`,
    );
  }
  out.push("</tbody>", "</table></div>");

  if (c.roster) out.push(...rosterHtml(c.roster));
  if (c.maintenance?.length) out.push(...maintenanceHtml(c.maintenance));

  out.push("<h3>Policy results</h3>", '<ul class="findings">');
  for (const r of c.policies) {
    const p = report.policies.find((x) => x.name === r.policy);
    out.push(
      `<li><span class="${r.status === "pass" ? "pass" : "fail"}">${r.status === "pass" ? "pass" : "FAIL"}</span> ${esc(r.policy)} <span class="muted">(${esc(r.enforcementLevel)})</span>`,
    );
    if (r.violations.length || r.undecided.length) {
      out.push('<ul class="findings">');
      for (const v of r.violations) out.push(`<li>${where(v.at.line, v.at.col)}: ${esc(v.message)}${differenceHtml(v.difference)}</li>`);
      for (const v of r.undecided) out.push(`<li class="muted">undecided: ${esc(v.message)}</li>`);
      if (r.status === "fail" && p?.remediation) out.push(`<li>Remediation: ${markdownHtml(p.remediation)}</li>`);
      out.push("</ul>");
    }
    out.push("</li>");
  }
  out.push("</ul>", "</details>");
  return out;
}
