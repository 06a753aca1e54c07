import {
  type CallOptions,
  createGateway,
  type GatewayClientOptions,
  type GatewaySpec,
  readErrorObject,
  requireId,
} from "@genledger/core";
import type { FastRouterGeneration } from "./types.js";

export type FastRouterClientOptions = GatewayClientOptions;

export const fastRouterGateway: GatewaySpec = {
  provider: "fastrouter",
  displayName: "FastRouter",
  envPrefix: "FASTROUTER",
  defaultBaseUrl: "https://api.fastrouter.ai",
  authRequired: true,
  // {"error":{"message":"...","type":"...","code":"...","status":401}}
  parseError: (body) => readErrorObject(body),
};

// Top-level fields FastRouter documents for a generation (typed: a rename in the spec fails the build).
const documentedFields: readonly (keyof FastRouterGeneration)[] = [
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

/** A FastRouter client: `getGeneration`. Throws InvalidArgumentError for a bad option. */
export function createFastRouterClient(options: FastRouterClientOptions = {}) {
  const gateway = createGateway(fastRouterGateway, options);
  return {
    /** The pace and the 429s met of this client's rate limiter. */
    rateLimit: gateway.rateLimit,
    /** One generation's details. FastRouter reads with `POST { generation_id }`; every field is optional. */
    async getGeneration(id: string, init: CallOptions = {}): Promise<FastRouterGeneration> {
      requireId(id);
      return gateway.request<FastRouterGeneration>(
        // A read sent as POST: safe to retry.
        {
          method: "POST",
          path: "/api/v1/generation",
          body: { generation_id: id },
          idempotent: true,
          signal: init?.signal,
          deadline: init?.deadline,
        },
        (body) => {
          if (!body || typeof body !== "object" || Array.isArray(body)) return "a body that is not a JSON object";
          // Every field is optional, but a body with none of the documented ones is not a generation.
          if (!documentedFields.some((field) => Object.hasOwn(body, field))) {
            return "a body with none of FastRouter's generation fields";
          }
          // `id` too is optional; when it is there, it must be the one asked.
          const got = (body as { id?: unknown }).id;
          if (got === undefined || got === id) return undefined;
          return `generation ${JSON.stringify(got)} when ${JSON.stringify(id)} was asked`;
        },
      );
    },
  };
}

export type FastRouterClient = ReturnType<typeof createFastRouterClient>;
