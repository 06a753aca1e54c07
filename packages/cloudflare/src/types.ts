import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** The body of Get Gateway Log Detail: the v4 envelope around one log. */
export type CloudflareLogEnvelope = components["schemas"]["LogGetEnvelope"];
/** One AI Gateway log: `cost` a JSON number in dollars, computed from a price table (or `custom_cost`). */
export type CloudflareLog = components["schemas"]["Log"];
export type CloudflareResponseInfo = components["schemas"]["ResponseInfo"];
/** `{ success: false, errors: [{ code, message }], messages, result }` */
export type CloudflareErrorEnvelope = components["schemas"]["ErrorEnvelope"];
export type CloudflareLogPath = operations["getGatewayLog"]["parameters"]["path"];
