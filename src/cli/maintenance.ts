/**
 * `maintenance plan <customer> ...`: writes one approved maintenance window into the customer
 * file, ready for a pull request, as `roster swap` writes a roster change: the yaml package's
 * document tells where `maintenance:` is, the new entry is spliced into the text there, and every
 * comment, blank line and flow list stays as it was. The text it would write is checked as
 * `validate` checks a file; anything validate refuses is refused, and the file is left untouched.
 *
 * `maintenance list [customer]`: the windows not yet over, of every customer (or one), by start.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import type { Document, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { CustomerSpec, MaintenanceWindowSpec } from "../customer/schema.js";
import { parseAsOf, readAtOption } from "../facts/asOf.js";
import { lazyRequire, luxon } from "../facts/lazy.js";
import { formatProblem, InputError, UsageError, type Problem } from "../facts/problems.js";
import type { PlacedWindow } from "../plan/maintenance.js";
import type { StillPaged, WindowEffect } from "../plan/maintenanceReport.js";
import { lineDiff } from "./rosterSwap.js";

const yaml = lazyRequire<typeof import("yaml")>("yaml");
const cliTable = lazyRequire<typeof import("cli-table3")>("cli-table3");

interface PlanFlags {
  start?: string;
  for?: string;
  systems?: string;
  approvedBy?: string;
  change?: string;
  reason?: string;
  id?: string;
  duringPreparedness?: string;
  dryRun?: boolean;
  stacks?: string;
}

interface ListFlags {
  at?: string;
  json?: boolean;
  stacks?: string;
}

/** The schema's forms (src/customer/schema.ts), checked here first so a typo is a usage error, not a file problem. */
const idForm = /^[a-z][a-z0-9-]{0,39}$/;
const startForm = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/;
const durationForm = /^(?=\d)(?:\d+h)?(?:\d+m)?$/;
const changeForm = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

export function registerMaintenance(program: Command): Command {
  const maintenance = program
    .command("maintenance")
    .description("approved maintenance windows: `maintenance plan` writes one into a customer file, `maintenance list` shows those ahead");
  maintenance
    .command("plan")
    .description("write an approved maintenance window into the customer file: the systems' alerts are silenced for its duration only")
    .argument("<customer>", "customer id, or path to the customer's YAML file")
    .requiredOption("--start <YYYY-MM-DD HH:MM>", "local start, in the customer's time zone")
    .requiredOption("--for <duration>", "how long, such as 90m, 2h or 1h30m (at most the fleet's maxMaintenanceDuration)")
    .requiredOption("--systems <ids>", "the systems being patched: ids from the file's systems:, separated by commas")
    .requiredOption("--approved-by <e-mail>", "who at the customer approved it: one of the file's approvers:")
    .requiredOption("--change <ref>", "the change or ticket reference the approval was given on")
    .requiredOption("--reason <text>", "what is being done, for the silences' messages and the audit")
    .option("--id <id>", "the window's id (default: from --change, made unique in the file)")
    .option("--during-preparedness <why>", "why the window may overlap a preparedness window (reduced staff then)")
    .option("--dry-run", "print the change and what it silences, and write nothing")
    .option("--stacks <dir>", "directory of customer files (default: stacks/)")
    .action(async function (this: Command, customer: string, flags: PlanFlags) {
      await planWindow(this, customer, flags);
    });
  maintenance
    .command("list")
    .description("the approved maintenance windows not yet over, of every customer (or one), by start")
    .argument("[customer]", "only this customer: its id, or path to its YAML file")
    .option(
      "--at <ISO>",
      "list the windows not over at this instant, and say which run then; without an offset, local to each customer (default: now)",
    )
    .option("--json", "print JSON instead of a table")
    .option("--stacks <dir>", "directory of customer files (default: stacks/)")
    .action(async function (this: Command, customer: string | undefined, flags: ListFlags) {
      await listWindows(this, customer, flags);
    });
  return maintenance;
}

