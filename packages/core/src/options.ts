// Client options are checked when the client is made: a misspelt option must not silently send the
// key to the real gateway. Keys and base URLs read from the environment get the same checks per request.
import { InvalidArgumentError } from "./errors.js";

/** Shorter keys are refused: redacting them would garble ordinary text, and no gateway issues them. */
export const minKeyLength = 8;
/** The largest delay `setTimeout` honours. */
export const maxTimeoutMs = 2 ** 31 - 1;

/** Waits between attempts: exponential backoff from this, capped at `maxRetryDelayMs`. */
export const initialRetryDelayMs = 500;
export const maxRetryDelayMs = 8_000;
/** A lone request does not wait longer than this for a 429 (it fails with `retryAfterMs`); a job waits up to its deadline. */
export const maxRetryAfterMs = 60_000;
/** A job without a deadline still waits no longer than this for one 429 (longer is a quota, not a busy gateway). */
export const maxJobWaitMs = 3_600_000;
export const maxMaxRetries = 10;

/**
 * What an option accepts: "a string" / "an object" / "a boolean" / "a function" (ends in its `typeof`), a
 * number range `[min, max]` (`[min, max, 1]`: whole numbers), or a list of the strings it may be.
 */
export type OptionSpec = Record<
  string,
  "a string" | "an object" | "a boolean" | "a function" | readonly [number, number, 1?] | readonly string[]
>;

/**
 * Throws InvalidArgumentError for a name not in `spec` (naming the closest known one) or a value it does
 * not accept; undefined is always accepted. `what` names the options in messages ("get", "client"). The one
 * checker every option of genledger goes through, so that every such message is worded alike.
 */
export function checkOptions(what: string, options: unknown, spec: OptionSpec): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError(
      `${what} options must be an object, got ${options === null ? "null" : typeof options}`,
    );
  }
  for (const [name, value] of Object.entries(options)) {
    const accepts = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!accepts) {
      const near = closest(name, Object.keys(spec));
      throw new InvalidArgumentError(
        `unknown ${what} option \`${name}\`${near ? `: did you mean \`${near}\`?` : ` (known: ${Object.keys(spec).join(", ")})`}`,
      );
    }
    if (value === undefined) continue;
    const choices =
      typeof accepts !== "string" && typeof accepts[0] === "string" ? (accepts as readonly string[]) : undefined;
    const [min, max, whole] = accepts as readonly [number, number, 1?];
    if (
      typeof accepts === "string"
        ? !accepts.endsWith(typeof value) || value === null
        : choices
          ? !choices.includes(value as string)
          : typeof value !== "number" || !(value >= min && value <= max) || (whole && value % 1)
    ) {
      const wanted =
        typeof accepts === "string"
          ? accepts
          : choices
            ? `one of ${choices.join(", ")}`
            : `a ${whole ? "whole " : ""}number from ${min} to ${max}`;
      throw new InvalidArgumentError(
        `${what} option \`${name}\` must be ${wanted}, got ${typeof value === "number" ? value : (JSON.stringify(value) ?? typeof value)}`,
      );
    }
  }
}

const clientOptions: OptionSpec = {
  apiKey: "a string",
  baseUrl: "a string",
  fetch: "a function",
  timeoutMs: [1, maxTimeoutMs, 1],
  maxRetries: [0, maxMaxRetries, 1],
  maxResponseBytes: [1, Number.MAX_SAFE_INTEGER, 1],
  headers: "an object",
  logger: "an object",
  allowInsecureHttp: "a boolean",
  parseJson: "a function",
  rateLimit: "an object",
};

/** Throws InvalidArgumentError naming the first client option that is unknown or out of range. */
export function checkClientOptions(options: object): void {
  checkOptions("client", options, clientOptions);
  const o = options as Record<string, unknown>;
  if (o.headers) {
    for (const [name, value] of Object.entries(o.headers)) {
      if (typeof value !== "string") throw new InvalidArgumentError(`header \`${name}\` must be a string`);
    }
  }
}

/**
 * The key as it will be sent: trimmed (a key read from a file ends in a newline). Refused, without
 * showing it, when it holds control or non-ASCII characters or is too short to redact reliably.
 */
export function checkKey(raw: string, source: string): string {
  const key = raw.trim();
  const bad = key.search(/[^\x20-\x7e]/);
  if (bad >= 0) {
    throw new InvalidArgumentError(
      `${source} has a control or non-ASCII character at position ${bad}; it was not sent`,
    );
  }
  if (key.length < minKeyLength) {
    throw new InvalidArgumentError(
      `${source} is ${key.length} characters long; keys shorter than ${minKeyLength} are refused (no gateway issues them)`,
    );
  }
  return key;
}

export interface BaseUrl {
  /** Without a trailing slash. */
  url: string;
  /** Plain http:// to a host that is not loopback: no key is sent there unless allowed. */
  insecure: boolean;
}

/**
 * An absolute http(s) URL without query, fragment (they could not be kept when paths are appended)
 * or credentials (the key is the credential).
 */
export function checkBaseUrl(raw: string, source: string): BaseUrl {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {}
  if (!/^https?:$/.test(url?.protocol ?? "") || url?.username || url?.password || /[?#]/.test(raw)) {
    // Not the value itself: it may hold credentials.
    throw new InvalidArgumentError(
      `${source} must be an absolute http(s) URL without query string, fragment or credentials`,
    );
  }
  return {
    url: (url as URL).href.replace(/\/+$/, ""),
    insecure: url?.protocol === "http:" && !isLoopback((url as URL).hostname),
  };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The known name nearest `name` (a typo, another casing), or undefined when none is near. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === name.toLowerCase() ? 0 : distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] as number;
}
