// Generation ids straight from the SDKs people use: the real `ai` + `@ai-sdk/gateway`,
// `@openrouter/ai-sdk-provider` and `openai` packages call the loopback mock gateway, and the id each
// returns is looked up through the ledger.
import { createGateway } from "@ai-sdk/gateway";
import { createLedger, GenerationIdNotFoundError, getFor, refFromAiSdk, refFromOpenAI } from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { openrouter } from "@genledger/normalize/openrouter";
import { vercel } from "@genledger/normalize/vercel";
import { zenmux } from "@genledger/normalize/zenmux";
import { type MockGateway, startMockGateway } from "@genledger/testing";
import { createOpenRouter } from "@openrouter/ai-sdk-provider";
import { generateText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const apiKey = "test-key-123";
let mock: MockGateway;
let ledger: ReturnType<typeof makeLedger>;

function makeLedger(baseUrls: MockGateway["baseUrls"]) {
  return createLedger({
    providers: [
      vercel({ apiKey, baseUrl: baseUrls.vercel }),
      openrouter({ apiKey, baseUrl: baseUrls.openrouter }),
      zenmux({ apiKey, baseUrl: baseUrls.zenmux }),
      fastrouter({ apiKey, baseUrl: baseUrls.fastrouter }),
    ],
  });
}

beforeAll(async () => {
  // Stats are not ready for the first lookup of each id, as on the real gateways.
  mock = await startMockGateway({ vercel: { notReadyCalls: 1 }, openrouter: { notReadyCalls: 1 } });
  ledger = makeLedger(mock.baseUrls);
});
afterAll(() => mock.close());

const wait = { timeoutMs: 5000, intervalMs: 20 };
const prompt = "In one sentence: what is a generation id?";

describe("the AI SDK (ai) with Vercel AI Gateway (@ai-sdk/gateway)", () => {
  it("providerMetadata.gateway.generationId flows into a lookup", async () => {
    // The provider's baseURL is the gateway's AI SDK endpoint, /v3/ai on the real one.
    const gateway = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai` });
    const result = await generateText({ model: gateway("anthropic/claude-sonnet-4"), prompt });
    expect(result.text).toBe("Hello from the genledger mock gateway.");

    const ref = refFromAiSdk(result);
    expect(ref).toEqual({ provider: "vercel", id: result.providerMetadata?.gateway?.generationId });
    expect(ref.id).toMatch(/^gen_[0-9A-Z]{26}$/);

    const g = await getFor(ledger, result, { wait });
    expect(g).toMatchObject({ provider: "vercel", id: ref.id, model: "anthropic/claude-sonnet-4" });
    expect(g.usage.inputTokens).toBe(result.usage.inputTokens);
    expect(g.cost?.currency).toBe("USD");
    expect(g.cost?.breakdown?.map((item) => item.item)).toEqual(["market", "surcharge", "gateway"]);
  });
});

describe("the AI SDK with OpenRouter's provider (@openrouter/ai-sdk-provider)", () => {
  it("response.id is OpenRouter's generation id", async () => {
    const provider = createOpenRouter({ apiKey, baseURL: mock.baseUrls.openrouter });
    const result = await generateText({ model: provider.chat("openai/gpt-4o-mini"), prompt });
    const ref = refFromAiSdk(result);
    expect(ref).toEqual({ provider: "openrouter", id: result.response.id });
    expect(ref.id).toMatch(/^gen-\d+-[0-9A-Z]{20}$/);
    const g = await getFor(ledger, result, { wait });
    expect(g).toMatchObject({ provider: "openrouter", id: ref.id, model: "openai/gpt-4o-mini" });
    expect(g.usage.inputTokens).toBe(result.usage.inputTokens);
  });

  it("a result of another provider says where the id was expected", async () => {
    const provider = createOpenRouter({ apiKey, baseURL: mock.baseUrls.openrouter });
    const result = await generateText({ model: provider.chat("openai/gpt-4o-mini"), prompt });
    expect(() => refFromAiSdk(result, { provider: "vercel" })).toThrow(GenerationIdNotFoundError);
    expect(() => refFromAiSdk(result, { provider: "vercel" })).toThrow(
      "expected providerMetadata.gateway.generationId (Vercel AI Gateway); the result has providerMetadata has openrouter",
    );
  });
});

describe("the OpenAI SDK (openai) pointed at an OpenAI-compatible gateway", () => {
  const cases = [
    { provider: "openrouter", baseURL: () => mock.baseUrls.openrouter, id: /^gen-\d+-[0-9A-Z]{20}$/ },
    { provider: "zenmux", baseURL: () => mock.baseUrls.zenmux, id: /^gen_[0-9A-Z]{26}$/ },
    { provider: "fastrouter", baseURL: () => `${mock.baseUrls.fastrouter}/api/v1`, id: /^gen-[0-9a-z]{24}$/ },
    { provider: "vercel", baseURL: () => mock.baseUrls.vercel, id: /^gen_[0-9A-Z]{26}$/ },
  ] as const;

  it.each(cases)("$provider: the completion's id flows into a lookup", async ({ provider, baseURL, id }) => {
    const client = new OpenAI({ apiKey, baseURL: baseURL(), maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: prompt }],
    });
    const ref = refFromOpenAI(completion, provider);
    expect(ref).toEqual({ provider, id: completion.id });
    expect(ref.id).toMatch(id);
    const g = await getFor(ledger, completion, { provider, wait });
    expect(g.provider).toBe(provider);
    expect(g.id).toBe(completion.id);
  });
});
