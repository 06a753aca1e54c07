// What a gateway says in its headers: how long to wait (`retry-after`), when its window resets, what it
// states of its limits, and which request it was. Each read strictly: a value that is not one is undefined.
import type { StatedLimit } from "./types.js";

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

/**
 * The reset instant a header states: epoch ms (OpenRouter), epoch seconds, seconds from now (IETF), or a
 * duration such as `1s`, `6m0s`, `20ms` (OpenAI). Undefined when unreadable or not within a day.
 */
export function parseReset(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  let at: number | undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const n = +value;
    at = n >= 1e12 ? n : n >= 1e9 ? n * 1000 : now + n * 1000;
  } else {
    const m = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(value);
    if (m) at = [3_600_000, 60_000, 1000, 1].reduce((sum, unit, i) => sum + +(m[i + 1] ?? 0) * unit, now);
  }
  // (An undefined `at` fails both comparisons.)
  return (at as number) > now - 1000 && (at as number) <= now + 86_400_000 ? Math.max(at as number, now) : undefined;
}

export function parseStatedLimit(headers: Headers, now = Date.now()): StatedLimit | undefined {
  // Each the first non-empty of `x-ratelimit-<name>`, OpenAI's `x-ratelimit-<name>-requests` and the IETF
  // `ratelimit-<name>`.
  const stated = ["limit", "remaining", "reset"].map((name) =>
    [`x-ratelimit-${name}`, `x-ratelimit-${name}-requests`, `ratelimit-${name}`]
      .map((full) => headers.get(full)?.trim())
      .find((value) => value),
  );
  const [limit, remaining] = stated.map((value) => (/^\d+$/.test(value as string) ? +(value as string) : undefined));
  const resetAt = parseReset(stated[2], now);
  return remaining === undefined && resetAt === undefined ? undefined : { limit, remaining, resetAt };
}

const requestIdHeaders = ["x-request-id", "request-id", "x-generation-id", "cf-ray"];

/** The gateway's id of the request (the first of its headers that is set), for an error's words. */
export function requestIdOf(headers: Headers): string | undefined {
  for (const name of requestIdHeaders) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}
