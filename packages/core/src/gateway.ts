// The transport every provider package builds on: injects the key, times out each attempt (body
// included), retries, follows redirects without leaking the key, caps the body, and turns every
// failure into a typed error with the key redacted. The per-request path is kept thin: one
// AbortController and one timer per attempt, the body read once as text, nothing built for a log
// line unless there is a logger, nor for an error unless there is one.
import { readEnv } from "./env.js";
import {
  AbortError,
  type ApiError,
  apiErrorClass,
  ConnectionError,
  GenledgerError,
  InvalidArgumentError,
  isRetryableStatus,
  MissingApiKeyError,
  ResponseParseError,
  ResponseTooLargeError,
  TimeoutError,
} from "./errors.js";
import { parseJson } from "./json.js";
import { type BaseUrl, checkBaseUrl, checkKey, checkOptions } from "./options.js";
import { loggableHeaders, redact, redactText } from "./redact.js";
import { parseRetryAfter, retryDelayMs, sleep } from "./retry.js";

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
  /** Oxen's read endpoints work without a key. */
  authRequired: boolean;
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
}

/** A request whose answer is returned as it came (see `Gateway.raw`). */
export interface RawRequest {
  method: string;
  /** Appended to the base URL, already encoded. */
  path: string;
  /** Lower-case names; the key and the client's `headers` option are added. */
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** An answer read in full (its body at most `maxResponseBytes`). */
export interface RawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

export interface Gateway {
  readonly spec: GatewaySpec;
  /**
   * Send one request and resolve to its JSON body, checked by `check`, which returns what is wrong
   * (read after "answered 200 with ...") or undefined when the body is right.
   */
  request<T>(request: GatewayRequest, check: (body: unknown) => string | undefined): Promise<T>;
  /**
   * Send with the same auth, timeouts, retries, redirects and cap; the answer is not checked, but
   * the key is replaced wherever it shows as is in its status text, headers and body.
   */
  raw(request: RawRequest): Promise<RawResponse>;
}

export const defaultTimeoutMs = 30_000;
export const defaultMaxRetries = 2;
export const defaultMaxResponseBytes = 16 * 1024 * 1024;
const maxRedirects = 5;

const requestIdHeaders = ["x-request-id", "request-id", "x-generation-id", "cf-ray"];

type Received = RawResponse;

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
  const name = spec.displayName;
  const keyVars = spec.apiKeyEnv ?? [`${spec.envPrefix}_API_KEY`];
  const baseVar = `${spec.envPrefix}_BASE_URL`;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxRetries = options.maxRetries ?? defaultMaxRetries;
  const maxBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  const logger = options.logger;
  const fixedHeaders: Record<string, string> = { accept: "application/json" };
  for (const [header, value] of Object.entries(options.headers ?? {})) fixedHeaders[header.toLowerCase()] = value;

  const givenKey = options.apiKey === undefined ? undefined : options.apiKey.trim() || "";
  if (givenKey) checkKey(givenKey, "option `apiKey`");
  const givenBase = options.baseUrl === undefined ? undefined : checkBaseUrl(options.baseUrl, "option `baseUrl`");
  if (givenKey && givenBase) checkSecure(givenBase, "option `baseUrl`");

  // Environment values are checked once per distinct value.
  let envKeySeen: string | undefined;
  let envKey: string | undefined;
  let envBaseSeen: string | undefined;
  let envBase: BaseUrl | undefined;
  const defaultBase = checkBaseUrl(spec.defaultBaseUrl, `${name}'s default base URL`);

  function checkSecure(base: BaseUrl, source: string) {
    if (base.insecure && !options.allowInsecureHttp) {
      throw new InvalidArgumentError(
        `${source} is plain http:// to a host that is not loopback, so the key would travel unencrypted; use https, or pass \`allowInsecureHttp: true\``,
      );
    }
  }

