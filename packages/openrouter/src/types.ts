import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };

type Schemas = components["schemas"];
/** The body of `GET /generation`: `{ data: OpenRouterGeneration }`. */
export type OpenRouterGenerationResponse = Schemas["GenerationResponse"];
/** One generation's stats. Live responses carry more fields than documented; they are kept. */
export type OpenRouterGeneration = OpenRouterGenerationResponse["data"];
/** One provider attempt of a generation (`data.provider_responses[]`). */
export type OpenRouterProviderResponse = Schemas["ProviderResponse"];
/** `{"error":{"code","message","metadata"}}`, the same envelope for every error status. */
export type OpenRouterErrorResponse = Schemas[
  | "UnauthorizedResponse"
  | "PaymentRequiredResponse"
  | "NotFoundResponse"
  | "TooManyRequestsResponse"
  | "InternalServerResponse"
  | "BadGatewayResponse"
  | "EdgeNetworkTimeoutResponse"
  | "ProviderOverloadedResponse"];
/** Query parameters of `GET /generation`. */
export type OpenRouterGenerationQuery = operations["getGeneration"]["parameters"]["query"];
