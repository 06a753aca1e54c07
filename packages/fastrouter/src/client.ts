import { createGateway, type GatewayClientOptions, type GatewaySpec, requireId } from "@genledger/core";
import type { paths } from "./generated/openapi.js";
import type { FastRouterGeneration } from "./types.js";

export type FastRouterClientOptions = GatewayClientOptions;

export const fastRouterGateway: GatewaySpec = {
  provider: "fastrouter",
  displayName: "FastRouter",
  envPrefix: "FASTROUTER",
  defaultBaseUrl: "https://api.fastrouter.ai",
  authRequired: true,
  // {"error":{"message":"...","type":"...","code":"...","status":401}}
  parseError(body) {
    const error = (body as { error?: { message?: unknown; type?: unknown; code?: unknown } } | null)?.error;
    if (!error || typeof error !== "object") return undefined;
    const code = error.code ?? error.type;
    return {
      message: typeof error.message === "string" ? error.message : undefined,
      code: code === undefined || code === null ? undefined : String(code),
    };
  },
};

/** A typed FastRouter client: the full openapi-fetch client plus `getGeneration`. */
export function createFastRouterClient(options: FastRouterClientOptions = {}) {
  const { client, call } = createGateway<paths>(fastRouterGateway, options);
  return Object.assign(client, {
    /** One generation's details. FastRouter reads with `POST { generation_id }`; every field is optional. */
    getGeneration(id: string, init: { signal?: AbortSignal } = {}): Promise<FastRouterGeneration> {
      requireId(id);
      return call<FastRouterGeneration>(
        () => client.POST("/api/v1/generation", { body: { generation_id: id }, parseAs: "text", signal: init.signal }),
        (body) => (body && typeof body === "object" && !Array.isArray(body) ? undefined : "not a JSON object"),
      );
    },
  });
}

export type FastRouterClient = ReturnType<typeof createFastRouterClient>;
