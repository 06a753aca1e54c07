// @genledger/normalize/fastrouter
import {
  createFastRouterClient,
  type FastRouterClient,
  type FastRouterClientOptions,
  type FastRouterGeneration,
} from "@genledger/fastrouter";
import type { Adapter } from "./adapter.js";
import { bool, count, isoFromString, isoFromUnixSeconds, ms, obj, record, required, str, sum } from "./convert.js";
import type { Cost, Generation } from "./generation.js";
import { decimalAt } from "./money.js";

declare module "./generation.js" {
  interface RawByProvider {
    fastrouter: FastRouterGeneration;
  }
}

/**
 * FastRouter's body as a Generation. Pure: no I/O. `usage.cost` is USD (documented); without it,
 * `credits_used` is reported in credits. Every FastRouter field is optional; `context.id` (the id
 * asked for) stands in when the body has none.
 */
export function fromFastRouter(body: FastRouterGeneration, context: { id?: string } = {}): Generation<"fastrouter"> {
  const b = record("fastrouter", body);
  const id = required("fastrouter", body, "id", str(b.id) ?? context.id);
  const usage = obj(b.usage) ?? {};
  const timing = obj(b.timing) ?? {};
  const usd = decimalAt(usage, "cost");
  const credits = decimalAt(b, "credits_used");
  const cost: Cost | null =
    usd !== null
      ? { amount: usd, currency: "USD", upstreamAmount: null, discountAmount: null, breakdown: null }
      : credits !== null
        ? { amount: credits, currency: "credits", upstreamAmount: null, discountAmount: null, breakdown: null }
        : null;
  const input = count(usage.prompt_tokens) ?? count(b.input_token_size);
  const output = count(usage.completion_tokens) ?? count(b.output_token_size);
  const choice = obj((obj(b.response)?.choices as unknown[] | undefined)?.[0]);
  return {
    provider: "fastrouter",
    id,
    model: str(b.model),
    upstream: { provider: str(b.provider_name), id: str(obj(b.response)?.id) },
    status: "succeeded",
    createdAt: isoFromString(b.query_time) ?? isoFromUnixSeconds(b.created_at),
    startedAt: isoFromUnixSeconds(timing.started_at),
    completedAt: isoFromUnixSeconds(timing.completed_at),
    timing: { timeToFirstTokenMs: null, generationMs: ms(timing.duration_ms) },
    usage: {
      inputTokens: input,
      outputTokens: output,
      reasoningTokens: null,
      cachedInputTokens: null,
      totalTokens: count(usage.total_tokens) ?? sum(input, output),
    },
    cost,
    billing: "final",
    finishReason: str(choice?.finish_reason),
    nativeFinishReason: null,
    streamed: bool(obj(b.request)?.stream),
    byok: bool(b.is_byok),
    error: null,
    raw: body,
  };
}

/** The ledger adapter, with the client it uses. */
export interface FastRouterAdapter extends Adapter<"fastrouter"> {
  readonly client: FastRouterClient;
}

/** The ledger adapter for FastRouter; same options as `createFastRouterClient`. */
export function fastrouter(options: FastRouterClientOptions = {}): FastRouterAdapter {
  const client = createFastRouterClient(options);
  return {
    provider: "fastrouter",
    client,
    async get(id, init = {}) {
      return fromFastRouter(await client.getGeneration(id, { signal: init.signal }), { id });
    },
  };
}
