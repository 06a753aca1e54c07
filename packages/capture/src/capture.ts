// The capture's core: calls seen at the call site (fetch.ts, middleware.ts) begin, respond and settle here;
// each is booked at once from what its response said (capture-records.ts), then looked up in the background
// through the ledger (re-checked on rechecks.ts's schedule, kept by store-writer.ts) until the gateway's
// record is final. Nothing here may throw into, slow down or change the caller's SDK call: every failure is a
// report (capture-error.ts).
import { GenledgerError, InvalidArgumentError, isTransient, maxTimeoutMs, TimeoutError } from "@genledger/core";
import { checkOptions, type GenerationRef } from "@genledger/normalize";
import { CaptureError } from "./capture-error.js";
import { billedRecord, estimateRecord } from "./capture-records.js";
import type { Inline } from "./inline.js";
import { Rechecks, unref } from "./rechecks.js";
import { StoreWriter } from "./store-writer.js";
import { checkTags, type Tags } from "./tags.js";
import type { CapturedCall, CaptureOptions, CaptureRecord, CaptureStats, Held, LookupOnce } from "./types.js";

type Lookup = { held: Held; controller: AbortController; done: boolean };

function checkCaptureOptions(options: CaptureOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError("createCapture needs an options object with `ledger`");
  }
  checkOptions("createCapture", options, {
    ledger: "an object",
    store: "an object",
    onGeneration: "a function",
    onError: "a function",
    onDropped: "a function",
    tags: "an object",
    gateways: "an object",
    concurrency: [1, 256, 1],
    maxPending: [1, 10_000_000, 1],
    horizonMs: [0, maxTimeoutMs, 1],
    billingHorizonMs: [0, maxTimeoutMs, 1],
    lookupTimeoutMs: [1, maxTimeoutMs, 1],
    fetch: "a function",
  });
  if (typeof options.ledger?.getOnce !== "function") {
    throw new InvalidArgumentError("createCapture needs `ledger`: a ledger from createLedger({ providers })");
  }
  const store = options.store;
  if (store !== undefined && (typeof store.enqueue !== "function" || typeof store.put !== "function")) {
    throw new InvalidArgumentError("createCapture: `store` must be a store from openStore(url) (enqueue and put)");
  }
}

/** The state shared by capture's fetch and middleware. */
export class CaptureCore {
  readonly defaultTags: Tags;
  private readonly options: CaptureOptions;
  private readonly concurrency: number;
  private readonly maxPending: number;
  private readonly horizonMs: number;
  private readonly billingHorizonMs: number;
  private readonly lookupTimeoutMs: number;
  private readonly counts = { captured: 0, resolved: 0, failed: 0, dropped: 0 };
  /** Calls whose response is still being read. */
  private readonly open = new Set<CapturedCall>();
  private readonly ready: Held[] = [];
  private readonly rechecks = new Rechecks(() => this.pump());
  private inFlight = 0;
  /** Each lookup in flight, and how to end it now (a ledger may not heed its signal). */
  private readonly lookups = new Map<Promise<void>, Lookup>();
  private readonly callbacks = new Set<Promise<unknown>>();
  private idleWaiters: (() => void)[] = [];
  /** With a store: each call's ref queued before its lookup, and the records put. */
  private readonly writer: StoreWriter | undefined;

  closed = false;

  constructor(options: CaptureOptions) {
    checkCaptureOptions(options);
    this.options = options;
    this.defaultTags = Object.freeze(options.tags ? checkTags(options.tags, "createCapture option `tags`") : {});
    this.concurrency = options.concurrency ?? 4;
    this.maxPending = options.maxPending ?? 10_000;
    this.horizonMs = options.horizonMs ?? 60_000;
    this.billingHorizonMs = options.billingHorizonMs ?? 600_000;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 60_000;
    this.writer =
      options.store &&
      new StoreWriter(options.store, {
        queued: (held) => {
          if (this.closed) this.drop(held);
          else {
            this.ready.push(held);
            this.pump();
          }
        },
        refused: (error) => this.safely(() => this.options.onError?.(error)),
        settled: () => this.idle(),
      });
  }

  get held(): number {
    return this.open.size + (this.writer?.waiting ?? 0) + this.ready.length + this.rechecks.size + this.inFlight;
  }

  stats(): CaptureStats {
    return { ...this.counts, pending: this.held };
  }

