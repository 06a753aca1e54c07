import { createGateway, type GatewayClientOptions, type GatewaySpec, requireId } from "@genledger/core";
import type { paths } from "./generated/openapi.js";
import type { ZenMuxGeneration } from "./types.js";

export type ZenMuxClientOptions = GatewayClientOptions;

export const zenMuxGateway: GatewaySpec = {
  provider: "zenmux",
  displayName: "ZenMux",
  envPrefix: "ZENMUX",
  defaultBaseUrl: "https://zenmux.ai/api/v1",
  authRequired: true,
  // {"error":{"code":"429","type":"rate_limit_exceeded","message":"..."}}
  parseError(body) {
    const error = (body as { error?: { code?: unknown; type?: unknown; message?: unknown } } | null)?.error;
    if (!error || typeof error !== "object") return undefined;
    const type = typeof error.type === "string" ? error.type : undefined;
    return {
      message: typeof error.message === "string" ? error.message : type,
      code: type ?? (error.code === undefined || error.code === null ? undefined : String(error.code)),
    };
  },
};

/** A typed ZenMux client: the full openapi-fetch client plus `getGeneration`. */
export function createZenMuxClient(options: ZenMuxClientOptions = {}) {
  const { client, call } = createGateway<paths>(zenMuxGateway, options);
  return Object.assign(client, {
    /** One generation's details, flat and camelCase, exactly as ZenMux sent them. */
    getGeneration(id: string, init: { signal?: AbortSignal } = {}): Promise<ZenMuxGeneration> {
      requireId(id);
      return call<ZenMuxGeneration>(
        () => client.GET("/management/generation", { params: { query: { id } }, parseAs: "text", signal: init.signal }),
        (body) => {
          if (!body || typeof body !== "object" || Array.isArray(body)) return "not a JSON object";
          const id = (body as { generationId?: unknown }).generationId;
          return typeof id === "string" ? undefined : "`generationId` is not a string";
        },
      );
    },
  });
}

export type ZenMuxClient = ReturnType<typeof createZenMuxClient>;
