// @genledger/openrouter/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/openrouter"` (getGeneration) loads neither openapi-fetch nor this module.
import { createGateway } from "@genledger/core";
import { createFetchClient } from "@genledger/core/fetch-client";
import { type OpenRouterClientOptions, openRouterGateway } from "./client.js";
import type { paths } from "./generated/openapi.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export function createOpenRouterFetchClient(options: OpenRouterClientOptions = {}) {
  return createFetchClient<paths>(createGateway(openRouterGateway, options));
}

export type OpenRouterFetchClient = ReturnType<typeof createOpenRouterFetchClient>;
