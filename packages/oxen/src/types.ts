import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** The body of `GET /api/ai/generations/{generation_id}`: `{ status, status_message, generation }`. */
export type OxenGenerationResponse = components["schemas"]["GenerationsShowResponse"];
/** One generation job; request params (prompt, duration, ...) are merged in as extra fields. */
export type OxenGeneration = OxenGenerationResponse["generation"];
/** The body of `GET /api/ai/generations`: one page, with `total_cost` over the whole filter set. */
export type OxenGenerationList = components["schemas"]["GenerationsListResponse"];
/** One row of a list page. */
export type OxenGenerationRow = OxenGenerationList["generations"][number];
export type OxenGenerationStatus = OxenGeneration["status"];
/** Filters and paging of `GET /api/ai/generations`. */
export type OxenGenerationListQuery = NonNullable<
  operations["OxenApiWeb.Controllers.GenerationsController.index"]["parameters"]["query"]
>;
/** `{"status":"error","status_message":"..."}` */
export type OxenErrorResponse = components["schemas"]["ErrorResponse"];

/** The body of `POST /api/ai/queue`: `{ model, prompt, ... }` (an image or video job). */
export type OxenQueueRequest = NonNullable<
  operations["OxenApiWeb.Controllers.QueueController.create"]["requestBody"]
>["content"]["application/json"];
/** The answer to an enqueue: `{ generations: [{ generation_id, status: "queued" }] }`. */
export type OxenQueueCreated = components["schemas"]["QueueCreateResponse"];
/** Filters of `GET /api/ai/queue` (active rows by default; `status` includes terminal ones). */
export type OxenQueueQuery = NonNullable<
  operations["OxenApiWeb.Controllers.QueueController.index"]["parameters"]["query"]
>;
/** The body of `GET /api/ai/queue`: `{ count, generations }`, the compact rows of the render queue. */
export type OxenQueueList = components["schemas"]["QueueListResponse"];
/** The body of `GET /api/ai/queue/{generation_id}`: one job's compact status (no cost; see getGeneration). */
export type OxenQueueItem = components["schemas"]["QueueGenerationResponse"];
/** The body of `DELETE /api/ai/queue/{generation_id}`: `{ status: "success", generation_id }`. */
export type OxenQueueCancelled = components["schemas"]["QueueDeleteResponse"];
