import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };

type Operation = operations["getGenerationDetails"];
/** The body of `POST /api/v1/generation`. Every field is optional; unknown fields are kept. */
export type FastRouterGeneration = Operation["responses"][200]["content"]["application/json"];
export type FastRouterUsage = NonNullable<FastRouterGeneration["usage"]>;
export type FastRouterTiming = NonNullable<FastRouterGeneration["timing"]>;
/** `{ generation_id }` */
export type FastRouterGenerationRequest = NonNullable<Operation["requestBody"]>["content"]["application/json"];
/** `{"error":{"message","type","code","status"}}` */
export type FastRouterErrorResponse = components["schemas"]["ErrorResponse"];
