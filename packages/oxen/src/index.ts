export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export {
  createOxenClient,
  createOxenFetchClient,
  type OxenClient,
  type OxenClientOptions,
  type OxenFetchClient,
  oxenGateway,
} from "./client.js";
export type * from "./types.js";
