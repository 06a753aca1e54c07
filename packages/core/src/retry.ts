// Retries: exponential backoff with jitter, or what the gateway asked for; and the loop that sends one
// request through the key's rate limiter until it is answered, refused for good, or out of attempts.
import { fetchFollowingRedirects, originOf, pathOf } from "./capped-fetch.js";
import {
  AbortError,
  ConnectionError,
  GenledgerError,
  isRetryableStatus,
  RateLimitError,
  TimeoutError,
} from "./errors.js";
import { parseRetryAfter } from "./headers.js";
import { initialRetryDelayMs, maxJobWaitMs, maxRetryAfterMs, maxRetryDelayMs } from "./options.js";
import type { RateLimiter } from "./rate-limit.js";
import { describeError, loggableHeaders, redact, redactText, safeCause } from "./redact.js";
import type { FetchFunction, Logger, TextResponse, TransportRequest } from "./types.js";

/**
 * Exponential backoff, less up to 25% jitter: `initialMs` doubled per retry, at most `maxMs` (by default
 * 0.5 s, 1 s, 2 s, ... 8 s, a client's retries). The one formula of every backoff in genledger: the
 * resolver's per-ref retries and capture's re-checks use it with their own start and cap.
 */
export function backoffMs(
  retry: number,
  random = Math.random,
  initialMs = initialRetryDelayMs,
  maxMs = maxRetryDelayMs,
): number {
  const base = Math.min(initialMs * 2 ** Math.min(retry, 40), maxMs);
  return base * (1 - random() * 0.25);
}

/** Resolves after `ms`, or rejects with `onAbort()` as soon as `signal` fires. */
export function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}

/** What the retry loop of one gateway needs: who it is, its limits, its fetch, its logger and the key's limiter. */
export interface RetryContext {
  provider: string;
  displayName: string;
  timeoutMs: number;
  maxRetries: number;
  maxBytes: number;
  /** Read per request: msw and tests replace `globalThis.fetch` after a client is made. */
  fetch: FetchFunction | undefined;
  logger: Logger | undefined;
  limiter: RateLimiter;
}

/**
 * One request with retries; resolves to the last answer, or rejects with a typed error. Every attempt
 * waits its turn at the limiter. Without a `deadline` a 429 is retried as an attempt (at least as late
 * as the gateway asked); with one (a job) it is not an attempt: it waits what was asked plus jitter as
 * often as it takes, and fails only when that wait would pass the deadline.
 */
export async function sendWithRetries(
  req: TransportRequest,
  key: string | undefined,
  context: RetryContext,
): Promise<TextResponse> {
  const { provider, displayName: name, timeoutMs, maxRetries, logger, limiter } = context;
  const { method, url, headers, body, signal, deadline } = req;
  const idempotent = req.idempotent ?? method !== "POST";
  const log = (level: keyof Logger, message: string, details?: Record<string, unknown>) =>
    logger?.[level]?.(redactText(message, key), details && redact(details, [key]));
  const aborted = () => new AbortError(`${name}: request aborted by the caller`, { cause: signal?.reason });
  const turn = { signal, deadline, aborted, tooLate: (until: number) => pausedPastDeadline(until, key, context) };
  for (let attempt = 0; ; ) {
    if (signal?.aborted) throw aborted();
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
      received = await fetchFollowingRedirects({ method, url, headers, body, signal: controller.signal }, context, key);
    } catch (cause) {
      if (signal?.aborted) throw aborted();
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
    // An answer the lookup reads as "not there (yet)" (Helicone's 500, LiteLLM's `[]`) is a 404: never retried.
    const why = received && req.notFound?.(received);
    if (received && why) return { ...received, status: 404, notFound: { status: received.status, why } };
    if (received && logger) {
      log("debug", `${method} ${url} -> ${received.status} (${Date.now() - started} ms)`, {
        headers: loggableHeaders(headers),
      });
    }
    // A 429 in a job is not an attempt: the gateway did not take the request.
    const counted = received?.status !== 429 || deadline === undefined;
    let delay: number;
    if (received?.status === 429) {
      // Never sooner than the gateway asked; jitter only lengthens the wait.
      const asked = Math.max(0, until - Date.now());
      delay = asked + Math.random() * Math.min(asked * 0.1, 1000);
      const tooLong = turn.deadline === undefined ? asked > maxRetryAfterMs : Date.now() + delay > turn.deadline;
      if (tooLong || (counted && attempt >= maxRetries)) return received;
    } else if (received) {
      if (!idempotent || !isRetryableStatus(received.status) || attempt >= maxRetries) return received;
      // A 503 may say when to come back (NanoGPT's does): never sooner; longer than a client waits is the answer.
      const asked = parseRetryAfter(received.headers) ?? 0;
      if (asked > maxRetryAfterMs) return received;
      delay = Math.max(asked, backoffMs(attempt));
    } else {
      if (!idempotent || attempt >= maxRetries) throw failure;
      delay = backoffMs(attempt);
    }
    if (counted) attempt++;
    if (logger) {
      const what = received ? `${name} answered ${received.status}` : (failure as GenledgerError).message;
      const of = counted ? ` (attempt ${attempt + 1} of ${maxRetries + 1})` : " (not an attempt)";
      log("warn", `${what}; retrying in ${Math.round(delay)} ms${of}`);
    }
    await sleep(delay, signal, aborted);
  }
}

/** A request that would wait for the gateway's pause past the caller's deadline: not sent at all. */
function pausedPastDeadline(
  until: number,
  key: string | undefined,
  { provider, displayName: name }: Pick<RetryContext, "provider" | "displayName">,
): RateLimitError {
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
