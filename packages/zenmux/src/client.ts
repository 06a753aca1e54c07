import {
  type CallOptions,
  createGateway,
  type GatewayClientOptions,
  type GatewaySpec,
  readErrorObject,
  requireId,
} from "@genledger/core";
import type { ZenMuxGeneration } from "./types.js";

export type ZenMuxClientOptions = GatewayClientOptions;

export const zenMuxGateway: GatewaySpec = {
  provider: "zenmux",
  displayName: "ZenMux",
  envPrefix: "ZENMUX",
  defaultBaseUrl: "https://zenmux.ai/api/v1",
  authRequired: true,
  // {"error":{"code":"429","type":"rate_limit_exceeded","message":"..."}}
  parseError: (body) => readErrorObject(body, "type"),
};

/** A ZenMux client: `getGeneration`. Throws InvalidArgumentError for a bad option. */
export function createZenMuxClient(options: ZenMuxClientOptions = {}) {
  const gateway = createGateway(zenMuxGateway, options);
  return {
    /** The pace and the 429s met of this client's rate limiter. */
    rateLimit: gateway.rateLimit,
    /** One generation's details, flat and camelCase, exactly as ZenMux sent them. */
    async getGeneration(id: string, init: CallOptions = {}): Promise<ZenMuxGeneration> {
      requireId(id);
      return gateway.request<ZenMuxGeneration>(
        {
          method: "GET",
          path: "/management/generation",
          query: { id },
          signal: init?.signal,
          deadline: init?.deadline,
        },
        (body) => {
          if (!body || typeof body !== "object" || Array.isArray(body)) return "a body that is not a JSON object";
          // Older docs spell it generation_id.
          const b = body as { generationId?: unknown; generation_id?: unknown };
          const got = b.generationId ?? b.generation_id;
          if (typeof got !== "string") return "a `generationId` that is not a string";
          return got === id ? undefined : `generation ${JSON.stringify(got)} when ${JSON.stringify(id)} was asked`;
        },
      );
    },
  };
}

export type ZenMuxClient = ReturnType<typeof createZenMuxClient>;
