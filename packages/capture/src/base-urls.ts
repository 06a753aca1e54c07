// The gateways capture knows, by the base URLs their completions are sent to. It imports nothing:
// scripts/lib/registry.ts reads it to derive each one's `*_BASE_URL` variable (base-url-env.ts).

/**
 * The OpenAI-compatible (and AI SDK) base URLs of each gateway, as their docs give them: a gateway
 * listed here is captured (its `*_BASE_URL` variable is derived from its definition, `base-url-env.ts`).
 */
export const builtInGateways: Readonly<Record<string, string>> = {
  "https://openrouter.ai/api/v1": "openrouter",
  "https://zenmux.ai/api/v1": "zenmux",
  "https://api.fastrouter.ai/api/v1": "fastrouter",
  "https://go.fastrouter.ai/api/v1": "fastrouter",
  "https://ai-gateway.vercel.sh/v1": "vercel",
  // The AI SDK endpoint: `@ai-sdk/gateway` 3 (ai 6) defaults to /v3/ai, `@ai-sdk/gateway` 4 (ai 7) to /v4/ai.
  "https://ai-gateway.vercel.sh/v3/ai": "vercel",
  "https://ai-gateway.vercel.sh/v4/ai": "vercel",
  // NanoGPT documents both hosts.
  "https://nano-gpt.com/api/v1": "nanogpt",
  "https://api.nano-gpt.com/api/v1": "nanogpt",
  // …/v1/{account_id}/{gateway_id}/compat (OpenAI-compatible) or …/{provider} (openai, …).
  "https://gateway.ai.cloudflare.com/v1": "cloudflare",
  // Helicone's AI gateway (`@helicone/ai-sdk-provider`'s default) and its OpenAI proxy.
  "https://ai-gateway.helicone.ai": "helicone",
  "https://oai.helicone.ai/v1": "helicone",
  // LiteLLM's proxy is self-hosted: found by LITELLM_BASE_URL or the `gateways` option.
};

/**
 * Where a gateway names the call's lookup id in a response header, read before any body byte: the id
 * then is the header's (the body's `id` is the upstream provider's own), or with `fallback` only where
 * the body has none (LiteLLM keys its spend log by the body's `id`; `x-litellm-call-id` may not match).
 * `cost` is a header with the gateway's inline estimate, in USD.
 */
export const idHeaders: Readonly<
  Record<string, { header: string; fallback?: boolean; cost?: string; ref?: "cloudflare" }>
> = {
  nanogpt: { header: "x-request-id" },
  // The log id; its ref is {account}/{gateway}/{log_id}, the first two read from the call's URL.
  cloudflare: { header: "cf-aig-log-id", ref: "cloudflare" },
  helicone: { header: "helicone-id" },
  litellm: { header: "x-litellm-call-id", fallback: true, cost: "x-litellm-response-cost" },
};
