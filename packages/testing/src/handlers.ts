// msw handlers that behave like the four gateways, with configurable faults.
import { delay, HttpResponse, http, type RequestHandler } from "msw";
import { fastRouterGeneration, openRouterGeneration, oxenGeneration, oxenJobs, zenMuxGeneration } from "./fixtures.js";

export type GatewayName = "openrouter" | "zenmux" | "fastrouter" | "oxen";

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

export interface MockGatewayOptions {
  /** Where each gateway is served; default: its real base URL (for msw's `setupServer`). */
  baseUrls?: Partial<Record<GatewayName, string>>;
  openrouter?: GatewayMock;
  zenmux?: GatewayMock;
  fastrouter?: GatewayMock;
  oxen?: OxenMock;
}

export const defaultBaseUrls: Record<GatewayName, string> = {
  openrouter: "https://openrouter.ai/api/v1",
  zenmux: "https://zenmux.ai/api/v1",
  fastrouter: "https://api.fastrouter.ai",
  oxen: "https://hub.oxen.ai",
};

/** Each gateway's own error envelope. */
export const errorBody: Record<GatewayName, (status: number, message: string) => unknown> = {
  openrouter: (status, message) => ({ error: { code: status, message } }),
  zenmux: (status, message) => ({ error: { code: String(status), type: errorType(status), message } }),
  fastrouter: (status, message) => ({ error: { message, type: errorType(status), code: errorType(status), status } }),
  oxen: (_status, message) => ({ status: "error", status_message: message }),
};

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

/** The ids that always answer 404, so a mock can show a wrong id. */
export const missingIdPrefix = "missing-";

/** Every gateway's handlers, sharing one options object. */
export function createHandlers(options: MockGatewayOptions = {}): RequestHandler[] {
  const url = (name: GatewayName) => (options.baseUrls?.[name] ?? defaultBaseUrls[name]).replace(/\/+$/, "");
  const state = (name: GatewayName) => new Gate(name, options[name] ?? {});
  const openrouter = state("openrouter");
  const zenmux = state("zenmux");
  const fastrouter = state("fastrouter");
  const oxen = state("oxen");
  const jobs = oxenJobs(options.oxen?.jobs ?? 12);

  return [
    http.get(`${url("openrouter")}/generation`, async ({ request }) => {
      const id = new URL(request.url).searchParams.get("id") ?? "";
      return (
        (await openrouter.refuse(request, id, true)) ??
        (openrouter.notReady(id)
          ? openrouter.error(404, "Generation not found")
          : HttpResponse.json(openRouterGeneration(id)))
      );
    }),
    http.get(`${url("zenmux")}/management/generation`, async ({ request }) => {
      const id = new URL(request.url).searchParams.get("id") ?? "";
      const subscription = request.headers.get("authorization")?.startsWith("Bearer sk-ss-v1-") ?? false;
      return (
        (await zenmux.refuse(request, id, true)) ??
        HttpResponse.json(zenMuxGeneration(id, { billed: !subscription && !zenmux.notReady(id) }))
      );
    }),
    http.post(`${url("fastrouter")}/api/v1/generation`, async ({ request }) => {
      const body = (await request.json().catch(() => null)) as { generation_id?: unknown } | null;
      const id = typeof body?.generation_id === "string" ? body.generation_id : "";
      if (!id) return fastrouter.error(400, "generation_id is required");
      return (await fastrouter.refuse(request, id, true)) ?? HttpResponse.json(fastRouterGeneration(id));
    }),
    http.get(`${url("oxen")}/api/ai/generations/:id`, async ({ request, params }) => {
      const id = String(params.id);
      const refused = await oxen.refuse(request, id, false);
      if (refused) return refused;
      const calls = oxen.calls(id);
      const waiting = options.oxen?.notReadyCalls ?? 0;
      const known = jobs.find((j) => j.generation_id === id);
      const generation =
        calls <= waiting
          ? oxenGeneration(id, calls === 1 ? "queued" : "processing")
          : (known ?? oxenGeneration(id, id.startsWith("failed-") ? "failed" : "succeeded"));
      return HttpResponse.json({ status: "success", status_message: "resource_found", generation });
    }),
    http.get(`${url("oxen")}/api/ai/generations`, async ({ request }) => {
      const refused = await oxen.refuse(request, "", false);
      if (refused) return refused;
      const q = new URL(request.url).searchParams;
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
        filters.every(([param, field]) => !q.has(param) || (job as Record<string, unknown>)[field] === q.get(param)),
      );
      const slice = rows.slice((page - 1) * pageSize, page * pageSize);
      const charged = rows.filter((r) => r.cost !== null).map((r) => Number(r.cost));
      return HttpResponse.json({
        count: slice.length,
        generations: slice,
        page_number: page,
        page_size: pageSize,
        total_cost: charged.length ? charged.reduce((a, b) => a + b, 0).toFixed(10) : null,
        total_entries: rows.length,
        total_pages: Math.max(1, Math.ceil(rows.length / pageSize)),
      });
    }),
  ];
}

/** Per-gateway state: call counts per id, faults, auth. */
class Gate {
  private readonly seen = new Map<string, number>();
  private readonly failed = new Map<string, number>();

  constructor(
    private readonly name: GatewayName,
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
    return HttpResponse.json(errorBody[this.name](status, message) as Record<string, unknown>, { status, headers });
  }

  /** The response that refuses this request (delay, missing auth, fault, missing id), or undefined. */
  async refuse(request: Request, id: string, authRequired: boolean): Promise<Response | undefined> {
    if (this.mock.delayMs) await delay(this.mock.delayMs);
    if (authRequired && !/^Bearer \S+/.test(request.headers.get("authorization") ?? "")) return this.error(401);
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
