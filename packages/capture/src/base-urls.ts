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
};
