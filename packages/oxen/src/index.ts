export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export { createOxenClient, type OxenClient, type OxenClientOptions, oxenGateway } from "./client.js";
export type * from "./types.js";
