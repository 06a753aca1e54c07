import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** The body of `GET /generation`: `{ data: OpenRouterGeneration }`. */
export type OpenRouterGenerationResponse = components["schemas"]["getAGeneration_Response_200"];
/** One generation's stats. Live responses carry more fields than documented; they are kept. */
export type OpenRouterGeneration = components["schemas"]["GenerationGetResponsesContentApplicationJsonSchemaData"];
/** `{"error":{"code","message"}}` */
export type OpenRouterErrorResponse = components["schemas"]["ErrorResponse"];
/** Query parameters of `GET /generation`. */
export type OpenRouterGenerationQuery = operations["get-a-generation"]["parameters"]["query"];
