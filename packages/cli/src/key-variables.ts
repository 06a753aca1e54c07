// The environment variables each gateway's client reads, for `genledger --help`.
// Written by scripts/lib/registry.ts (`pnpm gateway:new` runs it) from the gateways that exist; do not edit.

export const keyVariables = `  FASTROUTER_API_KEY, OPENROUTER_API_KEY, OXEN_API_KEY (optional),
  AI_GATEWAY_API_KEY (or VERCEL_OIDC_TOKEN), ZENMUX_API_KEY
  FASTROUTER_BASE_URL, OPENROUTER_BASE_URL, OXEN_BASE_URL, AI_GATEWAY_BASE_URL,
  ZENMUX_BASE_URL`;