  /** A call is starting; `undefined` when closed or full (the caller then only passes the call through). */
  begin(call: Omit<CapturedCall, "ref" | "firstByteAt" | "endedAt" | "startedAt">): CapturedCall | undefined {
    if (this.closed) return undefined;
    return {
      provider: call.provider,
      ref: null,
      api: call.api,
      via: call.via,
      streamed: call.streamed,
      tags: call.tags,
      requestModel: call.requestModel,
      startedAt: Date.now(),
      firstByteAt: null,
      endedAt: null,
    };
  }

  /** The call's response came back: it is captured, and held until settled. */
  responded(call: CapturedCall): boolean {
    this.counts.captured++;
    if (this.held >= this.maxPending) {
      this.counts.dropped++;
      this.safely(() => this.options.onDropped?.(call));
      return false;
    }
    this.open.add(call);
    return true;
  }

  /** The response ended (completely, cut or cancelled): book what it said, and queue the lookup. */
  settle(call: CapturedCall, inline: Inline, whyNoId?: CaptureError, cancelled = false): void {
    // Settled once: a call dropped by close(), or already ended, is not booked again.
    if (!this.open.delete(call)) return;
    call.endedAt = Date.now();
    if (!inline.id) {
      this.fail(
        whyNoId ??
          new CaptureError(
            "no-id",
            call,
            cancelled
              ? `${call.provider}: the caller stopped reading the response before its generation id came; the call cannot be looked up`
              : `${call.provider}: the ${call.streamed ? "stream" : "response"} carried no generation id${inline.error ? ` (it reported an error: ${inline.error})` : ""}; the call cannot be looked up`,
          ),
      );
      this.idle();
      return;
    }
    call.ref = { provider: call.provider, id: inline.id };
    if (inline.unbillable) {
      this.warn(
        new CaptureError(
          "bad-cost",
          call,
          `${call.provider}: the response's ${inline.unbillable} is no cost a gateway bills (more than 45 digits); no estimate booked, the billed record is looked up`,
        ),
      );
    }
    // The horizon counts from the end of the call: a long stream is not a late record.
    const held: Held = { call, inline, attempts: 0, deadline: call.endedAt + this.horizonMs, pendingSince: null };
    if (this.closed) {
      this.drop(held);
      return;
    }
    // With a store, the ref is queued ahead of the estimate: the writer takes refs first.
    this.writer?.queueRef(held);
    if (inline.cost !== null) this.deliver(estimateRecord(call, inline), false);
    if (this.writer) return;
    this.ready.push(held);
    this.pump();
  }

  /** Something to say about a call that does not fail it (its tags could not be read). */
  warn(error: CaptureError): void {
    this.safely(() => this.options.onError?.(error));
  }

  private fail(error: CaptureError): void {
    this.counts.failed++;
    this.safely(() => this.options.onError?.(error));
  }

  private drop(held: Held): void {
    this.counts.dropped++;
    this.safely(() => this.options.onDropped?.(held.call));
    this.idle();
  }

  /** A callback's failure is reported, never thrown into the caller. */
  private safely(run: () => unknown, call?: CapturedCall): void {
    try {
      const result = run();
      if (result && typeof (result as Promise<unknown>).then === "function") {
        const p = Promise.resolve(result).then(
          () => undefined,
          (error: unknown) => call && this.callbackFailed(call, error),
        );
        this.callbacks.add(p);
        void p.finally(() => {
          this.callbacks.delete(p);
          this.idle();
        });
      }
    } catch (error) {
      if (call) this.callbackFailed(call, error);
    }
  }

  private callbackFailed(call: CapturedCall, error: unknown): void {
    this.safely(() =>
      this.options.onError?.(new CaptureError("callback-failed", call, "onGeneration threw", { cause: error })),
    );
  }

  private deliver(record: CaptureRecord, final: boolean): void {
    if (final) this.counts.resolved++;
    this.writer?.putRecord(record);
    const onGeneration = this.options.onGeneration;
    if (onGeneration) this.safely(() => onGeneration(record), record.call);
  }

  private pump(): void {
    const now = Date.now();
    for (let held = this.rechecks.popDue(now); held; held = this.rechecks.popDue(now)) this.ready.push(held);
    while (this.inFlight < this.concurrency && this.ready.length > 0 && !this.closed) {
      const entry: Lookup = { held: this.ready.shift() as Held, controller: new AbortController(), done: false };
      this.inFlight++;
      const lookup = this.lookUp(entry);
      this.lookups.set(lookup, entry);
      lookup.then(
        () => this.lookups.delete(lookup),
        () => this.lookups.delete(lookup),
      );
    }
    if (this.closed) this.rechecks.stop();
    else this.rechecks.arm();
    this.idle();
  }

