// The transport every provider package builds on: injects the key, times out each attempt (body
// included), retries, follows redirects without leaking the key, caps the body, and turns every
// failure into a typed error with the key redacted. The per-request path does only what each
// request needs: one AbortController and one timer per attempt, the body read once as text, nothing
// built for a log line unless there is a logger, nor for an error unless there is one.
import { fetchFollowingRedirects, originOf, pathOf, type TextResponse } from "./capped-fetch.js";
import { decodeAnswer } from "./decode-answer.js";
import {
  AbortError,
  ConnectionError,
  GenledgerError,
  InvalidArgumentError,
  isRetryableStatus,
  RateLimitError,
  TimeoutError,
} from "./errors.js";
import { parseJson } from "./json.js";
import { checkOptions } from "./options.js";
import { checkRateLimit, RateLimiter, type RateLimitOptions, type RateLimitState } from "./rate-limit.js";
import { describeError, loggableHeaders, redact, redactText, safeCause } from "./redact.js";
import { backoffMs, maxJobWaitMs, maxRetryAfterMs, sleep } from "./retry.js";
import { targetOf } from "./target.js";

export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
}

export interface GatewayClientOptions {
  /** Default: the `<PROVIDER>_API_KEY` environment variable, read when a request is made. Trimmed. */
  apiKey?: string | undefined;
  /** Default: `<PROVIDER>_BASE_URL`, else the gateway's documented server. */
  baseUrl?: string | undefined;
  /** Default: `globalThis.fetch`, looked up per request. */
  fetch?: ((input: Request | string | URL, init?: RequestInit) => Promise<Response>) | undefined;
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
  defaultBaseUrl: string;
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
}

/**
 * The origin a gateway's `fetch` takes requests for: each is rebased onto the base URL read when it is
 * sent (from the option or the environment), so a fetch client made once follows a changed base URL.
 */
export const gatewayOrigin = "http://genledger.base.invalid";

export interface Gateway {
  readonly spec: GatewaySpec;
  /**
   * Send one request and resolve to its JSON body, checked by `check`, which returns what is wrong
   * (read after "answered 200 with ...") or undefined when the body is right.
   */
  request<T>(request: GatewayRequest, check: (body: unknown) => string | undefined): Promise<T>;
  /** What the limiter of the current key knows: its pace, the 429s met, a pause. */
  rateLimit(): RateLimitState;
  /** What requests are made of: for the fetch client (`@genledger/core/fetch-client`), which builds its `fetch` on it. */
  readonly transport: Transport;
}

/** One request as the transport sends it: with auth, timeouts, retries, redirects and the size cap. */
export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
  deadline: number | undefined;
  idempotent?: boolean | undefined;
}

/** The parts of a gateway every request goes through. */
export interface Transport {
  /** The key (undefined when there is none) and base URL of one request, read and checked now. */
  keyAndBaseUrl(): [string | undefined, string];
  /** Headers every request carries (`accept`, the `headers` option), without the key. */
  readonly headers: Readonly<Record<string, string>>;
  /** Sends one request; resolves to the last answer, read in full, or rejects with a typed error. */
  sendWithRetries(request: TransportRequest, key: string | undefined): Promise<TextResponse>;
}

export type { TextResponse };

export const defaultTimeoutMs = 30_000;
export const defaultMaxRetries = 2;
export const defaultMaxResponseBytes = 16 * 1024 * 1024;

/** A path value as one URL segment. "." and ".." are refused: URL parsing would resolve them. */
export function pathSegment(value: string, name: string): string {
  if (value === "." || value === "..") {
    throw new InvalidArgumentError(`${name} ${JSON.stringify(value)} cannot be sent as a URL path segment`);
  }
  return encodeURIComponent(value);
}

