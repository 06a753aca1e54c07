export {
  AbortError,
  ApiError,
  type ApiErrorInit,
  apiErrorClass,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  GenledgerError,
  InvalidArgumentError,
  isRetryableStatus,
  MissingApiKeyError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  requireId,
  ResponseParseError,
  ServerError,
  TimeoutError,
} from "./errors.js";
export {
  createGateway,
  defaultMaxRetries,
  defaultTimeoutMs,
  encodePath,
  type ErrorEnvelope,
  type Gateway,
  type GatewayClientOptions,
  type GatewaySpec,
  type Logger,
  toApiError,
} from "./gateway.js";
export { readEnv } from "./env.js";
export { type Page, paginate } from "./paging.js";
export { loggableHeaders, redact, redacted } from "./redact.js";
export { backoffMs, maxRetryAfterMs, maxRetryDelayMs, parseRetryAfter, retryDelayMs } from "./retry.js";
