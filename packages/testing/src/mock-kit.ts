// What every mocked gateway is made of: its definition (routes, error envelope, where it is served),
// the per-gateway state (faults, auth, "not ready" calls, completions made), and event streams.
// OpenAI-compatible completions are in completions.ts.
// A gateway's own routes live in gateways/<name>.ts, listed once in gateways.ts.
import { seeded } from "./seeded.js";

export interface Fault {
  /** Answer with this status and the gateway's own error envelope; 0 drops the connection instead. */
  status: number;
  /** `Retry-After` in seconds. */
  retryAfter?: number;
  /** Only the first N calls for an id fail; default: every call. */
  times?: number;
  message?: string;
}

/** What a completion made on the mock used: its lookup reports the same model, tokens and cost. */
export interface Completion {
  model: string;
  /** Includes the cached tokens. */
  inputTokens: number;
  cachedInputTokens: number;
  /** Includes the reasoning tokens. */
  outputTokens: number;
  reasoningTokens: number;
  /** USD, as a JSON number: what the gateway bills. */
  cost: number;
  /** When it was made, unix seconds (the mock's clock). */
  created: number;
}

export interface GatewayMock {
  /** Delay every response, in ms. */
  delayMs?: number;
  /** A fault for every request, or per id (return undefined for no fault). */
  fault?: Fault | ((id: string) => Fault | undefined);
  /**
   * The first N lookups of each id are "not ready": OpenRouter and Vercel answer 404, Oxen's job is
   * queued then processing, ZenMux has no billing fields yet. FastRouter ignores it.
   */
  notReadyCalls?: number;
  /**
   * A fault in every streamed completion: `"cut"` ends the connection half-way, `"no-id"` sends chunks
   * without an `id`, `"error"` sends an error event after the first chunks and ends the stream.
   */
  streamFault?: "cut" | "no-id" | "error" | undefined;
  /** Between the events of a stream, in ms (default: none, each event its own write). */
  chunkDelayMs?: number;
  /**
   * The cost the lookup reports for a completion made on the mock, given the one the completion
   * reported inline: a gateway that re-bills. Default: the same.
   */
  billedCost?: (id: string, inlineCost: number) => number;
  /** Refuse lookups past a rate with 429, as a busy gateway does. */
  rateLimit?: MockRateLimit | undefined;
}

/**
 * A gateway's rate limit. `"retry-after"` (default) and `"none"` enforce a token bucket (`burst`, refilled
 * at `requestsPerSecond`) and answer 429 with `retry-after: 1` or with nothing; `"x-ratelimit"` enforces a
 * window of one second and states it on every answer (`x-ratelimit-limit`, `-remaining`, `-reset` in
 * epoch ms, as OpenRouter does), claiming `advertise` requests a second when set (a lying header).
 */
export interface MockRateLimit {
  requestsPerSecond: number;
  /** Default 10. */
  burst?: number | undefined;
  headers?: "retry-after" | "x-ratelimit" | "none" | undefined;
  advertise?: number | undefined;
}

/** The limiter behind `GatewayMock.rateLimit`: `take()` is the 429's headers when refused, else the headers to add. */
export function mockRateLimiter(limit: MockRateLimit, now: () => number = Date.now) {
  const rate = limit.requestsPerSecond;
  const burst = limit.burst ?? 10;
  const style = limit.headers ?? "retry-after";
  let tokens = burst;
  let at = now();
  let windowStart = at;
  let used = 0;
  let refused = 0;
  return {
    get refused() {
      return refused;
    },
    take(): { refused: boolean; headers: Record<string, string> } {
      const t = now();
      if (style === "x-ratelimit") {
        if (t - windowStart >= 1000) [windowStart, used] = [t - ((t - windowStart) % 1000), 0];
        const stated = limit.advertise ?? rate;
        const ok = used < rate;
        if (ok) used++;
        else refused++;
        const headers = {
          "x-ratelimit-limit": String(Math.round(stated)),
          // A lying gateway claims room it does not give.
          "x-ratelimit-remaining": String(limit.advertise === undefined ? rate - used : Math.max(0, stated - used)),
          "x-ratelimit-reset": String(windowStart + 1000),
        };
        return { refused: !ok, headers };
      }
      tokens = Math.min(burst, tokens + ((t - at) * rate) / 1000);
      at = t;
      if (tokens >= 1) {
        tokens -= 1;
        return { refused: false, headers: {} };
      }
      refused++;
      return { refused: true, headers: style === "none" ? {} : { "retry-after": "1" } };
    },
  };
}

