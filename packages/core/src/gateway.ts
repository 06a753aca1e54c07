// The client factory every provider package builds on: openapi-fetch over a fetch that injects the
// key, times out each attempt, retries, and turns failures into typed errors.
import createClient, { type Client, type ClientOptions as FetchClientOptions } from "openapi-fetch";
import { readEnv } from "./env.js";
import {
  AbortError,
  type ApiError,
  apiErrorClass,
  ConnectionError,
  InvalidArgumentError,
  isRetryableStatus,
  MissingApiKeyError,
  ResponseParseError,
  TimeoutError,
} from "./errors.js";
import { loggableHeaders, redact } from "./redact.js";
import { parseRetryAfter, retryDelayMs, sleep } from "./retry.js";

export interface Logger {
  debug?(message: string, details?: Record<string, unknown>): void;
  warn?(message: string, details?: Record<string, unknown>): void;
}

export interface GatewayClientOptions {
  /** Default: the `<PROVIDER>_API_KEY` environment variable, read when a request is made. */
  apiKey?: string | undefined;
  /** Default: `<PROVIDER>_BASE_URL`, else the gateway's documented server. */
  baseUrl?: string | undefined;
  /** Default: `globalThis.fetch`, looked up per request. */
  fetch?: ((input: Request | string | URL, init?: RequestInit) => Promise<Response>) | undefined;
  /** Per attempt, including reading the body. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt. Default 2. */
  maxRetries?: number | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** Receives one line per attempt and retry; credentials are redacted. */
  logger?: Logger | undefined;
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
  /** Read the gateway's own error envelope. */
  parseError(body: unknown): ErrorEnvelope | undefined;
}

export const defaultTimeoutMs = 30_000;
export const defaultMaxRetries = 2;

// openapi-fetch fixes the base URL when the client is made, but ours is read from the environment
// per request: requests are built against this placeholder and rebased in `send`.
const placeholderBase = "http://genledger.base.invalid";

const requestIdHeaders = ["x-request-id", "request-id", "x-generation-id", "cf-ray"];

export interface Gateway<Paths extends {}> {
  /** The full typed openapi-fetch client; every call goes through the same auth, timeout and retries. */
  client: Client<Paths, `${string}/${string}`>;
  /**
   * Run one openapi-fetch call made with `parseAs: "text"`, and return its body parsed as JSON and
   * checked by `check` (which names what is missing, or returns undefined when the shape is right).
   */
  call<T>(
    run: () => Promise<{ data?: unknown; error?: unknown; response: Response }>,
    check: (body: unknown) => string | undefined,
  ): Promise<T>;
}

