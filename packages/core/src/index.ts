// @genledger/core: what a client's user needs — the errors every client throws, the options every client
// takes, and the exact JSON readers. What genledger's own packages share to build clients is
// `@genledger/core/internal`, which may change in any release.
export {
  AbortError,
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  GenledgerError,
  InvalidArgumentError,
  isRetryableStatus,
  isTransient,
  MissingApiKeyError,
  MissingBaseUrlError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
} from "./errors.js";
export { exactNumberText, parseJsonExact } from "./exact-number.js";
export { defaultMaxResponseBytes, defaultMaxRetries, defaultTimeoutMs } from "./gateway.js";
export { maxJsonDepth, parseJson } from "./json.js";
export { maxMaxRetries, maxTimeoutMs, minKeyLength } from "./options.js";
export { redacted } from "./redact.js";
export type {
  CallOptions,
  FetchFunction,
  GatewayClientOptions,
  Logger,
  RateLimitOptions,
  RateLimitState,
} from "./types.js";
