import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** The body of `GET /generation`: flat camelCase, `nativeTokens` keys in snake_case, `createAt` (sic). */
export type ZenMuxGeneration = components["schemas"]["Generation"];
export type ZenMuxNativeTokens = components["schemas"]["NativeTokens"];
/** Billing details; absent for 3-5 minutes after the request and never for subscription keys. */
export type ZenMuxRatingResponses = components["schemas"]["RatingResponses"];
export type ZenMuxRatingDetail = components["schemas"]["RatingDetail"];
/** `{"error":{"code":"429","type","message"}}` */
export type ZenMuxErrorResponse = components["schemas"]["ErrorResponse"];
export type ZenMuxGenerationQuery = operations["getGeneration"]["parameters"]["query"];
