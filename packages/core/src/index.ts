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
export {
  AbortError,
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  apiErrorClass,
  BadRequestError,
  ConnectionError,
  GenledgerError,
  InvalidArgumentError,
  isRetryableStatus,
  MissingApiKeyError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  ResponseTooLargeError,
  requireId,
  ServerError,
  TimeoutError,
} from "./errors.js";
export { exactNumberText, parseJsonExact, recordNumberText } from "./exact-number.js";
export {
  type CallOptions,
  createGateway,
  defaultMaxResponseBytes,
  defaultMaxRetries,
  defaultTimeoutMs,
  type ErrorEnvelope,
  type Gateway,
  type GatewayClientOptions,
  type GatewayRequest,
  type GatewaySpec,
  gatewayOrigin,
  type Logger,
  pathSegment,
  type TextResponse,
  type Transport,
  type TransportRequest,
} from "./gateway.js";
export { maxJsonDepth, parseJson } from "./json.js";
export { closest, maxMaxRetries, maxTimeoutMs, minKeyLength } from "./options.js";
export { type Page, paginate } from "./paging.js";
export {
  type AcquireOptions,
  checkRateLimit,
  paceFromWindow,
  parseReset,
  parseStatedLimit,
  RateLimiter,
  type RateLimitOptions,
  type RateLimitState,
  type StatedLimit,
} from "./rate-limit.js";
export { loggableHeaders, redact, redactAnswer, redacted, redactText } from "./redact.js";
export { backoffMs, maxJobWaitMs, maxRetryAfterMs, maxRetryDelayMs, parseRetryAfter, sleep } from "./retry.js";
