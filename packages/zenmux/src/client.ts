import { createLookupClient, defineGateway, type GatewayClientOptions, readErrorObject } from "@genledger/core";
import type { paths } from "./generated/openapi.js";

export type ZenMuxClientOptions = GatewayClientOptions;

/** ZenMux, defined once: the client, the fetch client and the mock read it. */
export const zenMuxGateway = defineGateway<paths>()({
  provider: "zenmux",
  displayName: "ZenMux",
  envPrefix: "ZENMUX",
  defaultBaseUrl: "https://zenmux.ai/api/v1",
  // {"error":{"code":"429","type":"rate_limit_exceeded","message":"..."}}
  parseError: (body) => readErrorObject(body, "type"),
  // One generation's details, flat and camelCase; older docs spell the id generation_id.
  lookup: {
    method: "get",
    path: "/management/generation",
    request: (id) => ({ query: { id } }),
    idAt: "generationId",
    legacyIdAt: "generation_id",
  },
});

/** A ZenMux client: `getGeneration`. Throws InvalidArgumentError for a bad option. */
export const createZenMuxClient = (options: ZenMuxClientOptions = {}) => createLookupClient(zenMuxGateway, options);

export type ZenMuxClient = ReturnType<typeof createZenMuxClient>;