  /** The key and base URL of one request, checked; throws a typed error. */
  function target(): { key: string | undefined; base: string } {
    let key = givenKey;
    if (key === undefined) {
      const keyVar = keyVars.find((v) => readEnv(v) !== undefined) ?? keyVars[0]!;
      const raw = readEnv(keyVar);
      if (raw !== envKeySeen) {
        envKey = raw === undefined ? undefined : checkKey(raw, keyVar);
        envKeySeen = raw;
      }
      key = envKey;
    }
    if (!key && spec.authRequired) throw new MissingApiKeyError(spec.provider, name, keyVars.join(" or "));
    let base = givenBase;
    let source = "option `baseUrl`";
    if (!base) {
      const raw = readEnv(baseVar);
      if (raw !== envBaseSeen) {
        envBase = raw === undefined ? undefined : checkBaseUrl(raw, baseVar);
        envBaseSeen = raw;
      }
      base = envBase ?? defaultBase;
      source = envBase ? baseVar : `${name}'s default base URL`;
    }
    if (key) checkSecure(base, source);
    return { key: key || undefined, base: base.url };
  }

  function log(level: keyof Logger, key: string | undefined, message: string, details?: Record<string, unknown>) {
    logger?.[level]?.(redactText(message, key), details && redact(details, [key]));
  }

  const aborted = (signal: AbortSignal) =>
    new AbortError(`${name}: request aborted by the caller`, { cause: signal.reason });

