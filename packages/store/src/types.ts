// The shapes the store takes and gives: what is kept, what waits in the queue, and what became of it.
import type { GenerationRef } from "@genledger/normalize";
import type { StoredGeneration, Tags } from "./records.js";

/** A record to keep, with the caller's tags. */
export interface PutItem {
  generation: StoredGeneration;
  tags?: Tags | undefined;
}

export interface PutResult {
  /** Records inserted or replaced. */
  written: number;
  /** Records already there as they are, or older than what is there (final is never replaced by pending). */
  unchanged: number;
  /** Final records replaced by a different final one; the old one is in the history. */
  rebilled: number;
}

/** A ref to look up later: a capture not yet resolved, a lookup that failed with a retryable error. */
export interface QueueItem {
  ref: GenerationRef;
  tags?: Tags | undefined;
  /** Epoch ms it is due; default now. */
  dueAt?: number | undefined;
  /** Why it waits: `"captured"`, `"not-ready"`, `"billing-pending"`, `"retryable-error"`. */
  reason?: string | undefined;
  /** The error that put it here, for `queue` listings. */
  error?: string | undefined;
}

/** A ref a worker holds until its lease ends. */
export interface ClaimedRef {
  ref: GenerationRef;
  attempts: number;
  firstSeen: number;
  reason: string;
}

/** What became of a claimed ref. */
export type Settlement =
  | { ref: GenerationRef; outcome: "done" }
  | {
      ref: GenerationRef;
      outcome: "retry";
      dueAt: number;
      reason: string;
      error?: string | undefined;
      attempt?: boolean;
    }
  | { ref: GenerationRef; outcome: "given-up" | "failed"; reason: string; error?: string | undefined };

export interface QueueStats {
  /** Refs waiting for a lookup (due now or later, leased or not). */
  waiting: number;
  /** Of those, due now and not held by a worker. */
  due: number;
  /** Held by a worker now. */
  leased: number;
  /** Never resolved within the horizon (404 for an hour, billing never final): kept, not retried. */
  givenUp: number;
  /** Failed with an error a retry does not mend (a rejected key): `requeue("failed")` after fixing it. */
  failed: number;
}

export interface StoredEntry {
  generation: StoredGeneration;
  tags: Record<string, string>;
  /** Earlier final records this one replaced, oldest first. */
  history: { replacedAt: number; generation: StoredGeneration }[];
}
