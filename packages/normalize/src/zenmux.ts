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
  // `b`: the fields the spec declares (typed); `old`: spellings of other doc versions and captured
  // records, which no spec declares (a snake_case page, `createdAt`/`modelSlug`/`realAmount`).
  const old = generationObject("zenmux", body);
  const b = known<ZenMuxGeneration>(old);
  const tokens = known<ZenMuxNativeTokens>(b.nativeTokens ?? old.native_tokens);
  const rating = known<ZenMuxRatingResponses>(b.ratingResponses);
  // `usage` (a number, or a string on the snake_case page); `realAmount` (older pages: bill − discount).
  const amount = decimalAt(b, "usage") ?? decimalAt(old, "realAmount") ?? decimalAt(rating, "billAmount");
  const details = Array.isArray(rating.ratingDetails) ? rating.ratingDetails : null;
  const input = count(tokens.prompt_tokens);
  const output = count(tokens.completion_tokens);
  return generation(
    "zenmux",
    required("zenmux", body, "generationId", b.generationId ?? old.generation_id),
    {
      // A captured record carries a display name in `model` and the slug in `modelSlug`.
      model: str(old.modelSlug) ?? str(b.model),
      upstream: { provider: str(old.providerSlug), id: null },
      status: old.cancelled === true ? "cancelled" : "succeeded",
      createdAt: isoFromString(b.createAt ?? old.createdAt ?? old.created_at),
      timing: timing(b.latency, b.generationTime ?? old.generation_time),
      usage: usage({
        inputTokens: input,
        outputTokens: output,
        reasoningTokens: count(
          known<ZenMuxNativeTokens["completion_tokens_details"]>(tokens.completion_tokens_details).reasoning_tokens,
        ),
        cachedInputTokens: count(
          known<ZenMuxNativeTokens["prompt_tokens_details"]>(tokens.prompt_tokens_details).cached_tokens,
        ),
        totalTokens: count(tokens.total_tokens) ?? undefined,
      }),
      cost: cost({
        amount,
        currency: "credits",
        discountAmount: decimalAt(old, "discountAmount") ?? decimalAt(rating, "discountAmount"),
        breakdown:
          details?.map((item): CostItem => {
            const i = known<ZenMuxRatingDetail>(item);
            return {
              item: str(i.feeItemCode) ?? "unknown",
              amount: decimalAt(i, "billAmount"),
              originalAmount: decimalAt(i, "originAmount"),
              discountAmount: decimalAt(i, "discountAmount"),
              rate: decimalAt(i, "rate"),
            };
          }) ?? null,
      }),
      billing: amount !== null ? "final" : context.subscriptionKey ? "unavailable" : "pending",
      finishReason: str(b.finishReason ?? old.finish_reason),
      nativeFinishReason: str(old.nativeFinishReason),
      streamed: bool(b.streamed),
      byok: bool(old.byok),
    },
    body,
  );
}

/** The ledger adapter, with the client it uses. */
export interface ZenMuxAdapter extends Adapter<"zenmux"> {
  readonly client: ZenMuxClient;
}

/** The ledger adapter for ZenMux; same options as `createZenMuxClient`. */
export const zenmux: (options?: ZenMuxClientOptions) => ZenMuxAdapter = defineAdapter({
  provider: "zenmux",
  client: createZenMuxClient,
  map: (body, { options }: { options: ZenMuxClientOptions }) =>
    fromZenMux(body, {
      subscriptionKey: (options.apiKey ?? readEnv("ZENMUX_API_KEY") ?? "").startsWith(subscriptionKeyPrefix),
    }),
  // Billing arrives 3-5 minutes late; wait for it only when asked.
  isReady: (g, wait) => !(wait.billing && g.billing === "pending"),
});
