// What genledger batch writes, and how it reads its own output back for --resume.
import { createReadStream } from "node:fs";
import { isTransient } from "@genledger/core";
import type { Generation, GenerationRef } from "@genledger/normalize";
import { describeError } from "./errors.js";
import { lines } from "./lines.js";
import { clean, escapeForTerminal, toJson } from "./text.js";
import { UsageError } from "./usage-error.js";

export type BatchFormat = "jsonl" | "csv";

export const refKey = (ref: { provider: string; id: string }) => `${ref.provider}:${ref.id}`;

export const csvColumns = [
  "ref",
  "provider",
  "id",
  "status",
  "model",
  "upstream_provider",
  "created_at",
  "input_tokens",
  "cached_input_tokens",
  "output_tokens",
  "reasoning_tokens",
  "total_tokens",
  "time_to_first_token_ms",
  "generation_ms",
  "cost",
  "currency",
  "upstream_cost",
  "billing",
  "error",
  "retryable",
] as const;
export const csvHeader = `${csvColumns.join(",")}\n`;
/** The header of the CSV an earlier genledger wrote, before the time, upstream and token detail columns. */
export const earlierCsvHeader =
  "ref,provider,id,status,model,input_tokens,output_tokens,cost,currency,billing,error,retryable\n";

/** The CSV library, loaded only for `--format csv`. */
export async function loadCsv() {
  const [{ parse }, { stringify }] = await Promise.all([import("csv-parse/sync"), import("csv-stringify/sync")]);
  return { parse, stringify };
}
export type Csv = Awaited<ReturnType<typeof loadCsv>>;

export interface Row {
  text: string;
  /** The record written, if it was (a record that cannot be serialised becomes an error row). */
  generation?: Generation;
  failed: boolean;
}

/**
 * One output row. JSONL holds the Generation without `raw` (the gateway's own body) unless `raw`;
 * CSV one line per row, text fields on one line, control characters removed.
 */
export function rowFor(
  format: BatchFormat,
  ref: GenerationRef,
  result: { generation?: Generation | undefined; error?: Error | undefined },
  raw: boolean,
  csv?: Csv,
): Row {
  const key = refKey(ref);
  const g = result.generation;
  let error = result.error;
  if (format === "jsonl") {
    if (g) {
      const { raw: _raw, ...rest } = g;
      const json = toJson({ ref: key, generation: raw ? g : rest });
      if ("text" in json) return { text: `${json.text}\n`, generation: g, failed: false };
      error = new SerialisationError(json.error);
    }
    const failure = {
      name: error?.name ?? "Error",
      message: describeError(error),
      ...(error && "status" in error && typeof error.status === "number" ? { status: error.status } : {}),
      retryable: isTransient(error),
    };
    return { text: `${escapeForTerminal(JSON.stringify({ ref: key, error: failure }))}\n`, failed: true };
  }
  const cell = (v: unknown) => (v === null || v === undefined ? "" : clean(String(v)));
  if (!csv) throw new Error("rowFor: CSV rows need loadCsv()");
  const text = csv.stringify([
    [
      key,
      ref.provider,
      ref.id,
      g?.status ?? "error",
      g?.model,
      g?.upstream.provider,
      g?.createdAt,
      g?.usage.inputTokens,
      g?.usage.cachedInputTokens,
      g?.usage.outputTokens,
      g?.usage.reasoningTokens,
      g?.usage.totalTokens,
      g?.timing.timeToFirstTokenMs,
      g?.timing.generationMs,
      g?.cost?.amount,
      g?.cost?.currency,
      g?.cost?.upstreamAmount,
      g?.billing,
      error ? describeError(error) : "",
      error ? String(isTransient(error)) : "",
    ].map(cell),
  ]);
  return g ? { text, generation: g, failed: false } : { text, failed: true };
}

/** A record the output format cannot hold (a cycle, a BigInt, nesting too deep): its row says so instead. */
export class SerialisationError extends Error {
  override name = "SerialisationError";
  constructor(cause: Error) {
    super(`the record could not be written: ${cause.message}`, { cause });
  }
}

