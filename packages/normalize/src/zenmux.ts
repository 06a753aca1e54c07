// @genledger/normalize/zenmux
import { readEnv } from "@genledger/core/internal";
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
import * as convert from "./convert.js";
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
  const old = convert.generationObject("zenmux", body);
  const b = convert.known<ZenMuxGeneration>(old);
  const tokens = convert.known<ZenMuxNativeTokens>(b.nativeTokens ?? old.native_tokens);
  const rating = convert.known<ZenMuxRatingResponses>(b.ratingResponses);
  // `usage` (a number, or a string on the snake_case page); `realAmount` (older pages: bill − discount).
  const amount =
    convert.decimalAt(b, "usage") ?? convert.decimalAt(old, "realAmount") ?? convert.decimalAt(rating, "billAmount");
  const details = Array.isArray(rating.ratingDetails) ? rating.ratingDetails : null;
  const input = convert.count(tokens.prompt_tokens);
  const output = convert.count(tokens.completion_tokens);
  return convert.generation(
    "zenmux",
    convert.required("zenmux", body, "generationId", b.generationId ?? old.generation_id),
    {
      // A captured record carries a display name in `model` and the slug in `modelSlug`.
      model: convert.str(old.modelSlug) ?? convert.str(b.model),
      upstream: { provider: convert.str(old.providerSlug), id: null },
      status: old.cancelled === true ? "cancelled" : "succeeded",
      createdAt: convert.isoFromString(b.createAt ?? old.createdAt ?? old.created_at),
      timing: convert.timing(b.latency, b.generationTime ?? old.generation_time),
      usage: convert.usage({
        inputTokens: input,
        outputTokens: output,
        reasoningTokens: convert.count(
          convert.known<ZenMuxNativeTokens["completion_tokens_details"]>(tokens.completion_tokens_details)
            .reasoning_tokens,
        ),
        cachedInputTokens: convert.count(
          convert.known<ZenMuxNativeTokens["prompt_tokens_details"]>(tokens.prompt_tokens_details).cached_tokens,
        ),
        totalTokens: convert.count(tokens.total_tokens) ?? undefined,
      }),
      cost: convert.cost({
        amount,
        currency: "credits",
        basis: "billed",
        discountAmount: convert.decimalAt(old, "discountAmount") ?? convert.decimalAt(rating, "discountAmount"),
        breakdown:
          details?.map((item): CostItem => {
            const i = convert.known<ZenMuxRatingDetail>(item);
            return {
              item: convert.str(i.feeItemCode) ?? "unknown",
              kind: "part",
              amount: convert.decimalAt(i, "billAmount"),
              originalAmount: convert.decimalAt(i, "originAmount"),
              discountAmount: convert.decimalAt(i, "discountAmount"),
              rate: convert.decimalAt(i, "rate"),
            };
          }) ?? null,
      }),
      billing: amount !== null ? "final" : context.subscriptionKey ? "unavailable" : "pending",
      finishReason: convert.str(b.finishReason ?? old.finish_reason),
      nativeFinishReason: convert.str(old.nativeFinishReason),
      streamed: convert.bool(b.streamed),
      byok: convert.bool(old.byok),
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
