// @genledger/normalize/zenmux
import { readEnv } from "@genledger/core";
import {
  createZenMuxClient,
  type ZenMuxClient,
  type ZenMuxClientOptions,
  type ZenMuxGeneration,
  type ZenMuxNativeTokens,
  type ZenMuxRatingDetail,
  type ZenMuxRatingResponses,
} from "@genledger/zenmux";
import type { Adapter } from "./adapter.js";
import { bool, int, isoFromString, required, str } from "./convert.js";
import type { CostItem, Generation } from "./generation.js";
import { known } from "./known.js";
import { toDecimal } from "./money.js";

declare module "./generation.js" {
  interface RawByProvider {
    zenmux: ZenMuxGeneration;
  }
}

export const subscriptionKeyPrefix = "sk-ss-v1-";

/**
 * ZenMux's flat body as a Generation. Pure: no I/O. Amounts are in ZenMux credits (its docs do not
 * say USD). Without billing fields the record is `pending`, or `unavailable` for a subscription key.
 */
export function fromZenMux(body: ZenMuxGeneration, context: { subscriptionKey?: boolean } = {}): Generation<"zenmux"> {
  const b = known<ZenMuxGeneration>(body);
  const id = required("zenmux", body, "generationId", b.generationId);
  const tokens = known<ZenMuxNativeTokens>(b.nativeTokens);
  const rating = b.ratingResponses === undefined ? undefined : known<ZenMuxRatingResponses>(b.ratingResponses);
  const amount = toDecimal(b.usage) ?? toDecimal(rating?.billAmount);
  const details = Array.isArray(rating?.ratingDetails) ? rating.ratingDetails : null;
  const breakdown = details?.map((item): CostItem => {
    const i = known<ZenMuxRatingDetail>(item);
    return {
      item: str(i.feeItemCode) ?? "unknown",
      amount: toDecimal(i.billAmount),
      originalAmount: toDecimal(i.originAmount),
      discountAmount: toDecimal(i.discountAmount),
      rate: toDecimal(i.rate),
    };
  });
  return {
    provider: "zenmux",
    id,
    model: str(b.model),
    upstream: { provider: null, id: null },
    status: "succeeded",
    createdAt: isoFromString(b.createAt),
    startedAt: null,
    completedAt: null,
    timing: { timeToFirstTokenMs: int(b.latency), generationMs: int(b.generationTime) },
    usage: {
      inputTokens: int(tokens.prompt_tokens),
      outputTokens: int(tokens.completion_tokens),
      reasoningTokens: int(
        known<ZenMuxNativeTokens["completion_tokens_details"]>(tokens.completion_tokens_details).reasoning_tokens,
      ),
      cachedInputTokens: int(
        known<ZenMuxNativeTokens["prompt_tokens_details"]>(tokens.prompt_tokens_details).cached_tokens,
      ),
      totalTokens: int(tokens.total_tokens),
    },
    cost:
      amount === null
        ? null
        : {
            amount,
            currency: "credits",
            upstreamAmount: null,
            discountAmount: toDecimal(rating?.discountAmount),
            breakdown: breakdown ?? null,
          },
    billing: amount !== null ? "final" : context.subscriptionKey ? "unavailable" : "pending",
    finishReason: str(b.finishReason),
    nativeFinishReason: null,
    streamed: bool(b.streamed),
    byok: null,
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
