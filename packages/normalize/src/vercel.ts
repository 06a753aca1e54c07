// @genledger/normalize/vercel
import {
  createVercelClient,
  NotFoundError,
  type VercelClient,
  type VercelClientOptions,
  type VercelGeneration,
  type VercelGenerationResponse,
} from "@genledger/vercel";
import { type Adapter, defineAdapter } from "./adapter.js";
import * as convert from "./convert.js";
import type { CostItem, Generation } from "./generation.js";

declare module "./generation.js" {
  interface RawByProvider {
    vercel: VercelGenerationResponse;
  }
}

/** The optional cost split, in the gateway's order; each item only when the gateway reported it. */
const costSplit = [
  ["market", "market_cost"],
  ["surcharge", "surcharge_cost"],
  ["gateway", "gateway_cost"],
] as const;

/**
 * Vercel AI Gateway's `{ data }` body as a Generation. Pure: no I/O. Amounts are USD.
 * `cost.breakdown` is the market / surcharge / gateway split when the gateway sends it (market +
 * surcharge is the cost; gateway is what was debited). Cache-creation tokens and billable web-search
 * calls have no place in the record: they stay in `raw.data`.
 */
export function fromVercel(body: VercelGenerationResponse): Generation<"vercel"> {
  // Read through the declared fields only (a field renamed in the spec fails the build), defensively.
  const d = convert.known<VercelGeneration>(convert.generationObject("vercel", body).data);
  const byok = convert.bool(d.is_byok);
  const finishReason = convert.str(d.finish_reason);
  const breakdown = costSplit.flatMap(([item, key]): CostItem[] => {
    const amount = convert.decimalAt(d, key);
    const kind = item === "gateway" ? "total" : "part";
    return amount === null ? [] : [{ item, kind, amount, originalAmount: null, discountAmount: null, rate: null }];
  });
  return convert.generation(
    "vercel",
    convert.required("vercel", body, "data.id", d.id),
    {
      model: convert.str(d.model),
      upstream: { provider: convert.str(d.provider_name), id: null },
      status: finishReason === "error" ? "failed" : "succeeded",
      createdAt: convert.isoFromString(d.created_at),
      timing: convert.timing(d.latency, d.generation_time),
      usage: convert.usage({
        inputTokens: convert.count(d.native_tokens_prompt),
        outputTokens: convert.count(d.native_tokens_completion),
        reasoningTokens: convert.count(d.native_tokens_reasoning),
        cachedInputTokens: convert.count(d.native_tokens_cached),
      }),
      cost: convert.cost({
        amount: convert.decimalAt(d, "total_cost"),
        currency: "USD",
        basis: "billed",
        // Only for BYOK: the provider's own charge, on top of the gateway's.
        upstreamAmount: byok ? convert.decimalAt(d, "upstream_inference_cost") : null,
        breakdown: breakdown.length > 0 ? breakdown : null,
      }),
      finishReason,
      streamed: convert.bool(d.streamed),
      byok,
    },
    body,
  );
}

/** The ledger adapter, with the client it uses. */
export interface VercelAdapter extends Adapter<"vercel"> {
  readonly client: VercelClient;
}

/** The ledger adapter for Vercel AI Gateway; same options as `createVercelClient`. */
export const vercel: (options?: VercelClientOptions) => VercelAdapter = defineAdapter({
  provider: "vercel",
  client: createVercelClient,
  map: fromVercel,
  // "Available shortly after the generation completes": the gateway answers 404 until then.
  isNotReadyError: (error) => NotFoundError.isInstance(error),
});