  /** One request with retries; resolves to the last answer, or rejects with a typed error. */
  async function send(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    key: string | undefined,
    idempotent = method !== "POST",
  ): Promise<Received> {
    const fetchImpl = options.fetch ?? globalThis.fetch;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw aborted(signal);
      const controller = new AbortController();
      const stop = () => controller.abort(signal?.reason);
      signal?.addEventListener("abort", stop);
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      const started = logger ? Date.now() : 0;
      let received: Received | undefined;
      let failure: GenledgerError | undefined;
      try {
        received = await exchange(fetchImpl, method, url, headers, body, controller.signal, key);
      } catch (cause) {
        if (signal?.aborted) throw aborted(signal);
        if (GenledgerError.isInstance(cause)) throw cause;
        failure = controller.signal.aborted
          ? new TimeoutError(
              spec.provider,
              redactText(`${name}: ${method} ${pathOf(url)} timed out after ${timeoutMs} ms`, key),
              timeoutMs,
            )
          : new ConnectionError(
              spec.provider,
              redactText(`${name}: could not reach ${originOf(url)}: ${describe(cause)}`, key),
              { cause: safeCause(cause, key) },
            );
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", stop);
      }
      if (received) {
        if (logger) {
          log("debug", key, `${method} ${url} -> ${received.status} (${Date.now() - started} ms)`, {
            headers: loggableHeaders(headers),
          });
        }
        const retryable = idempotent ? isRetryableStatus(received.status) : received.status === 429;
        if (!retryable || attempt >= maxRetries) return received;
      } else if (!idempotent || attempt >= maxRetries) {
        throw failure;
      }
      const delay = retryDelayMs(attempt, received?.headers);
      if (logger) {
        const what = received ? `${name} answered ${received.status}` : (failure as GenledgerError).message;
        log("warn", key, `${what}; retrying in ${Math.round(delay)} ms (attempt ${attempt + 2} of ${maxRetries + 1})`);
      }
      await sleep(delay, signal, () => aborted(signal as AbortSignal));
    }
  }

  /**
   * One fetch, following redirects by hand: the body is re-sent on 307/308, and the key is not
   * forwarded to another origin.
   */
  async function exchange(
    fetchImpl: NonNullable<GatewayClientOptions["fetch"]>,
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
    key: string | undefined,
  ): Promise<Received> {
    let at = url;
    for (let hop = 0; ; hop++) {
      let res = await fetchImpl(at, { method, headers, body, signal, redirect: "manual" });
      // Browsers hide manual redirects; there the browser follows, and drops credentials across origins.
      if (res.type === "opaqueredirect") res = await fetchImpl(at, { method, headers, body, signal });
      const { status } = res;
      const redirect = (status >= 301 && status <= 303) || status === 307 || status === 308;
      const location = redirect ? res.headers.get("location") : null;
      if (location === null) {
        return { status, statusText: res.statusText, headers: res.headers, text: await readBody(res, signal) };
      }
      res.body?.cancel().catch(() => {});
      const next = new URL(location, at);
      if (hop >= maxRedirects || (next.protocol !== "https:" && next.protocol !== "http:")) {
        throw new ConnectionError(
          spec.provider,
          redactText(
            `${name}: ${method} ${pathOf(url)} was redirected ${hop >= maxRedirects ? `more than ${maxRedirects} times` : `to ${next.protocol}`}`,
            key,
          ),
        );
      }
      if (next.origin !== new URL(at).origin && headers.authorization) {
        headers = { ...headers };
        delete headers.authorization;
      }
      if (status === 303 || (status < 303 && method === "POST")) {
        method = "GET";
        body = undefined;
        headers = { ...headers };
        delete headers["content-type"];
      }
      at = next.href;
    }
  }

  /**
   * The body as text, never more than `maxBytes`. A declared length of a body that is not
   * compressed is trusted (the fast path); otherwise the bytes are counted as they arrive.
   */
  async function readBody(res: Response, signal: AbortSignal): Promise<string> {
    if (!res.body) return "";
    const tooLarge = () => {
      res.body?.cancel().catch(() => {});
      return new ResponseTooLargeError(
        spec.provider,
        `${name} answered ${res.status} with a body larger than ${maxBytes} bytes (maxResponseBytes)`,
        { status: res.status, maxResponseBytes: maxBytes },
      );
    };
    const length = res.headers.get("content-length");
    if (length !== null && !res.headers.has("content-encoding")) {
      if (Number(length) > maxBytes) throw tooLarge();
      return res.text();
    }
    const reader = res.body.getReader();
    // Not every fetch (nor every mock) ends a body read when its signal fires; cancelling does.
    const cancel = () => reader.cancel(signal.reason).catch(() => {});
    signal.addEventListener("abort", cancel);
    const decoder = new TextDecoder();
    let text = "";
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          reader.cancel().catch(() => {});
          throw tooLarge();
        }
        text += decoder.decode(value, { stream: true });
      }
    } finally {
      signal.removeEventListener("abort", cancel);
    }
    if (signal.aborted) throw signal.reason;
    return text + decoder.decode();
  }

  async function request<T>(req: GatewayRequest, check: (body: unknown) => string | undefined): Promise<T> {
    const { key, base } = target();
    let url = base + req.path;
    if (req.query) {
      let sep = "?";
      for (const [k, v] of Object.entries(req.query)) {
        if (v === undefined) continue;
        url += `${sep}${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`;
        sep = "&";
      }
    }
    const headers = { ...fixedHeaders };
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers["content-type"] = "application/json";
    }
    const received = await send(req.method, url, headers, body, req.signal, key, req.idempotent);
    return answer<T>(received, check, key);
  }

  /** The parsed, checked body of a 2xx answer, or the typed error for anything else. */
  function answer<T>(r: Received, check: (body: unknown) => string | undefined, key: string | undefined): T {
    if (r.status < 200 || r.status > 299) throw toApiError(r, key);
    const problem = (what: string, cause?: unknown) =>
      new ResponseParseError(spec.provider, redactText(`${name} answered ${r.status} with ${what}`, key), {
        status: r.status,
        // Redact before cutting, so a key across the edge cannot show in part.
        bodySnippet: redactText(r.text, key).slice(0, 200),
        cause: safeCause(cause, key),
      });
    if (r.text.trim() === "") throw problem("an empty body");
    let body: unknown;
    try {
      body = parseJson(r.text);
    } catch (cause) {
      const type = r.headers.get("content-type") ?? "no content-type";
      throw problem(`a body that is not JSON (${type}, ${r.text.length} characters): ${describe(cause)}`, cause);
    }
    // An echoed key can hide behind JSON escapes, so any backslash means a full walk.
    if (key && (r.text.includes(key) || r.text.includes("\\"))) redact(body, [key]);
    if (safeEnvelope(body)) throw toApiError(r, key, body);
    if (body && typeof body === "object" && Object.keys(body).length === 0) throw problem("an empty object");
    const wrong = check(body);
    if (wrong) throw problem(wrong);
    return body as T;
  }

  function safeEnvelope(body: unknown): ErrorEnvelope | undefined {
    try {
      return spec.parseError(body);
    } catch {
      return undefined;
    }
  }

  /** The ApiError subclass for the status (ApiError itself for a 2xx carrying an error envelope). */
  function toApiError(r: Received, key: string | undefined, parsed?: unknown): ApiError {
    let body = parsed;
    if (body === undefined) {
      try {
        body = r.text.trim() ? redact(parseJson(r.text), [key]) : r.text;
      } catch {
        body = redactText(r.text, key);
      }
    }
    const envelope = safeEnvelope(body);
    const words =
      envelope?.message ?? (typeof body === "string" && body.trim() ? squash(body) : undefined) ?? "no error message";
    const requestId = requestIdHeaders.map((h) => r.headers.get(h)).find((v) => v) ?? undefined;
    const head = r.status < 300 ? `${name} answered ${r.status} with an error` : `${name} ${r.status}`;
    const statusText = r.statusText && r.status >= 300 ? ` ${r.statusText}` : "";
    const ErrorClass = apiErrorClass(r.status);
    return new ErrorClass({
      provider: spec.provider,
      status: r.status,
      code: envelope?.code === undefined ? undefined : redactText(envelope.code, key),
      message: redactText(`${head}${statusText}: ${words}${requestId ? ` (request id ${requestId})` : ""}`, key),
      requestId: requestId && redactText(requestId, key),
      body,
      // What the gateway asked for, even beyond what the client itself is willing to wait.
      ...(r.status === 429 && { retryAfterMs: parseRetryAfter(r.headers) }),
    });
  }

  async function raw(req: RawRequest): Promise<RawResponse> {
    const { key, base } = target();
    const headers = { ...fixedHeaders, ...req.headers };
    if (key) headers.authorization = `Bearer ${key}`;
    const r = await send(req.method, base + req.path, headers, req.body, req.signal, key);
    if (!key) return r;
    // An echoed key is replaced where it shows as is (a JSON escape of it is not looked for here).
    const echoed = new Headers();
    r.headers.forEach((value, name) => {
      echoed.append(name, redactText(value, key));
    });
    return {
      status: r.status,
      statusText: redactText(r.statusText, key),
      headers: echoed,
      text: redactText(r.text, key),
    };
  }

  return { spec, request, raw };
}

/**
 * `cause` as it may be kept on an error: unchanged unless the key shows in its message, stack or
 * its own causes, in which case a redacted copy.
 */
function safeCause(cause: unknown, key: string | undefined, depth = 0): unknown {
  if (!key || cause === undefined) return cause;
  if (depth > 8) return undefined;
  if (typeof cause === "string") return redactText(cause, key);
  if (!(cause instanceof Error)) return cause;
  const inner = safeCause(cause.cause, key, depth + 1);
  if (inner === cause.cause && !cause.message.includes(key) && !cause.stack?.includes(key)) return cause;
  const copy = new Error(redactText(cause.message, key), inner === undefined ? undefined : { cause: inner });
  Object.defineProperty(copy, "name", { value: cause.name, configurable: true });
  copy.stack = redactText(cause.stack ?? "", key);
  return copy;
}

function squash(text: string): string {
  const plain = text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
