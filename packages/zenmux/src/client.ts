import type { FieldPath, GatewayClientOptions } from "@genledger/core/internal";
import { checkLookupAnswer, createLookupClient, defineGateway, readErrorObject } from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";
import type { ZenMuxGeneration } from "./types.js";

export type ZenMuxClientOptions = GatewayClientOptions;

/** ZenMux, defined once: the client, the fetch client and the mock read it. */
export const zenMuxGateway = defineGateway<paths>()({
  provider: "zenmux",
  displayName: "ZenMux",
  envPrefix: "ZENMUX",
  defaultBaseUrl: "https://zenmux.ai/api/v1",
  // {"error":{"code":"429","type":"rate_limit_exceeded","message":"..."}}
  parseError: (body) => readErrorObject(body, "type"),
  // One generation's details, flat and camelCase. The id is `generationId`, or `generation_id` in the
  // spelling of older docs (not in the spec), read when `generationId` is missing.
  lookup: {
    method: "get",
    path: "/management/generation",
    request: (id) => ({ query: { id } }),
    check: (body, id) =>
      checkLookupAnswer(
        { idAt: "generationId" satisfies FieldPath<ZenMuxGeneration> },
        id,
        body.generationId === undefined && body.generation_id !== undefined
          ? { generationId: body.generation_id }
          : body,
      ),
  },
});

/** A ZenMux client: `getGeneration`. Throws InvalidArgumentError for a bad option. */
export const createZenMuxClient = (options: ZenMuxClientOptions = {}) => createLookupClient(zenMuxGateway, options);

export type ZenMuxClient = ReturnType<typeof createZenMuxClient>;
