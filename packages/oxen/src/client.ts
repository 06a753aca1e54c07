import {
  asObject,
  type CallOptions,
  checkLookupAnswer,
  createGateway,
  defineGateway,
  type GatewayClientOptions,
  lookupWith,
  paginate,
  pathSegment,
  ResponseParseError,
  requireId,
} from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";
import type {
  OxenGenerationList,
  OxenGenerationListQuery,
  OxenGenerationResponse,
  OxenGenerationRow,
  OxenQueueCancelled,
  OxenQueueCreated,
  OxenQueueItem,
  OxenQueueList,
  OxenQueueQuery,
  OxenQueueRequest,
} from "./types.js";

export type OxenClientOptions = GatewayClientOptions;

/** Oxen.ai, defined once: the client, the fetch client and the mock read it. */
export const oxenGateway = defineGateway<paths>()({
  provider: "oxen",
  displayName: "Oxen.ai",
  envPrefix: "OXEN",
  defaultBaseUrl: "https://hub.oxen.ai",
  // Public namespaces are readable anonymously; a key, when there is one, is sent.
  authRequired: false,
  // {"status":"error","status_message":"resource_not_found"}
  parseError(body) {
    const b = body as { status?: unknown; status_message?: unknown } | null;
    // A success body has a status_message too ("resource_found").
    if (!b || typeof b !== "object" || typeof b.status_message !== "string" || b.status === "success") {
      return undefined;
    }
    return { message: b.status_message, code: b.status_message };
  },
  // One generation job: `{ status, status_message, generation }`.
  lookup: {
    method: "get",
    path: "/api/ai/generations/{generation_id}",
    request: (id) => ({ path: { generation_id: id } }),
    idAt: "generation.generation_id",
  },
});

/** The job answered is the one asked. */
const hasGenerationId = (id: string) => (body: unknown) => checkLookupAnswer({ idAt: "generation_id" }, id, body);

/**
 * An Oxen.ai client: generation lookup and listing (the render queue: `createOxenQueueClient`).
 * Throws InvalidArgumentError for a bad option.
 */
export function createOxenClient(options: OxenClientOptions = {}) {
  const gateway = createGateway(oxenGateway, options);

  async function listGenerations(
    query: OxenGenerationListQuery = {},
    init: CallOptions = {},
  ): Promise<OxenGenerationList> {
    return gateway.request<OxenGenerationList>(
      { method: "GET", path: "/api/ai/generations", query, signal: init?.signal, deadline: init?.deadline },
      (body) => {
        const list = asObject(body);
        if (!Array.isArray(list?.generations)) return "no `generations` array";
        return typeof list.total_pages === "number" ? undefined : "a `total_pages` that is not a number";
      },
    );
  }

  return {
    /** The pace and the 429s met of this client's rate limiter. */
    rateLimit: gateway.rateLimit,
    /** One generation job: `{ status, status_message, generation }` exactly as the Hub sent it. */
    getGeneration: lookupWith<OxenGenerationResponse>(gateway, oxenGateway.lookup),
    /** One page of generations (`page` is 1-indexed, `page_size` at most 1000). */
    listGenerations,
    /** Every row of every page from `query.page` on; the next page is fetched only when needed. */
    iterateGenerations(
      query: OxenGenerationListQuery = {},
      init: CallOptions = {},
    ): AsyncGenerator<OxenGenerationRow, void, undefined> {
      return paginate(async (page) => {
        const list = await listGenerations({ ...query, page }, init);
        // A Hub answering another page than the one asked would repeat rows, or page forever.
        if (list.page_number !== undefined && list.page_number !== page) {
          throw new ResponseParseError(
            "oxen",
            `Oxen.ai answered page ${JSON.stringify(list.page_number)} when page ${page} was asked`,
            { status: 200 },
          );
        }
        return { rows: list.generations, page, totalPages: list.total_pages };
      }, query.page ?? 1);
    },
  };
}

export type OxenClient = ReturnType<typeof createOxenClient>;

/**
 * An Oxen.ai render queue client: enqueue, list, get and cancel jobs; same options as `createOxenClient`.
 * A factory of its own, so a program that only looks generations up (the ledger) does not carry it.
 */
export function createOxenQueueClient(options: OxenClientOptions = {}) {
  const gateway = createGateway(oxenGateway, options);
  return {
    /** The pace and the 429s met of this client's rate limiter. */
    rateLimit: gateway.rateLimit,
    /** Enqueue an image or video generation job; the answer names the new generation ids. */
    async enqueueGeneration(request: OxenQueueRequest, init: CallOptions = {}): Promise<OxenQueueCreated> {
      return gateway.request<OxenQueueCreated>(
        { method: "POST", path: "/api/ai/queue", body: request, signal: init?.signal, deadline: init?.deadline },
        (body) => (Array.isArray(asObject(body)?.generations) ? undefined : "no `generations` array"),
      );
    },
    /** The render queue: active (queued or processing) jobs, or those with `query.status`. */
    async listQueue(query: OxenQueueQuery = {}, init: CallOptions = {}): Promise<OxenQueueList> {
      return gateway.request<OxenQueueList>(
        { method: "GET", path: "/api/ai/queue", query, signal: init?.signal, deadline: init?.deadline },
        (body) => (Array.isArray(asObject(body)?.generations) ? undefined : "no `generations` array"),
      );
    },
    /** One queued job's compact status (no cost: `getGeneration` has the full record). */
    async getQueuedGeneration(id: string, init: CallOptions = {}): Promise<OxenQueueItem> {
      requireId(id);
      return gateway.request<OxenQueueItem>(
        {
          method: "GET",
          path: `/api/ai/queue/${pathSegment(id, "generation_id")}`,
          signal: init?.signal,
          deadline: init?.deadline,
        },
        hasGenerationId(id),
      );
    },
    /** Cancel a job; the Hub keeps the row, with status `cancelled`. */
    async cancelGeneration(id: string, init: CallOptions = {}): Promise<OxenQueueCancelled> {
      requireId(id);
      return gateway.request<OxenQueueCancelled>(
        {
          method: "DELETE",
          path: `/api/ai/queue/${pathSegment(id, "generation_id")}`,
          signal: init?.signal,
          deadline: init?.deadline,
        },
        hasGenerationId(id),
      );
    },
  };
}

export type OxenQueueClient = ReturnType<typeof createOxenQueueClient>;
