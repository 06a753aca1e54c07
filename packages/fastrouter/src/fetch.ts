// @genledger/fastrouter/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/fastrouter"` (getGeneration) loads neither openapi-fetch nor this module.
import { createGateway } from "@genledger/core";
import { createFetchClient } from "@genledger/core/fetch-client";
import { type FastRouterClientOptions, fastRouterGateway } from "./client.js";
import type { paths } from "./generated/openapi.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export function createFastRouterFetchClient(options: FastRouterClientOptions = {}) {
  return createFetchClient<paths>(createGateway(fastRouterGateway, options));
}

export type FastRouterFetchClient = ReturnType<typeof createFastRouterFetchClient>;
