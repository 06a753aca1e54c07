// What capture is made of, as types: the ledger and store it is given, a call as it saw it, the records it
// delivers, its options and stats, and a call held until its record is final. Every capture module reads them.
import type { FetchFunction } from "@genledger/core";
import type { GenerationRecord, GenerationRef } from "@genledger/normalize";
import type { CapturedCall } from "./call.js";
import type { CaptureError } from "./capture-error.js";

export type { CapturedCall };

import type { Inline } from "./inline.js";
import type { Tags } from "./tags.js";

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
export type LookupOnce = { ready: boolean; generation?: CapturedGeneration | undefined; notReady?: Error | undefined };

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
  fetch?: FetchFunction | undefined;
}

/** A call held until its record is final: what its response said, its re-checks, its deadline. */
export type Held = {
  call: CapturedCall;
  inline: Inline;
  attempts: number;
  deadline: number;
  pendingSince: number | null;
};
