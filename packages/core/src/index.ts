export { readEnv } from "./env.js";
export { exactNumberText, recordNumberText } from "./exact-number.js";
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
  requireId,
  ServerError,
  TimeoutError,
} from "./errors.js";
export {
  createGateway,
  defaultMaxRetries,
  defaultTimeoutMs,
  type ErrorEnvelope,
  type Gateway,
  type GatewayClientOptions,
  type GatewaySpec,
  type Logger,
} from "./gateway.js";
export { type Page, paginate } from "./paging.js";
export { loggableHeaders, redact, redacted } from "./redact.js";
export { backoffMs, maxRetryAfterMs, maxRetryDelayMs, parseRetryAfter, retryDelayMs, sleep } from "./retry.js";
