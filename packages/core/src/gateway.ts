// The transport every provider package builds on: injects the key, times out each attempt (body
// included), retries, follows redirects without leaking the key, caps the body, and turns every
// failure into a typed error with the key redacted. The per-request path does only what each
// request needs: one AbortController and one timer per attempt, the body read once as text, nothing
// built for a log line unless there is a logger, nor for an error unless there is one.
import { decodeAnswer } from "./decode-answer.js";
import { InvalidArgumentError } from "./errors.js";
import { parseJson } from "./json.js";
import { checkClientOptions } from "./options.js";
import { checkRateLimit, RateLimiter } from "./rate-limit.js";
import { type RetryContext, sendWithRetries } from "./retry.js";
import { targetOf } from "./target.js";
import type {
  GatewayClientOptions,
  GatewayRequest,
  GatewaySpec,
  RateLimitState,
  TextResponse,
  TransportRequest,
} from "./types.js";

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

/** The parts of a gateway every request goes through. */
export interface Transport {
  /** The key (undefined when there is none) and base URL of one request, read and checked now. */
  keyAndBaseUrl(): [string | undefined, string];
  /** Headers every request carries (`accept`, the `headers` option), without the key. */
  readonly headers: Readonly<Record<string, string>>;
  /** Sends one request; resolves to the last answer, read in full, or rejects with a typed error. */
  sendWithRetries(request: TransportRequest, key: string | undefined): Promise<TextResponse>;
}

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
  checkClientOptions(options);
  const parse = options.parseJson ?? parseJson;
  const rateLimit = checkRateLimit(options.rateLimit);
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
        notFound: req.notFound,
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
