import type { components, operations, paths } from "./generated/openapi.js";

export type { components, operations, paths };
/** One LiteLLM_SpendLogs row: `spend` a JSON number in USD, computed from LiteLLM's price map. */
export type LiteLLMSpendLog = components["schemas"]["SpendLog"];
/** The body of `GET /spend/logs?request_id=`: the request's one row, in an array (`[]` while not written). */
export type LiteLLMSpendLogs = LiteLLMSpendLog[];
/** `{"error":{"message","type","param","code"}}` */
export type LiteLLMErrorResponse = components["schemas"]["ErrorResponse"];
export type LiteLLMSpendLogsQuery = operations["viewSpendLogs"]["parameters"]["query"];
