export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export {
  createZenMuxClient,
  createZenMuxFetchClient,
  type ZenMuxClient,
  type ZenMuxClientOptions,
  type ZenMuxFetchClient,
  zenMuxGateway,
} from "./client.js";
export type * from "./types.js";
