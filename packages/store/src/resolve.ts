// Draining the queue: claim due refs under a lease, look each up once (no waiting in a lookup: the queue's
// due time is the wait), keep what came back, and settle the ref: done, again later (its own backoff), or
// given up past its horizon. Several resolvers, in one process or on many machines, share one queue.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import {
  AbortError,
  backoffMs,
  InvalidArgumentError,
  isTransient,
  maxJobWaitMs,
  maxTimeoutMs,
  NotFoundError,
  RateLimitError,
} from "@genledger/core/internal";
import { checkOptions, type GenerationRef } from "@genledger/normalize";
import { StoreError } from "./errors.js";
import type { StoredGeneration } from "./records.js";
import { type ClaimedRef, checkPutItem, type PutItem, type Settlement, type Store } from "./store.js";

/** What resolving needs of a ledger: `createLedger({ providers })` has it. */
export interface ResolveLedger {
  getOnce(
    provider: never,
    id: string,
    options?: { signal?: AbortSignal | undefined; billing?: boolean | undefined },
  ): Promise<{
    ready: boolean;
    generation?: StoredGeneration | undefined;
    notReady?: Error | undefined;
    /** How long after the call the record may still appear, where the gateway says (NanoGPT: 24 hours). */
    horizonMs?: number | undefined;
  }>;
}

export interface ResolveOptions {
  store: Store;
  ledger: ResolveLedger;
  /** Lookups in flight at most (the gateway's rate limiter sets the pace); default 4. */
  workers?: number | undefined;
  /** Stop when nothing is due (else wait for what comes due, until `signal`). */
  once?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** How long a claimed ref is this worker's; renewed while it works; default 120 000. */
  leaseMs?: number | undefined;
  /**
   * A ref the gateway does not know (404) this long after it was first queued is given up; default the
   * gateway's own horizon where it states one (NanoGPT: 24 hours), else 1 hour.
   */
  notFoundHorizonMs?: number | undefined;
  /** A record whose billing is still pending this long after it was first queued is given up; default 24 hours. */
  billingHorizonMs?: number | undefined;
  /** With nothing due, how often to look again at most; default 5000. */
  pollMs?: number | undefined;
  /** Nothing is due now: called each time the resolver starts to wait, with when the next ref is due (epoch ms). */
  onIdle?: ((event: { nextDue: number | undefined; stats: ResolveStats }) => void) | undefined;
  /** A worker (not `once`) met its database unreachable: it waits `pollMs` and asks again, until it is back. */
  onStoreUnreachable?: ((event: { error: StoreError; since: number }) => void) | undefined;
  /** Each settled ref, as it is settled. */
  onSettled?:
    | ((event: { ref: GenerationRef; outcome: Settlement["outcome"]; error?: string | undefined }) => void)
    | undefined;
}

export interface ResolveStats {
  /** Lookups made. */
  lookups: number;
  /** Refs whose final record is now stored. */
  resolved: number;
  /** Refs looked up and due again later (not ready, billing pending, a retryable error). */
  retried: number;
  givenUp: number;
  failed: number;
}

/** Retry delays per ref: this base doubled each attempt, less up to a quarter, at most 15 minutes (core's backoff). */
const base = { "not-ready": 5_000, "billing-pending": 60_000, "retryable-error": 10_000 };
const maxDelayMs = 900_000;

export function retryDelay(reason: keyof typeof base, attempts: number, random = Math.random): number {
  return Math.round(backoffMs(attempts, random, base[reason], maxDelayMs));
}

function invalidRecord(item: PutItem): StoreError | undefined {
  try {
    checkPutItem(item);
    return undefined;
  } catch (error) {
    if (StoreError.isInstance(error) && error.code === "invalid-record") return error;
    throw error;
  }
}