function writers(command: Command) {
  const out = command.configureOutput();
  return {
    writeOut: out.writeOut ?? ((s: string) => process.stdout.write(s)),
    writeErr: out.writeErr ?? ((s: string) => process.stderr.write(s)),
  };
}

function checkStacks(stacks: string | undefined): void {
  if (stacks !== undefined && !(existsSync(stacks) && statSync(stacks).isDirectory()))
    throw new UsageError(`--stacks '${stacks}' is not a directory`);
}

/** The flags as the entry they write, or a usage error naming the flag that is wrong. */
export function entryOf(flags: PlanFlags): Omit<MaintenanceWindowSpec, "id"> & { id?: string } {
  const start = (flags.start ?? "").trim();
  if (!startForm.test(start))
    throw new UsageError(`--start must be a local date and time written "YYYY-MM-DD HH:MM", not '${flags.start}'`);
  const duration = (flags.for ?? "").trim();
  if (!durationForm.test(duration) || /^0+(?:h|m|h0+m)$/.test(duration))
    throw new UsageError(`--for must be a duration such as 90m, 2h or 1h30m, not '${flags.for}'`);
  const systems = (flags.systems ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (systems.length === 0) throw new UsageError("--systems must name at least one system id (separated by commas)");
  const badSystem = systems.find((s) => !idForm.test(s));
  if (badSystem !== undefined) throw new UsageError(`--systems: '${badSystem}' is not a system id`);
  if (new Set(systems).size !== systems.length) throw new UsageError("--systems names a system twice");
  const approvedBy = (flags.approvedBy ?? "").trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(approvedBy)) throw new UsageError(`--approved-by must be an e-mail address, not '${flags.approvedBy}'`);
  const change = (flags.change ?? "").trim();
  if (!changeForm.test(change))
    throw new UsageError(
      `--change must be a change reference of letters, digits, '.', '_', '/' or '-' (at most 64), not '${flags.change}'`,
    );
  const reason = (flags.reason ?? "").trim();
  if (!reason) throw new UsageError("--reason must say what is being done: it is the silences' message and the audit trail");
  if (flags.id !== undefined && !idForm.test(flags.id))
    throw new UsageError(`--id must be a lower-case id: a letter, then letters, digits or '-' (at most 40), not '${flags.id}'`);
  const during = flags.duringPreparedness?.trim();
  if (flags.duringPreparedness !== undefined && !during) throw new UsageError("--during-preparedness must say why");
  return {
    ...(flags.id !== undefined ? { id: flags.id } : {}),
    // One spelling in the file: a space between date and time, as the schema's examples write it.
    start: start.replace("T", " "),
    duration,
    systems,
    approvedBy,
    change,
    reason,
    ...(during ? { duringPreparedness: during } : {}),
  };
}

/** A window id from the change reference (`CHG-1042` → `chg-1042`), made unique among `taken`. */
export function defaultWindowId(change: string, start: string, taken: readonly string[]): string {
  let base = change
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(base)) base = `maintenance-${base || start.slice(0, 10)}`.replace(/-+$/, "");
  base = base.slice(0, 36).replace(/-+$/, "");
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