export interface PreviousOutput {
  /** Refs not to look up again. */
  done: Set<string>;
  /** Refs whose last row failed with a retryable error and will be looked up again (--retry-failed). */
  retrying: number;
  /** Refs whose last row failed and that are not looked up again: the earlier run's failures. */
  failed: number;
  /** Bytes of the file that are whole rows; past it, a row cut off by an interrupted run. */
  keep: number;
}

/**
 * Reads an existing output file for --resume. Refuses (UsageError) a file that is not genledger batch output
 * in `format`: every line must be a row genledger writes. Only a last line with no newline (a row cut off
 * mid-write) is left out of `keep`, so its ref is looked up again.
 */
export async function readPrevious(path: string, format: BatchFormat, retryFailed: boolean): Promise<PreviousOutput> {
  const state = new Map<string, ParsedRow>(); // ref → its last row
  let keep = 0;
  const csv = format === "csv" ? await loadCsv() : undefined;
  const refuse = (line: number, why: string) =>
    new UsageError(`cannot resume ${path}: line ${line} ${why}; it is not genledger batch ${format} output`);
  for await (const line of lines(createReadStream(path))) {
    if (!line.terminated) {
      const cut =
        format === "jsonl"
          ? line.text.startsWith('{"ref":')
          : line.number === 1
            ? csvHeader.startsWith(line.text)
            : /^"?[a-z0-9-]+:/.test(line.text);
      if (cut) break;
      throw refuse(line.number, "is not a whole row");
    }
    if (format === "csv" && line.number === 1) {
      if (`${line.text}\n` !== csvHeader) {
        throw refuse(
          1,
          line.text.startsWith("{")
            ? "is JSON (use --format jsonl)"
            : `${line.text}\n` === earlierCsvHeader
              ? "is the header of an earlier genledger's CSV, which has fewer columns: write to a new --output"
              : "is not genledger's CSV header",
        );
      }
    } else if (line.text !== "") {
      const row = csv ? csvRow(csv, line.text) : jsonlRow(line.text);
      if (typeof row === "string") throw refuse(line.number, row);
      state.set(row.ref, row);
    }
    keep = line.end;
  }
  const done = new Set<string>();
  let retrying = 0;
  let failed = 0;
  for (const [ref, row] of state) {
    if (row.retryable && retryFailed) retrying++;
    else {
      done.add(ref);
      if (row.failed) failed++;
    }
  }
  return { done, retrying, failed, keep };
}

type ParsedRow = { ref: string; failed: boolean; retryable: boolean };

function jsonlRow(text: string): ParsedRow | string {
  if (/^ref,provider,/.test(text)) return "is a CSV header (use --format csv)";
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "is not JSON";
  }
  const row = value as { ref?: unknown; generation?: unknown; error?: { retryable?: unknown } };
  const isObject = (v: unknown) => typeof v === "object" && v !== null;
  if (!isObject(row) || typeof row.ref !== "string" || !row.ref.includes(":")) return "has no ref";
  if (!isObject(row.generation) && !isObject(row.error)) return "has neither a generation nor an error";
  return { ref: row.ref, failed: isObject(row.error), retryable: isObject(row.error) && row.error?.retryable === true };
}

function csvRow(csv: Csv, text: string): ParsedRow | string {
  let records: string[][];
  try {
    records = csv.parse(text) as string[][];
  } catch {
    return "is not CSV";
  }
  const cells = records[0];
  if (records.length !== 1 || !cells || cells.length !== csvColumns.length) return "does not have genledger's columns";
  const [ref, provider, id] = cells;
  if (ref !== `${provider}:${id}`) return "has a ref that is not provider:id";
  const error = cells[csvColumns.indexOf("error")] ?? "";
  return { ref, failed: error !== "", retryable: cells[csvColumns.indexOf("retryable")] === "true" };
}
