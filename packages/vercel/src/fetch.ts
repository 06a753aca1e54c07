// @genledger/vercel/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/vercel"` (getGeneration) loads neither openapi-fetch nor this module.
import { createGateway } from "@genledger/core";
import { createFetchClient } from "@genledger/core/fetch-client";
import { type VercelClientOptions, vercelGateway } from "./client.js";
import type { paths } from "./generated/openapi.js";

/**
 * The full typed openapi-fetch client (`GET`, `use`, ...) for every documented operation, with the
 * same options, auth, timeouts, retries and errors.
 */
export function createVercelFetchClient(options: VercelClientOptions = {}) {
  return createFetchClient<paths>(createGateway(vercelGateway, options));
}

export type VercelFetchClient = ReturnType<typeof createVercelFetchClient>;
