import { createGateway, type GatewayClientOptions, type GatewaySpec, requireId } from "@genledger/core";
import type { paths } from "./generated/openapi.js";
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
  parseError(body) {
    const error = (body as { error?: { message?: unknown; type?: unknown; code?: unknown } } | null)?.error;
    if (!error || typeof error !== "object") return undefined;
    const type = typeof error.type === "string" ? error.type : undefined;
    return {
      message: typeof error.message === "string" ? error.message : type,
      code: type ?? (error.code === undefined || error.code === null ? undefined : String(error.code)),
    };
  },
};

/** A typed Vercel AI Gateway client: the full openapi-fetch client plus `getGeneration`. */
export function createVercelClient(options: VercelClientOptions = {}) {
  const { client, call } = createGateway<paths>(vercelGateway, options);
  return Object.assign(client, {
    /** One generation's cost, usage and timing: `{ data: {...} }` exactly as the gateway sent it. */
    getGeneration(id: string, init: { signal?: AbortSignal } = {}): Promise<VercelGenerationResponse> {
      requireId(id);
      return call<VercelGenerationResponse>(
        () => client.GET("/generation", { params: { query: { id } }, parseAs: "text", signal: init.signal }),
        (body) => {
          const data = (body as { data?: { id?: unknown } } | null)?.data;
          if (!data || typeof data !== "object" || Array.isArray(data)) return "no `data` object";
          return typeof data.id === "string" ? undefined : "`data.id` is not a string";
        },
      );
    },
  });
}

export type VercelClient = ReturnType<typeof createVercelClient>;