async function planWindow(command: Command, customer: string, flags: PlanFlags): Promise<void> {
  const fields = entryOf(flags);
  checkStacks(flags.stacks);
  const { resolveCustomer } = await import("../customer/resolve.js");
  const { readCatalog } = await import("../catalog/load.js");
  const { checkCustomerFile, checkCustomerText } = await import("../plan/load.js");
  const { parseYamlText } = await import("../facts/yamlSource.js");
  const { placedWindows } = await import("../plan/maintenance.js");
  const { windowEffect, stillPagedAt } = await import("../plan/maintenanceReport.js");
  const { planCustomer } = await import("../plan/plan.js");

  const file = resolveCustomer(customer, flags.stacks);
  const catalog = readCatalog();
  if (!catalog.ok) throw new InputError(catalog.problems);
  // The file as it is must be valid first: a window is never mixed into a file with other problems.
  const before = checkCustomerFile(file, catalog.catalog);
  if (!before.ok) throw new InputError(before.problems);
  const { spec } = before;

  const entry: MaintenanceWindowSpec = {
    id:
      fields.id ??
      defaultWindowId(
        fields.change,
        fields.start,
        spec.maintenance.map((w) => w.id),
      ),
    ...fields,
  } as MaintenanceWindowSpec;
  const text = readFileSync(file, "utf8");
  const written = withWindow(text, entry);
  const after = checkCustomerText(parseYamlText(written, before.file), basename(file).replace(/\.ya?ml$/, ""), catalog.catalog);
  // Positions are in the text it would have written: the entry's lines are where they would go.
  if (!after.ok) throw new InputError(after.problems.map((p) => ({ ...p, message: `${p.message} (maintenance plan wrote nothing)` })));

  const placed = placedWindows(after.spec).find((p) => p.window.id === entry.id)!;
  const now = new Date();
  if (placed.interval.end.getTime() <= now.getTime()) {
    throw new UsageError(
      `--start ${entry.start} for ${entry.duration} ended at ${luxon().DateTime.fromJSDate(placed.interval.end, { zone: spec.timezone }).toFormat("yyyy-MM-dd HH:mm ZZ")} (${spec.timezone}): a window in the past silences nothing`,
    );
  }
  if (!flags.dryRun) writeFileSync(file, written);

  const { writeOut, writeErr } = writers(command);
  const idx = after.spec.maintenance.findIndex((w) => w.id === entry.id);
  for (const w of after.warnings.filter((w) => w.message.includes(`maintenance[${idx}]`))) writeErr(`${formatProblem(w)}\n`);
  const plan = planCustomer(after.spec, catalog.catalog, placed.interval.start);
  const effect = windowEffect(after.spec, plan.alerts, placed);
  const stillPaged = stillPagedAt(after.spec, plan.alerts, [effect], placed.interval.start);
  const words = await import("./maintenanceText.js");
  writeOut(
    `${planHeading(words, before.file, after.spec, placed, flags.dryRun === true)}\n${lineDiff(text, written)}` +
      effectText(words, after.spec, effect, stillPaged),
  );
}

type Words = typeof import("./maintenanceText.js");

function planHeading(words: Words, file: string, spec: CustomerSpec, placed: PlacedWindow, dry: boolean) {
  const { windowWhen, windowDuration } = words;
  const w = placed.window;
  return (
    `${file}: ${dry ? "would add (dry run, nothing written)" : "added"} maintenance window ${w.id} for ${spec.customer}: ` +
    `${windowWhen(placed, spec.timezone)} (${spec.timezone}), ${windowDuration(placed)}, systems ${w.systems.join(", ")}; ` +
    `${w.change}, approved by ${w.approvedBy}`
  );
}

function effectText(words: Words, spec: CustomerSpec, effect: WindowEffect, stillPaged: readonly StillPaged[]): string {
  const { silencedLines, silencesCount, stillPagedLines } = words;
  const n = effect.silenced.length;
  const lines = [
    `It silences ${n} ${n === 1 ? "alert" : "alerts"} with ${silencesCount(effect.silences)}` +
      (effect.silences.some((s) => s.kind === "datadog-downtime") ? " (a monitor still alerting at the end notifies then):" : ":"),
    ...silencedLines(effect),
    "Still paged meanwhile (at the window's start):",
    ...stillPagedLines(spec, stillPaged),
  ];
  return `${lines.join("\n")}\n`;
}

/**
 * `text` with `entry` appended to `maintenance:` (the list is made when there is none), and nothing
 * else changed: the entry is a block mapping, as the file's other windows are, with its systems as a
 * flow list.
 */
