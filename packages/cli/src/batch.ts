// genledger batch: many refs in, one row per ref out, streamed (memory does not grow with the input), resumable,
// and careful with the user's files: an existing output is never clobbered nor rewritten.
import { once, setMaxListeners } from "node:events";
import { open, realpath, stat, truncate } from "node:fs/promises";
import type { Readable, Writable } from "node:stream";
import { AbortError, isTransient, NotFoundError, type RateLimitState } from "@genledger/core";
import { addDecimals, costUnit, type Generation, type GenerationRef } from "@genledger/normalize";
import type { PutItem, QueueItem, Store } from "@genledger/store";
import { describeError } from "./errors.js";
import { totalsText } from "./format.js";
import { ledgerFor } from "./ledger.js";
import { lineBatches, lines } from "./lines.js";
import { type CliProvider, isProviderName, providerNames, unknownProvider } from "./providers.js";
import { type BatchFormat, csvHeader, loadCsv, type PreviousOutput, readPrevious, refKey, rowFor } from "./rows.js";
import { openCliStore } from "./store.js";
import { clean, durationText, plural } from "./text.js";
import { fileError, UsageError } from "./usage-error.js";

export interface BatchOptions {
  input: string;
  provider?: string | undefined;
  concurrency: number;
  /** `--rate`: requests a second per gateway. */
  rate?: number | undefined;
  /** `--deadline`, in ms. */
  deadline?: number | undefined;
  output?: string | undefined;
  /** `--into`: a store URL; records are kept there, refs not final yet go to its queue. */
  into?: string | undefined;
  format: BatchFormat;
  resume: boolean;
  overwrite: boolean;
  retryFailed: boolean;
  raw: boolean;
}

/** A line of input: a ref, a reason it is not one, or nothing (blank, `# comment`). */
export function parseRef(
  line: string,
  defaultProvider?: CliProvider,
): GenerationRef<CliProvider> | { reason: string } | undefined {
  const text = line.trim();
  if (text === "" || text.startsWith("#")) return undefined;
  const colon = text.indexOf(":");
  const prefix = colon > 0 ? text.slice(0, colon) : "";
  if (isProviderName(prefix)) {
    const id = text.slice(colon + 1).trim();
    return id ? { provider: prefix, id } : { reason: "no id after the provider" };
  }
  if (defaultProvider) return { provider: defaultProvider, id: text };
  return {
    reason:
      colon > 0
        ? `unknown provider "${prefix}" (one of ${providerNames.join(", ")})`
        : "expected provider:id (or pass --provider)",
  };
}

const signalExitCodes = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof signalExitCodes;

