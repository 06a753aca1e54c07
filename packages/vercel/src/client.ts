import {
  type CallOptions,
  createGateway,
  type GatewayClientOptions,
  type GatewaySpec,
  readErrorObject,
  requireId,
} from "@genledger/core";
import type { VercelGenerationResponse } from "./types.js";

export type VercelClientOptions = GatewayClientOptions;

export const vercelGateway: GatewaySpec = {
  provider: "vercel",
  displayName: "Vercel AI Gateway",
  envPrefix: "AI_GATEWAY",
  // A Vercel OIDC token works as the key too (the official client falls back to it the same way).
  apiKeyEnv: ["AI_GATEWAY_API_KEY", "VERCEL_OIDC_TOKEN"],
  defaultBaseUrl: "https://ai-gateway.vercel.sh/v1",
  authRequired: true,
  // {"error":{"message","type","param","code"},"generationId"}
  parseError: (body) => readErrorObject(body, "type"),
};

/** A Vercel AI Gateway client: `getGeneration`. Throws InvalidArgumentError for a bad option. */
export function createVercelClient(options: VercelClientOptions = {}) {
  const gateway = createGateway(vercelGateway, options);
  return {
    /** The pace and the 429s met of this client's rate limiter. */
    rateLimit: gateway.rateLimit,
    /** One generation's cost, usage and timing: `{ data: {...} }` exactly as the gateway sent it. */
    async getGeneration(id: string, init: CallOptions = {}): Promise<VercelGenerationResponse> {
      requireId(id);
      return gateway.request<VercelGenerationResponse>(
        { method: "GET", path: "/generation", query: { id }, signal: init?.signal, deadline: init?.deadline },
        (body) => {
          const data = (body as { data?: { id?: unknown } } | null)?.data;
          if (!data || typeof data !== "object" || Array.isArray(data)) return "a body without a `data` object";
          if (typeof data.id !== "string") return "a `data.id` that is not a string";
          return data.id === id
            ? undefined
            : `generation ${JSON.stringify(data.id)} when ${JSON.stringify(id)} was asked`;
        },
      );
    },
  };
}

export type VercelClient = ReturnType<typeof createVercelClient>;
