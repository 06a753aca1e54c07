// The capture: calls seen at the call site (fetch.ts, middleware.ts) become refs; each is booked at once
// from what its response said (`billing: "estimated"`, where the response carries a cost), then looked
// up in the background through the ledger until the gateway's record is final. Nothing here may throw
// into, slow down or change the caller's SDK call: every failure is a report.
import {
  backoffMs,
  GenledgerError,
  InvalidArgumentError,
  isTransient,
  maxTimeoutMs,
  TimeoutError,
} from "@genledger/core/internal";
import {
  type Cost,
  checkOptions,
  type GenerationRecord,
  type GenerationRef,
  subtractDecimals,
} from "@genledger/normalize";
import type { CapturedApi } from "./gateways.js";
import type { Inline } from "./inline.js";
import { DueQueue } from "./queue.js";
import { checkTags, type Tags } from "./tags.js";

/** What capture needs of a ledger: `createLedger({ providers: [...] })` has it. */
export interface CaptureLedger {
  readonly providers: readonly string[];
  getOnce(
    provider: never,
    id: string,
    options?: { signal?: AbortSignal | undefined; billing?: boolean | undefined },
  ): Promise<LookupOnce>;
}

/**
 * Where capture keeps what it captures: `openStore(url)` of `@genledger/store` is one. Each call's ref is
 * queued here before its lookup starts, so a process that exits first loses nothing: the next
 * `genledger resolve` (or `resolvePending`) looks it up.
 */
export interface CaptureStore {
  enqueue(items: { ref: GenerationRef; tags?: Tags | undefined; reason?: string | undefined }[]): Promise<unknown>;
  put(items: { generation: CapturedGeneration; tags?: Tags | undefined }[]): Promise<unknown>;
}

/** One lookup that does not wait, as `ledger.getOnce` answers it. */
type LookupOnce = { ready: boolean; generation?: CapturedGeneration | undefined; notReady?: Error | undefined };

/** One model call as capture saw it. */
export interface CapturedCall {
  /** The gateway, told from the request's URL (fetch) or the model (middleware). */
  provider: string;
  /** `{ provider, id }` once the response gave its generation id. */
  ref: GenerationRef | null;
  api: CapturedApi;
  via: "fetch" | "middleware";
  streamed: boolean;
  tags: Tags;
  /** The model the call asked for, where capture could see it. */
  requestModel: string | null;
  /** Epoch ms: the request left; the first byte or part came back; the response ended. */
  startedAt: number;
  firstByteAt: number | null;
  endedAt: number | null;
}

/**
 * A record as capture delivers it: a `Generation` of whichever gateway (`provider`), its `raw` body
 * the looked-up one, or null for an estimate built from the completion's own response.
 */
export type CapturedGeneration = GenerationRecord;

/** What `onGeneration` gets: first (where the response carried a cost) the estimate, then the gateway's record. */
export interface CaptureRecord {
  /**
   * `billing: "estimated"`: read from the response (`raw` is null). Otherwise the looked-up record as
   * `ledger.get` returns it: `"final"`, or (given up at the horizon) `"pending"`.
   */
  generation: CapturedGeneration;
  call: CapturedCall;
  /** The call's tags (also `call.tags`). */
  tags: Tags;
  /**
   * Where the numbers came from: for an estimate, the response fields (`usage.cost`,
   * `providerMetadata.gateway.cost`, ...); for a looked-up record, `"lookup"` for both.
   */
  sources: { cost: string | null; usage: string | null };
  /** On a looked-up record of a call that reported a cost inline: that amount, and `final - estimate`, exact. */
  estimate: { amount: string; difference: string | null } | null;
}

