export type GenerationStatus = "queued" | "processing" | "succeeded" | "failed" | "cancelled";

/** One billed item of a cost (ZenMux's fee items, Vercel's split). Amounts are exact decimal strings. */
export interface CostItem {
  item: string;
  /**
   * `"part"`: one of the items that add up to the cost (ZenMux's fees, Vercel's market and surcharge);
   * `"total"`: the whole that was debited (Vercel's gateway), never added to the parts.
   */
  kind: "part" | "total";
  amount: string | null;
  originalAmount: string | null;
  discountAmount: string | null;
  rate: string | null;
}

/**
 * Where a cost comes from. `"billed"`: what the gateway charged (OpenRouter, Vercel, ZenMux, FastRouter,
 * Oxen, NanoGPT). `"computed"`: what the gateway worked out from its price table, not an invoice
 * (Cloudflare, LiteLLM, Helicone). `"custom"`: worked out from prices the caller gave (Cloudflare's
 * `cf-aig-custom-cost`).
 */
export type CostBasis = "billed" | "computed" | "custom";

/** The gateways whose costs are computed from a price table rather than billed. */
const computedGateways: readonly string[] = ["cloudflare", "helicone", "litellm"];

/** The basis a gateway's costs have unless its record says more (a Cloudflare custom cost). */
export function impliedBasis(provider: string): CostBasis {
  return computedGateways.includes(provider) ? "computed" : "billed";
}

export interface Cost {
  /** Exact decimal string: no exponent, no float drift. */
  amount: string;
  /** "USD" where the gateway documents USD, "XNO" where NanoGPT bills in Nano, else "credits". Never converted. */
  currency: "USD" | "XNO" | "credits";
  /** Billed, or computed by the gateway from a price table (its own, or the caller's). */
  basis: CostBasis;
  /** Bring-your-own-key upstream cost, never included in `amount`. */
  upstreamAmount: string | null;
  discountAmount: string | null;
  breakdown: CostItem[] | null;
}

export interface Usage {
  /** Includes cached input tokens (OpenTelemetry GenAI convention). */
  inputTokens: number | null;
  /** Includes reasoning tokens. */
  outputTokens: number | null;
  reasoningTokens: number | null;
  cachedInputTokens: number | null;
  totalTokens: number | null;
}

export interface GenerationFields {
  /** The gateway's generation id. */
  id: string;
  model: string | null;
  /** Where the gateway routed the request. */
  upstream: { provider: string | null; id: string | null };
  status: GenerationStatus;
  /** ISO-8601 UTC, e.g. "2026-11-20T10:15:30.123Z". */
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  timing: { timeToFirstTokenMs: number | null; generationMs: number | null };
  usage: Usage;
  cost: Cost | null;
  /**
   * "final": the gateway's billed record. "pending": the gateway bills later (ZenMux, Oxen in flight);
   * "unavailable": it never will for this key. "estimated": read from the completion's own response
   * (OpenRouter's `usage.cost`, Vercel's `providerMetadata.gateway.cost`) by `@genledger/capture`,
   * before the gateway's record exists; the looked-up record replaces it, and wins where they differ.
   */
  billing: "final" | "pending" | "unavailable" | "estimated";
  finishReason: string | null;
  nativeFinishReason: string | null;
  streamed: boolean | null;
  byok: boolean | null;
  error: string | null;
}

/**
 * What each gateway's `raw` holds: its typed response body, as sent. Each
 * `@genledger/normalize/<gateway>` subpath adds its gateway here, so the types name only the
 * gateways you import, and never need a gateway package you did not install.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging from each subpath
export interface RawByProvider {}

export type ProviderName = keyof RawByProvider;

/** One generation, whichever gateway served it; `provider` discriminates `raw`. */
export type Generation<P extends ProviderName = ProviderName> = {
  [K in P]: GenerationFields & { provider: K; raw: RawByProvider[K] };
}[P];

/** Which generation of which gateway: what a lookup, a batch line, a queue row and a capture are keyed by. */
export interface GenerationRef<P extends string = string> {
  provider: P;
  id: string;
}

/**
 * A `Generation` of any gateway, `raw` its body (or null): what capture books and the store keeps, one type
 * for both.
 */
export type GenerationRecord = GenerationFields & { provider: string; raw: unknown };
