import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** The body of `GET /generation`: `{ data: VercelGeneration }`. */
export type VercelGenerationResponse = components["schemas"]["GenerationResponse"];
/** One generation: USD amounts (numbers), native token counts, timing. Unknown fields are kept. */
export type VercelGeneration = components["schemas"]["Generation"];
/** `{"error":{"message","type","param","code"},"generationId"}` */
export type VercelErrorResponse = components["schemas"]["ErrorResponse"];
/** Query parameters of `GET /generation`. */
export type VercelGenerationQuery = operations["getGeneration"]["parameters"]["query"];
