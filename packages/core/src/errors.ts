// Error classes. Each carries a Symbol.for marker per class in its chain, so `X.isInstance(e)`
// holds across duplicate installs of @genledger/core, where `instanceof` would not.

const markerPrefix = "genledger.error.";

function markInstance(error: object, ctor: Function): void {
  for (let c: Function | null = ctor; c && c !== Error; c = Object.getPrototypeOf(c)) {
    const kind = (c as { kind?: string }).kind;
    if (kind) Object.defineProperty(error, Symbol.for(markerPrefix + kind), { value: true });
  }
}

export class GenledgerError extends Error {
  static readonly kind: string = "GenledgerError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    markInstance(this, new.target);
    // Not enumerable (the default here), as on a built-in error: kept out of spreads and `toJSON`'s own fields.
    Object.defineProperty(this, "name", { value: new.target.kind, configurable: true });
  }

  /** True when `error` is this class or a subclass, from any copy of @genledger/core. */
  static isInstance<T extends abstract new (...args: never[]) => GenledgerError>(
    this: T & { kind: string },
    error: unknown,
  ): error is InstanceType<T> {
    // Only an error made by a GenledgerError constructor has its class's marker set to true.
    return (error as Record<symbol, unknown> | null | undefined)?.[Symbol.for(markerPrefix + this.kind)] === true;
  }

  /** Own fields, name and message, and the cause's name and message (all redacted when made). */
  toJSON(): Record<string, unknown> {
    const cause = this.cause instanceof Error ? { name: this.cause.name, message: this.cause.message } : undefined;
    return { ...(this as object), name: this.name, message: this.message, ...(cause && { cause }) };
  }
}

export interface ApiErrorInit {
  provider: string;
  status: number;
  message: string;
  code?: string | undefined;
  requestId?: string | undefined;
  body: unknown;
  retryAfterMs?: number | undefined;
}

// Fields are declared, not initialised, and set with Object.assign: the classes stay small in a bundle.

/** The gateway answered with an error status. `message` carries the gateway's own words. */
export class ApiError extends GenledgerError {
  static override readonly kind: string = "ApiError";
  declare readonly provider: string;
  declare readonly status: number;
  declare readonly code: string | undefined;
  declare readonly requestId: string | undefined;
  /** The error body as the gateway sent it (parsed JSON, or text), the key redacted. */
  declare readonly body: unknown;
  /** Whether the request may succeed when repeated (408, 409, 429, 5xx). */
  declare readonly retryable: boolean;
  /**
   * What the gateway asked to wait before asking again (`retry-after`), on any status: a 429, or NanoGPT's
   * 404 for a charge not recorded yet. Undefined when it did not say.
   */
  declare readonly retryAfterMs: number | undefined;

  constructor({ message, ...init }: ApiErrorInit) {
    super(message);
    Object.assign(this, { code: undefined, requestId: undefined, retryAfterMs: undefined }, init, {
      retryable: isRetryableStatus(init.status),
    });
  }
}

/** 400 or 422: the request was malformed (ZenMux also answers 422 for management rate limits). */
export class BadRequestError extends ApiError {
  static override readonly kind: string = "BadRequestError";
}
/** 401: the key is missing or wrong. */
export class AuthenticationError extends ApiError {
  static override readonly kind: string = "AuthenticationError";
}
/** 403: the key may not do this (ZenMux answers 403 for a bad key). */
export class PermissionDeniedError extends ApiError {
  static override readonly kind: string = "PermissionDeniedError";
}
/** 404: no such generation (OpenRouter also answers 404 for a few seconds after a completion). */
export class NotFoundError extends ApiError {
  static override readonly kind: string = "NotFoundError";
}
/** 429: rate limited. `retryAfterMs` is what the gateway asked for, when it said. */
export class RateLimitError extends ApiError {
  static override readonly kind: string = "RateLimitError";
}
/** 500 and above. */
export class ServerError extends ApiError {
  static override readonly kind: string = "ServerError";
}

