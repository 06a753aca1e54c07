// The error classes are core's own (one definition, so `instanceof` holds across packages).
export * from "@genledger/core/errors";
export type { GatewayClientOptions, Logger } from "@genledger/core";
export {
  heliconeGateway,
  createHeliconeClient,
  type HeliconeClient,
  type HeliconeClientOptions,
} from "./client.js";
export type * from "./types.js";