/** Why capture could not book a call; `call` says which. The SDK call itself was not affected. */
export class CaptureError extends GenledgerError {
  static override readonly kind: string = "CaptureError";
  declare readonly call: CapturedCall;
  /**
   * `"no-id"`: the response carried no generation id; `"lookup-failed"`: the lookup failed for good;
   * `"not-final"`: still not final at the horizon; `"callback-failed"`: `onGeneration` threw;
   * `"unknown-gateway"`: the middleware could not tell which gateway served the call, or `capture.fetch`
   * met a call shaped like a gateway's under a base URL it knows no gateway for (said once per base URL;
   * the call is passed on untouched and not booked); `"bad-tags"`:
   * the tag header was not what `tagHeaders()` writes; `"store-failed"`: the store refused a write (the
   * lookup goes on, and a later record is written again); `"bad-cost"`: the response's inline cost is
   * none any gateway bills (1e308): no estimate is booked, the lookup goes on.
   */
  declare readonly code:
    | "no-id"
    | "lookup-failed"
    | "not-final"
    | "callback-failed"
    | "unknown-gateway"
    | "bad-tags"
    | "store-failed"
    | "bad-cost";
  constructor(code: CaptureError["code"], call: CapturedCall, message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.assign(this, { code, call });
  }
}

export interface CaptureStats {
  /** Model calls seen whose response came back (each step, each retry). */
  captured: number;
  /** Calls with a final record delivered. */
  resolved: number;
  /** Calls not yet settled: response still being read, or waiting for a lookup. */
  pending: number;
  /** Calls reported to `onError` (no id, lookup failed, not final at the horizon). */
  failed: number;
  /** Calls not held because `maxPending` were already held, or still held at `close()`. */
  dropped: number;
}

export interface CaptureOptions {
  /** The ledger the lookups go through, with an adapter for each gateway your calls use. */
  ledger: CaptureLedger;
  /**
   * Keep every call here: its ref queued before the lookup, each record (estimate, then the gateway's) put
   * as it comes. A call still held at `close()` or exit stays queued for `genledger resolve`.
   */
  store?: CaptureStore | undefined;
  /** Each record: the estimate (where the response carried a cost), then the looked-up one. May return a promise. */
  onGeneration?: ((record: CaptureRecord) => void | Promise<void>) | undefined;
  /** A call capture could not book. Default: counted in `stats().failed` only. */
  onError?: ((error: CaptureError) => void) | undefined;
  /** A call not held (the `maxPending` bound, or `close()`). */
  onDropped?: ((call: CapturedCall) => void) | undefined;
  /** Tags on every call, under the call's own. */
  tags?: Tags | undefined;
  /** More base URLs and the gateway each belongs to: `{ "http://127.0.0.1:8787/openrouter/api/v1": "openrouter" }`. */
  gateways?: Readonly<Record<string, string>> | undefined;
  /** Lookups in flight at most; default 4. */
  concurrency?: number | undefined;
  /** Calls held (streaming or waiting for a lookup) at most; past it a new call is dropped; default 10 000. */
  maxPending?: number | undefined;
  /** How long after the call a record that is not ready is re-checked; default 60 000 (OpenRouter's, Vercel's early 404, Oxen in flight). */
  horizonMs?: number | undefined;
  /** The same for billing that comes late (ZenMux, 3-5 minutes); default 600 000. */
  billingHorizonMs?: number | undefined;
  /** One lookup's limit, whatever the ledger does; default 60 000. */
  lookupTimeoutMs?: number | undefined;
  /** The fetch that `capture.fetch` sends with; default `globalThis.fetch` at the time of each call. */
  fetch?: ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) | undefined;
}

/** Capture's timers never keep a process alive: Node's and Bun's `unref`, Deno's `Deno.unrefTimer`. */
function unref(timer: ReturnType<typeof setTimeout>): void {
  if (typeof (timer as { unref?: unknown }).unref === "function") (timer as unknown as { unref(): void }).unref();
  else (globalThis as { Deno?: { unrefTimer?(id: unknown): void } }).Deno?.unrefTimer?.(timer);
}

type Lookup = { held: Held; controller: AbortController; done: boolean };