/** Runs the batch; resolves to the exit code. */
export async function runBatch(options: BatchOptions): Promise<number> {
  const { output, format } = options;
  if (options.resume && !output) throw new UsageError("--resume needs --output (the file to resume)");
  if (options.overwrite && !output) throw new UsageError("--overwrite needs --output");
  if (options.resume && options.overwrite) throw new UsageError("--resume and --overwrite contradict each other");
  if (options.retryFailed && !options.resume) throw new UsageError("--retry-failed works with --resume");
  if (options.raw && format === "csv") throw new UsageError("--raw needs --format jsonl (CSV has no room for it)");
  if (options.provider !== undefined && !isProviderName(options.provider)) {
    throw new UsageError(await unknownProvider(options.provider));
  }
  const defaultProvider = options.provider as CliProvider | undefined;

  const store = options.into ? await openCliStore(options.into) : undefined;
  const input = await openInput(options.input).catch(async (error: unknown) => {
    await store?.close();
    throw error;
  });
  // The ledger before the output: a batch that cannot start leaves an --overwrite file as it was.
  const ledger = await ledgerFor(undefined, { requestsPerSecond: options.rate }).catch(async (error: unknown) => {
    if (input !== process.stdin) input.destroy();
    await store?.close();
    throw error;
  });
  // A refused --output closes the input it opened (else Node closes it on garbage collection, with a warning).
  const { csv, previous, out } = await prepareOutput(options).catch(async (error: unknown) => {
    if (input !== process.stdin) input.destroy();
    await store?.close();
    throw error;
  });
  // With --into and no --output, the store is the output: no rows on stdout.
  const rowsOut = options.output !== undefined || !store;
  let writeError: Error | undefined;
  if (out !== process.stdout) out.on("error", (error) => (writeError ??= error));
  /** Writes `text`; a promise only when the stream is full (no await per row while it is not). */
  const write = (text: string): Promise<unknown> | undefined => {
    if (writeError) throw writeError;
    if (!rowsOut) return undefined;
    return out.write(text) ? undefined : once(out, "drain");
  };
  if (format === "csv" && !previous?.keep) await write(csvHeader);

  const keeper = store ? storeKeeper(store, (await import("@genledger/store")).checkPutItem) : undefined;
  // Stopping: the first SIGINT/SIGTERM starts no new lookup and aborts those in flight (they are not written,
  // so --resume looks them up again); a second one leaves at once.
  let bar: Awaited<ReturnType<typeof progressBar>> | undefined;
  const stop = new AbortController();
  // Every lookup's Request follows this signal until the Request is garbage-collected: many listeners, no leak.
  setMaxListeners(0, stop.signal);
  let stoppedBy: StopSignal | undefined;
  /**
   * The next input line, or the end when a signal stops the batch first (stdin may be waiting for a line).
   * Not Promise.race with one long-lived "stopped" promise: each race would leave a reaction on it, per line.
   */
  const untilStopped = <T>(next: Promise<IteratorResult<T>>) =>
    new Promise<IteratorResult<T>>((resolve, reject) => {
      const onStop = () => resolve({ done: true, value: undefined });
      stop.signal.addEventListener("abort", onStop, { once: true });
      next.then(
        (value) => {
          stop.signal.removeEventListener("abort", onStop);
          resolve(value);
        },
        (error: unknown) => {
          stop.signal.removeEventListener("abort", onStop);
          reject(error);
        },
      );
    });
  const onSignal = (signal: StopSignal) => {
    if (stoppedBy) {
      bar?.stop();
      process.exit(signalExitCodes[signal]);
    }
    stoppedBy = signal;
    stop.abort();
    // No bar is drawn after this: what follows (the summary, how to resume) starts on a clean line.
    bar?.stop();
    bar = undefined;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, onSignal);

  // Not when the rows go to the same terminal: the bar would share their lines.
  if (process.stderr.isTTY && (options.output !== undefined || !process.stdout.isTTY)) {
    bar = await progressBar(options.input, defaultProvider, previous?.failed ?? 0, () => rateNote(ledger.stats()));
  }
  const counts = { succeeded: 0, failed: 0, skipped: 0, duplicates: 0, bad: 0, unfinished: 0, inStore: 0 };
  const totals: Record<string, string> = {};
  const seen = new Set<string>();

  async function* refs(): AsyncGenerator<GenerationRef<CliProvider>> {
    const source = lineBatches(input)[Symbol.asyncIterator]();
    try {
      while (!stoppedBy) {
        const next = await untilStopped(source.next());
        if (next.done) return;
        // Refs already final in the store: one query per chunk of lines, not one per ref.
        const final = store ? await store.finalRefs(refsOf(next.value, defaultProvider)) : undefined;
        for (const line of next.value) {
          if (stoppedBy) return;
          const parsed = parseRef(line.text, defaultProvider);
          if (parsed === undefined) continue;
          if ("reason" in parsed) {
            counts.bad++;
            const text = clean(JSON.stringify(line.text.trim()));
            const warning = `genledger: line ${line.number}: ${parsed.reason}: ${text}`;
            if (bar) bar.warn(warning);
            else process.stderr.write(`${warning}\n`);
            continue;
          }
          // Every ref's key stays in `seen` to the end: the line itself when it is the key (a string of its
          // own), not a key built from pieces that would keep the pieces and the line alive too.
          const asKey =
            line.text.length === parsed.provider.length + 1 + parsed.id.length &&
            line.text.startsWith(parsed.provider) &&
            line.text.charCodeAt(parsed.provider.length) === 58; // ":"
          const key = asKey ? line.text : refKey(parsed);
          if (seen.has(key) || previous?.done.has(key) || final?.has(refKey(parsed))) {
            // Not looked up: a duplicate is no ref of the total; one done before is, but does not pace the ETA.
            if (seen.has(key)) {
              counts.duplicates++;
              bar?.duplicate();
            } else {
              if (previous?.done.has(key)) counts.skipped++;
              else counts.inStore++;
              bar?.skipped();
            }
            seen.add(key);
            continue;
          }
          seen.add(key);
          yield parsed;
        }
      }
    } finally {
      input.destroy();
    }
  }

  try {
    const job = { concurrency: options.concurrency, signal: stop.signal, deadlineMs: options.deadline };
    for await (let result of ledger.getMany(refs(), job)) {
      if (stoppedBy && result.error && AbortError.isInstance(result.error)) {
        counts.unfinished++;
        continue;
      }
      // A record the store cannot keep (a NUL in its model, a cost of 1e50) is this ref's failed row, with
      // why; the batch goes on.
      const refused = keeper && result.generation ? keeper.refused(result.generation) : undefined;
      if (refused) result = { ref: result.ref, error: refused };
      const row = rowFor(format, result.ref, result, options.raw, csv);
      const kept = keeper ? await keeper.add(result) : false;
      if (row.failed && !kept) {
        counts.failed++;
        // The store is the only output: a ref that failed for good is named here, or nowhere.
        if (!rowsOut && result.error) {
          const warning = `genledger batch: ${clean(`${result.ref.provider}:${result.ref.id}`)}: ${clean(describeError(result.error))}`;
          if (bar) bar.warn(warning);
          else process.stderr.write(`${warning}\n`);
        }
      } else if (!row.failed) counts.succeeded++;
      const cost = row.generation?.cost;
      if (cost) {
        const unit = costUnit(result.ref.provider, cost.currency);
        totals[unit] = addDecimals(totals[unit] ?? "0", cost.amount);
      }
      const full = write(row.text);
      if (full) await full;
      bar?.increment(counts.failed);
    }
    await keeper?.flush();
  } finally {
    bar?.stop();
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.off(signal, onSignal);
    // What was looked up and not kept yet (an error above) is kept before the store closes.
    await keeper?.flush().catch(() => undefined);
    await store?.close();
    if (out !== process.stdout && !writeError) {
      out.end();
      await once(out, "finish");
    }
  }
  if (writeError) throw writeError;

  const parts = [`${counts.succeeded} done`, `${counts.failed} failed`];
  if (counts.skipped) parts.push(`${counts.skipped} skipped (already in ${output})`);
  if (previous?.failed) parts.push(`${previous.failed} of them failed in an earlier run`);
  if (counts.inStore) parts.push(`${counts.inStore} skipped (already final in the store)`);
  if (keeper) parts.push(keeper.summary());
  if (previous?.retrying) parts.push(`${previous.retrying} failed before with a retryable error, looked up again`);
  if (counts.duplicates) parts.push(`${counts.duplicates} duplicate${counts.duplicates === 1 ? "" : "s"} ignored`);
  if (counts.bad) parts.push(`${counts.bad} bad line${counts.bad === 1 ? "" : "s"}`);
  // On --resume the total is this run's: the earlier rows in the file are not added again.
  const of = previous ? "total cost of this run's rows" : "total cost";
  const billed = Object.keys(totals).length ? `${of} ${totalsText(totals)}` : "nothing billed";
  process.stderr.write(`genledger batch: ${parts.join(", ")}; ${billed}\n`);
  const limited = rateLimitSummary(ledger.stats());
  if (limited) process.stderr.write(`genledger batch: ${limited}\n`);
  if (stoppedBy) {
    const again = ["genledger", "batch", ...process.argv.slice(3).filter((arg) => arg !== "--overwrite")];
    if (!again.includes("--resume")) again.push("--resume");
    process.stderr.write(
      output
        ? `genledger batch: stopped by ${stoppedBy}; the rows above are in ${output}. To finish: ${again.map(shellQuote).join(" ")}\n`
        : `genledger batch: stopped by ${stoppedBy}; rows so far went to stdout. Use --output FILE to be able to resume.\n`,
    );
    return signalExitCodes[stoppedBy];
  }
  return counts.failed > 0 || counts.bad > 0 ? 1 : 0;
}

