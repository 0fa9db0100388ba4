/**
 * `roster swap <customer> <day> --role <r> --to <e-mail> --reason "..."`: writes one roster change
 * into the customer file, ready for a pull request. The file is edited in place: the yaml
 * package's document tells where `roster.changes` is, and the new entry is spliced into the text
 * there, so every comment, blank line and flow list of the file stays as it was (re-printing the
 * whole document would re-space every `[a, b]`). The text it would write is checked as `validate`
 * checks a file; anything validate refuses is refused, and the file is left untouched.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import type { Document, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { roles, type Role } from "../facts/extended.js";
import { formatProblem, InputError, UsageError } from "../facts/problems.js";
import { lazyRequire } from "../facts/lazy.js";

const yaml = lazyRequire<typeof import("yaml")>("yaml");

interface SwapFlags {
  role?: string;
  to?: string;
  reason?: string;
  stacks?: string;
}

export function registerRosterSwap(roster: Command): Command {
  return roster
    .command("swap")
    .description("write a roster change into the customer file: on <day>, --to covers --role instead of the rotation's person")
    .argument("<customer>", "customer id, or path to the customer's YAML file")
    .argument("<day>", "the preparedness day, YYYY-MM-DD")
    .requiredOption("--role <role>", `the role that changes hands (${roles.join(", ")})`)
    .requiredOption("--to <e-mail>", "who covers instead (a PagerDuty user's e-mail)")
    .requiredOption("--reason <text>", "why, for the audit trail")
    .option("--stacks <dir>", "directory of customer files (default: stacks/)")
    .action(async function (this: Command, customer: string, day: string, flags: SwapFlags) {
      const role = flags.role as Role;
      if (!(roles as readonly string[]).includes(role))
        throw new UsageError(`--role must be one of ${roles.join(", ")}, not '${flags.role}'`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new UsageError(`<day> must be a date written YYYY-MM-DD, not '${day}'`);
      const reason = (flags.reason ?? "").trim();
      if (!reason) throw new UsageError("--reason must say why: it is the audit trail of the change");

      const { resolveCustomer } = await import("../customer/resolve.js");
      const { readCatalog } = await import("../catalog/load.js");
      const { checkCustomerFile, checkCustomerText } = await import("../plan/load.js");
      const { parseYamlText } = await import("../facts/yamlSource.js");
      const { holidayWindows, onDuty, changeOn } = await import("../calendar/index.js");
      const { customerCalendar } = await import("../plan/plan.js");

      const file = resolveCustomer(customer, flags.stacks);
      const catalog = readCatalog();
      if (!catalog.ok) throw new InputError(catalog.problems);
      // The file as it is must be valid first: a swap is never mixed into a file with other problems.
      const before = checkCustomerFile(file, catalog.catalog);
      if (!before.ok) throw new InputError(before.problems);
      const { spec } = before;

      const window = holidayWindows(customerCalendar(spec), Number(day.slice(0, 4))).find((w) => w.date === day);
      if (!window) {
        throw new UsageError(
          `${day} is not a preparedness day of ${spec.customer}; \`pico-monitoring roster ${spec.customer} --year ${day.slice(0, 4)}\` lists them`,
        );
      }
      const existing = changeOn(spec.roster, day, role);
      if (existing) {
        const at = before.source.locate(["roster", "changes", spec.roster.changes.indexOf(existing)]);
        throw new UsageError(
          `${before.file}:${at.line}: ${day} ${role} already has a change (to ${existing.to}); edit or remove that entry instead`,
        );
      }
      const change = { day, role, from: onDuty(window, spec.roster[role]), to: flags.to ?? "", reason };

      const text = readFileSync(file, "utf8");
      const written = withChange(text, change);
      const after = checkCustomerText(parseYamlText(written, before.file), basename(file).replace(/\.ya?ml$/, ""), catalog.catalog);
      // Positions are in the text it would have written: the entry's line is where it would go.
      if (!after.ok) throw new InputError(after.problems.map((p) => ({ ...p, message: `${p.message} (roster swap wrote nothing)` })));

      writeFileSync(file, written);
      const out = this.configureOutput();
      const writeOut = out.writeOut ?? ((s: string) => process.stdout.write(s));
      const writeErr = out.writeErr ?? ((s: string) => process.stderr.write(s));
      for (const w of after.warnings.filter((w) => w.message.includes("roster.changes"))) writeErr(`${formatProblem(w)}\n`);
      writeOut(
        `${before.file}: roster change for ${spec.customer}: ${day} ${role}: ${change.from} → ${change.to} (${reason})\n${lineDiff(text, written)}`,
      );
    });
}

export interface NewChange {
  day: string;
  role: Role;
  from: string;
  to: string;
  reason: string;
}

/**
 * `text` with `change` added to `roster.changes` (kept in date order), and nothing else changed:
 * the entry is one flow mapping, as the file's alerts are, on a line of its own.
 */
