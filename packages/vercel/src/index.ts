// The error classes are core's own (one definition, so `instanceof` holds across packages).
export {
  AbortError,
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  apiErrorClass,
  BadRequestError,
  ConnectionError,
  type GatewayClientOptions,
  GenledgerError,
  InvalidArgumentError,
  isRetryableStatus,
  type Logger,
  MissingApiKeyError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  ResponseTooLargeError,
  requireId,
  ServerError,
  TimeoutError,
} from "@genledger/core";
export {
  createVercelClient,
  type VercelClient,
  type VercelClientOptions,
  vercelGateway,
} from "./client.js";
export type * from "./types.js";
