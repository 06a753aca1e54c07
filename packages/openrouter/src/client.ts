import {
  type CallOptions,
  createGateway,
  type GatewayClientOptions,
  type GatewaySpec,
  readErrorObject,
  requireId,
} from "@genledger/core";
import type { OpenRouterGenerationResponse } from "./types.js";

export type OpenRouterClientOptions = GatewayClientOptions;

export const openRouterGateway: GatewaySpec = {
  provider: "openrouter",
  displayName: "OpenRouter",
  envPrefix: "OPENROUTER",
  defaultBaseUrl: "https://openrouter.ai/api/v1",
  authRequired: true,
  // {"error":{"code":404,"message":"..."}}
  parseError: (body) => readErrorObject(body),
};

/** An OpenRouter client: `getGeneration`. Throws InvalidArgumentError for a bad option. */
export function createOpenRouterClient(options: OpenRouterClientOptions = {}) {
  const gateway = createGateway(openRouterGateway, options);
  return {
    /** The pace and the 429s met of this client's rate limiter. */
    rateLimit: gateway.rateLimit,
    /** Stats for one generation: `{ data: {...} }` exactly as OpenRouter sent it. */
    async getGeneration(id: string, init: CallOptions = {}): Promise<OpenRouterGenerationResponse> {
      requireId(id);
      return gateway.request<OpenRouterGenerationResponse>(
        { method: "GET", path: "/generation", query: { id }, signal: init?.signal, deadline: init?.deadline },
        (body) => {
          const data = (body as { data?: { id?: unknown } } | null)?.data;
          if (!data || typeof data !== "object") return "no `data` object";
          if (typeof data.id !== "string") return "a `data.id` that is not a string";
          return data.id === id
            ? undefined
            : `generation ${JSON.stringify(data.id)} when ${JSON.stringify(id)} was asked`;
        },
      );
    },
  };
}

export type OpenRouterClient = ReturnType<typeof createOpenRouterClient>;
