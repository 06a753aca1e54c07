// @genledger/vercel/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/vercel"` (getGeneration) loads neither openapi-fetch nor this module.
import { fetchClientFor } from "@genledger/core/fetch-client";
import { vercelGateway } from "./client.js";

/**
 * The full typed openapi-fetch client (`GET`, `use`, ...) for every documented operation, with the
 * same options, auth, timeouts, retries and errors.
 */
export const createVercelFetchClient = fetchClientFor(vercelGateway);

export type VercelFetchClient = ReturnType<typeof createVercelFetchClient>;