export function withWindow(text: string, entry: MaintenanceWindowSpec): string {
  const Y = yaml();
  const doc = Y.parseDocument(text) as Document.Parsed;
  if (!Y.isMap(doc.contents) || doc.contents.flow)
    throw new UsageError("the customer file must be a block mapping for `maintenance plan` to add to it");
  const top = doc.contents as YAMLMap;

  const column = (offset: number) => offset - (text.lastIndexOf("\n", offset - 1) + 1);
  const endOfLine = (offset: number) => {
    const nl = text.indexOf("\n", offset);
    return nl < 0 ? text.length : nl;
  };
  /** The end of the last non-blank character before `offset`. */
  const contentEnd = (offset: number) => {
    let i = offset;
    while (i > 0 && /\s/.test(text[i - 1]!)) i--;
    return i;
  };
  const topIndent = " ".repeat(column((top.items[0] as Pair<Scalar>).key!.range![0]));
  const pair = top.items.find((p) => Y.isScalar(p.key) && p.key.value === "maintenance") as Pair<Scalar, YAMLSeq> | undefined;

  const block = (dashIndent: string, keyIndent: string) => {
    const entryDoc = new Y.Document();
    const node = entryDoc.createNode({ ...entry }) as YAMLMap;
    (node.get("systems", true) as unknown as YAMLSeq).flow = true;
    // Always quoted, as the schema's examples write it: `2027-01-12 20:00` reads as a timestamp in YAML 1.1.
    (node.get("start", true) as Scalar).type = "QUOTE_DOUBLE";
    entryDoc.contents = node;
    const lines = entryDoc.toString({ lineWidth: 0, flowCollectionPadding: false }).trimEnd().split("\n");
    return lines.map((l, i) => (i === 0 ? `${dashIndent}- ${l}` : `${keyIndent}${l}`)).join("\n");
  };

  let result: string;
  if (!pair) {
    // At the end of the file, after everything else (and any comment there).
    const at = contentEnd(text.length);
    result = `${text.slice(0, at)}\nmaintenance:\n${block(`${topIndent}  `, `${topIndent}    `)}\n${text.slice(at).replace(/^\n/, "")}`;
  } else {
    const seq = pair.value;
    if (!Y.isSeq(seq) || !seq.range) throw new UsageError("maintenance: must be a list for `maintenance plan` to add to it");
    if (seq.flow) {
      if (seq.items.length)
        throw new UsageError("maintenance: write it as a block list (one `- ` entry per window) for `maintenance plan` to add to it");
      // `maintenance: []` becomes a block list holding the one entry.
      const keyEnd = (pair.key as Scalar).range![1];
      const colon = text.indexOf(":", keyEnd);
      const keyIndent = " ".repeat(column((pair.key as Scalar).range![0]));
      // A comment after the `[]` stays on the key's line.
      const lineEnd = endOfLine(seq.range[1]);
      result = `${text.slice(0, colon + 1)}${text.slice(seq.range[1], lineEnd)}\n${block(`${keyIndent}  `, `${keyIndent}    `)}${text.slice(lineEnd)}`;
    } else {
      const items = seq.items as (YAMLMap & { range: [number, number, number] })[];
      const first = items[0]!;
      const dash = text.lastIndexOf("-", first.range[0]);
      const dashIndent = " ".repeat(column(dash));
      const firstKey = Y.isMap(first) ? (first.items[0] as Pair<Scalar> | undefined)?.key?.range?.[0] : undefined;
      const keyIndent = " ".repeat(firstKey !== undefined ? column(firstKey) : column(dash) + 2);
      const last = items.at(-1)!;
      const at = endOfLine(contentEnd(last.range[1]));
      result = `${text.slice(0, at)}\n${block(dashIndent, keyIndent)}${text.slice(at)}`;
    }
  }

  // The edit must mean exactly "one more window": anything else is a bug here, never a file to write.
  const expected = doc.toJS() as { maintenance?: unknown[] };
  expected.maintenance = [...(expected.maintenance ?? []), entry];
  const got = Y.parse(result) as { maintenance?: unknown[] };
  if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(expected))) {
    throw new Error("maintenance plan: the edited file does not read back as the file plus one window; nothing was written");
  }
  return result;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
  );
}

/** One window of `maintenance list`. */
export interface ListedWindow {
  customer: string;
  id: string;
  timezone: string;
  /** Local, with offset. */
  start: string;
  end: string;
  duration: string;
  systems: string[];
  approvedBy: string;
  change: string;
  reason: string;
  duringPreparedness?: string;
  running: boolean;
}