/** What a route sees of a request, whichever server received it. */
export interface MockRequest {
  method: string;
  url: URL;
  header(name: string): string | null;
  text(): Promise<string>;
}

/** What a route answers: a JSON body, or (with `events`) a server-sent event stream. */
export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** SSE: each string written as it is, in order; the body is then ignored. */
  events?: string[];
  /** End the connection after the events instead of closing the stream (a cut stream). */
  cut?: boolean;
  /** Drop the connection without answering (a gateway shedding load). */
  drop?: boolean;
  /** Between events, in ms. */
  delayMs?: number;
}

export interface Route {
  method: "GET" | "POST";
  /** Relative to where the gateway is mounted; `:id` matches one path segment. */
  path: string;
  answer(request: MockRequest, id: string): Promise<MockResponse>;
}

export interface GatewayDefinition<M extends GatewayMock = GatewayMock> {
  /** The real URL the routes are relative to (msw's default). */
  baseUrl: string;
  /** Appended to `baseUrl` for a client's `baseUrl` option, when the routes reach beyond it (Vercel's `/v1`). */
  clientPath?: string;
  /** Where the loopback server serves it. */
  prefix: string;
  /** The client's environment prefix: `<env>_BASE_URL`. */
  env: string;
  /** The gateway's error envelope. */
  errorBody(status: number, message: string): unknown;
  /** A well-formed lookup answer for `id` (what the hostile gateway wraps its misbehaviour around). */
  fixture(id: string): unknown;
  routes(gate: Gate, mock: M): Route[];
}

/** What a mock is made of besides the gateway's own definition, which gives its server and environment. */
export interface MockInput<M extends GatewayMock = GatewayMock>
  extends Omit<GatewayDefinition<M>, "baseUrl" | "clientPath" | "env"> {
  /** The gateway's definition (its package's `...Gateway`): the mock serves what the client reads. */
  gateway: { defaultBaseUrl?: string | undefined; envPrefix: string };
  /** Where msw serves a self-hosted gateway, which has no default server (LiteLLM's proxy: its documented port). */
  baseUrl?: string;
  /** The routes reach beyond the client's base URL (Vercel's `/v1` beside `/v3`): they are relative to its origin. */
  routesFromOrigin?: boolean;
}

/** A mocked gateway, from the gateway's own definition and the mock's routes, with its own mock options `M`. */
export function defineGateway<M extends GatewayMock = GatewayMock>(input: MockInput<M>): GatewayDefinition<M> {
  const { gateway, routesFromOrigin, baseUrl: selfHosted, ...mock } = input;
  const base = selfHosted ?? (gateway.defaultBaseUrl as string);
  const url = new URL(base);
  return {
    ...mock,
    baseUrl: routesFromOrigin ? url.origin : base,
    ...(routesFromOrigin && { clientPath: url.pathname }),
    env: gateway.envPrefix,
  };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): MockResponse => ({
  status,
  headers,
  body,
});

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The ids that always answer 404, so a mock can show a wrong id. */
export const missingIdPrefix = "missing-";

export function errorType(status: number): string {
  return status === 401 || status === 403
    ? "authentication_error"
    : status === 404
      ? "not_found"
      : status === 429 || status === 422
        ? "rate_limit_exceeded"
        : status >= 500
          ? "server_error"
          : "invalid_request";
}

const defaultMessages: Record<number, string> = {
  400: "Bad request",
  401: "Missing Authentication header",
  403: "Invalid API key",
  404: "Generation not found",
  422: "Too many requests to management endpoints",
  429: "Rate limit exceeded",
  500: "Internal Server Error",
  502: "Provider returned error",
  503: "Service unavailable",
};

/**
 * Where completions get their ids and times: a salt unique to each start (or a seed's), and the clock (or
 * a fixed one from 2025-11-20, a second per completion).
 */
export interface MockClock {
  salt: string;
  /** Unix seconds for the `n`th completion of a gateway. */
  seconds(n: number): number;
}

export function realClock(): MockClock {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return {
    salt: Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(""),
    seconds: () => Math.floor(Date.now() / 1000),
  };
}

export function fixedClock(seed: string): MockClock {
  return { salt: seed, seconds: (n) => 1763633730 + n };
}

