// @genledger/nanogpt/fetch: the full typed openapi-fetch client, apart from the main entry so that
// `import "@genledger/nanogpt"` (getGeneration) loads neither openapi-fetch nor this module.
import { fetchClientFor } from "@genledger/core/fetch-client";
import { nanoGPTGateway } from "./client.js";

/**
 * The full typed openapi-fetch client (`GET`, `POST`, `use`, ...) for every documented operation,
 * with the same options, auth, timeouts, retries and errors.
 */
export const createNanoGPTFetchClient = fetchClientFor(nanoGPTGateway);

export type NanoGPTFetchClient = ReturnType<typeof createNanoGPTFetchClient>;
