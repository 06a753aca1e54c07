// @genledger/normalize/vercel
import {
  createVercelClient,
  type VercelClient,
  type VercelClientOptions,
  type VercelGeneration,
} from "@genledger/vercel";
import type { Adapter } from "./adapter.js";
import { int, isoFromString, obj, required, str, sum } from "./convert.js";
import type { Generation } from "./generation.js";
import { toDecimal } from "./money.js";

declare module "./generation.js" {
  interface RawByProvider {
    vercel: VercelGeneration;
  }
}

/**
 * Vercel AI Gateway's body as a Generation. Pure: no I/O.
 * TODO(gateway:new): map every field the gateway reports (see the table in this package's README).
 */
export function fromVercel(body: VercelGeneration): Generation<"vercel"> {
  const b = obj(body) ?? {};
  const id = required("vercel", body, "id", b.id);
  const input = int(b.tokens_prompt);
  const output = int(b.tokens_completion);
  const amount = toDecimal(b.total_cost);
  return {
    provider: "vercel",
    id,
    model: str(b.model),
    upstream: { provider: null, id: null },
    status: "succeeded",
    createdAt: isoFromString(b.created_at),
    startedAt: null,
    completedAt: null,
    timing: { timeToFirstTokenMs: null, generationMs: null },
    usage: {
      inputTokens: input,
      outputTokens: output,
      reasoningTokens: null,
      cachedInputTokens: null,
      totalTokens: sum(input, output),
    },
    cost:
      amount === null ? null : { amount, currency: "USD", upstreamAmount: null, discountAmount: null, breakdown: null },
    billing: "final",
    finishReason: null,
    nativeFinishReason: null,
    streamed: null,
    byok: null,
    error: null,
    raw: body,
  };
}

/** The ledger adapter, with the client it uses. */
export interface VercelAdapter extends Adapter<"vercel"> {
  readonly client: VercelClient;
}

/** The ledger adapter for Vercel AI Gateway; same options as `createVercelClient`. */
export function vercel(options: VercelClientOptions = {}): VercelAdapter {
  const client = createVercelClient(options);
  return {
    provider: "vercel",
    client,
    async get(id, init = {}) {
      return fromVercel(await client.getGeneration(id, { signal: init.signal }));
    },
  };
}