/** Per-gateway state: call counts per id, faults, auth. */
export class Gate {
  private readonly seen = new Map<string, number>();
  private readonly failed = new Map<string, number>();
  private count = 0;
  /** What each completion made on this gateway used, so its lookup reports the same model, tokens and cost. */
  private readonly completions = new Map<string, Completion>();

  constructor(
    private readonly definition: Pick<GatewayDefinition<never>, "errorBody">,
    private readonly mock: GatewayMock,
    readonly clock: MockClock = realClock(),
  ) {}

  /** Counts a lookup of `id` and returns how many there have been, this one included. */
  calls(id: string): number {
    const n = (this.seen.get(id) ?? 0) + 1;
    this.seen.set(id, n);
    return n;
  }

  notReady(id: string): boolean {
    return this.calls(id) <= (this.mock.notReadyCalls ?? 0);
  }

  /** A fresh id for a completion made on this gateway, and when it was made (unix seconds). */
  nextId(make: NewId): { id: string; created: number } {
    const n = ++this.count;
    const created = this.clock.seconds(n);
    return { id: make(n, this.clock.salt, created), created };
  }

  /** Records a completion under a fresh id, for its lookup. */
  complete(newId: NewId, made: Omit<Completion, "created">): { id: string; completion: Completion } {
    const { id, created } = this.nextId(newId);
    const completion = { ...made, created };
    this.completions.set(id, completion);
    return { id, completion };
  }

  /** The completion made under `id`, with the cost the gateway bills for it (`billedCost`). */
  completion(id: string): Completion | undefined {
    const made = this.completions.get(id);
    if (!made || !this.mock.billedCost) return made;
    return { ...made, cost: this.mock.billedCost(id, made.cost) };
  }

  get streamFault(): GatewayMock["streamFault"] {
    return this.mock.streamFault;
  }

  get chunkDelayMs(): number {
    return this.mock.chunkDelayMs ?? 0;
  }

  error(status: number, message = defaultMessages[status] ?? "Error", headers: Record<string, string> = {}) {
    return json(this.definition.errorBody(status, message), status, headers);
  }

  /** The response that refuses this request (missing auth, fault, missing id), or undefined; after the delay. */
  async refuse(request: MockRequest, id: string, authRequired: boolean): Promise<MockResponse | undefined> {
    if (this.mock.delayMs) await new Promise((resolve) => setTimeout(resolve, this.mock.delayMs));
    if (authRequired && !/^Bearer \S+/.test(request.header("authorization") ?? "")) return this.error(401);
    const fault = typeof this.mock.fault === "function" ? this.mock.fault(id) : this.mock.fault;
    if (fault) {
      const n = (this.failed.get(id) ?? 0) + 1;
      this.failed.set(id, n);
      if (fault.times === undefined || n <= fault.times) {
        if (fault.status === 0) return { status: 0, headers: {}, body: null, drop: true };
        const headers: Record<string, string> =
          fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
        return this.error(fault.status, fault.message, headers);
      }
    }
    if ((id.split("/").pop() ?? id).startsWith(missingIdPrefix)) return this.error(404);
    return undefined;
  }
}

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** A gateway's id for its `n`th completion: unique per `salt`; `created` is when (unix seconds). */
export type NewId = (n: number, salt: string, created: number) => string;

/** `n` characters of Crockford base 32 (a ULID's alphabet), stable for a seed. */
export function base32(seed: string, n: number): string {
  return Array.from({ length: n }, (_, i) => alphabet[Math.floor(seeded(seed, i) * 32)]).join("");
}

/**
 * A server-sent event stream of `events`, with the mock's stream fault applied: `"cut"` stops half-way
 * and drops the connection; `"error"` puts `errorEvent(i)` (the first index it answers for) in place of
 * the rest of the stream.
 */
export function sse(gate: Gate, events: string[], errorEvent: (at: number) => string | undefined): MockResponse {
  let sent = events;
  const fault = gate.streamFault;
  if (fault === "cut") sent = events.slice(0, Math.ceil(events.length / 2));
  if (fault === "error") {
    const at = events.findIndex((_, i) => errorEvent(i) !== undefined);
    if (at >= 0) sent = [...events.slice(0, at), errorEvent(at) as string];
  }
  return {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
    body: null,
    events: sent,
    cut: fault === "cut",
    delayMs: gate.chunkDelayMs,
  };
}
