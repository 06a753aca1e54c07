export * from "@genledger/core/errors";
export type { GatewayClientOptions, Logger } from "@genledger/core";
export { createOxenClient, type OxenClient, type OxenClientOptions, oxenGateway } from "./client.js";
export type * from "./types.js";
