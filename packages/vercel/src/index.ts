export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export {
  createVercelClient,
  createVercelFetchClient,
  type VercelClient,
  type VercelClientOptions,
  type VercelFetchClient,
  vercelGateway,
} from "./client.js";
export type * from "./types.js";
