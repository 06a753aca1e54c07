// The environment variables that move a gateway elsewhere (a proxy, `genledger mock`), as its client reads
// them, for each gateway capture knows the completion base URLs of.
// Written by scripts/lib/registry.ts (`pnpm gateway:new` runs it) from the gateways that exist; do not edit.

export const baseUrlEnv: Readonly<Record<string, string>> = {
  FASTROUTER_BASE_URL: "fastrouter",
  OPENROUTER_BASE_URL: "openrouter",
  AI_GATEWAY_BASE_URL: "vercel",
  ZENMUX_BASE_URL: "zenmux",
};
