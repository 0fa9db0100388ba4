/**
 * Escaping for the Markdown the reports print (GitHub-flavoured: the audit's report and diff's pull
 * request comment). One escaper, so a hostile name in a customer file or a resource is shown, not
 * rendered, the same way in both.
 */

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Text safe in a Markdown paragraph or table cell: on one line, with no HTML, emphasis, code span, link or cell opened by it. */
export function escapeMarkdown(s: string | number): string {
  return escapeHtml(String(s).replace(/[\r\n]+/g, " ")).replace(/([\\`*_[\]|~])/g, "\\$1");
}
