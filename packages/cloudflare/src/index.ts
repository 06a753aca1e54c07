// The error classes are core's own (one definition, so `instanceof` holds across packages).

export type { GatewayClientOptions, Logger } from "@genledger/core";
export * from "@genledger/core/errors";
export {
  type CloudflareClient,
  type CloudflareClientOptions,
  cloudflareGateway,
  cloudflareRef,
  createCloudflareClient,
  parseCloudflareRef,
} from "./client.js";
export type * from "./types.js";
