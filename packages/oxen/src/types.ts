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
