// The environment variables that move a gateway elsewhere (a proxy, `genledger mock`), as its client reads
// them, for each gateway capture knows the completion base URLs of.
// Written by scripts/lib/registry.ts (`pnpm gateway:new` runs it) from the gateways that exist; do not edit.

export const baseUrlEnv: Readonly<Record<string, string>> = {
  CLOUDFLARE_BASE_URL: "cloudflare",
  FASTROUTER_BASE_URL: "fastrouter",
  HELICONE_BASE_URL: "helicone",
  LITELLM_BASE_URL: "litellm",
  NANOGPT_BASE_URL: "nanogpt",
  OPENROUTER_BASE_URL: "openrouter",
  AI_GATEWAY_BASE_URL: "vercel",
  ZENMUX_BASE_URL: "zenmux",
};
