// What every mocked gateway is made of: its definition (routes, error envelope, where it is served),
// the per-gateway state (faults, auth, "not ready" calls), and OpenAI-compatible chat completions.
// A gateway's own routes live in gateways/<name>.ts, listed once in gateways.ts.
import { seeded } from "./fixtures.js";

export interface Fault {
  /** Answer with this status and the gateway's own error envelope. */
  status: number;
  /** `Retry-After` in seconds. */
  retryAfter?: number;
  /** Only the first N calls for an id fail; default: every call. */
  times?: number;
  message?: string;
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
}

/** What a route sees of a request, whichever server received it. */
export interface MockRequest {
  method: string;
  url: URL;
  header(name: string): string | null;
  text(): Promise<string>;
}

/** What a route answers: a JSON body. */
export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
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

/** Types a gateway definition, with its own mock options `M`. */
export function defineGateway<M extends GatewayMock = GatewayMock>(definition: GatewayDefinition<M>) {
  return definition;
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

/** Per-gateway state: call counts per id, faults, auth. */
export class Gate {
  private readonly seen = new Map<string, number>();
  private readonly failed = new Map<string, number>();
  private count = 0;
  /** What each completion made on this gateway asked for, so its lookup reports the same model and tokens. */
  readonly completions = new Map<string, { model: string; promptTokens: number; completionTokens: number }>();

  constructor(
    private readonly definition: Pick<GatewayDefinition<never>, "errorBody">,
    private readonly mock: GatewayMock,
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

  /** A fresh id for a completion made on this gateway: the same sequence for every mock. */
  nextId(make: (n: number) => string): string {
    return make(++this.count);
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
        const headers: Record<string, string> =
          fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) };
        return this.error(fault.status, fault.message, headers);
      }
    }
    if (id.startsWith(missingIdPrefix)) return this.error(404);
    return undefined;
  }
}

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** `n` characters of Crockford base 32 (a ULID's alphabet), stable for a seed. */
export function base32(seed: string, n: number): string {
  return Array.from({ length: n }, (_, i) => alphabet[Math.floor(seeded(seed, i) * 32)]).join("");
}

/** The prompt's size in tokens, roughly as a tokenizer would count it (4 characters a token). */
export function promptTokens(body: unknown): number {
  const messages = (body as { messages?: unknown } | null)?.messages;
  return Math.max(1, Math.ceil(JSON.stringify(messages ?? "").length / 4));
}

/**
 * `POST /chat/completions` as an OpenAI-compatible gateway answers it (not streamed): the completion's
 * `id` is the gateway's generation id, so a real OpenAI SDK call yields an id the lookup knows.
 */
export function chatCompletionsRoute(gate: Gate, path: string, newId: (n: number) => string): Route {
  return {
    method: "POST",
    path,
    answer: async (request) => {
      const refused = await gate.refuse(request, "", true);
      if (refused) return refused;
      const body = parseJson(await request.text()) as { model?: unknown; stream?: unknown } | null;
      if (typeof body?.model !== "string") return gate.error(400, "`model` is required");
      if (body.stream === true) return gate.error(400, "the mock gateway does not stream");
      const id = gate.nextId(newId);
      const prompt = promptTokens(body);
      gate.completions.set(id, { model: body.model, promptTokens: prompt, completionTokens: 9 });
      return json({
        id,
        object: "chat.completion",
        created: 1763633730,
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "Hello from the genledger mock gateway." },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: prompt, completion_tokens: 9, total_tokens: prompt + 9 },
      });
    },
  };
}
