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
import {
  bool,
  cost,
  count,
  decimalAt,
  generation,
  generationObject,
  isoFromString,
  known,
  required,
  str,
  timing,
  usage,
} from "./convert.js";
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
  const d = known<VercelGeneration>(generationObject("vercel", body).data);
  const byok = bool(d.is_byok);
  const finishReason = str(d.finish_reason);
  const breakdown = costSplit.flatMap(([item, key]): CostItem[] => {
    const amount = decimalAt(d, key);
    return amount === null ? [] : [{ item, amount, originalAmount: null, discountAmount: null, rate: null }];
  });
  return generation(
    "vercel",
    required("vercel", body, "data.id", d.id),
    {
      model: str(d.model),
      upstream: { provider: str(d.provider_name), id: null },
      status: finishReason === "error" ? "failed" : "succeeded",
      createdAt: isoFromString(d.created_at),
      timing: timing(d.latency, d.generation_time),
      usage: usage({
        inputTokens: count(d.native_tokens_prompt),
        outputTokens: count(d.native_tokens_completion),
        reasoningTokens: count(d.native_tokens_reasoning),
        cachedInputTokens: count(d.native_tokens_cached),
      }),
      cost: cost({
        amount: decimalAt(d, "total_cost"),
        currency: "USD",
        // Only for BYOK: the provider's own charge, on top of the gateway's.
        upstreamAmount: byok ? decimalAt(d, "upstream_inference_cost") : null,
        breakdown: breakdown.length > 0 ? breakdown : null,
      }),
      finishReason,
      streamed: bool(d.streamed),
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
