export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export {
  createOxenClient,
  createOxenFetchClient,
  createOxenQueueClient,
  type OxenClient,
  type OxenClientOptions,
  type OxenFetchClient,
  type OxenQueueClient,
  oxenGateway,
} from "./client.js";
export type * from "./types.js";
