import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** The body of `GET /usage/requests/{request_id}`: the recorded primary charge, `cost` a decimal string. */
export type NanoGPTRequestBilling = components["schemas"]["RequestBilling"];
export type NanoGPTRequestBillingUsage = components["schemas"]["RequestBillingUsage"];
/** `{"error":{"message","type","code"}}`, or `{"error":"...","status":402}`. */
export type NanoGPTErrorResponse = components["schemas"]["ErrorResponse"];
export type NanoGPTRequestBillingPath = operations["getRequestBilling"]["parameters"]["path"];
