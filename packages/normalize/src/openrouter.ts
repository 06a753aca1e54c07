// @genledger/normalize/openrouter
import {
  createOpenRouterClient,
  NotFoundError,
  type OpenRouterClient,
  type OpenRouterClientOptions,
  type OpenRouterGeneration,
  type OpenRouterGenerationResponse,
  type OpenRouterProviderResponse,
} from "@genledger/openrouter";
import { type Adapter, defineAdapter } from "./adapter.js";
import * as convert from "./convert.js";
import type { Generation } from "./generation.js";

declare module "./generation.js" {
  interface RawByProvider {
    openrouter: OpenRouterGenerationResponse;
  }
}

/** OpenRouter's `{ data }` body as a Generation. Pure: no I/O. Amounts are USD. */
export function fromOpenRouter(body: OpenRouterGenerationResponse): Generation<"openrouter"> {
  const d = convert.known<OpenRouterGeneration>(convert.generationObject("openrouter", body).data);
  const byok = convert.bool(d.is_byok);
  const finishReason = convert.str(d.finish_reason);
  // Without upstream_id/provider_name, the provider attempt that answered (the last 2xx) says where it ran.
  const attempts = Array.isArray(d.provider_responses) ? d.provider_responses : [];
  const served = attempts
    .map((a) => convert.known<OpenRouterProviderResponse>(a))
    .findLast((a) => typeof a.status === "number" && a.status >= 200 && a.status < 300);
  return convert.generation(
    "openrouter",
    convert.required("openrouter", body, "data.id", d.id),
    {
      model: convert.str(d.model),
      upstream: {
        provider: convert.str(d.provider_name) ?? convert.str(served?.provider_name),
        id: convert.str(d.upstream_id) ?? convert.str(served?.id),
      },
      status: d.cancelled === true ? "cancelled" : finishReason === "error" ? "failed" : "succeeded",
      createdAt: convert.isoFromString(d.created_at),
      timing: convert.timing(d.latency, d.generation_time),
      usage: convert.usage({
        inputTokens: convert.count(d.native_tokens_prompt) ?? convert.count(d.tokens_prompt),
        outputTokens: convert.count(d.native_tokens_completion) ?? convert.count(d.tokens_completion),
        reasoningTokens: convert.count(d.native_tokens_reasoning),
        cachedInputTokens: convert.count(d.native_tokens_cached),
      }),
      cost: convert.cost({
        amount: convert.decimalAt(d, "total_cost"),
        currency: "USD",
        basis: "billed",
        discountAmount: convert.decimalAt(d, "cache_discount"),
        // For BYOK, total_cost is only OpenRouter's fee; the provider's charge is separate.
        upstreamAmount: byok ? convert.decimalAt(d, "upstream_inference_cost") : null,
      }),
      finishReason,
      nativeFinishReason: convert.str(d.native_finish_reason),
      streamed: convert.bool(d.streamed),
      byok,
    },
    body,
  );
}

/** The ledger adapter, with the client it uses. */
export interface OpenRouterAdapter extends Adapter<"openrouter"> {
  readonly client: OpenRouterClient;
}

/** The ledger adapter for OpenRouter; same options as `createOpenRouterClient`. */
export const openrouter: (options?: OpenRouterClientOptions) => OpenRouterAdapter = defineAdapter({
  provider: "openrouter",
  client: createOpenRouterClient,
  map: fromOpenRouter,
  // Stats are not ready for ~0.5-20 s after a completion; OpenRouter answers 404 meanwhile.
  isNotReadyError: (error) => NotFoundError.isInstance(error),
});
