// The mock gateways' behaviour, in one place: routes, fixtures, faults, auth, paging. No HTTP library:
// the loopback server (server.ts, node:http) and the msw handlers (handlers.ts) both answer with it.
import { fastRouterGeneration, openRouterGeneration, oxenGeneration, oxenJobs, zenMuxGeneration } from "./fixtures.js";

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
   * The first N lookups of each id are "not ready": OpenRouter answers 404, Oxen's job is queued
   * then processing, ZenMux has no billing fields yet. FastRouter ignores it.
   */
  notReadyCalls?: number;
}

export interface OxenMock extends GatewayMock {
  /** How many jobs the list holds (default 12). */
  jobs?: number;
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

interface Route {
  method: "GET" | "POST";
  /** Relative to the gateway's base URL; `:id` matches one path segment. */
  path: string;
  answer(request: MockRequest, id: string): Promise<MockResponse>;
}

interface GatewayDefinition {
  /** The real base URL (msw's default). */
  baseUrl: string;
  /** Where the loopback server serves it. */
  prefix: string;
  /** The gateway's error envelope. */
  errorBody(status: number, message: string): unknown;
  routes(gate: Gate, mock: GatewayMock & OxenMock): Route[];
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): MockResponse => ({
  status,
  headers,
  body,
});

/** Every mocked gateway; adding one is one entry here (and its fixtures). */
const gateways = {
  openrouter: {
    baseUrl: "https://openrouter.ai/api/v1",
    prefix: "/openrouter/api/v1",
    errorBody: (status, message) => ({ error: { code: status, message } }),
    routes: (gate) => [
      {
        method: "GET",
        path: "/generation",
        answer: async (request) => {
          const id = request.url.searchParams.get("id") ?? "";
          return (
            (await gate.refuse(request, id, true)) ??
            (gate.notReady(id) ? gate.error(404, "Generation not found") : json(openRouterGeneration(id)))
          );
        },
      },
    ],
  },
  zenmux: {
    baseUrl: "https://zenmux.ai/api/v1",
    prefix: "/zenmux/api/v1",
    errorBody: (status, message) => ({ error: { code: String(status), type: errorType(status), message } }),
    routes: (gate) => [
      {
        method: "GET",
        path: "/generation",
        answer: async (request) => {
          const id = request.url.searchParams.get("id") ?? "";
          const subscription = request.header("authorization")?.startsWith("Bearer sk-ss-v1-") ?? false;
          return (
            (await gate.refuse(request, id, true)) ??
            json(zenMuxGeneration(id, { billed: !subscription && !gate.notReady(id) }))
          );
        },
      },
    ],
  },
  fastrouter: {
    baseUrl: "https://api.fastrouter.ai",
    prefix: "/fastrouter",
    errorBody: (status, message) => ({
      error: { message, type: errorType(status), code: errorType(status), status },
    }),
    routes: (gate) => [
      {
        method: "POST",
        path: "/api/v1/generation",
        answer: async (request) => {
          const body = parseJson(await request.text()) as { generation_id?: unknown } | null;
          const id = typeof body?.generation_id === "string" ? body.generation_id : "";
          if (!id) return gate.error(400, "generation_id is required");
          return (await gate.refuse(request, id, true)) ?? json(fastRouterGeneration(id));
        },
      },
    ],
  },
  oxen: {
    baseUrl: "https://hub.oxen.ai",
    prefix: "/oxen",
    errorBody: (_status, message) => ({ status: "error", status_message: message }),
    routes: (gate, mock) => {
      const jobs = oxenJobs(mock.jobs ?? 12);
      return [
        {
          method: "GET",
          path: "/api/ai/generations/:id",
          answer: async (request, id) => {
            const refused = await gate.refuse(request, id, false);
            if (refused) return refused;
            const calls = gate.calls(id);
            const known = jobs.find((j) => j.generation_id === id);
            const generation =
              calls <= (mock.notReadyCalls ?? 0)
                ? oxenGeneration(id, calls === 1 ? "queued" : "processing")
                : (known ?? oxenGeneration(id, id.startsWith("failed-") ? "failed" : "succeeded"));
            return json({ status: "success", status_message: "resource_found", generation });
          },
        },
        {
          method: "GET",
          path: "/api/ai/generations",
          answer: async (request) => {
            const refused = await gate.refuse(request, "", false);
            if (refused) return refused;
            const q = request.url.searchParams;
            const page = Math.max(1, Number(q.get("page") ?? 1));
            const pageSize = Math.min(1000, Math.max(1, Number(q.get("page_size") ?? 50)));
            const filters: Array<[string, string]> = [
              ["namespace", "target_namespace"],
              ["model", "model_name"],
              ["media_type", "media_type"],
              ["status", "status"],
              ["repo", "target_repo"],
              ["folder", "target_directory"],
            ];
            const rows = jobs.filter((job) =>
              filters.every(
                ([param, field]) => !q.has(param) || (job as Record<string, unknown>)[field] === q.get(param),
              ),
            );
            const slice = rows.slice((page - 1) * pageSize, page * pageSize);
            const charged = rows.filter((r) => r.cost !== null).map((r) => Number(r.cost));
            return json({
              count: slice.length,
              generations: slice,
              page_number: page,
              page_size: pageSize,
              total_cost: charged.length ? charged.reduce((a, b) => a + b, 0).toFixed(10) : null,
              total_entries: rows.length,
              total_pages: Math.max(1, Math.ceil(rows.length / pageSize)),
            });
          },
        },
      ];
    },
  },
} satisfies Record<string, GatewayDefinition>;

export type GatewayName = keyof typeof gateways;

export const gatewayNames = Object.keys(gateways) as GatewayName[];

export interface MockGatewayOptions {
  /** Where each gateway is served; default: its real base URL (for msw's `setupServer`). */
  baseUrls?: Partial<Record<GatewayName, string>>;
  openrouter?: GatewayMock;
  zenmux?: GatewayMock;
  fastrouter?: GatewayMock;
  oxen?: OxenMock;
}

export const defaultBaseUrls = Object.fromEntries(gatewayNames.map((name) => [name, gateways[name].baseUrl])) as Record<
  GatewayName,
  string
>;

/** Where the loopback server serves each gateway. */
export const serverPrefixes = Object.fromEntries(gatewayNames.map((name) => [name, gateways[name].prefix])) as Record<
  GatewayName,
  string
>;

/** Each gateway's own error envelope. */
export const errorBody = Object.fromEntries(gatewayNames.map((name) => [name, gateways[name].errorBody])) as Record<
  GatewayName,
  (status: number, message: string) => unknown
>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The ids that always answer 404, so a mock can show a wrong id. */
export const missingIdPrefix = "missing-";

function errorType(status: number): string {
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

/** One gateway's routes, resolved against the base URL it is served at. */
export interface MountedGateway {
  name: GatewayName;
  /** The base URL, without a trailing slash. */
  baseUrl: string;
  /** The answer for a request under `baseUrl`: a route's, or a 404 naming what has no mock. */
  answer(request: MockRequest): Promise<MockResponse>;
}

/** Every gateway with its own state (call counts, faults), sharing one options object. */
export function mountGateways(options: MockGatewayOptions = {}): MountedGateway[] {
  return gatewayNames.map((name) => {
    const definition: GatewayDefinition = gateways[name];
    const mock = options[name] ?? {};
    const routes = definition.routes(new Gate(definition, mock), mock);
    const baseUrl = (options.baseUrls?.[name] ?? definition.baseUrl).replace(/\/+$/, "");
    const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
    return {
      name,
      baseUrl,
      async answer(request) {
        const rest = request.url.pathname.slice(basePath.length);
        for (const route of routes) {
          if (route.method !== request.method) continue;
          const id = matchPath(route.path, rest);
          if (id !== undefined) return route.answer(request, id);
        }
        return json({ error: { message: `no mock for ${request.method} ${request.url.pathname}` } }, 404);
      },
    };
  });
}

/** The gateway a request URL falls under, if any. */
export function gatewayFor(mounted: readonly MountedGateway[], url: URL): MountedGateway | undefined {
  const href = `${url.origin}${url.pathname}`;
  return mounted.find((g) => href === g.baseUrl || href.startsWith(`${g.baseUrl}/`));
}

/** `undefined` when `path` does not match `pattern`; else the `:id` segment (decoded), or "". */
function matchPath(pattern: string, path: string): string | undefined {
  const want = pattern.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return undefined;
  let id = "";
  for (let i = 0; i < want.length; i++) {
    const segment = got[i] as string;
    if (want[i] === ":id") {
      if (!segment) return undefined;
      try {
        id = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (want[i] !== segment) return undefined;
  }
  return id;
}

/** Per-gateway state: call counts per id, faults, auth. */
class Gate {
  private readonly seen = new Map<string, number>();
  private readonly failed = new Map<string, number>();

  constructor(
    private readonly definition: GatewayDefinition,
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