export function createGateway<Paths extends {}>(spec: GatewaySpec, options: GatewayClientOptions = {}): Gateway<Paths> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxRetries = Math.max(0, options.maxRetries ?? defaultMaxRetries);
  const keyVars = spec.apiKeyEnv ?? [`${spec.envPrefix}_API_KEY`];
  const apiKey = () =>
    options.apiKey ?? keyVars.reduce<string | undefined>((key, name) => key ?? readEnv(name), undefined);
  const baseUrl = () =>
    (options.baseUrl ?? readEnv(`${spec.envPrefix}_BASE_URL`) ?? spec.defaultBaseUrl).replace(/\/+$/, "");
  const secrets = () => {
    const key = apiKey();
    return key ? [key] : [];
  };
  const log = (level: keyof Logger, message: string, details?: Record<string, unknown>) =>
    options.logger?.[level]?.(redact(message, secrets()), details && redact(details, secrets()));

  async function send(request: Request): Promise<Response> {
    const key = apiKey();
    if (!key && spec.authRequired) {
      throw new MissingApiKeyError(spec.provider, spec.displayName, keyVars.join(" or "));
    }
    const url = request.url.startsWith(placeholderBase)
      ? baseUrl() + request.url.slice(placeholderBase.length)
      : request.url;
    const headers = new Headers(request.headers);
    if (key) headers.set("authorization", `Bearer ${key}`);
    const body = request.body ? await request.arrayBuffer() : undefined;
    const userSignal = request.signal;
    const aborted = () =>
      new AbortError(`${spec.displayName}: request aborted by the caller`, { cause: userSignal.reason });
    const fetchImpl = options.fetch ?? globalThis.fetch;

    for (let attempt = 0; ; attempt++) {
      if (userSignal.aborted) throw aborted();
      const timer = new AbortController();
      const timeout = setTimeout(() => timer.abort(), timeoutMs);
      const started = Date.now();
      let response: Response;
      try {
        const signal = AbortSignal.any([userSignal, timer.signal]);
        // Raced against the signal too: not every fetch (nor every mock) stops a body read on abort.
        const res = await untilAborted(
          fetchImpl(url, { method: request.method, headers, body, redirect: request.redirect, signal }),
          signal,
        );
        // Read the body inside the attempt, so a server that stalls mid-body times out and retries.
        const buffer = res.status === 204 || res.status === 304 ? null : await untilAborted(res.arrayBuffer(), signal);
        response = new Response(buffer, { status: res.status, statusText: res.statusText, headers: res.headers });
      } catch (cause) {
        if (userSignal.aborted) throw aborted();
        const failure = timer.signal.aborted
          ? new TimeoutError(
              spec.provider,
              `${spec.displayName}: ${request.method} ${pathOf(url)} timed out after ${timeoutMs} ms`,
              timeoutMs,
            )
          : new ConnectionError(
              spec.provider,
              redact(`${spec.displayName}: could not reach ${originOf(url)}: ${describe(cause)}`, secrets()),
              { cause },
            );
        if (attempt >= maxRetries) throw failure;
        const delay = retryDelayMs(attempt);
        log(
          "warn",
          `${failure.message}; retrying in ${Math.round(delay)} ms (attempt ${attempt + 2} of ${maxRetries + 1})`,
        );
        await sleep(delay, userSignal, aborted);
        continue;
      } finally {
        clearTimeout(timeout);
      }
      log("debug", `${request.method} ${url} -> ${response.status} (${Date.now() - started} ms)`, {
        headers: loggableHeaders(headers),
      });
      if (!isRetryableStatus(response.status) || attempt >= maxRetries) return response;
      const delay = retryDelayMs(attempt, response.headers);
      log(
        "warn",
        `${spec.displayName} answered ${response.status}; retrying in ${Math.round(delay)} ms (attempt ${attempt + 2} of ${maxRetries + 1})`,
      );
      await sleep(delay, userSignal, aborted);
    }
  }

  const clientOptions: FetchClientOptions = {
    baseUrl: placeholderBase,
    fetch: send,
    pathSerializer: encodePath,
  };
  if (options.headers) clientOptions.headers = options.headers;
  const client = createClient<Paths>(clientOptions);

  async function call<T>(
    run: () => Promise<{ data?: unknown; error?: unknown; response: Response }>,
    check: (body: unknown) => string | undefined,
  ): Promise<T> {
    const { data, error, response } = await run();
    if (!response.ok) throw toApiError(spec, response, error, secrets());
    const text = typeof data === "string" ? data : "";
    const snippet = redact(text.slice(0, 200), secrets());
    const problem = (what: string, cause?: unknown) =>
      new ResponseParseError(spec.provider, `${spec.displayName} answered ${response.status} with ${what}`, {
        status: response.status,
        bodySnippet: snippet,
        cause,
      });
    if (text.trim() === "") throw problem("an empty body");
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      const type = response.headers.get("content-type") ?? "no content-type";
      throw problem(`a body that is not JSON (${type}, ${text.length} bytes): ${describe(cause)}`, cause);
    }
    const shape = check(body);
    if (shape) throw problem(`a body that is not the documented shape: ${shape}`);
    return body as T;
  }

  return { client, call };
}

/** Turn an error response into the ApiError subclass for its status. */
function toApiError(spec: GatewaySpec, response: Response, body: unknown, secrets: string[] = []): ApiError {
  const safeBody = redact(body, secrets);
  const envelope = safeEnvelope(spec, safeBody);
  const words =
    envelope?.message ??
    (typeof safeBody === "string" && safeBody.trim() ? squash(safeBody) : undefined) ??
    "no error message";
  const statusText = response.statusText ? ` ${response.statusText}` : "";
  const requestId = requestIdHeaders.map((h) => response.headers.get(h)).find((v) => v) ?? undefined;
  const ErrorClass = apiErrorClass(response.status);
  return new ErrorClass({
    provider: spec.provider,
    status: response.status,
    code: envelope?.code,
    message: `${spec.displayName} ${response.status}${statusText}: ${words}${requestId ? ` (request id ${requestId})` : ""}`,
    requestId,
    body: safeBody,
    // What the gateway asked for, even beyond what the client itself is willing to wait.
    retryAfterMs: response.status === 429 ? parseRetryAfter(response.headers) : undefined,
  });
}

function safeEnvelope(spec: GatewaySpec, body: unknown): ErrorEnvelope | undefined {
  try {
    return spec.parseError(body);
  } catch {
    return undefined;
  }
}

/**
 * Path values are always encoded. "." and ".." are refused: URL parsing resolves them (encoded or
 * not) as dot segments, so the request would silently reach another resource.
 */
function encodePath(pathname: string, params?: Record<string, unknown>): string {
  return pathname.replace(/\{([^{}]+)\}/g, (match, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) return match;
    const text = String(value);
    if (text === "." || text === "..") {
      throw new InvalidArgumentError(`${name} ${JSON.stringify(text)} cannot be sent as a URL path segment`);
    }
    return encodeURIComponent(text);
  });
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
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
