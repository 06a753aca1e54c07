import { createGateway, type GatewayClientOptions, type GatewaySpec, paginate, requireId } from "@genledger/core";
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

export const oxenGateway: GatewaySpec = {
  provider: "oxen",
  displayName: "Oxen.ai",
  envPrefix: "OXEN",
  defaultBaseUrl: "https://hub.oxen.ai",
  // Public namespaces are readable anonymously; a key, when there is one, is sent.
  authRequired: false,
  // {"status":"error","status_message":"resource_not_found"}
  parseError(body) {
    const b = body as { status?: unknown; status_message?: unknown } | null;
    if (!b || typeof b !== "object" || typeof b.status_message !== "string") return undefined;
    return { message: b.status_message, code: b.status_message };
  },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const hasGenerationId = (body: unknown) =>
  isObject(body) && typeof body.generation_id === "string" ? undefined : "`generation_id` is not a string";

/** A typed Oxen.ai client: the full openapi-fetch client plus generation lookup and listing. */
export function createOxenClient(options: OxenClientOptions = {}) {
  const { client, call } = createGateway<paths>(oxenGateway, options);

  function listGenerations(query: OxenGenerationListQuery = {}, init: { signal?: AbortSignal } = {}) {
    return call<OxenGenerationList>(
      () => client.GET("/api/ai/generations", { params: { query }, parseAs: "text", signal: init.signal }),
      (body) => {
        if (!isObject(body) || !Array.isArray(body.generations)) return "no `generations` array";
        return typeof body.total_pages === "number" ? undefined : "`total_pages` is not a number";
      },
    );
  }

  return Object.assign(client, {
    /** One generation job: `{ status, status_message, generation }` exactly as the Hub sent it. */
    getGeneration(id: string, init: { signal?: AbortSignal } = {}): Promise<OxenGenerationResponse> {
      requireId(id);
      return call<OxenGenerationResponse>(
        () =>
          client.GET("/api/ai/generations/{generation_id}", {
            params: { path: { generation_id: id } },
            parseAs: "text",
            signal: init.signal,
          }),
        (body) => {
          if (!isObject(body) || !isObject(body.generation)) return "no `generation` object";
          return typeof body.generation.generation_id === "string"
            ? undefined
            : "`generation.generation_id` is not a string";
        },
      );
    },
    /** One page of generations (`page` is 1-indexed, `page_size` at most 1000). */
    listGenerations,
    /** Every row of every page from `query.page` on; the next page is fetched only when needed. */
    iterateGenerations(
      query: OxenGenerationListQuery = {},
      init: { signal?: AbortSignal } = {},
    ): AsyncGenerator<OxenGenerationRow, void, undefined> {
      return paginate(async (page) => {
        const list = await listGenerations({ ...query, page }, init);
        return { rows: list.generations, page: list.page_number, totalPages: list.total_pages };
      }, query.page ?? 1);
    },
    /** Enqueue an image or video generation job; the answer names the new generation ids. */
    enqueueGeneration(request: OxenQueueRequest, init: { signal?: AbortSignal } = {}): Promise<OxenQueueCreated> {
      return call<OxenQueueCreated>(
        () => client.POST("/api/ai/queue", { body: request, parseAs: "text", signal: init.signal }),
        (body) => (isObject(body) && Array.isArray(body.generations) ? undefined : "no `generations` array"),
      );
    },
    /** The render queue: active (queued or processing) jobs, or those with `query.status`. */
    listQueue(query: OxenQueueQuery = {}, init: { signal?: AbortSignal } = {}): Promise<OxenQueueList> {
      return call<OxenQueueList>(
        () => client.GET("/api/ai/queue", { params: { query }, parseAs: "text", signal: init.signal }),
        (body) => (isObject(body) && Array.isArray(body.generations) ? undefined : "no `generations` array"),
      );
    },
    /** One queued job's compact status (no cost: `getGeneration` has the full record). */
    getQueuedGeneration(id: string, init: { signal?: AbortSignal } = {}): Promise<OxenQueueItem> {
      requireId(id);
      return call<OxenQueueItem>(
        () =>
          client.GET("/api/ai/queue/{generation_id}", {
            params: { path: { generation_id: id } },
            parseAs: "text",
            signal: init.signal,
          }),
        hasGenerationId,
      );
    },
    /** Cancel a job; the Hub keeps the row, with status `cancelled`. */
    cancelGeneration(id: string, init: { signal?: AbortSignal } = {}): Promise<OxenQueueCancelled> {
      requireId(id);
      return call<OxenQueueCancelled>(
        () =>
          client.DELETE("/api/ai/queue/{generation_id}", {
            params: { path: { generation_id: id } },
            parseAs: "text",
            signal: init.signal,
          }),
        hasGenerationId,
      );
    },
  });
}

export type OxenClient = ReturnType<typeof createOxenClient>;
