// @genledger/zenmux/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/zenmux"` (getGeneration) loads neither openapi-fetch nor this module.
import { fetchClientFor } from "@genledger/core/fetch-client";
import { zenMuxGateway } from "./client.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export const createZenMuxFetchClient = fetchClientFor(zenMuxGateway);

export type ZenMuxFetchClient = ReturnType<typeof createZenMuxFetchClient>;
