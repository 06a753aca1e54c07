// genledger batch: many refs in, one row per ref out, resumable.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { readFile, truncate } from "node:fs/promises";
import type { Writable } from "node:stream";
import { addDecimals, type Generation, type GenerationRef, type ProviderName } from "@genledger/normalize";
import { Presets, SingleBar } from "cli-progress";
import { parse as parseCsv } from "csv-parse/sync";
import { stringify as stringifyCsv } from "csv-stringify/sync";
import { totalsText } from "./format.js";
import { describeError, isProviderName, ledgerFor, providerNames } from "./ledger.js";
import { UsageError } from "./usage-error.js";

export type BatchFormat = "jsonl" | "csv";

export interface BatchOptions {
  input: string;
  provider?: string | undefined;
  concurrency: number;
  output?: string | undefined;
  format: BatchFormat;
  resume: boolean;
}

interface ParsedLine {
  line: number;
  ref: GenerationRef<ProviderName>;
}
interface BadLine {
  line: number;
  text: string;
  reason: string;
}

export const refKey = (ref: { provider: string; id: string }) => `${ref.provider}:${ref.id}`;

/** `provider:id` per line, or bare ids with a default provider; blank lines and `#` comments are skipped. */
export function parseRefs(text: string, defaultProvider?: ProviderName): { refs: ParsedLine[]; bad: BadLine[] } {
  const refs: ParsedLine[] = [];
  const bad: BadLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (text === "" || text.startsWith("#")) return;
    const colon = text.indexOf(":");
    const prefix = colon > 0 ? text.slice(0, colon) : "";
    if (isProviderName(prefix)) {
      const id = text.slice(colon + 1).trim();
      if (id) refs.push({ line, ref: { provider: prefix, id } });
      else bad.push({ line, text, reason: "no id after the provider" });
    } else if (defaultProvider) {
      refs.push({ line, ref: { provider: defaultProvider, id: text } });
    } else {
      bad.push({
        line,
        text,
        reason:
          colon > 0
            ? `unknown provider "${prefix}" (one of ${providerNames.join(", ")})`
            : "expected provider:id (or pass --provider)",
      });
    }
  });
  return { refs, bad };
}

const csvColumns = [
  "ref",
  "provider",
  "id",
  "status",
  "model",
  "input_tokens",
  "output_tokens",
  "cost",
  "currency",
  "billing",
  "error",
];

function row(format: BatchFormat, ref: GenerationRef, result: { generation?: Generation; error?: Error }): string {
  const key = refKey(ref);
  const g = result.generation;
  const error = result.error;
  if (format === "jsonl") {
    const failure = error && {
      name: error.name,
      message: describeError(error),
      ...("status" in error && typeof error.status === "number" ? { status: error.status } : {}),
    };
    return `${JSON.stringify(g ? { ref: key, generation: g } : { ref: key, error: failure })}\n`;
  }
  return stringifyCsv([
    [
      key,
      ref.provider,
      ref.id,
      g?.status ?? "error",
      g?.model ?? "",
      g?.usage.inputTokens ?? "",
      g?.usage.outputTokens ?? "",
      g?.cost?.amount ?? "",
      g?.cost?.currency ?? "",
      g?.billing ?? "",
      error ? describeError(error) : "",
    ],
  ]);
}

/**
 * The refs already in an output file, for --resume. A last line cut off mid-write (an interrupted
 * run) is removed from the file, so its ref is looked up again and the file stays well-formed.
 */
export async function readDone(path: string, format: BatchFormat): Promise<{ done: Set<string>; empty: boolean }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { done: new Set(), empty: true };
    throw error;
  }
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  if (complete.length !== text.length) await truncate(path, Buffer.byteLength(complete));
  const done = new Set<string>();
  if (format === "jsonl") {
    complete.split("\n").forEach((line, i) => {
      if (!line.trim()) return;
      try {
        const ref = (JSON.parse(line) as { ref?: unknown }).ref;
        if (typeof ref === "string") done.add(ref);
      } catch {
        throw new UsageError(
          `cannot resume: line ${i + 1} of ${path} is not JSON (is it a CSV file? use --format csv)`,
        );
      }
    });
  } else {
    const records = parseCsv(complete, { columns: true, skip_empty_lines: true }) as Array<{ ref?: string }>;
    for (const r of records) if (r.ref) done.add(r.ref);
  }
  return { done, empty: complete.trim() === "" };
}

async function readInput(input: string): Promise<string> {
  if (input === "-") {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }
  try {
    return await readFile(input, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${input}: ${code === "ENOENT" ? "no such file" : describeError(error)}`);
  }
}

async function write(stream: Writable, text: string) {
  if (!stream.write(text)) await once(stream, "drain");
}

/** Runs the batch; resolves to the exit code. */
export async function runBatch(options: BatchOptions): Promise<number> {
  if (options.resume && !options.output) throw new UsageError("--resume needs --output (the file to resume)");
  if (options.provider !== undefined && !isProviderName(options.provider)) {
    throw new UsageError(`unknown provider "${options.provider}" (one of ${providerNames.join(", ")})`);
  }
  const { refs, bad } = parseRefs(await readInput(options.input), options.provider as ProviderName | undefined);
  for (const b of bad) process.stderr.write(`genledger: line ${b.line}: ${b.reason}: ${JSON.stringify(b.text)}\n`);

  const previous = options.resume && options.output ? await readDone(options.output, options.format) : undefined;
  const todo = previous ? refs.filter((r) => !previous.done.has(refKey(r.ref))) : refs;
  const skipped = refs.length - todo.length;

  const out: Writable = options.output
    ? createWriteStream(options.output, { flags: previous ? "a" : "w" })
    : process.stdout;
  if (options.format === "csv" && (!previous || previous.empty)) await write(out, stringifyCsv([csvColumns]));

  const bar = process.stderr.isTTY
    ? new SingleBar(
        {
          stream: process.stderr,
          format: "{bar} {value}/{total} refs · {failed} failed · eta {eta_formatted}",
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(todo.length, 0, { failed: 0 });

  let failed = 0;
  let succeeded = 0;
  const totals: Record<string, string> = {};
  const ledger = ledgerFor();
  for await (const result of ledger.getMany(
    todo.map((r) => r.ref),
    { concurrency: options.concurrency },
  )) {
    if (result.error) failed++;
    else {
      succeeded++;
      const cost = result.generation.cost;
      if (cost) totals[cost.currency] = addDecimals(totals[cost.currency] ?? "0", cost.amount);
    }
    await write(out, row(options.format, result.ref, result));
    bar?.increment(1, { failed });
  }
  bar?.stop();
  if (out !== process.stdout) {
    out.end();
    await once(out, "finish");
  }

  const parts = [`${succeeded} done`, `${failed} failed`];
  if (skipped) parts.push(`${skipped} skipped (already in ${options.output})`);
  if (bad.length) parts.push(`${bad.length} bad line${bad.length === 1 ? "" : "s"}`);
  process.stderr.write(`genledger batch: ${parts.join(", ")}; total cost ${totalsText(totals)}\n`);
  return failed > 0 || bad.length > 0 ? 1 : 0;
}