export function withChange(text: string, change: NewChange): string {
  const Y = yaml();
  const doc = Y.parseDocument(text) as Document.Parsed;
  const roster = doc.get("roster", true) as YAMLMap | undefined;
  if (!Y.isMap(roster) || roster.flow || !roster.range)
    throw new UsageError("roster: must be a block mapping for `roster swap` to add to it");
  const entryDoc = new Y.Document();
  entryDoc.contents = entryDoc.createNode({ ...change }, { flow: true });
  const entry = entryDoc.toString({ lineWidth: 0 }).trimEnd();

  const column = (offset: number) => offset - (text.lastIndexOf("\n", offset - 1) + 1);
  const endOfLine = (offset: number) => {
    const nl = text.indexOf("\n", offset);
    return nl < 0 ? text.length : nl;
  };
  const firstKey = (roster.items[0] as Pair<Scalar> | undefined)?.key;
  const indent = " ".repeat(firstKey?.range ? column(firstKey.range[0]) : 2);
  const changesPair = roster.items.find((p) => Y.isScalar(p.key) && p.key.value === "changes") as Pair<Scalar, YAMLSeq> | undefined;

  let result: string;
  if (!changesPair) {
    // After the roster's last entry (and any comment on its line).
    const last = roster.items.at(-1) as Pair<Scalar, { range?: [number, number, number] }>;
    const at = endOfLine(last.value?.range?.[1] ?? roster.range[1]);
    result = `${text.slice(0, at)}\n${indent}changes:\n${indent}  - ${entry}${text.slice(at)}`;
  } else {
    const seq = changesPair.value;
    if (!Y.isSeq(seq) || !seq.range) throw new UsageError("roster.changes: must be a list for `roster swap` to add to it");
    if (seq.flow) {
      if (seq.items.length)
        throw new UsageError("roster.changes: write it as a block list (one `- ` line per change) for `roster swap` to add to it");
      // `changes: []` becomes a block list holding the one entry.
      const keyEnd = (changesPair.key as Scalar).range![1];
      const colon = text.indexOf(":", keyEnd);
      result = `${text.slice(0, colon + 1)}\n${indent}  - ${entry}${text.slice(seq.range[1])}`;
    } else {
      const items = seq.items as (YAMLMap & { range: [number, number, number] })[];
      const dayOf = (item: YAMLMap) => String(item.get("day") ?? "");
      const after = items.filter((item) => dayOf(item) <= change.day).at(-1);
      const dash = text.lastIndexOf("-", items[0]!.range[0]);
      const itemIndent = " ".repeat(column(dash));
      if (after) {
        const at = endOfLine(after.range[1]);
        result = `${text.slice(0, at)}\n${itemIndent}- ${entry}${text.slice(at)}`;
      } else {
        const lineStart = text.lastIndexOf("\n", dash) + 1;
        result = `${text.slice(0, lineStart)}${itemIndent}- ${entry}\n${text.slice(lineStart)}`;
      }
    }
  }

  // The edit must mean exactly "one more change": anything else is a bug here, never a file to write.
  const expected = doc.toJS() as { roster: { changes?: NewChange[] } };
  const changes = [...(expected.roster.changes ?? []), change].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  expected.roster.changes = changes;
  const got = Y.parse(result) as { roster: { changes?: NewChange[] } };
  if (JSON.stringify(sortChanges(got)) !== JSON.stringify(sortChanges(expected))) {
    throw new Error("roster swap: the edited file does not read back as the file plus one change; nothing was written");
  }
  return result;
}

function sortChanges(data: { roster: { changes?: NewChange[] } }) {
  const changes = [...(data.roster.changes ?? [])].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { ...data, roster: { ...data.roster, changes } };
}

/** The lines that differ, as a unified diff hunk: what the pull request will show. */
export function lineDiff(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  return [
    // As `diff -u` numbers an empty side: by the line before it.
    `@@ -${removed.length ? head + 1 : head},${removed.length} +${added.length ? head + 1 : head},${added.length} @@`,
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
    "",
  ].join("\n");
}
