// A consumer written against @genledger/vercel as first published: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.

import { createVercelFetchClient } from "../../../packages/vercel/src/fetch.js";
import {
  createVercelClient,
  type operations,
  type VercelErrorResponse,
  type VercelGeneration,
  type VercelGenerationQuery,
} from "../../../packages/vercel/src/index.js";

export async function cost(id: string): Promise<number | null | undefined> {
  const { data }: { data: VercelGeneration } = await createVercelClient({ apiKey: "test-key-123" }).getGeneration(id);
  return data.is_byok ? data.upstream_inference_cost : data.total_cost;
}

export async function raw(query: VercelGenerationQuery): Promise<string | undefined> {
  const { data, error } = await createVercelFetchClient({ apiKey: "test-key-123" }).GET("/generation", {
    params: { query },
  });
  if (error) return (error as VercelErrorResponse).error.message;
  return data?.data.id;
}

export type LookupOperation = operations["getGeneration"];
