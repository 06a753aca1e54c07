import {
  createLookupClient,
  defineGateway,
  type GatewayClientOptions,
  readErrorObject,
} from "@genledger/core/internal";
import type { paths } from "./generated/openapi.js";

export type VercelClientOptions = GatewayClientOptions;

/** Vercel AI Gateway, defined once: the client, the fetch client and the mock read it. */
export const vercelGateway = defineGateway<paths>()({
  provider: "vercel",
  displayName: "Vercel AI Gateway",
  envPrefix: "AI_GATEWAY",
  // A Vercel OIDC token works as the key too (the official client falls back to it the same way).
  apiKeyEnv: ["AI_GATEWAY_API_KEY", "VERCEL_OIDC_TOKEN"],
  defaultBaseUrl: "https://ai-gateway.vercel.sh/v1",
  // {"error":{"message","type","param","code"},"generationId"}
  parseError: (body) => readErrorObject(body, "type"),
  // One generation's cost, usage and timing: `{ data: {...} }`.
  lookup: { method: "get", path: "/generation", request: (id) => ({ query: { id } }), idAt: "data.id" },
});

/** A Vercel AI Gateway client: `getGeneration`. Throws InvalidArgumentError for a bad option. */
export const createVercelClient = (options: VercelClientOptions = {}) => createLookupClient(vercelGateway, options);

export type VercelClient = ReturnType<typeof createVercelClient>;
