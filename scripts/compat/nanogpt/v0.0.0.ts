// A consumer written against @genledger/nanogpt as first scaffolded: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.
import {
  createNanoGPTClient,
  type NanoGPTErrorResponse,
  type NanoGPTGenerationQuery,
  type operations,
} from "../../../packages/nanogpt/src/index.js";
import { createNanoGPTFetchClient } from "../../../packages/nanogpt/src/fetch.js";

export async function lookup(id: string): Promise<unknown> {
  return createNanoGPTClient({ apiKey: "test-key-123" }).getGeneration(id);
}

export async function raw(query: NanoGPTGenerationQuery): Promise<string | undefined> {
  const { error } = await createNanoGPTFetchClient({ apiKey: "test-key-123" }).GET("/generation", {
    params: { query },
  });
  return error ? (error as NanoGPTErrorResponse).error?.message : undefined;
}

export type LookupOperation = operations["getGeneration"];
