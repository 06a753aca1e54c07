// @genledger/zenmux/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/zenmux"` (getGeneration) loads neither openapi-fetch nor this module.
import { createGateway } from "@genledger/core";
import { createFetchClient } from "@genledger/core/fetch-client";
import { type ZenMuxClientOptions, zenMuxGateway } from "./client.js";
import type { paths } from "./generated/openapi.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export function createZenMuxFetchClient(options: ZenMuxClientOptions = {}) {
  return createFetchClient<paths>(createGateway(zenMuxGateway, options));
}

export type ZenMuxFetchClient = ReturnType<typeof createZenMuxFetchClient>;
