// @genledger/openrouter/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/openrouter"` (getGeneration) loads neither openapi-fetch nor this module.
import { fetchClientFor } from "@genledger/core/fetch-client";
import { openRouterGateway } from "./client.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export const createOpenRouterFetchClient = fetchClientFor(openRouterGateway);

export type OpenRouterFetchClient = ReturnType<typeof createOpenRouterFetchClient>;
