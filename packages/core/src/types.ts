// The shapes every part of core shares, and nothing else: a leaf every other module may import.

/**
 * What every fetch in genledger is: `globalThis.fetch`'s own signature, one for every option and context.
 * (Declared as a method, so a fetch written for string URLs only, as genledger calls it, is one too.)
 */
export type FetchFunction = {
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}["fetch"];

export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
}

export interface RateLimitOptions {
  /** Your plan's limit: requests are paced to it from the first one (429s still cut it). */
  requestsPerSecond?: number | undefined;
  /** How many may go at once before the pace applies. Default 1. */
  burst?: number | undefined;
}

/** What a client's limiter knows now (`client.rateLimit()`, `ledger.stats()`). */
export interface RateLimitState {
  /** Requests let through. */
  requests: number;
  /** 429 answers met. */
  rateLimited: number;
  /** The pace in requests a second; undefined while no limit is known (only concurrency bounds). */
  rate: number | undefined;
  /** Where the pace comes from. */
  source: "none" | "option" | "headers" | "learned";
  /** Until when (epoch ms) the gateway asked every request to wait; undefined when it did not. */
  pausedUntil: number | undefined;
  /** Requests waiting for their turn. */
  waiting: number;
}

/** The limits a response states: `x-ratelimit-*`, OpenAI's `x-ratelimit-*-requests`, or the IETF `ratelimit-*`. */
export interface StatedLimit {
  limit?: number | undefined;
  remaining?: number | undefined;
  /** Epoch ms. */
  resetAt?: number | undefined;
}

export interface GatewayClientOptions {
  /** Default: the `<PROVIDER>_API_KEY` environment variable, read when a request is made. Trimmed. */
  apiKey?: string | undefined;
  /** Default: `<PROVIDER>_BASE_URL`, else the gateway's documented server. */
  baseUrl?: string | undefined;
  /** Default: `globalThis.fetch`, looked up per request. */
  fetch?: FetchFunction | undefined;
  /** Per attempt, including reading the body. Default 30 000; at most 2^31 - 1. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt. Default 2; at most 10. */
  maxRetries?: number | undefined;
  /** The largest body read, counted after decompression. Default 16 MiB. */
  maxResponseBytes?: number | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** Receives one line per attempt and retry; credentials are redacted. */
  logger?: Logger | undefined;
  /** Send the key over plain http:// to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean | undefined;
  /**
   * Reads JSON bodies. Default `parseJson` (JSON.parse, nesting refused past 128 levels);
   * `parseJsonExact` also keeps the digits of numbers a double cannot hold (`exactNumberText`).
   */
  parseJson?: ((text: string) => unknown) | undefined;
  /**
   * Your plan's limit, when you know it: `{ requestsPerSecond, burst }`. Default: none until the gateway
   * states one (`x-ratelimit-*`) or answers 429; then the pace is learned. See "Rate limits" in the README.
   */
  rateLimit?: RateLimitOptions | undefined;
}

/** What every client method takes besides its own arguments. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Epoch ms: the deadline of the job this call is part of (see `GatewayRequest.deadline`). */
  deadline?: number | undefined;
}

export interface ErrorEnvelope {
  message?: string | undefined;
  code?: string | undefined;
}

/** What a provider package tells core about its gateway. */
export interface GatewaySpec {
  provider: string;
  displayName: string;
  /** `OPENROUTER` gives OPENROUTER_API_KEY and OPENROUTER_BASE_URL. */
  envPrefix: string;
  /** The variables that may hold the key, first set wins. Default: `<envPrefix>_API_KEY`. */
  apiKeyEnv?: readonly string[];
  /** The documented server; none for a self-hosted gateway (LiteLLM's proxy), whose base URL must be given. */
  defaultBaseUrl?: string | undefined;
  /** Default true; Oxen's read endpoints work without a key. */
  authRequired?: boolean | undefined;
  /** Read the gateway's own error envelope; undefined when `body` is not one (also checked on 2xx). */
  parseError(body: unknown): ErrorEnvelope | undefined;
}

export interface GatewayRequest {
  method: "GET" | "POST" | "DELETE";
  /** Appended to the base URL; encode values with `pathSegment`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  /** Sent as JSON. */
  body?: unknown;
  /**
   * Safe to send twice. Default: true for GET and DELETE, false for POST. A request that is not is
   * retried only on 429 (the gateway did not take it), so a retry never starts a second job.
   */
  idempotent?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Epoch ms, for a request that is part of a job: a 429 is then not an attempt; it is retried for as
   * long as the gateway asks, until the wait would pass this instant (`Infinity`: no deadline).
   */
  deadline?: number | undefined;
  /** The lookup's reading of an answer that means "no such generation (yet)" whatever its status (`Lookup.notFound`). */
  notFound?: NotFoundReading | undefined;
}

/**
 * Why an answer means "no such generation, or not yet" though its status says otherwise (Helicone's 500
 * `{ data: null, error }`, LiteLLM's 200 `[]`), or undefined when it does not. Such an answer is a
 * NotFoundError, never retried as a server error.
 */
export type NotFoundReading = (answer: { status: number; text: string }) => string | undefined;

/** One request as the transport sends it: with auth, timeouts, retries, redirects and the size cap. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
  deadline: number | undefined;
  idempotent?: boolean | undefined;
  notFound?: NotFoundReading | undefined;
}

/** An answer read in full (its body at most `maxResponseBytes`). */
export interface TextResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  /** The origin a redirect led to, where the key was not sent (it never leaves the gateway's origin). */
  keyWithheldAt?: string | undefined;
  /** An answer read as "no such generation (yet)" (`status` is then 404): the status sent, and why. */
  notFound?: { status: number; why: string } | undefined;
}
