// @genledger/oxen/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/oxen"` (getGeneration) loads neither openapi-fetch nor this module.
import { fetchClientFor } from "@genledger/core/fetch-client";
import { oxenGateway } from "./client.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export const createOxenFetchClient = fetchClientFor(oxenGateway);

export type OxenFetchClient = ReturnType<typeof createOxenFetchClient>;
