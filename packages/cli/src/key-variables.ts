// The environment variables each gateway's client reads, for `genledger --help`.
// Written by scripts/lib/registry.ts (`pnpm gateway:new` runs it) from the gateways that exist; do not edit.

export const keyVariables = `  CLOUDFLARE_API_TOKEN, FASTROUTER_API_KEY, HELICONE_API_KEY,
  LITELLM_API_KEY (or LITELLM_MASTER_KEY), NANOGPT_API_KEY, OPENROUTER_API_KEY,
  OXEN_API_KEY (optional), AI_GATEWAY_API_KEY (or VERCEL_OIDC_TOKEN),
  ZENMUX_API_KEY
  CLOUDFLARE_BASE_URL, FASTROUTER_BASE_URL, HELICONE_BASE_URL, LITELLM_BASE_URL,
  NANOGPT_BASE_URL, OPENROUTER_BASE_URL, OXEN_BASE_URL, AI_GATEWAY_BASE_URL,
  ZENMUX_BASE_URL`;