async function listWindows(command: Command, customer: string | undefined, flags: ListFlags): Promise<void> {
  checkStacks(flags.stacks);
  const { listCustomers, resolveCustomer } = await import("../customer/resolve.js");
  const { readCatalog } = await import("../catalog/load.js");
  const { loadCustomerFile } = await import("../plan/load.js");
  const { windowsAhead } = await import("../plan/maintenance.js");
  const { stacksDir } = await import("../facts/paths.js");
  const words = await import("./maintenanceText.js");
  const { windowDuration } = words;

  const dir = flags.stacks ?? stacksDir();
  const files = customer === undefined ? listCustomers(dir) : [resolveCustomer(customer, dir)];
  const catalog = readCatalog();
  if (!catalog.ok) throw new InputError(catalog.problems);
  const problems: Problem[] = [];
  const specs = files.flatMap((file) => {
    const loaded = loadCustomerFile(file, catalog.catalog, dir);
    if (loaded.ok) return [loaded.spec];
    problems.push(...loaded.problems);
    return [];
  });
  // A list missing a customer whose file is broken would look complete; it must not.
  if (problems.length) throw new InputError(problems);

  // Without an offset, --at is local to each customer, as in preview, roster and audit.
  const atText = readAtOption(flags.at, new Date());
  const instant = /Z$/.test(atText);
  const atShown = instant ? atText.replace(/\.000Z$/, "Z") : `${atText} (local to each customer)`;
  const { DateTime } = luxon();
  const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toISO({ suppressMilliseconds: true })!;
  const windows = specs
    .flatMap((spec) => {
      const at = instant ? new Date(atText) : parseAsOf(atText, spec.timezone);
      return windowsAhead(spec, at).map((p) => ({
        placed: p,
        spec,
        listed: {
          customer: spec.customer,
          id: p.window.id,
          timezone: spec.timezone,
          start: local(p.interval.start, spec.timezone),
          end: local(p.interval.end, spec.timezone),
          duration: windowDuration(p),
          systems: [...p.window.systems],
          approvedBy: p.window.approvedBy,
          change: p.window.change,
          reason: p.window.reason,
          ...(p.window.duringPreparedness !== undefined ? { duringPreparedness: p.window.duringPreparedness } : {}),
          running: p.interval.start.getTime() <= at.getTime(),
        } satisfies ListedWindow,
      }));
    })
    .sort(
      (a, b) =>
        a.placed.interval.start.getTime() - b.placed.interval.start.getTime() ||
        a.listed.customer.localeCompare(b.listed.customer) ||
        a.listed.id.localeCompare(b.listed.id),
    );
  const { writeOut } = writers(command);
  const scope = customer === undefined ? `${specs.length} customers` : specs[0]!.customer;
  if (flags.json) {
    writeOut(`${JSON.stringify({ at: atShown, windows: windows.map((w) => w.listed) }, null, 2)}\n`);
    return;
  }
  writeOut(listTable(words, scope, atShown, windows));
}

function listTable(words: Words, scope: string, at: string, windows: { placed: PlacedWindow; spec: CustomerSpec; listed: ListedWindow }[]) {
  const { windowWhen } = words;
  const Table = cliTable();
  const heading = `maintenance windows not over at ${at} (${scope}): ${windows.length}`;
  if (windows.length === 0) return `${heading}\n`;
  const table = new Table({
    head: ["Customer", "Window", "When (local)", "For", "Systems", "Approved by", "Change", "Now"],
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  for (const { placed, spec, listed } of windows) {
    table.push([
      listed.customer,
      listed.id,
      `${windowWhen(placed, spec.timezone)}\n${spec.timezone}`,
      listed.duration,
      listed.systems.join(", "),
      listed.approvedBy,
      listed.change,
      listed.running ? "running" : "",
    ]);
  }
  return `${heading}\n${table.toString()}\n`;
}
