import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** The body of `GET /generation`. */
export type VercelGeneration = components["schemas"]["Generation"];
/** Vercel AI Gateway's error envelope. */
export type VercelErrorResponse = components["schemas"]["ErrorResponse"];
/** Query parameters of `GET /generation`. */
export type VercelGenerationQuery = operations["getGeneration"]["parameters"]["query"];
