import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** The body of `GET /v1/request/{requestId}`: `{ data, error: null }`. */
export type HeliconeRequestResult = components["schemas"]["RequestResult"];
/** One logged request: `cost` a JSON number in USD, computed from Helicone's price table. */
export type HeliconeRequest = components["schemas"]["HeliconeRequest"];
/** `{ data: null, error }`, sent with HTTP 500 for every error (an unknown id too). */
export type HeliconeResultError = components["schemas"]["ResultError"];
export type HeliconeRequestPath = operations["GetRequestById"]["parameters"]["path"];
