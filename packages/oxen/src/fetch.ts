// @genledger/oxen/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/oxen"` (getGeneration) loads neither openapi-fetch nor this module.
import { createGateway } from "@genledger/core";
import { createFetchClient } from "@genledger/core/fetch-client";
import { type OxenClientOptions, oxenGateway } from "./client.js";
import type { paths } from "./generated/openapi.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export function createOxenFetchClient(options: OxenClientOptions = {}) {
  return createFetchClient<paths>(createGateway(oxenGateway, options));
}

export type OxenFetchClient = ReturnType<typeof createOxenFetchClient>;
