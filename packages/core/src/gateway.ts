// The transport every provider package builds on: injects the key, times out each attempt (body
// included), retries, follows redirects without leaking the key, caps the body, and turns every
// failure into a typed error with the key redacted. The per-request path does only what each
// request needs: one AbortController and one timer per attempt, the body read once as text, nothing
// built for a log line unless there is a logger, nor for an error unless there is one.
import type { TextResponse } from "./capped-fetch.js";
import { decodeAnswer } from "./decode-answer.js";
import { InvalidArgumentError } from "./errors.js";
import { parseJson } from "./json.js";
import { checkOptions } from "./options.js";
import { checkRateLimit, RateLimiter, type RateLimitOptions, type RateLimitState } from "./rate-limit.js";
import { type RetryContext, sendWithRetries } from "./retry.js";
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
  const parse = options.parseJson ?? parseJson;
  const rateLimit = checkRateLimit(options.rateLimit, "option `rateLimit`");
  const fixedHeaders: Record<string, string> = { accept: "application/json" };
  for (const [header, value] of Object.entries(options.headers ?? {})) fixedHeaders[header.toLowerCase()] = value;
  const keyAndBaseUrl = targetOf(spec, options);
  const shared = {
    provider: spec.provider,
    displayName: spec.displayName,
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
    maxRetries: options.maxRetries ?? defaultMaxRetries,
    maxBytes: options.maxResponseBytes ?? defaultMaxResponseBytes,
    fetch: options.fetch,
    logger: options.logger,
  };

  // One retry context per key, made on its first request: its limiter is shared by every request with that key.
  const contexts = new Map<string | undefined, RetryContext>();
  const contextFor = (key: string | undefined): RetryContext => {
    let context = contexts.get(key);
    if (!context) {
      context = { ...shared, limiter: new RateLimiter(rateLimit) };
      contexts.set(key, context);
    }
    return context;
  };

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
    const r = await send(
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

  const send = (req: TransportRequest, key: string | undefined) => sendWithRetries(req, key, contextFor(key));

  const rateLimitState = () => {
    let key: string | undefined;
    try {
      key = keyAndBaseUrl()[0];
    } catch {}
    return contextFor(key).limiter.state();
  };

  return {
    spec,
    request,
    rateLimit: rateLimitState,
    transport: { keyAndBaseUrl, headers: fixedHeaders, sendWithRetries: send },
  };
}