/** The refs of a chunk of input lines (the bad ones left out: the main loop reports them). */
function refsOf(lines: readonly { text: string }[], defaultProvider: CliProvider | undefined): GenerationRef[] {
  const refs: GenerationRef[] = [];
  for (const line of lines) {
    const parsed = parseRef(line.text, defaultProvider);
    if (parsed && !("reason" in parsed)) refs.push(parsed);
  }
  return refs;
}

/**
 * `--into`: each looked-up record kept (a record not final yet is queued by the store itself), each lookup
 * that may still succeed (not found yet, a retryable error) queued for `genledger resolve`. Written a few
 * hundred at a time, each write one transaction.
 */
function storeKeeper(store: Store, check: (item: PutItem) => void) {
  let puts: PutItem[] = [];
  let queue: QueueItem[] = [];
  const counts = { kept: 0, queued: 0, notFinal: 0 };
  const flush = async () => {
    const [p, q] = [puts, queue];
    puts = [];
    queue = [];
    if (p.length) await store.put(p);
    if (q.length) await store.enqueue(q);
    counts.kept += p.length;
    // A record not final yet is queued by the store itself.
    const notFinal = p.filter((item) => item.generation.billing !== "final").length;
    counts.notFinal += notFinal;
    counts.queued += q.length + notFinal;
  };
  return {
    /** Why the store would refuse this record (a StoreError "invalid-record"), or undefined. */
    refused(generation: Generation): Error | undefined {
      try {
        check({ generation });
        return undefined;
      } catch (error) {
        return error as Error;
      }
    },
    /** True when the result is in the store's hands (kept, or queued to try again). */
    async add(result: { ref: GenerationRef; generation?: Generation; error?: Error }): Promise<boolean> {
      let kept = false;
      if (result.generation) {
        puts.push({ generation: result.generation });
        kept = true;
      } else if (result.error && (isTransient(result.error) || NotFoundError.isInstance(result.error))) {
        const reason = NotFoundError.isInstance(result.error) ? "not-ready" : "retryable-error";
        queue.push({ ref: result.ref, reason, error: describeError(result.error).slice(0, 500) });
        kept = true;
      }
      if (puts.length + queue.length >= 500) await flush();
      return kept;
    },
    flush,
    summary: () =>
      `${plural(counts.kept, "record")} kept${counts.notFinal ? ` (${counts.notFinal} not final yet)` : ""} and ${plural(counts.queued, "ref")} queued for genledger resolve in ${store.url}`,
  };
}

