import type { Generation } from "./generation.js";

export type OtelAttributes = Record<string, string | number | boolean | string[]>;

// The GenAI semantic conventions' well-known `gen_ai.provider.name` values, by the names gateways give
// the upstream provider (OpenRouter's "Anthropic", "Google AI Studio"; Vercel's "anthropic", "vertex").
const wellKnown: Record<string, string> = {
  openai: "openai",
  anthropic: "anthropic",
  google: "gcp.gemini",
  "google ai studio": "gcp.gemini",
  gemini: "gcp.gemini",
  "google vertex": "gcp.vertex_ai",
  vertex: "gcp.vertex_ai",
  "vertex ai": "gcp.vertex_ai",
  "amazon bedrock": "aws.bedrock",
  bedrock: "aws.bedrock",
  azure: "azure.ai.openai",
  "azure openai": "azure.ai.openai",
  xai: "x_ai",
  "x-ai": "x_ai",
  mistral: "mistral_ai",
  "mistral ai": "mistral_ai",
  mistralai: "mistral_ai",
  deepseek: "deepseek",
  groq: "groq",
  cohere: "cohere",
  perplexity: "perplexity",
  "ibm watsonx": "ibm.watsonx.ai",
};

/**
 * `gen_ai.provider.name`: the upstream model provider where the gateway says which served the call
 * (a well-known value where there is one, else its name in lower case), else the gateway itself.
 */
export function genAiProviderName(g: Pick<Generation, "provider" | "upstream">): string {
  const upstream = g.upstream.provider?.trim().toLowerCase();
  if (!upstream) return g.provider;
  return wellKnown[upstream] ?? upstream.replace(/\s+/g, "_");
}

/**
 * OpenTelemetry GenAI attributes for a generation (semantic conventions for GenAI client spans), plus
 * the cost: `gen_ai.usage.cost.amount` (a double), `.currency` and `.source` as proposed for the
 * conventions, and `genledger.cost.amount`, the exact decimal as a string. `genledger.gateway` names the
 * gateway, `genledger.billing` whether the record is final. Unknown values are left out (attributes
 * cannot be null).
 */
export function toOtelAttributes(g: Generation): OtelAttributes {
  const attributes: OtelAttributes = {
    "gen_ai.provider.name": genAiProviderName(g),
    "gen_ai.response.id": g.id,
    "genledger.gateway": g.provider,
    "genledger.billing": g.billing,
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
    // An amount beyond a double (1e400) would be Infinity; the exact one is genledger.cost.amount.
    if (Number.isFinite(amount)) put("gen_ai.usage.cost.amount", amount);
    put("gen_ai.usage.cost.currency", g.cost.currency);
    put("gen_ai.usage.cost.source", "provider");
    put("genledger.cost.amount", g.cost.amount);
  }
  return attributes;
}
