// @genledger/cloudflare/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/cloudflare"` (getGeneration) loads neither openapi-fetch nor this module.
import { fetchClientFor } from "@genledger/core/fetch-client";
import { cloudflareGateway } from "./client.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export const createCloudflareFetchClient = fetchClientFor(cloudflareGateway);

export type CloudflareFetchClient = ReturnType<typeof createCloudflareFetchClient>;
