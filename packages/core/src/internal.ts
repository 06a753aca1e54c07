// @genledger/core/internal: what genledger's own packages share to build a gateway's client, its mapper and
// its mock — the definition, the transport, the limiter and the small parts they are made of. Not a public
// API: it may change in any release, with no major version. A client's user needs only `@genledger/core`.

export {
  checkLookupAnswer,
  createLookupClient,
  defineGateway,
  type FieldPath,
  type GatewayDefinition,
  type Known,
  type Lookup,
  type LookupBody,
  type LookupClient,
  type LookupDefinition,
  type LookupRequest,
  lookupWith,
} from "./define-gateway.js";
export { readEnv } from "./env.js";
export { readErrorObject } from "./error-envelope.js";
export { apiErrorClass, requireId } from "./errors.js";
export { recordNumberText } from "./exact-number.js";
export { createGateway, type Gateway, gatewayOrigin, pathSegment, type Transport } from "./gateway.js";
export * from "./index.js";
export { asObject } from "./json.js";
export { checkOptions, closest, maxJobWaitMs, maxRetryAfterMs, maxRetryDelayMs, type OptionSpec } from "./options.js";
export { type Page, paginate } from "./paging.js";
export { type AcquireOptions, RateLimiter } from "./rate-limit.js";
export { redact, redactAnswer } from "./redact.js";
export { backoffMs, sleep } from "./retry.js";
export type {
  ErrorEnvelope,
  GatewayRequest,
  GatewaySpec,
  NotFoundReading,
  StatedLimit,
  TextResponse,
  TransportRequest,
} from "./types.js";
