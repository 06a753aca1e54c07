import {
  createLookupClient,
  defineGateway,
  type GatewayClientOptions,
  readErrorObject,
} from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";

export type OpenRouterClientOptions = GatewayClientOptions;

/** OpenRouter, defined once: the client, the fetch client and the mock read it. */
export const openRouterGateway = defineGateway<paths>()({
  provider: "openrouter",
  displayName: "OpenRouter",
  envPrefix: "OPENROUTER",
  defaultBaseUrl: "https://openrouter.ai/api/v1",
  // {"error":{"code":404,"message":"..."}}
  parseError: readErrorObject,
  // Stats for one generation: `{ data: {...} }`.
  lookup: { method: "get", path: "/generation", request: (id) => ({ query: { id } }), idAt: "data.id" },
});

/** An OpenRouter client: `getGeneration`. Throws InvalidArgumentError for a bad option. */
export const createOpenRouterClient = (options: OpenRouterClientOptions = {}) =>
  createLookupClient(openRouterGateway, options);

export type OpenRouterClient = ReturnType<typeof createOpenRouterClient>;
