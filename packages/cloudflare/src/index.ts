// The error classes are core's own (one definition, so `instanceof` holds across packages).
export * from "@genledger/core/errors";
export type { GatewayClientOptions, Logger } from "@genledger/core";
export {
  cloudflareGateway,
  cloudflareRef,
  parseCloudflareRef,
  createCloudflareClient,
  type CloudflareClient,
  type CloudflareClientOptions,
} from "./client.js";
export type * from "./types.js";
