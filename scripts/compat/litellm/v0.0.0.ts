// A consumer written against @genledger/litellm as first released: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.
import { createLiteLLMFetchClient } from "../../../packages/litellm/src/fetch.js";
import {
  createLiteLLMClient,
  type LiteLLMErrorResponse,
  type LiteLLMSpendLog,
  type LiteLLMSpendLogsQuery,
  type operations,
} from "../../../packages/litellm/src/index.js";

const options = { apiKey: "test-key-123", baseUrl: "http://localhost:4000" };

export async function spend(id: string): Promise<number | undefined> {
  const rows = await createLiteLLMClient(options).getGeneration(id);
  const row: LiteLLMSpendLog | undefined = rows[0];
  return row?.spend;
}

export async function raw(query: LiteLLMSpendLogsQuery): Promise<string | undefined> {
  const { error } = await createLiteLLMFetchClient(options).GET("/spend/logs", { params: { query } });
  return error ? (error as LiteLLMErrorResponse).error?.message : undefined;
}

export type LookupOperation = operations["viewSpendLogs"];
