export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export {
  createFastRouterClient,
  createFastRouterFetchClient,
  type FastRouterClient,
  type FastRouterClientOptions,
  type FastRouterFetchClient,
  fastRouterGateway,
} from "./client.js";
export type * from "./types.js";
