import { createGateway, type GatewayClientOptions, type GatewaySpec, requireId } from "@genledger/core";
import type { paths } from "./generated/openapi.js";
import type { OpenRouterGenerationResponse } from "./types.js";

export type OpenRouterClientOptions = GatewayClientOptions;

export const openRouterGateway: GatewaySpec = {
  provider: "openrouter",
  displayName: "OpenRouter",
  envPrefix: "OPENROUTER",
  defaultBaseUrl: "https://openrouter.ai/api/v1",
  authRequired: true,
  // {"error":{"code":404,"message":"..."}}
  parseError(body) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (!error || typeof error !== "object") return undefined;
    return {
      message: typeof error.message === "string" ? error.message : undefined,
      code: error.code === undefined || error.code === null ? undefined : String(error.code),
    };
  },
};

/** A typed OpenRouter client: the full openapi-fetch client plus `getGeneration`. */
export function createOpenRouterClient(options: OpenRouterClientOptions = {}) {
  const { client, call } = createGateway<paths>(openRouterGateway, options);
  return Object.assign(client, {
    /** Stats for one generation: `{ data: {...} }` exactly as OpenRouter sent it. */
    getGeneration(id: string, init: { signal?: AbortSignal } = {}): Promise<OpenRouterGenerationResponse> {
      requireId(id);
      return call<OpenRouterGenerationResponse>(
        () => client.GET("/generation", { params: { query: { id } }, parseAs: "text", signal: init.signal }),
        (body) => {
          const data = (body as { data?: { id?: unknown } } | null)?.data;
          if (!data || typeof data !== "object") return "no `data` object";
          return typeof data.id === "string" ? undefined : "`data.id` is not a string";
        },
      );
    },
  });
}

export type OpenRouterClient = ReturnType<typeof createOpenRouterClient>;