/** The gateway could not be reached (DNS, refused, reset, TLS, a redirect loop). */
export class ConnectionError extends GenledgerError {
  static override readonly kind: string = "ConnectionError";
  declare readonly provider: string;
  constructor(provider: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.assign(this, { provider });
  }
}

/** An attempt took longer than `timeoutMs`. */
export class TimeoutError extends GenledgerError {
  static override readonly kind: string = "TimeoutError";
  declare readonly provider: string;
  declare readonly timeoutMs: number;
  constructor(provider: string, message: string, timeoutMs: number) {
    super(message);
    Object.assign(this, { provider, timeoutMs });
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends GenledgerError {
  static override readonly kind: string = "AbortError";
}

/** The body is not JSON, is cut short, is not the documented shape, or answers another id. */
export class ResponseParseError extends GenledgerError {
  static override readonly kind: string = "ResponseParseError";
  declare readonly provider: string;
  declare readonly status: number | undefined;
  /** The start of the body as received (the key redacted), for diagnosis. */
  declare readonly bodySnippet: string | undefined;
  constructor(
    provider: string,
    message: string,
    { cause, ...details }: { status?: number; bodySnippet?: string; cause?: unknown } = {},
  ) {
    super(message, { cause });
    Object.assign(this, { provider, status: undefined, bodySnippet: undefined }, details);
  }
}

/** The body is larger than `maxResponseBytes` (counted after decompression); the rest was not read. */
export class ResponseTooLargeError extends ResponseParseError {
  static override readonly kind: string = "ResponseTooLargeError";
  declare readonly maxResponseBytes: number;
  constructor(provider: string, message: string, details: { status: number; maxResponseBytes: number }) {
    super(provider, message, details);
  }
}

/** A self-hosted gateway (LiteLLM's proxy) has no default server: no `baseUrl` was given and its variable is not set. */
export class MissingBaseUrlError extends GenledgerError {
  static override readonly kind: string = "MissingBaseUrlError";
  declare readonly provider: string;
  declare readonly envVar: string;
  constructor(provider: string, displayName: string, envVar: string) {
    super(
      `${displayName}: no base URL (it is self-hosted, so there is no default). Pass the \`baseUrl\` option or set the ${envVar} environment variable.`,
    );
    Object.assign(this, { provider, envVar });
  }
}

/** No API key was given and the environment variable is not set. */
export class MissingApiKeyError extends GenledgerError {
  static override readonly kind: string = "MissingApiKeyError";
  declare readonly provider: string;
  declare readonly envVar: string;
  constructor(provider: string, displayName: string, envVar: string) {
    super(`${displayName}: no API key. Pass the \`apiKey\` option or set the ${envVar} environment variable.`);
    Object.assign(this, { provider, envVar });
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Whether trying the same request again later may succeed: the gateway could not be reached or timed out,
 * or answered a status that says so (`ApiError.retryable`: 408, 409, 429, 5xx). A body that is not the
 * documented shape, a key refused or an id unknown is not. The one answer capture, the store's resolver
 * and the CLI give.
 */
export function isTransient(error: unknown): boolean {
  return (
    ConnectionError.isInstance(error) ||
    TimeoutError.isInstance(error) ||
    (ApiError.isInstance(error) && error.retryable)
  );
}

const byStatus: Record<number, typeof ApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: BadRequestError,
  429: RateLimitError,
};

/** The ApiError subclass for an HTTP status. */
export function apiErrorClass(status: number): typeof ApiError {
  return byStatus[status] ?? (status >= 500 ? ServerError : ApiError);
}

/** The caller passed something the client cannot send (an empty id, say); nothing was sent. */
export class InvalidArgumentError extends GenledgerError {
  static override readonly kind: string = "InvalidArgumentError";
}

/** Throws InvalidArgumentError unless `id` is a non-empty string. */
export function requireId(id: unknown, what = "generation id"): asserts id is string {
  if (typeof id !== "string" || id.trim() === "") {
    throw new InvalidArgumentError(`expected a non-empty ${what}, got ${id === "" ? "an empty string" : typeof id}`);
  }
}
