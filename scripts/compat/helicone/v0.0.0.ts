// A consumer written against @genledger/helicone as first scaffolded: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.
import {
  createHeliconeClient,
  type HeliconeErrorResponse,
  type HeliconeGenerationQuery,
  type operations,
} from "../../../packages/helicone/src/index.js";
import { createHeliconeFetchClient } from "../../../packages/helicone/src/fetch.js";

export async function lookup(id: string): Promise<unknown> {
  return createHeliconeClient({ apiKey: "test-key-123" }).getGeneration(id);
}

export async function raw(query: HeliconeGenerationQuery): Promise<string | undefined> {
  const { error } = await createHeliconeFetchClient({ apiKey: "test-key-123" }).GET("/generation", {
    params: { query },
  });
  return error ? (error as HeliconeErrorResponse).error?.message : undefined;
}

export type LookupOperation = operations["getGeneration"];
