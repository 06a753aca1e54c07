import type { FieldPath, GatewayClientOptions } from "@genledger/core/internal";
import { checkLookupAnswer, createLookupClient, defineGateway, readErrorObject } from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";
import type { FastRouterGeneration } from "./types.js";

export type FastRouterClientOptions = GatewayClientOptions;

// Top-level fields FastRouter documents for a generation (typed: a rename in the spec fails the build).
const documentedFields: readonly FieldPath<FastRouterGeneration, 0>[] = [
  "id",
  "model",
  "provider_name",
  "credits_used",
  "query_time",
  "created_at",
  "usage",
  "request",
  "response",
  "input_token_size",
  "output_token_size",
  "is_byok",
  "endpoint",
];

/** FastRouter, defined once: the client, the fetch client and the mock read it. */
export const fastRouterGateway = defineGateway<paths>()({
  provider: "fastrouter",
  displayName: "FastRouter",
  envPrefix: "FASTROUTER",
  defaultBaseUrl: "https://api.fastrouter.ai",
  // {"error":{"message":"...","type":"...","code":"...","status":401}}
  parseError: readErrorObject,
  lookup: {
    method: "post",
    path: "/api/v1/generation",
    request: (id) => ({ body: { generation_id: id } }),
    // A read sent as POST: safe to retry.
    idempotent: true,
    // A body with none of the documented fields is not a generation. Every field is optional, `id`
    // too; when it is there, it must be the one asked.
    check: (body, id) =>
      documentedFields.some((field) => field in body)
        ? body.id === undefined
          ? undefined
          : checkLookupAnswer({ idAt: "id" satisfies FieldPath<FastRouterGeneration> }, id, body)
        : "a body with none of FastRouter's generation fields",
  },
});

/** A FastRouter client: `getGeneration` (FastRouter reads with `POST { generation_id }`). */
export const createFastRouterClient = (options: FastRouterClientOptions = {}) =>
  createLookupClient(fastRouterGateway, options);

export type FastRouterClient = ReturnType<typeof createFastRouterClient>;