/** Throws InvalidArgumentError (synchronously) when an option is unknown or out of range. */
export function createGateway(spec: GatewaySpec, options: GatewayClientOptions = {}): Gateway {
  checkOptions(options);
  const { provider, displayName: name } = spec;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxRetries = options.maxRetries ?? defaultMaxRetries;
  const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const logger = options.logger;
  const parse = options.parseJson ?? parseJson;
  const rateLimit = checkRateLimit(options.rateLimit, "option `rateLimit`");
  const fixedHeaders: Record<string, string> = { accept: "application/json" };
  for (const [header, value] of Object.entries(options.headers ?? {})) fixedHeaders[header.toLowerCase()] = value;
  const keyAndBaseUrl = targetOf(spec, options);

  const log = (level: keyof Logger, key: string | undefined, message: string, details?: Record<string, unknown>) =>
    logger?.[level]?.(redactText(message, key), details && redact(details, [key]));

  const aborted = (signal: AbortSignal) =>
    new AbortError(`${name}: request aborted by the caller`, { cause: signal.reason });

  const limiters = new Map<string | undefined, RateLimiter>();
  /** The limiter of a key: one per gateway and key, shared by every request of this client. */
  const limiterFor = (key: string | undefined): RateLimiter => {
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = new RateLimiter(rateLimit);
      limiters.set(key, limiter);
    }
    return limiter;
  };

  /**
   * One request with retries; resolves to the last answer, or rejects with a typed error. Every attempt
   * waits its turn at the limiter. Without a `deadline` a 429 is retried as an attempt (at least as late
   * as the gateway asked); with one (a job) it is not an attempt: it waits what was asked plus jitter as
   * often as it takes, and fails only when that wait would pass the deadline.
   */
  async function sendWithRetries(req: TransportRequest, key: string | undefined): Promise<TextResponse> {
    const { method, url, headers, body, signal, deadline } = req;
    const idempotent = req.idempotent ?? method !== "POST";
    const limiter = limiterFor(key);
    const turn = {
      signal,
      deadline,
      aborted: () => aborted(signal as AbortSignal),
      tooLate: (until: number) => pausedPastDeadline(until, key),
    };
    for (let attempt = 0; ; ) {
      if (signal?.aborted) throw aborted(signal);
      // A job with no deadline of its own still waits at most an hour at a time.
      if (deadline === Number.POSITIVE_INFINITY) turn.deadline = Date.now() + maxJobWaitMs;
      const wait = limiter.acquire(turn);
      if (wait) await wait;
      const controller = new AbortController();
      const stop = () => controller.abort(signal?.reason);
      signal?.addEventListener("abort", stop);
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      const started = Date.now();
      let received: TextResponse | undefined;
      let failure: GenledgerError | undefined;
      let until = 0;
      try {
        received = await fetchFollowingRedirects(
          { method, url, headers, body, signal: controller.signal },
          { provider, displayName: name, maxBytes, key, fetch: options.fetch ?? globalThis.fetch },
        );
      } catch (cause) {
        if (signal?.aborted) throw aborted(signal);
        if (GenledgerError.isInstance(cause)) throw cause;
        failure = controller.signal.aborted
          ? new TimeoutError(
              provider,
              redactText(`${name}: ${method} ${pathOf(url)} timed out after ${timeoutMs} ms`, key),
              timeoutMs,
            )
          : new ConnectionError(
              provider,
              redactText(`${name}: could not reach ${originOf(url)}: ${describeError(cause)}`, key),
              {
                cause: safeCause(cause, key),
              },
            );
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", stop);
        until = limiter.settle(started, received);
      }
      if (received) {
        if (logger) {
          log("debug", key, `${method} ${url} -> ${received.status} (${Date.now() - started} ms)`, {
            headers: loggableHeaders(headers),
          });
        }
        if (received.status === 429) {
          // The gateway did not take the request. Never sooner than it asked; jitter only lengthens the wait.
          const asked = Math.max(0, until - Date.now());
          const delay = asked + Math.random() * Math.min(asked * 0.1, 1000);
          const tooLong = turn.deadline === undefined ? asked > maxRetryAfterMs : Date.now() + delay > turn.deadline;
          if (tooLong || (deadline === undefined && attempt >= maxRetries)) return received;
          if (deadline === undefined) attempt++;
          if (logger) {
            const of = deadline === undefined ? ` (attempt ${attempt + 1} of ${maxRetries + 1})` : " (not an attempt)";
            log("warn", key, `${name} answered 429; retrying in ${Math.round(delay)} ms${of}`);
          }
          await sleep(delay, signal, () => aborted(signal as AbortSignal));
          continue;
        }
        if (!idempotent || !isRetryableStatus(received.status) || attempt >= maxRetries) return received;
      } else if (!idempotent || attempt >= maxRetries) {
        throw failure;
      }
      const delay = backoffMs(attempt);
      attempt++;
      if (logger) {
        const what = received ? `${name} answered ${received.status}` : (failure as GenledgerError).message;
        log("warn", key, `${what}; retrying in ${Math.round(delay)} ms (attempt ${attempt + 1} of ${maxRetries + 1})`);
      }
      await sleep(delay, signal, () => aborted(signal as AbortSignal));
    }
  }

  /** A request that would wait for the gateway's pause past the caller's deadline: not sent at all. */
  function pausedPastDeadline(until: number, key: string | undefined): RateLimitError {
    const ms = Math.max(0, Math.round(until - Date.now()));
    return new RateLimitError({
      provider,
      status: 429,
      message: redactText(
        `${name} is rate limited: the next request may go in ${ms} ms, past the deadline; this one was not sent`,
        key,
      ),
      body: undefined,
      retryAfterMs: ms,
    });
  }

  async function request<T>(req: GatewayRequest, check: (body: unknown) => string | undefined): Promise<T> {
    const [key, base] = keyAndBaseUrl();
    let url = base + req.path;
    let sep = "?";
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v === undefined) continue;
      url += `${sep}${encodeURIComponent(k)}=${encodeURIComponent(v)}`;
      sep = "&";
    }
    const headers = { ...fixedHeaders };
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers["content-type"] = "application/json";
    }
    const r = await sendWithRetries(
      {
        method: req.method,
        url,
        headers,
        body,
        signal: req.signal,
        deadline: req.deadline,
        idempotent: req.idempotent,
      },
      key,
    );
    return decodeAnswer<T>(r, { spec, key, parse }, check);
  }

  const rateLimitState = () => {
    let key: string | undefined;
    try {
      key = keyAndBaseUrl()[0];
    } catch {}
    return limiterFor(key).state();
  };

  return {
    spec,
    request,
    rateLimit: rateLimitState,
    transport: { keyAndBaseUrl, headers: fixedHeaders, sendWithRetries },
  };
}
