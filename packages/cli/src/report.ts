// genledger report: a store's totals grouped by model, day, tag…, as a table, JSON, CSV or a page with a
// chart. Amounts are the store's exact decimal strings, printed as they are.
import { type FileHandle, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Report, ReportKey } from "@genledger/store";
import { table } from "./format.js";
import { loadCsv } from "./rows.js";
import { withStore } from "./store.js";
import { basisNote, plural, toJson } from "./text.js";
import { fileError, UsageError } from "./usage-error.js";

export type ReportFormat = "table" | "json" | "csv" | "html";

export interface ReportCommandOptions {
  store: string;
  by: string[];
  since?: string | undefined;
  until?: string | undefined;
  where: string[];
  format: ReportFormat;
  output?: string | undefined;
  overwrite: boolean;
}

/** `--where tag:customer=acme` and `--where model=openai/gpt-4o`, as the store's `where`. */
export function parseWhere(filters: readonly string[]): Record<string, string> {
  const where: Record<string, string> = {};
  for (const filter of filters) {
    const at = filter.indexOf("=");
    if (at <= 0)
      throw new UsageError(`--where ${JSON.stringify(filter)}: expected KEY=VALUE, such as tag:customer=acme`);
    const key = filter.slice(0, at).trim();
    if (key in where) throw new UsageError(`--where names ${key} twice`);
    where[key] = filter.slice(at + 1);
  }
  return where;
}

/** `--by day,model` and `--by day --by model`, in order. */
export function parseBy(values: readonly string[]): ReportKey[] {
  return values
    .flatMap((v) => v.split(","))
    .map((k) => k.trim())
    .filter((k) => k !== "") as ReportKey[];
}

export async function runReport(options: ReportCommandOptions): Promise<number> {
  const { InvalidArgumentError } = await import("@genledger/core");
  const { parseInstant } = await import("@genledger/store");
  const where = parseWhere(options.where);
  const by = parseBy(options.by);
  // The flags' own names in the message, before any database is opened.
  const instant = (value: string | undefined, flag: string) => {
    try {
      return parseInstant(value, flag);
    } catch (error) {
      throw InvalidArgumentError.isInstance(error) ? new UsageError(error.message.replace(/^report: /, "")) : error;
    }
  };
  const since = instant(options.since, "--since");
  const until = instant(options.until, "--until");
  if (options.overwrite && !options.output) throw new UsageError("--overwrite needs --output");
  if (options.output && !options.overwrite) await refuseExisting(options.output);
  const report = await withStore(
    options.store,
    async (store) => {
      try {
        return await store.report({ by, since, until, where });
      } catch (error) {
        if (InvalidArgumentError.isInstance(error)) throw new UsageError(error.message.replace(/^report: /, ""));
        throw error;
      }
    },
    { existing: true },
  );
  const text = await renderReport(report, options.format);
  if (options.output) await writeWhole(options.output, text);
  else process.stdout.write(text);
  return 0;
}

/** The report as the command prints it in each format. */
export async function renderReport(report: Report, format: ReportFormat): Promise<string> {
  if (format === "json") {
    const json = toJson(report, 2);
    if ("error" in json) throw json.error;
    return `${json.text}\n`;
  }
  if (format === "html") {
    const { renderReportHtml } = await import("./report-html.js");
    return renderReportHtml(report);
  }
  const currencies = [...new Set([...report.rows.flatMap((r) => Object.keys(r.cost))])].sort();
  // A group with nothing billed in a unit yet (its records pending) says so, never a zero; a CSV cell is empty.
  const csv = format === "csv";
  const cells = (row: Report["total"]) => [
    String(row.count),
    String(row.pending),
    ...currencies.map((c) => row.cost[c] ?? (csv ? "" : row.pending > 0 ? "(pending)" : "–")),
    String(row.tokens.input),
    String(row.tokens.output),
    String(row.tokens.total),
  ];
  // The columns of `cells`, named for the format.
  const headerOf = (cost: string, tokens: string[]) => [
    ...report.by,
    "count",
    "pending",
    ...currencies.map((c) => `${cost}${cost === "cost_" ? c.replace(/\W+/g, "_") : c}`),
    ...tokens,
  ];
  if (csv) {
    const { stringify } = await loadCsv();
    const header = headerOf("cost_", ["input_tokens", "output_tokens", "total_tokens"]);
    const rows = report.rows.map((r) => [...report.by.map((k) => spreadsheetSafe(r.key[k] ?? "")), ...cells(r)]);
    return stringify([header, ...rows]);
  }
  const headers = headerOf("cost ", ["tokens in", "tokens out", "tokens total"]);
  // With no `by`, the one row is the total.
  const body = report.by.length
    ? report.rows.map((r) => [...report.by.map((k) => r.key[k] ?? "(none)"), ...cells(r)])
    : [];
  const lines = [
    table(headers, [...body, [...report.by.map((_, i) => (i === 0 ? "total" : "")), ...cells(report.total)]]),
  ];
  if (report.by.length === 0 && report.rows.length === 0) lines.push("no records");
  const q = report.queue;
  const unbilled = basisNote(report);
  if (unbilled) lines.push(`${unbilled}: --by basis shows them apart`);
  if (report.total.pending > 0) {
    lines.push(
      `${report.total.pending} of these records are not final yet (billing pending or estimated): their cost may change`,
    );
  }
  lines.push(
    `queue: ${plural(q.waiting, "ref")} waiting for a lookup (${q.due} due now, ${q.leased} being looked up), ${q.givenUp} given up, ${q.failed} failed`,
  );
  return `${lines.join("\n")}\n`;
}

async function refuseExisting(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && (!existing.isFile() || existing.size > 0)) {
    throw new UsageError(`${path} already exists: --overwrite to replace it`);
  }
}

/**
 * The whole file or nothing: written beside it, then renamed over it. The temporary file is new (`wx`, mode
 * 0600, a name nothing holds yet), so nothing planted at its name is followed; only a regular file is replaced by the
 * rename: a device or a FIFO (`--output /dev/null`) is written to as it is.
 */
export async function writeWhole(path: string, text: string): Promise<void> {
  const fail = (error: unknown): never => {
    throw fileError("write", path, error);
  };
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${path}: it is a folder`);
  if (existing && !existing.isFile()) {
    await writeFile(path, text).catch(fail);
    return;
  }
  let temporary = "";
  let created = false;
  try {
    let file: FileHandle | undefined;
    // A name already taken (by anything: a file, a symlink planted there) is passed over, never opened.
    for (let n = 0; !file; n++) {
      temporary = join(dirname(path), `.${basename(path)}.genledger-${process.pid}-${n}.tmp`);
      file = await open(temporary, "wx", 0o600).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "EEXIST" && n < 100) return undefined;
        throw error;
      });
    }
    created = true;
    try {
      await file.writeFile(text);
      await file.chmod(existing ? existing.mode & 0o777 : 0o644);
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    if (created) await rm(temporary, { force: true });
    fail(error);
  }
}

/**
 * A group's name as a spreadsheet reads it as text: a model or tag that starts with `=`, `+`, `-`, `@` (or a tab
 * or carriage return) would be a formula there (OWASP's CSV injection), so it gets a leading `'`.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
