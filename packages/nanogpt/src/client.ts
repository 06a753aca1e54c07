import type { FieldPath, GatewayClientOptions } from "@genledger/core/internal";
import { createLookupClient, defineGateway, readErrorObject } from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";
import type { NanoGPTRequestBilling } from "./types.js";

export type NanoGPTClientOptions = GatewayClientOptions;

/** NanoGPT, defined once: the client, the fetch client and the mock read it. */
export const nanoGPTGateway = defineGateway<paths>()({
  provider: "nanogpt",
  displayName: "NanoGPT",
  envPrefix: "NANOGPT",
  defaultBaseUrl: "https://api.nano-gpt.com/api/v1",
  // {"error":{"message","type","code"}}, or {"error":"Insufficient balance","status":402}.
  parseError: (body) => {
    const error = (body as { error?: unknown } | null)?.error;
    return typeof error === "string" ? { message: error } : readErrorObject(body, "type");
  },
  // The charge of one request by its X-Request-ID, for 24 hours, with the key that made the call.
  lookup: {
    method: "get",
    path: "/usage/requests/{request_id}",
    request: (id) => ({ path: { request_id: id } }),
    idAt: "request_id" satisfies FieldPath<NanoGPTRequestBilling>,
  },
});

/** A NanoGPT client: `getGeneration` (the request's billing record). Throws InvalidArgumentError for a bad option. */
export const createNanoGPTClient = (options: NanoGPTClientOptions = {}) => createLookupClient(nanoGPTGateway, options);

export type NanoGPTClient = ReturnType<typeof createNanoGPTClient>;