  private async lookUp(entry: Lookup): Promise<void> {
    const { held, controller } = entry;
    const ref = held.call.ref as GenerationRef;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Never synchronously: a ledger that throws at once must not recurse through pump().
    await null;
    try {
      // The limit frees the slot, and aborts the request, even for a ledger that ignores its signal.
      const answer = await Promise.race([
        this.options.ledger.getOnce(ref.provider as never, ref.id, { signal: controller.signal, billing: true }),
        new Promise<never>((_, reject) => {
          const stop = () => reject(controller.signal.reason);
          if (controller.signal.aborted) stop();
          controller.signal.addEventListener("abort", stop, { once: true });
          timer = setTimeout(() => {
            controller.abort(
              new TimeoutError(
                ref.provider,
                `${ref.provider}: the lookup took over ${this.lookupTimeoutMs} ms`,
                this.lookupTimeoutMs,
              ),
            );
          }, this.lookupTimeoutMs);
          unref(timer);
        }),
      ]);
      entry.done = true;
      if (!this.closed) this.settleLookup(held, answer);
    } catch (error) {
      entry.done = true;
      if (this.closed) return;
      if (isTransient(error) && this.rechecks.schedule(held, false)) return;
      this.fail(
        new CaptureError(
          "lookup-failed",
          held.call,
          `${ref.provider}: the lookup of ${ref.id} failed: ${(error as Error)?.message ?? String(error)}`,
          { cause: error },
        ),
      );
    } finally {
      clearTimeout(timer);
      this.inFlight--;
      if (!this.closed) this.pump();
      else this.idle();
    }
  }

  /** What a lookup answered: the final record delivered, or a re-check scheduled, or the call given up. */
  private settleLookup(held: Held, answer: LookupOnce): void {
    if (answer.ready && answer.generation) {
      this.deliver(billedRecord(held, answer.generation), true);
      return;
    }
    // Billing that comes late (ZenMux) is waited on longer than a record that is not there yet.
    if (answer.generation) {
      held.pendingSince ??= Date.now();
      held.deadline = Math.max(held.deadline, (held.call.endedAt ?? held.call.startedAt) + this.billingHorizonMs);
    }
    if (this.rechecks.schedule(held, answer.generation !== undefined)) return;
    if (answer.generation) this.deliver(billedRecord(held, answer.generation), false);
    const ref = held.call.ref as GenerationRef;
    this.fail(
      new CaptureError(
        "not-final",
        held.call,
        `${ref.provider}: ${ref.id} was not final ${Math.round((Date.now() - held.call.startedAt) / 1000)} s after the call (${answer.generation ? `billing ${answer.generation.billing}, status ${answer.generation.status}` : (answer.notReady?.message ?? "not ready")})`,
        { cause: answer.notReady },
      ),
    );
  }

  private idle(): void {
    if (this.held > 0 || this.callbacks.size > 0 || this.writer?.writing || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when nothing is held and every callback has settled, or at the deadline. */
  async flush(timeoutMs: number): Promise<CaptureStats> {
    if (this.held > 0 || this.callbacks.size > 0 || this.writer?.writing) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let wake!: () => void;
      const done = new Promise<void>((resolve) => {
        wake = resolve;
        this.idleWaiters.push(resolve);
        timer = setTimeout(() => resolve(), timeoutMs);
      });
      await done;
      clearTimeout(timer);
      this.idleWaiters = this.idleWaiters.filter((w) => w !== wake);
    }
    return this.stats();
  }

  /** Stops capturing; lookups in flight are ended and every call still held is dropped. */
  async close(): Promise<CaptureStats> {
    if (!this.closed) {
      this.closed = true;
      this.rechecks.stop();
      for (const held of [...this.ready.splice(0), ...this.rechecks.drain()]) this.drop(held);
      // A lookup in flight is ended and its call dropped; its answer, if one comes, is ignored.
      const reason = new GenledgerError("capture closed");
      for (const entry of this.lookups.values()) {
        entry.controller.abort(reason);
        if (entry.done) continue;
        this.counts.dropped++;
        this.safely(() => this.options.onDropped?.(entry.held.call));
      }
      // A response still being read is dropped too: what it says later is not booked.
      for (const call of [...this.open]) {
        this.open.delete(call);
        this.counts.dropped++;
        this.safely(() => this.options.onDropped?.(call));
      }
      await Promise.allSettled([...this.lookups.keys()]);
    }
    // What the store was given is written before close() returns: that is what the next resolve reads.
    while (this.writer?.writing) await this.writer.writing;
    this.idle();
    return this.stats();
  }
}
