export * from "@genledger/core/errors";
export type { GatewayClientOptions, Logger } from "@genledger/core";
export { createZenMuxClient, type ZenMuxClient, type ZenMuxClientOptions, zenMuxGateway } from "./client.js";
export type * from "./types.js";
