// A consumer written against @genledger/helicone as first released: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.
import { createHeliconeFetchClient } from "../../../packages/helicone/src/fetch.js";
import {
  createHeliconeClient,
  type HeliconeRequest,
  type HeliconeRequestPath,
  type HeliconeResultError,
  type operations,
} from "../../../packages/helicone/src/index.js";

export async function cost(id: string): Promise<number | null | undefined> {
  const { data }: { data: HeliconeRequest } = await createHeliconeClient({ apiKey: "test-key-123" }).getGeneration(id);
  return data.cost;
}

export async function raw(path: HeliconeRequestPath): Promise<string | undefined> {
  const { error } = await createHeliconeFetchClient({ apiKey: "test-key-123" }).GET("/v1/request/{requestId}", {
    params: { path, query: { includeBody: false } },
  });
  return error ? (error as HeliconeResultError).error : undefined;
}

export type LookupOperation = operations["GetRequestById"];