/** The CSV library when needed, what an existing --output already holds (--resume), and the stream to write. */
async function prepareOutput(options: BatchOptions) {
  const { output, format } = options;
  const csv = format === "csv" ? await loadCsv() : undefined;
  let previous: PreviousOutput | undefined;
  if (output) {
    const existing = await stat(output).catch(() => undefined);
    if (existing?.isFile() && options.input !== "-" && (await sameFile(options.input, output))) {
      throw new UsageError(`--output ${output} is the input file`);
    }
    if (existing?.isFile() && existing.size > 0) {
      if (options.resume) {
        previous = await readPrevious(output, format, options.retryFailed);
        // Only a row cut off mid-write goes: readPrevious checked every line before it is ours.
        if (previous.keep < existing.size) await truncate(output, previous.keep);
      } else if (!options.overwrite) {
        throw new UsageError(
          `${output} already exists and is not empty: --resume to finish it, or --overwrite to replace it`,
        );
      }
    }
  }
  const out: Writable = output
    ? (
        await open(output, previous ? "a" : "w").catch((error: NodeJS.ErrnoException) => {
          throw fileError("write", output, error);
        })
      ).createWriteStream()
    : process.stdout;
  return { csv, previous, out };
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

async function openInput(input: string): Promise<Readable> {
  if (input === "-") return process.stdin;
  try {
    return (await open(input, "r")).createReadStream();
  } catch (error) {
    throw fileError("read", input, error);
  }
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [ra, rb] = await Promise.all([realpath(a).catch(() => a), realpath(b).catch(() => b)]);
  return ra === rb;
}

type Stats = Record<string, RateLimitState | undefined>;

/** For the progress line: a pause the gateway asked for, else the pace of each limited gateway. */
export function rateNote(stats: Stats, now = Date.now()): string {
  const notes: string[] = [];
  // In the gateways' order of name, not of first use: the line reads the same at every draw.
  for (const [gateway, state] of Object.entries(stats).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!state) continue;
    if (state.pausedUntil) notes.push(`${gateway} paused ${durationText((state.pausedUntil - now) / 1000)}`);
    else if (state.rate !== undefined && state.source !== "none") notes.push(`${gateway} ${rateText(state.rate)}/s`);
  }
  return notes.join(" · ");
}

/** For the summary: the 429s met per gateway and the pace it settled at; "" when none were met. */
export function rateLimitSummary(stats: Stats): string {
  const parts: string[] = [];
  for (const [gateway, state] of Object.entries(stats).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!state?.rateLimited) continue;
    const of = `${state.rateLimited} rate-limited answer${state.rateLimited === 1 ? "" : "s"} (429) from ${gateway}`;
    parts.push(`${of} in ${state.requests} requests, paced at ${rateText(state.rate ?? 0)}/s at the end`);
  }
  return parts.length ? `${parts.join("; ")}; none counted as a failure unless past --deadline` : "";
}

