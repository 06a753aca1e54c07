import { createGateway, type GatewayClientOptions, type GatewaySpec, requireId } from "@genledger/core";
import type { paths } from "./generated/openapi.js";
import type { VercelGeneration } from "./types.js";

export type VercelClientOptions = GatewayClientOptions;

export const vercelGateway: GatewaySpec = {
  provider: "vercel",
  displayName: "Vercel AI Gateway",
  envPrefix: "AI_GATEWAY",
  defaultBaseUrl: "https://ai-gateway.vercel.sh/v1",
  authRequired: true,
  // TODO(gateway:new): read Vercel AI Gateway's own error envelope. This reads {"error":{"code","message"}}.
  parseError(body) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (!error || typeof error !== "object") return undefined;
    return {
      message: typeof error.message === "string" ? error.message : undefined,
      code: error.code === undefined || error.code === null ? undefined : String(error.code),
    };
  },
};

/** A typed Vercel AI Gateway client: the full openapi-fetch client plus `getGeneration`. */
export function createVercelClient(options: VercelClientOptions = {}) {
  const { client, call } = createGateway<paths>(vercelGateway, options);
  return Object.assign(client, {
    /** One generation, exactly as Vercel AI Gateway sent it. */
    getGeneration(id: string, init: { signal?: AbortSignal } = {}): Promise<VercelGeneration> {
      requireId(id);
      return call<VercelGeneration>(
        () => client.GET("/generation", { params: { query: { id } }, parseAs: "text", signal: init.signal }),
        (body) => {
          if (!body || typeof body !== "object" || Array.isArray(body)) return "not a JSON object";
          return typeof (body as { id?: unknown }).id === "string" ? undefined : "`id` is not a string";
        },
      );
    },
  });
}

export type VercelClient = ReturnType<typeof createVercelClient>;
