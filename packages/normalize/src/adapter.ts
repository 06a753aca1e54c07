import type { CallOptions, RateLimitState } from "@genledger/core";
import type { Generation, ProviderName } from "./generation.js";

export interface WaitOptions {
  /** Give up after this long; default 60 s, or 6 minutes with `billing` (ZenMux bills 3-5 minutes late). */
  timeoutMs?: number | undefined;
  /** Between polls; default 1000. */
  intervalMs?: number | undefined;
  /** Also wait for late billing (ZenMux bills 3-5 minutes after the request). Default false. */
  billing?: boolean | undefined;
}

/** What the ledger needs from one gateway. Made by `openrouter()`, `zenmux()`, `fastrouter()`, `oxen()`. */
export interface Adapter<P extends ProviderName = ProviderName, ListQuery = never> {
  readonly provider: P;
  /** `deadline` (epoch ms) marks a lookup that is part of a job: see `getMany`'s `deadlineMs`. */
  get(id: string, options?: CallOptions): Promise<Generation<P>>;
  /** An error that means "not ready yet" rather than "no such generation" (OpenRouter's early 404). */
  isNotReadyError?(error: unknown): boolean;
  /** A record that is not final yet (Oxen in flight, ZenMux billing pending when `billing` is asked). */
  isReady?(generation: Generation<P>, wait: WaitOptions): boolean;
  list?(query: ListQuery, options?: CallOptions): AsyncIterable<Generation<P>>;
  /** What the client's rate limiter knows (one per gateway and key). */
  rateLimit?(): RateLimitState;
}