const text = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Drains the store's queue through the ledger; resolves with what it did when stopped or (with `once`) idle. */
export async function resolvePending(options: ResolveOptions): Promise<ResolveStats> {
  checkOptions("resolvePending", options, {
    store: "an object",
    ledger: "an object",
    workers: [1, 1000, 1],
    once: "a boolean",
    signal: "an object",
    leaseMs: [1000, maxTimeoutMs, 1],
    notFoundHorizonMs: [0, Number.MAX_SAFE_INTEGER, 1],
    billingHorizonMs: [0, Number.MAX_SAFE_INTEGER, 1],
    pollMs: [1, maxTimeoutMs, 1],
    onIdle: "a function",
    onStoreUnreachable: "a function",
    onSettled: "a function",
  });
  const { store, ledger, signal } = options;
  if (typeof store?.claim !== "function")
    throw new InvalidArgumentError("resolvePending needs `store`: from openStore()");
  if (typeof ledger?.getOnce !== "function") {
    throw new InvalidArgumentError("resolvePending needs `ledger`: from createLedger({ providers })");
  }
  const workers = options.workers ?? 4;
  const leaseMs = options.leaseMs ?? 120_000;
  const defaultNotFoundHorizonMs = 3_600_000;
  const billingHorizonMs = options.billingHorizonMs ?? 86_400_000;
  const pollMs = options.pollMs ?? 5_000;
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const stats: ResolveStats = { lookups: 0, resolved: 0, retried: 0, givenUp: 0, failed: 0 };

  // The leases of refs in hand are renewed while they are worked on, however slow the gateway is.
  const renewal = setInterval(() => void store.renew(owner, leaseMs).catch(() => undefined), Math.floor(leaseMs / 3));
  renewal.unref?.();

  async function settleOne(claimed: ClaimedRef): Promise<void> {
    const { ref } = claimed;
    const now = Date.now();
    const age = now - claimed.firstSeen;
    const records: PutItem[] = [];
    let settlement: Settlement;
    try {
      stats.lookups++;
      const answer = await ledger.getOnce(ref.provider as never, ref.id, { signal, billing: true });
      if (answer.generation) records.push({ generation: answer.generation });
      if (answer.ready) settlement = { ref, outcome: "done" };
      else if (answer.generation) {
        settlement =
          age >= billingHorizonMs
            ? { ref, outcome: "given-up", reason: "billing-never-final", error: "billing still pending at the horizon" }
            : {
                ref,
                outcome: "retry",
                reason: "billing-pending",
                dueAt: now + retryDelay("billing-pending", claimed.attempts),
              };
      } else settlement = notFound(claimed, now, age, answer.notReady, answer.horizonMs);
    } catch (error) {
      if (AbortError.isInstance(error) && signal?.aborted) {
        // Stopped: the ref goes back as it was, due now, for the next resolver.
        settlement = { ref, outcome: "retry", reason: claimed.reason, dueAt: now, attempt: false };
      } else if (NotFoundError.isInstance(error)) {
        settlement = notFound(claimed, now, age, error);
      } else if (RateLimitError.isInstance(error)) {
        // The gateway's own wait, never shorter; but a wait past an hour is a quota, asked again within one.
        const asked = Math.min(error.retryAfterMs ?? 0, maxJobWaitMs);
        const wait = Math.max(asked, retryDelay("retryable-error", claimed.attempts));
        settlement = { ref, outcome: "retry", reason: "retryable-error", dueAt: now + wait, error: text(error) };
      } else if (isTransient(error)) {
        settlement = {
          ref,
          outcome: "retry",
          reason: "retryable-error",
          dueAt: now + retryDelay("retryable-error", claimed.attempts),
          error: text(error),
        };
      } else {
        settlement = { ref, outcome: "failed", reason: "error", error: text(error) };
      }
    }
    // A record the store cannot keep (a NUL in its model, a cost of 1e50) fails its own ref, with why,
    // instead of every settle of the run.
    const unkept = records.map((r) => invalidRecord(r)).find((e) => e !== undefined);
    if (unkept) {
      records.length = 0;
      settlement = { ref, outcome: "failed", reason: "invalid-record", error: text(unkept) };
    }
    await store.settle(owner, [settlement], records);
    if (settlement.outcome === "done") stats.resolved++;
    else if (settlement.outcome === "retry") {
      if (settlement.attempt !== false) stats.retried++;
    } else if (settlement.outcome === "given-up") stats.givenUp++;
    else stats.failed++;
    options.onSettled?.({
      ref,
      outcome: settlement.outcome,
      error: "error" in settlement ? settlement.error : undefined,
    });
  }

  function notFound(claimed: ClaimedRef, now: number, age: number, error: unknown, horizonMs?: number): Settlement {
    const horizon = options.notFoundHorizonMs ?? horizonMs ?? defaultNotFoundHorizonMs;
    // Never sooner than the gateway asked (NanoGPT's 404 says 30 s), nor past the hour any wait is capped at.
    const asked = Math.min((error as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 0, maxJobWaitMs);
    return age >= horizon
      ? { ref: claimed.ref, outcome: "given-up", reason: "not-found", error: text(error) }
      : {
          ref: claimed.ref,
          outcome: "retry",
          reason: "not-ready",
          dueAt: now + Math.max(asked || 0, retryDelay("not-ready", claimed.attempts)),
        };
  }

  const inFlight = new Set<Promise<void>>();
  let idling = false;
  let failure: unknown;
  // A worker outlives its database going away: while the server cannot be reached it waits and asks again
  // (each ref it held comes back when its lease ends). A run with `once`, or any other store error, stops.
  const waitsOut = (error: unknown) => !options.once && StoreError.isInstance(error) && error.code === "unreachable";
  let unreachableSince: number | undefined;
  // Refs whose settling the outage refused: given back, due now, once the store answers again (their lease
  // is this worker's, renewed while it runs: they would wait for it for ever).
  const giveBack: ClaimedRef[] = [];
  const startOne = (claimed: ClaimedRef) => {
    const p: Promise<void> = settleOne(claimed)
      .catch((error: unknown) => {
        // The store failed: stop claiming (a worker waits it out and gives the ref back); else the ref's
        // lease ends and it comes back.
        if (waitsOut(error)) giveBack.push(claimed);
        else failure ??= error;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  const claim = async (limit: number): Promise<ClaimedRef[]> => {
    try {
      if (giveBack.length > 0) {
        const back = giveBack.splice(0);
        await store
          .settle(
            owner,
            back.map((c) => ({ ref: c.ref, outcome: "retry", reason: c.reason, dueAt: Date.now(), attempt: false })),
          )
          .catch((error: unknown) => {
            giveBack.push(...back);
            throw error;
          });
      }
      const claimed = await store.claim({ owner, limit, leaseMs });
      unreachableSince = undefined;
      return claimed;
    } catch (error) {
      if (!waitsOut(error)) throw error;
      unreachableSince ??= Date.now();
      options.onStoreUnreachable?.({ error: error as StoreError, since: unreachableSince });
      await idle(pollMs, signal);
      return [];
    }
  };
  try {
    while (!signal?.aborted && failure === undefined) {
      const room = workers - inFlight.size;
      const claimed = room > 0 ? await claim(room) : [];
      if (unreachableSince !== undefined) continue;
      for (const c of claimed) startOne(c);
      if (claimed.length > 0) idling = false;
      if (claimed.length > 0 && inFlight.size < workers) continue;
      if (inFlight.size > 0) {
        // A slot frees when any lookup ends; new work may be due by then.
        await Promise.race(inFlight);
        continue;
      }
      if (options.once) break;
      const due = await store.nextDue().catch((error: unknown) => {
        if (!waitsOut(error)) throw error;
        return undefined;
      });
      if (!idling) options.onIdle?.({ nextDue: due, stats: { ...stats } });
      idling = true;
      const wait = Math.min(pollMs, Math.max(10, (due ?? Number.POSITIVE_INFINITY) - Date.now()));
      await idle(wait, signal);
    }
    await Promise.all(inFlight);
    // Stopped with refs still to give back: given back now if the store answers (else their lease ends).
    if (giveBack.length > 0) await claim(0).catch(() => undefined);
  } finally {
    clearInterval(renewal);
  }
  if (failure !== undefined) throw failure;
  return stats;
}

function idle(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
