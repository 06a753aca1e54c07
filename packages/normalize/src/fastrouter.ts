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
import * as convert from "./convert.js";
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
  const b = convert.known<FastRouterGeneration>(convert.generationObject("fastrouter", body));
  const u = convert.known<FastRouterUsage>(b.usage);
  const t = convert.known<FastRouterTiming>(b.timing);
  const usd = convert.decimalAt(u, "cost");
  const response = convert.obj(b.response);
  return convert.generation(
    "fastrouter",
    convert.required("fastrouter", body, "id", convert.str(b.id) ?? context.id),
    {
      model: convert.str(b.model),
      upstream: { provider: convert.str(b.provider_name), id: convert.str(response?.id) },
      createdAt: convert.isoFromString(b.query_time) ?? convert.isoFromUnixSeconds(b.created_at),
      startedAt: convert.isoFromUnixSeconds(t.started_at),
      completedAt: convert.isoFromUnixSeconds(t.completed_at),
      timing: convert.timing(null, t.duration_ms),
      usage: convert.usage({
        inputTokens: convert.count(u.prompt_tokens) ?? convert.count(b.input_token_size),
        outputTokens: convert.count(u.completion_tokens) ?? convert.count(b.output_token_size),
        totalTokens: convert.count(u.total_tokens) ?? undefined,
      }),
      cost:
        usd !== null
          ? convert.cost({ amount: usd, currency: "USD", basis: "billed" })
          : convert.cost({ amount: convert.decimalAt(b, "credits_used"), currency: "credits", basis: "billed" }),
      finishReason: convert.str(convert.obj((response?.choices as unknown[] | undefined)?.[0])?.finish_reason),
      streamed: convert.bool(convert.obj(b.request)?.stream),
      byok: convert.bool(b.is_byok),
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
