// @genledger/normalize/fastrouter
import {
  createFastRouterClient,
  type FastRouterClient,
  type FastRouterClientOptions,
  type FastRouterGeneration,
  type FastRouterTiming,
  type FastRouterUsage,
} from "@genledger/fastrouter";
import { type Adapter, defineAdapter } from "./adapter.js";
import {
  bool,
  cost,
  count,
  decimalAt,
  generation,
  generationObject,
  isoFromString,
  isoFromUnixSeconds,
  known,
  obj,
  required,
  str,
  timing,
  usage,
} from "./convert.js";
import type { Generation } from "./generation.js";

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
  const b = known<FastRouterGeneration>(generationObject("fastrouter", body));
  const u = known<FastRouterUsage>(b.usage);
  const t = known<FastRouterTiming>(b.timing);
  const usd = decimalAt(u, "cost");
  const response = obj(b.response);
  return generation(
    "fastrouter",
    required("fastrouter", body, "id", str(b.id) ?? context.id),
    {
      model: str(b.model),
      upstream: { provider: str(b.provider_name), id: str(response?.id) },
      createdAt: isoFromString(b.query_time) ?? isoFromUnixSeconds(b.created_at),
      startedAt: isoFromUnixSeconds(t.started_at),
      completedAt: isoFromUnixSeconds(t.completed_at),
      timing: timing(null, t.duration_ms),
      usage: usage({
        inputTokens: count(u.prompt_tokens) ?? count(b.input_token_size),
        outputTokens: count(u.completion_tokens) ?? count(b.output_token_size),
        totalTokens: count(u.total_tokens) ?? undefined,
      }),
      cost:
        usd !== null
          ? cost({ amount: usd, currency: "USD" })
          : cost({ amount: decimalAt(b, "credits_used"), currency: "credits" }),
      finishReason: str(obj((response?.choices as unknown[] | undefined)?.[0])?.finish_reason),
      streamed: bool(obj(b.request)?.stream),
      byok: bool(b.is_byok),
    },
    body,
  );
}

/** The ledger adapter, with the client it uses. */
export interface FastRouterAdapter extends Adapter<"fastrouter"> {
  readonly client: FastRouterClient;
}

/** The ledger adapter for FastRouter; same options as `createFastRouterClient`. */
export const fastrouter: (options?: FastRouterClientOptions) => FastRouterAdapter = defineAdapter({
  provider: "fastrouter",
  client: createFastRouterClient,
  map: (body, { id }) => fromFastRouter(body, { id }),
});
