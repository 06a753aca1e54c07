// @genledger/helicone/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/helicone"` (getGeneration) loads neither openapi-fetch nor this module.
import { fetchClientFor } from "@genledger/core/fetch-client";
import { heliconeGateway } from "./client.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export const createHeliconeFetchClient = fetchClientFor(heliconeGateway);

export type HeliconeFetchClient = ReturnType<typeof createHeliconeFetchClient>;
