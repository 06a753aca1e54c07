import { InvalidArgumentError } from "@genledger/core";
import { GenerationIdNotFoundError, getFor, refFromAiSdk, refFromOpenAI, refFromResult } from "@genledger/normalize";
import { describe, expect, it } from "vitest";

// Shapes as the SDKs return them; the real SDKs are exercised in @genledger/testing's sdk tests.
const gatewayResult = {
  text: "hi",
  providerMetadata: { gateway: { generationId: "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0", routing: {} } },
  response: { id: "aitxt-abc", modelId: "anthropic/claude-sonnet-4" },
};
const openRouterResult = {
  text: "hi",
  providerMetadata: { openrouter: { provider: "Anthropic", usage: {} } },
  response: { id: "gen-1763633730-Xq2kLm", modelId: "anthropic/claude-sonnet-4" },
};
const completion = { id: "gen-1763633730-Xq2kLm", object: "chat.completion", choices: [] };

describe("refFromAiSdk", () => {
  it("reads Vercel AI Gateway's providerMetadata.gateway.generationId", () => {
    expect(refFromAiSdk(gatewayResult)).toEqual({ provider: "vercel", id: "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0" });
  });

  it("reads OpenRouter's response.id, told by providerMetadata.openrouter or by the provider option", () => {
    expect(refFromAiSdk(openRouterResult)).toEqual({ provider: "openrouter", id: "gen-1763633730-Xq2kLm" });
    expect(refFromAiSdk({ response: { id: "gen-9" } }, { provider: "openrouter" })).toEqual({
      provider: "openrouter",
      id: "gen-9",
    });
  });

  it("says where the id was expected and what the result holds", () => {
    const error = (() => {
      try {
        refFromAiSdk({ text: "hi", providerMetadata: { anthropic: {} }, response: {} });
      } catch (e) {
        return e;
      }
    })() as GenerationIdNotFoundError;
    expect(GenerationIdNotFoundError.isInstance(error)).toBe(true);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "no generation id: expected providerMetadata.gateway.generationId (Vercel AI Gateway) or response.id (OpenRouter's AI SDK provider, @openrouter/ai-sdk-provider); the result has providerMetadata has anthropic; response.id is absent",
    );
    expect(() => refFromAiSdk(openRouterResult, { provider: "vercel" })).toThrow(
      "expected providerMetadata.gateway.generationId (Vercel AI Gateway)",
    );
    expect(() => refFromAiSdk(Promise.resolve(gatewayResult))).toThrow("got a promise: await it first");
    expect(() => refFromAiSdk(null)).toThrow("got null");
  });
});

describe("refFromOpenAI", () => {
  it("takes the completion's id as the gateway's generation id", () => {
    expect(refFromOpenAI(completion, "zenmux")).toEqual({ provider: "zenmux", id: completion.id });
  });

  it("refuses a completion without an id", () => {
    expect(() => refFromOpenAI({ object: "chat.completion", id: "" }, "fastrouter")).toThrow(
      "no generation id: expected the completion's `id` (OpenAI SDK pointed at fastrouter); its `id` is absent or empty",
    );
  });
});

describe("refFromResult", () => {
  it("tells an OpenAI completion from an AI SDK result, and asks which gateway served a completion", () => {
    expect(refFromResult(completion, "openrouter")).toEqual({ provider: "openrouter", id: completion.id });
    expect(refFromResult(gatewayResult)).toEqual({ provider: "vercel", id: "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0" });
    expect(() => refFromResult(completion)).toThrow("pass { provider }");
  });
});

describe("getFor", () => {
  it("looks up the generation behind an SDK result", async () => {
    const { createLedger } = await import("@genledger/normalize");
    const { vercel } = await import("@genledger/normalize/vercel");
    const { openrouter } = await import("@genledger/normalize/openrouter");
    const asked: string[] = [];
    const fetch = async (input: Request | string | URL) => {
      const url = new URL(input instanceof Request ? input.url : input);
      asked.push(`${url.host}${url.pathname}?${url.search.slice(1)}`);
      const id = url.searchParams.get("id") ?? "";
      return Response.json(
        url.host === "ai-gateway.vercel.sh"
          ? { data: { id, total_cost: 0.5, model: "m" } }
          : { data: { id, total_cost: 0.25, model: "m" } },
      );
    };
    const ledger = createLedger({
      providers: [vercel({ apiKey: "test-key-123", fetch }), openrouter({ apiKey: "test-key-123", fetch })],
    });
    expect((await getFor(ledger, gatewayResult)).cost?.amount).toBe("0.5");
    expect((await getFor(ledger, completion, { provider: "openrouter" })).id).toBe(completion.id);
    expect(asked).toEqual([
      "ai-gateway.vercel.sh/v1/generation?id=gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0",
      "openrouter.ai/api/v1/generation?id=gen-1763633730-Xq2kLm",
    ]);
    await expect(getFor(ledger, { text: "no ids here" })).rejects.toThrow("no generation id");
  });
});
