// @genledger/normalize/zenmux
import { readEnv } from "@genledger/core";
import {
  createZenMuxClient,
  type ZenMuxClient,
  type ZenMuxClientOptions,
  type ZenMuxGeneration,
} from "@genledger/zenmux";
import type { Adapter } from "./adapter.js";
import { bool, count, isoFromString, ms, obj, pick, record, required, str, sum } from "./convert.js";
import type { CostItem, Generation } from "./generation.js";
import { decimalAt } from "./money.js";

declare module "./generation.js" {
  interface RawByProvider {
    zenmux: ZenMuxGeneration;
  }
}

export const subscriptionKeyPrefix = "sk-ss-v1-";

/**
 * ZenMux's flat body as a Generation. Pure: no I/O. Amounts are in ZenMux credits (its docs do not
 * say USD). Without billing fields the record is `pending`, or `unavailable` for a subscription key.
 * ZenMux has renamed fields across its doc versions; every documented spelling is read (README).
 */
export function fromZenMux(body: ZenMuxGeneration, context: { subscriptionKey?: boolean } = {}): Generation<"zenmux"> {
  const b = record("zenmux", body);
  const id = required("zenmux", body, "generationId", pick(b, "generationId", "generation_id"));
  const tokens = obj(pick(b, "nativeTokens", "native_tokens")) ?? {};
  const rating = obj(b.ratingResponses);
  // `usage` (a number, or a string on the snake_case page); `realAmount` (older pages: bill − discount).
  const amount = decimalAt(b, "usage") ?? decimalAt(b, "realAmount") ?? decimalAt(rating, "billAmount");
  const details = Array.isArray(rating?.ratingDetails) ? rating.ratingDetails : null;
  const breakdown = details?.map((item): CostItem => {
    const i = obj(item) ?? {};
    return {
      item: str(i.feeItemCode) ?? "unknown",
      amount: decimalAt(i, "billAmount"),
      originalAmount: decimalAt(i, "originAmount"),
      discountAmount: decimalAt(i, "discountAmount"),
      rate: decimalAt(i, "rate"),
    };
  });
  const input = count(tokens.prompt_tokens);
  const output = count(tokens.completion_tokens);
  return {
    provider: "zenmux",
    id,
    // A captured record carries a display name in `model` and the slug in `modelSlug`.
    model: str(b.modelSlug) ?? str(b.model),
    upstream: { provider: str(b.providerSlug), id: null },
    status: b.cancelled === true ? "cancelled" : "succeeded",
    createdAt: isoFromString(pick(b, "createAt", "createdAt", "created_at")),
    startedAt: null,
    completedAt: null,
    timing: { timeToFirstTokenMs: ms(b.latency), generationMs: ms(pick(b, "generationTime", "generation_time")) },
    usage: {
      inputTokens: input,
      outputTokens: output,
      reasoningTokens: count(obj(tokens.completion_tokens_details)?.reasoning_tokens),
      cachedInputTokens: count(obj(tokens.prompt_tokens_details)?.cached_tokens),
      totalTokens: count(tokens.total_tokens) ?? sum(input, output),
    },
    cost:
      amount === null
        ? null
        : {
            amount,
            currency: "credits",
            upstreamAmount: null,
            discountAmount: decimalAt(b, "discountAmount") ?? decimalAt(rating, "discountAmount"),
            breakdown: breakdown ?? null,
          },
    billing: amount !== null ? "final" : context.subscriptionKey ? "unavailable" : "pending",
    finishReason: str(pick(b, "finishReason", "finish_reason")),
    nativeFinishReason: str(b.nativeFinishReason),
    streamed: bool(b.streamed),
    byok: bool(b.byok),
    error: null,
    raw: body,
  };
}

/** The ledger adapter, with the client it uses. */
export interface ZenMuxAdapter extends Adapter<"zenmux"> {
  readonly client: ZenMuxClient;
}

/** The ledger adapter for ZenMux; same options as `createZenMuxClient`. */
export function zenmux(options: ZenMuxClientOptions = {}): ZenMuxAdapter {
  const client = createZenMuxClient(options);
  const subscriptionKey = () => (options.apiKey ?? readEnv("ZENMUX_API_KEY") ?? "").startsWith(subscriptionKeyPrefix);
  return {
    provider: "zenmux",
    client,
    async get(id, init = {}) {
      return fromZenMux(await client.getGeneration(id, { signal: init.signal }), {
        subscriptionKey: subscriptionKey(),
      });
    },
    // Billing arrives 3-5 minutes late; wait for it only when asked.
    isReady: (g, wait) => !(wait.billing && g.billing === "pending"),
  };
}