type Held = { call: CapturedCall; inline: Inline; attempts: number; deadline: number; pendingSince: number | null };

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
  private readonly later = new DueQueue<Held>();
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerDue = Number.POSITIVE_INFINITY;
  /** Each lookup in flight, and how to end it now (a ledger may not heed its signal). */
  private readonly lookups = new Map<Promise<void>, Lookup>();
  private readonly callbacks = new Set<Promise<unknown>>();
  private idleWaiters: (() => void)[] = [];
  /** Calls waiting for their ref to be queued in the store, and records waiting to be put. */
  private readonly toQueue: Held[] = [];
  private readonly toPut: CaptureRecord[] = [];
  private writing: Promise<void> | undefined;

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
  }

  get held(): number {
    return this.open.size + this.toQueue.length + this.ready.length + this.later.size + this.inFlight;
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
    if (this.options.store) this.toQueue.push(held);
    if (inline.cost !== null) this.deliver(estimated(call, inline), false);
    if (this.options.store) {
      this.write();
      return;
    }
    this.ready.push(held);
    this.pump();
  }

  /**
   * One write at a time, each taking everything that came meanwhile: refs queued first, then records
   * (so a final record is never followed by its ref queued again). A call's lookup starts once its ref
   * is written, or once the store has refused it (reported; the lookup still runs).
   */
  private write(): void {
    const store = this.options.store;
    if (!store || this.writing) return;
    this.writing = (async () => {
      while (this.toQueue.length > 0 || this.toPut.length > 0) {
        const queued = this.toQueue.splice(0);
        const records = this.toPut.splice(0);
        if (queued.length > 0) {
          const items = queued.map((h) => ({
            ref: h.call.ref as GenerationRef,
            tags: h.call.tags,
            reason: "captured",
          }));
          await this.stored(
            items,
            (part) => store.enqueue(part),
            queued.map((h) => h.call),
            "queue",
          );
          for (const held of queued) {
            if (this.closed) this.drop(held);
            else this.ready.push(held);
          }
          if (!this.closed) this.pump();
        }
        if (records.length > 0) {
          const items = records.map((r) => ({ generation: r.generation, tags: r.tags }));
          await this.stored(
            items,
            (part) => store.put(part),
            records.map((r) => r.call),
            "put",
          );
        }
      }
    })().finally(() => {
      this.writing = undefined;
      this.idle();
    });
  }

  /**
   * Writes `items` (of `calls`, in order) in one go. A batch the store refuses for one bad item's sake
   * (`invalid-record`) is written again item by item, so that one call's bad data costs no other call its
   * record; any other refusal (the database is down) is reported once for the batch.
   */
  private async stored<T>(
    items: T[],
    write: (items: T[]) => Promise<unknown>,
    calls: CapturedCall[],
    what: "queue" | "put",
  ): Promise<void> {
    try {
      await write(items);
    } catch (error) {
      if (items.length > 1 && (error as { code?: unknown })?.code === "invalid-record") {
        for (let i = 0; i < items.length; i++) {
          await this.stored([items[i] as T], write, [calls[i] as CapturedCall], what);
        }
        return;
      }
      const call = calls[0] as CapturedCall;
      const count = items.length;
      const message = (error as Error)?.message ?? String(error);
      this.safely(() =>
        this.options.onError?.(
          new CaptureError(
            "store-failed",
            call,
            `capture: the store refused to ${what} ${count} ${what === "queue" ? "ref" : "record"}${count === 1 ? "" : "s"}: ${message}`,
            { cause: error },
          ),
        ),
      );
    }
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
    if (this.options.store) {
      this.toPut.push(record);
      this.write();
    }
    const onGeneration = this.options.onGeneration;
    if (onGeneration) this.safely(() => onGeneration(record), record.call);
  }

  private pump(): void {
    const now = Date.now();
    for (let held = this.later.popDue(now); held; held = this.later.popDue(now)) this.ready.push(held);
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
    this.arm();
    this.idle();
  }

  /** One timer, for the earliest re-check; it never keeps a process alive (flush is how to wait). */
  private arm(): void {
    const due = this.later.nextDue;
    if (due === undefined || this.closed) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerDue = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerDue = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, due - Date.now()),
    );
    unref(this.timer);
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
      if (!this.closed) this.answered(held, answer);
    } catch (error) {
      entry.done = true;
      if (this.closed) return;
      if (isTransient(error) && this.again(held, false)) return;
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

  private answered(held: Held, answer: LookupOnce): void {
    if (answer.ready && answer.generation) {
      this.deliver(looked(held, answer.generation), true);
      return;
    }
    // Billing that comes late (ZenMux) is waited on longer than a record that is not there yet.
    if (answer.generation) {
      held.pendingSince ??= Date.now();
      held.deadline = Math.max(held.deadline, (held.call.endedAt ?? held.call.startedAt) + this.billingHorizonMs);
    }
    if (this.again(held, answer.generation !== undefined)) return;
    if (answer.generation) this.deliver(looked(held, answer.generation), false);
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

  /** Schedules the next check; false when it would fall past the call's deadline. */
  private again(held: Held, slow: boolean): boolean {
    held.attempts++;
    // Not there yet: 0.5 s, 1 s, 2 s ... 8 s apart (core's backoff); billing pending: every 30 s.
    const delay = slow ? 30_000 : backoffMs(held.attempts - 1);
    const now = Date.now();
    if (now >= held.deadline) return false;
    this.later.push(Math.min(now + delay, held.deadline), held);
    return true;
  }

  private idle(): void {
    if (this.held > 0 || this.callbacks.size > 0 || this.writing || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when nothing is held and every callback has settled, or at the deadline. */
  async flush(timeoutMs: number): Promise<CaptureStats> {
    if (this.held > 0 || this.callbacks.size > 0 || this.writing) {
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
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      for (const held of [...this.ready.splice(0), ...this.later.drain()]) this.drop(held);
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
    while (this.writing) await this.writing;
    this.idle();
    return this.stats();
  }
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

function estimated(call: CapturedCall, inline: Inline): CaptureRecord {
  const cost: Cost | null =
    inline.cost === null
      ? null
      : {
          amount: inline.cost,
          currency: "USD",
          upstreamAmount: inline.upstreamCost,
          discountAmount: null,
          breakdown: null,
        };
  const generation: CapturedGeneration = {
    provider: call.provider,
    id: inline.id as string,
    model: inline.model ?? call.requestModel,
    upstream: { provider: null, id: null },
    status: inline.error ? "failed" : "succeeded",
    createdAt: null,
    startedAt: iso(call.startedAt),
    completedAt: iso(call.endedAt),
    timing: {
      timeToFirstTokenMs: call.firstByteAt === null ? null : call.firstByteAt - call.startedAt,
      generationMs: call.endedAt === null ? null : call.endedAt - call.startedAt,
    },
    usage: inline.usage ?? {
      inputTokens: null,
      outputTokens: null,
      reasoningTokens: null,
      cachedInputTokens: null,
      totalTokens: null,
    },
    cost,
    billing: "estimated",
    finishReason: null,
    nativeFinishReason: null,
    streamed: call.streamed,
    byok: inline.byok,
    error: inline.error,
    raw: null,
  };
  return { generation, call, tags: call.tags, sources: { ...inline.sources }, estimate: null };
}

function looked(held: Held, generation: CapturedGeneration): CaptureRecord {
  const { call, inline } = held;
  const amount = inline.cost;
  const final = generation.cost?.amount;
  return {
    generation,
    call,
    tags: call.tags,
    sources: { cost: "lookup", usage: "lookup" },
    estimate:
      amount === null ? null : { amount, difference: final === undefined ? null : subtractDecimals(final, amount) },
  };
}
