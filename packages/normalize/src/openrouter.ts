// @genledger/normalize/openrouter
import {
  createOpenRouterClient,
  NotFoundError,
  type OpenRouterClient,
  type OpenRouterClientOptions,
  type OpenRouterGenerationResponse,
} from "@genledger/openrouter";
import type { Adapter } from "./adapter.js";
import { bool, count, isoFromString, ms, obj, record, required, str, sum } from "./convert.js";
import type { Generation } from "./generation.js";
import { decimalAt } from "./money.js";

declare module "./generation.js" {
  interface RawByProvider {
    openrouter: OpenRouterGenerationResponse;
  }
}

/** OpenRouter's `{ data }` body as a Generation. Pure: no I/O. Amounts are USD. */
export function fromOpenRouter(body: OpenRouterGenerationResponse): Generation<"openrouter"> {
  const d = obj(record("openrouter", body).data) ?? {};
  const id = required("openrouter", body, "data.id", d.id);
  const input = count(d.native_tokens_prompt) ?? count(d.tokens_prompt);
  const output = count(d.native_tokens_completion) ?? count(d.tokens_completion);
  const byok = bool(d.is_byok);
  const amount = decimalAt(d, "total_cost");
  const finishReason = str(d.finish_reason);
  return {
    provider: "openrouter",
    id,
    model: str(d.model),
    upstream: { provider: str(d.provider_name), id: str(d.upstream_id) },
    status: d.cancelled === true ? "cancelled" : finishReason === "error" ? "failed" : "succeeded",
    createdAt: isoFromString(d.created_at),
    startedAt: null,
    completedAt: null,
    timing: { timeToFirstTokenMs: ms(d.latency), generationMs: ms(d.generation_time) },
    usage: {
      inputTokens: input,
      outputTokens: output,
      reasoningTokens: count(d.native_tokens_reasoning),
      cachedInputTokens: count(d.native_tokens_cached),
      totalTokens: sum(input, output),
    },
    cost:
      amount === null
        ? null
        : {
            amount,
            currency: "USD",
            // For BYOK, total_cost is only OpenRouter's fee; the provider's charge is separate.
            upstreamAmount: byok ? decimalAt(d, "upstream_inference_cost") : null,
            discountAmount: decimalAt(d, "cache_discount"),
            breakdown: null,
          },
    billing: "final",
    finishReason,
    nativeFinishReason: str(d.native_finish_reason),
    streamed: bool(d.streamed),
    byok,
    error: null,
    raw: body,
  };
}

/** The ledger adapter, with the client it uses. */
export interface OpenRouterAdapter extends Adapter<"openrouter"> {
  readonly client: OpenRouterClient;
}

/** The ledger adapter for OpenRouter; same options as `createOpenRouterClient`. */
export function openrouter(options: OpenRouterClientOptions = {}): OpenRouterAdapter {
  const client = createOpenRouterClient(options);
  return {
    provider: "openrouter",
    client,
    async get(id, init = {}) {
      return fromOpenRouter(await client.getGeneration(id, { signal: init.signal }));
    },
    // Stats are not ready for ~0.5-20 s after a completion; OpenRouter answers 404 meanwhile.
    isNotReadyError: (error) => NotFoundError.isInstance(error),
  };
}
