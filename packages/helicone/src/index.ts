// The error classes are core's own (one definition, so `instanceof` holds across packages).

export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export {
  createHeliconeClient,
  type HeliconeClient,
  type HeliconeClientOptions,
  heliconeGateway,
} from "./client.js";
export type * from "./types.js";
