// A consumer written against @genledger/litellm as first scaffolded: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.
import {
  createLiteLLMClient,
  type LiteLLMErrorResponse,
  type LiteLLMGenerationQuery,
  type operations,
} from "../../../packages/litellm/src/index.js";
import { createLiteLLMFetchClient } from "../../../packages/litellm/src/fetch.js";

export async function lookup(id: string): Promise<unknown> {
  return createLiteLLMClient({ apiKey: "test-key-123" }).getGeneration(id);
}

export async function raw(query: LiteLLMGenerationQuery): Promise<string | undefined> {
  const { error } = await createLiteLLMFetchClient({ apiKey: "test-key-123" }).GET("/generation", {
    params: { query },
  });
  return error ? (error as LiteLLMErrorResponse).error?.message : undefined;
}

export type LookupOperation = operations["getGeneration"];
