import type { FieldPath, GatewayClientOptions } from "@genledger/core/internal";
import { createLookupClient, defineGateway, readErrorObject } from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";
import type { LiteLLMSpendLog } from "./types.js";

export type LiteLLMClientOptions = GatewayClientOptions;

/** `[]` (or `[null]`, an older code path's): the row is not written yet. */
const noRow = /^\s*\[\s*(?:null\s*)?\]\s*$/;

/** LiteLLM's proxy, defined once: the client, the fetch client and the mock read it. */
export const liteLLMGateway = defineGateway<paths>()({
  provider: "litellm",
  displayName: "LiteLLM",
  envPrefix: "LITELLM",
  // A virtual key, or the proxy's master key where that is what the caller holds.
  apiKeyEnv: ["LITELLM_API_KEY", "LITELLM_MASTER_KEY"],
  // Self-hosted: no default server; LITELLM_BASE_URL or `baseUrl` must say where the proxy is.
  // {"error":{"message","type","param","code"}}; `code` echoes the status.
  parseError: (body) => readErrorObject(body, "type"),
  lookup: {
    method: "get",
    path: "/spend/logs",
    request: (id) => ({ query: { request_id: id } }),
    rows: true,
    idAt: "request_id" satisfies FieldPath<LiteLLMSpendLog>,
    notFound: ({ status, text }) =>
      status === 200 && noRow.test(text)
        ? "no spend log row for this id yet: the proxy writes them in batches, every 10 s by default (60 s recommended)"
        : undefined,
  },
});

/** A LiteLLM proxy client: `getGeneration` (the call's spend log row). Throws InvalidArgumentError for a bad option. */
export const createLiteLLMClient = (options: LiteLLMClientOptions = {}) => createLookupClient(liteLLMGateway, options);

export type LiteLLMClient = ReturnType<typeof createLiteLLMClient>;
