import type { Generation } from "./generation.js";

export type OtelAttributes = Record<string, string | number | boolean | string[]>;

/**
 * OpenTelemetry GenAI attributes for a generation, plus the proposed `gen_ai.usage.cost.*`.
 * Unknown values are left out (attributes cannot be null). The cost amount is a number here, as
 * attribute backends expect; the exact decimal stays in `g.cost.amount`.
 */
export function toOtelAttributes(g: Generation): OtelAttributes {
  const attributes: OtelAttributes = {
    "gen_ai.provider.name": g.provider,
    "gen_ai.response.id": g.id,
  };
  const put = (key: string, value: string | number | boolean | string[] | null) => {
    if (value !== null) attributes[key] = value;
  };
  put("gen_ai.response.model", g.model);
  put("gen_ai.usage.input_tokens", g.usage.inputTokens);
  put("gen_ai.usage.output_tokens", g.usage.outputTokens);
  put("gen_ai.usage.reasoning.output_tokens", g.usage.reasoningTokens);
  put("gen_ai.usage.cache_read.input_tokens", g.usage.cachedInputTokens);
  put("gen_ai.response.finish_reasons", g.finishReason === null ? null : [g.finishReason]);
  if (g.cost) {
    const amount = Number(g.cost.amount);
    // An amount beyond a double (1e400) would be Infinity; the exact one stays in g.cost.amount.
    if (Number.isFinite(amount)) put("gen_ai.usage.cost.amount", amount);
    put("gen_ai.usage.cost.currency", g.cost.currency);
    put("gen_ai.usage.cost.source", "provider");
  }
  return attributes;
}
