// genledger import: the JSONL rows an earlier `genledger batch` wrote, into a store. Streamed, a thousand
// rows a transaction; a line that is not a row is reported with its number and nothing of it is stored.
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { PutItem, QueueItem } from "@genledger/store";
import { type Line, lineBatches } from "./lines.js";
import { isProviderName } from "./providers.js";
import { withStore } from "./store.js";
import { clean, plural } from "./text.js";
import { fileError, UsageError } from "./usage-error.js";

const batchSize = 1000;
/** A batch row holds one response (at most 16 MiB by default) and its record: a longer line is no row. */
export const maxRowBytes = 32 * 1024 * 1024;

/** One line of batch output: a record to keep, a failed lookup worth trying again, or why it is neither. */
export function parseRow(
  text: string,
  check: (item: PutItem) => void,
): { put: PutItem } | { queue: QueueItem } | { skip: string } | { bad: string } | undefined {
  if (text.trim() === "") return undefined;
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch {
    return { bad: "not JSON (a line cut off, or not a genledger batch row)" };
  }
  const r = row as {
    ref?: unknown;
    generation?: unknown;
    error?: { message?: unknown; status?: unknown; retryable?: unknown };
  };
  if (typeof r !== "object" || r === null || typeof r.ref !== "string")
    return { bad: 'expected a batch row { "ref": "provider:id", … }' };
  const colon = r.ref.indexOf(":");
  const provider = r.ref.slice(0, colon);
  const id = r.ref.slice(colon + 1);
  if (colon <= 0 || id === "" || !isProviderName(provider))
    return { bad: `ref ${JSON.stringify(r.ref)} is not provider:id` };
  if (r.generation !== undefined) {
    const item = { generation: r.generation } as PutItem;
    try {
      check(item);
    } catch (error) {
      return { bad: (error as Error).message };
    }
    const g = r.generation as { provider?: unknown; id?: unknown };
    if (g.provider !== provider || g.id !== id)
      return { bad: `ref ${r.ref} holds the record of ${String(g.provider)}:${String(g.id)}` };
    return { put: item };
  }
  if (typeof r.error === "object" && r.error !== null) {
    // A lookup that may still succeed: the gateway was busy, or did not have the record yet (404).
    if (r.error.retryable === true || r.error.status === 404) {
      const reason = r.error.status === 404 ? "not-ready" : "retryable-error";
      return { queue: { ref: { provider, id }, reason, error: clean(String(r.error.message ?? "")).slice(0, 500) } };
    }
    return { skip: "failed for good" };
  }
  return { bad: "a row needs a generation or an error" };
}

export async function runImport(file: string, options: { into: string }): Promise<number> {
  const { checkPutItem } = await import("@genledger/store");
  let input: Readable;
  try {
    input = file === "-" ? process.stdin : (await open(file, "r")).createReadStream();
  } catch (error) {
    throw fileError("read", file, error);
  }
  try {
    return await withStore(options.into, async (store) => {
      const counts = { written: 0, unchanged: 0, rebilled: 0, queued: 0, skipped: 0, bad: 0 };
      let puts: PutItem[] = [];
      let queue: QueueItem[] = [];
      const flush = async () => {
        if (puts.length) {
          const result = await store.put(puts);
          counts.written += result.written;
          counts.unchanged += result.unchanged;
          counts.rebilled += result.rebilled;
        }
        if (queue.length) {
          // A ref already final in the store (a later batch found it) is not queued again.
          const final = await store.finalRefs(queue.map((q) => q.ref));
          const waiting = queue.filter((q) => !final.has(`${q.ref.provider}:${q.ref.id}`));
          await store.enqueue(waiting);
          counts.queued += waiting.length;
        }
        puts = [];
        queue = [];
      };
      // Ctrl-C: what was read is written, then the summary; running it again finishes (a no-op for what is kept).
      let stoppedBy: "SIGINT" | "SIGTERM" | undefined;
      let lastLine = 0;
      const onSignal = (signal: "SIGINT" | "SIGTERM") => {
        if (stoppedBy) process.exit(signal === "SIGINT" ? 130 : 143);
        stoppedBy = signal;
        // Ends a read that waits (stdin, a pipe): the loop below then keeps what it has.
        input.destroy();
      };
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, onSignal);
      try {
        try {
          for await (const lines of lineBatches(input, maxRowBytes)) {
            readBatch(lines);
            if (puts.length + queue.length >= batchSize) await flush();
            if (stoppedBy) break;
          }
        } catch (error) {
          if (!stoppedBy) throw error;
        }
        await flush();
      } finally {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.off(signal, onSignal);
      }
      function readBatch(lines: Line[]) {
        for (const line of lines) {
          lastLine = line.number;
          // A CSV file is one mistake, said once: not a "not JSON" for each of its lines.
          if (line.number === 1 && /^\s*ref,provider,id,/.test(line.text)) {
            throw new UsageError(
              `${file} is CSV (genledger batch --format csv): import reads the JSONL rows of genledger batch; write them with --format jsonl`,
            );
          }
          const parsed = line.tooLong
            ? { bad: "longer than 32 MiB: not a genledger batch row (its bytes were not kept)" }
            : parseRow(line.text, (item) => checkPutItem(item, `line ${line.number}`));
          if (!parsed) continue;
          if ("put" in parsed) puts.push(parsed.put);
          else if ("queue" in parsed) queue.push(parsed.queue);
          else if ("skip" in parsed) counts.skipped++;
          else {
            counts.bad++;
            const reason = parsed.bad.replace(/^line \d+: /, "");
            process.stderr.write(`genledger import: ${file}: line ${line.number}: ${clean(reason)}\n`);
          }
        }
      }
      if (stoppedBy) {
        process.stderr.write(
          `genledger import: stopped (${stoppedBy}) after line ${lastLine}; every line read is kept: run it again to finish\n`,
        );
      }
      process.stderr.write(
        `genledger import: ${counts.written} records written, ${counts.unchanged} already there, ` +
          `${counts.rebilled} re-billed, ${plural(counts.queued, "ref")} queued for genledger resolve, ` +
          `${counts.skipped} failed rows skipped, ${counts.bad} bad line${counts.bad === 1 ? "" : "s"}\n`,
      );
      if (stoppedBy) return stoppedBy === "SIGINT" ? 130 : 143;
      return counts.bad > 0 ? 1 : 0;
    });
  } finally {
    input.destroy();
  }
}
