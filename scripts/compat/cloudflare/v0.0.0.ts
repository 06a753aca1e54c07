// A consumer written against @genledger/cloudflare as first scaffolded: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.
import {
  createCloudflareClient,
  type CloudflareErrorResponse,
  type CloudflareGenerationQuery,
  type operations,
} from "../../../packages/cloudflare/src/index.js";
import { createCloudflareFetchClient } from "../../../packages/cloudflare/src/fetch.js";

export async function lookup(id: string): Promise<unknown> {
  return createCloudflareClient({ apiKey: "test-key-123" }).getGeneration(id);
}

export async function raw(query: CloudflareGenerationQuery): Promise<string | undefined> {
  const { error } = await createCloudflareFetchClient({ apiKey: "test-key-123" }).GET("/generation", {
    params: { query },
  });
  return error ? (error as CloudflareErrorResponse).error?.message : undefined;
}

export type LookupOperation = operations["getGeneration"];