function rateText(rate: number): string {
  return rate >= 10 ? String(Math.round(rate)) : rate.toFixed(1);
}

/**
 * The progress line: fitted to the terminal's width every time it is drawn (the count, the failures
 * and the ETA always show; the bar takes what is left), with an ETA from a rate smoothed over some ten
 * seconds rather than the last few refs, which arrive in bursts.
 */
export function progressLine() {
  let rate = 0;
  let last: { t: number; value: number } | undefined;
  return (
    value: number,
    total: number,
    failed: number,
    columns: number,
    now = Date.now(),
    note = "",
    paced = value,
  ): string => {
    // The ETA's rate is of refs looked up (`paced`): refs skipped at once (a resumed run) would make it 0s.
    if (last && now > last.t) {
      const instant = ((paced - last.value) * 1000) / (now - last.t);
      const weight = 1 - Math.exp(-(now - last.t) / 10_000);
      rate = rate === 0 ? instant : rate + (instant - rate) * weight;
    }
    if (!last || now > last.t) last = { t: now, value: paced };
    const eta = total && rate > 0 ? durationText((total - value) / rate) : "–";
    const room = columns - 1;
    const base = total ? ` ${value}/${total} refs · ${failed} failed · eta ${eta}` : `${value} refs · ${failed} failed`;
    // The gateways' paces go last, as many whole as fit beside a bar of ten: never cut mid-word.
    let text = base;
    for (const piece of note ? note.split(" · ") : []) {
      if (`${text} · ${piece}`.length > room - 10) break;
      text = `${text} · ${piece}`;
    }
    if (!total) return text.slice(0, room);
    const width = Math.max(0, Math.min(40, room - text.length));
    const filled = Math.round((width * Math.min(value, total)) / total);
    return `${"█".repeat(filled)}${"░".repeat(width - filled)}${text}`.slice(0, room);
  };
}

/**
 * The progress bar on a terminal: one line, redrawn in place (at most ten times a second), which
 * warnings are printed above. Its total is the input's ref lines, counted first.
 */
async function progressBar(
  input: string,
  defaultProvider: CliProvider | undefined,
  failedBefore: number,
  note: () => string,
) {
  // The total is the input's refs: bad lines are not refs, and a duplicate leaves it when it is met.
  let total = 0;
  if (input !== "-") {
    for await (const line of lines((await open(input, "r")).createReadStream())) {
      const parsed = parseRef(line.text, defaultProvider);
      if (parsed && !("reason" in parsed)) total++;
    }
  }
  const stream = process.stderr;
  const line = progressLine();
  let value = 0;
  let paced = 0;
  // An earlier run's failures (--resume) count from the start.
  let failed = failedBefore;
  let drawn = 0;
  const clear = "\r\u001b[2K";
  const draw = () => {
    drawn = Date.now();
    stream.write(`${clear}${line(value, total, failed, stream.columns ?? 80, drawn, note(), paced)}`);
  };
  // The cursor is hidden while the bar is drawn; whatever ends the process shows it again.
  stream.write("\u001b[?25l");
  process.once("exit", () => stream.write("\u001b[?25h"));
  draw();
  // Redrawn now and then even with nothing done, so the ETA follows the clock.
  const timer = setInterval(draw, 1000);
  timer.unref();
  const moved = () => {
    if (Date.now() - drawn >= 100 || value === total) draw();
  };
  return {
    /** One ref looked up; `failedNow` of this run so far. */
    increment(failedNow: number) {
      value++;
      paced++;
      failed = failedBefore + failedNow;
      moved();
    },
    /** One ref not looked up again (done in an earlier run, final in the store). */
    skipped() {
      value++;
      moved();
    },
    /** A ref met again: not one of the total. */
    duplicate() {
      if (input !== "-") total--;
      moved();
    },
    /** A line printed above the bar: the bar's line cleared, the text, the bar drawn again below it. */
    warn(text: string) {
      stream.write(`${clear}${text}\n`);
      draw();
    },
    /** The bar's line cleared, the cursor shown: what follows starts on a clean line. */
    stop() {
      clearInterval(timer);
      stream.write(`${clear}\u001b[?25h`);
    },
  };
}
