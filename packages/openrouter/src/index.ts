export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export {
  createOpenRouterClient,
  createOpenRouterFetchClient,
  type OpenRouterClient,
  type OpenRouterClientOptions,
  type OpenRouterFetchClient,
  openRouterGateway,
} from "./client.js";
export type * from "./types.js";
