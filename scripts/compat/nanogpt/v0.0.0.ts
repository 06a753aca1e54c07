// A consumer written against @genledger/nanogpt as first released: it must keep type-checking until a
// changeset calls the change breaking (scripts/compat.slow.test.ts). Replace it after each release.
import { createNanoGPTFetchClient } from "../../../packages/nanogpt/src/fetch.js";
import {
  createNanoGPTClient,
  type NanoGPTErrorResponse,
  type NanoGPTRequestBilling,
  type NanoGPTRequestBillingPath,
  type operations,
} from "../../../packages/nanogpt/src/index.js";

export async function charge(id: string): Promise<string> {
  const b: NanoGPTRequestBilling = await createNanoGPTClient({ apiKey: "test-key-123" }).getGeneration(id);
  return `${b.cost} ${b.currency}`;
}

export async function raw(path: NanoGPTRequestBillingPath): Promise<unknown> {
  const { error } = await createNanoGPTFetchClient({ apiKey: "test-key-123" }).GET("/usage/requests/{request_id}", {
    params: { path },
  });
  return error ? (error as NanoGPTErrorResponse).error : undefined;
}

export type LookupOperation = operations["getRequestBilling"];
