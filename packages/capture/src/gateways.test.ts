import { afterEach, describe, expect, it, vi } from "vitest";
import { gatewayMatcher } from "./gateways.js";

describe("gatewayMatcher", () => {
  const matcher = gatewayMatcher({ "http://127.0.0.1:8787/openrouter/api/v1/": "openrouter" });

  it("tells the gateway and the API from the URL, for the public base URLs and added ones", () => {
    expect(matcher.match("https://openrouter.ai/api/v1/chat/completions")).toEqual({
      provider: "openrouter",
      api: "chat.completions",
      rest: "/chat/completions",
    });
    expect(matcher.match("https://openrouter.ai/api/v1/responses?x=1")).toEqual({
      provider: "openrouter",
      api: "responses",
      rest: "/responses",
    });
    expect(matcher.match("https://zenmux.ai/api/v1/chat/completions")?.provider).toBe("zenmux");
    expect(matcher.match("https://go.fastrouter.ai/api/v1/chat/completions")?.provider).toBe("fastrouter");
    expect(matcher.match("https://ai-gateway.vercel.sh/v1/chat/completions")?.provider).toBe("vercel");
    expect(matcher.match("https://ai-gateway.vercel.sh/v3/ai/language-model")).toMatchObject({
      provider: "vercel",
      api: "ai-sdk",
    });
    // @ai-sdk/gateway 4 (ai 7) defaults to /v4/ai.
    expect(matcher.match("https://ai-gateway.vercel.sh/v4/ai/language-model")).toMatchObject({
      provider: "vercel",
      api: "ai-sdk",
    });
    expect(matcher.match("https://api.nano-gpt.com/api/v1/chat/completions")?.provider).toBe("nanogpt");
    expect(matcher.match("https://nano-gpt.com/api/v1/chat/completions")?.provider).toBe("nanogpt");
    expect(matcher.match("https://gateway.ai.cloudflare.com/v1/acc/gw/compat/chat/completions")).toEqual({
      provider: "cloudflare",
      api: "chat.completions",
      rest: "/acc/gw/compat/chat/completions",
    });
    expect(matcher.match("https://oai.helicone.ai/v1/chat/completions")?.provider).toBe("helicone");
    expect(matcher.match("https://ai-gateway.helicone.ai/v1/chat/completions")?.provider).toBe("helicone");
    expect(matcher.match("http://127.0.0.1:8787/openrouter/api/v1/chat/completions")?.provider).toBe("openrouter");
  });

  it("passes over other endpoints, other hosts and look-alike hosts", () => {
    expect(matcher.match("https://openrouter.ai/api/v1/models")).toBeUndefined();
    expect(matcher.match("https://api.openai.com/v1/chat/completions")).toBeUndefined();
    expect(matcher.match("https://openrouter.ai.evil.example/api/v1/chat/completions")).toBeUndefined();
    expect(matcher.match("https://openrouter.ai/api/v10/chat/completions")).toBeUndefined();
  });
});

describe("gatewayMatcher and the environment", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("also takes the base URLs the clients read from *_BASE_URL, a self-hosted LiteLLM proxy's among them", () => {
    vi.stubEnv("LITELLM_BASE_URL", "https://llm.internal.example:4000");
    expect(gatewayMatcher().match("https://llm.internal.example:4000/v1/chat/completions")?.provider).toBe("litellm");
    vi.stubEnv("OPENROUTER_BASE_URL", "http://127.0.0.1:9999/openrouter/api/v1");
    vi.stubEnv("ZENMUX_BASE_URL", "not a url");
    const matcher = gatewayMatcher();
    expect(matcher.match("http://127.0.0.1:9999/openrouter/api/v1/chat/completions")?.provider).toBe("openrouter");
    expect(matcher.match("https://zenmux.ai/api/v1/chat/completions")?.provider).toBe("zenmux");
  });
});
