// Retry timing: exponential backoff with jitter, or what the gateway asked for.

export const initialRetryDelayMs = 500;
export const maxRetryDelayMs = 8_000;
/** A lone request does not wait longer than this for a 429 (it fails with `retryAfterMs`); a job waits up to its deadline. */
export const maxRetryAfterMs = 60_000;
/** A job without a deadline still waits no longer than this for one 429 (longer is a quota, not a busy gateway). */
export const maxJobWaitMs = 3_600_000;

/**
 * What `retry-after-ms` or `retry-after` (seconds, or an HTTP date in IMF-fixdate form) asks for,
 * in ms. Parsed strictly: "12abc", "0x10" or "1e3" are not numbers of anything.
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms")?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Number(ms);
  const after = headers.get("retry-after")?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(after)) return undefined;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff (0.5 s, 1 s, 2 s, ... capped at 8 s) less up to 25% jitter. */
export function backoffMs(retry: number, random = Math.random): number {
  const base = Math.min(initialRetryDelayMs * 2 ** retry, maxRetryDelayMs);
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
