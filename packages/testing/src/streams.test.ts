// The mock's completions, as the gateways send them: server-sent event streams, OpenRouter's inline
// cost, stream faults, and lookups that report what the completion did. Real SDKs against these
// routes are tested in @genledger/capture.
import { createLedger } from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { openrouter } from "@genledger/normalize/openrouter";
import { vercel } from "@genledger/normalize/vercel";
import { zenmux } from "@genledger/normalize/zenmux";
import { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "@genledger/testing";
import { createHandlers } from "@genledger/testing/msw";
import { afterEach, describe, expect, it } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";

const apiKey = "mock-key-0123456789";
const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
let mock: MockGateway | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(options: StartMockGatewayOptions = {}) {
  mock = await startMockGateway(options);
  return mock;
}

const post = (url: string, body: unknown, extra: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { ...headers, ...extra }, body: JSON.stringify(body) });

/** The `data:` payloads of an event stream, parsed where they are JSON. */
function dataOf(text: string): unknown[] {
  return text
    .split("\n\n")
    .flatMap((event) => event.split("\n").filter((line) => line.startsWith("data: ")))
    .map((line) => line.slice(6))
    .map((data) => (data === "[DONE]" ? data : JSON.parse(data)));
}

const chat = { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hello there" }] };

describe("streamed chat completions", () => {
  it("OpenRouter: SSE chunks with the id, a final chunk with usage and cost, then [DONE]", async () => {
    const m = await start();
    const response = await post(`${m.baseUrls.openrouter}/chat/completions`, { ...chat, stream: true });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const text = await response.text();
    expect(text.startsWith(": OPENROUTER PROCESSING\n\n")).toBe(true);
    const data = dataOf(text) as Record<string, any>[];
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(
      "Hello from the genledger mock gateway.",
    );
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ cost: expect.any(Number), prompt_tokens: expect.any(Number) });
  });

  it("other gateways send usage only when stream_options.include_usage asks, and never a cost", async () => {
    const m = await start();
    const url = `${m.baseUrls.zenmux}/chat/completions`;
    const without = dataOf(await (await post(url, { ...chat, stream: true })).text());
    expect(without.some((c) => typeof c === "object" && c !== null && "usage" in c)).toBe(false);
    const withUsage = dataOf(
      await (await post(url, { ...chat, stream: true, stream_options: { include_usage: true } })).text(),
    ) as Record<string, any>[];
    const usage = withUsage.at(-2)?.usage;
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: 9 });
    expect(usage).not.toHaveProperty("cost");
  });

  it("the Responses API streams typed events, the last one response.completed with usage", async () => {
    const m = await start();
    const response = await post(`${m.baseUrls.openrouter}/responses`, { model: "m", input: "hi", stream: true });
    const text = await response.text();
    const names = [...text.matchAll(/^event: (.+)$/gm)].map((x) => x[1]);
    const data = dataOf(text) as Record<string, any>[];
    expect(data.map((d) => d.type)).toEqual(names);
    expect(names[0]).toBe("response.created");
    expect(names.at(-1)).toBe("response.completed");
    expect(data.at(-1)?.response.usage).toMatchObject({ input_tokens: expect.any(Number), cost: expect.any(Number) });
    expect(data[0]?.response.id).toBe(data.at(-1)?.response.id);
  });

  it("the AI SDK gateway endpoint streams stream parts; the finish part carries the generation id and cost", async () => {
    const m = await start();
    const response = await post(
      `${m.url}/vercel/v3/ai/language-model`,
      { prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }] },
      { "ai-language-model-id": "openai/gpt-5-mini", "ai-language-model-streaming": "true" },
    );
    const parts = dataOf(await response.text()) as Record<string, any>[];
    expect(parts[0]?.type).toBe("stream-start");
    const finish = parts.at(-1);
    expect(finish?.type).toBe("finish");
    expect(finish?.providerMetadata.gateway).toMatchObject({
      generationId: expect.stringMatching(/^gen_/),
      cost: expect.stringMatching(/^\d\.\d+$/),
    });
  });
});

describe("stream faults", () => {
  it("cut: the connection ends half-way", async () => {
    const m = await start({ openrouter: { streamFault: "cut" } });
    const response = await post(`${m.baseUrls.openrouter}/chat/completions`, { ...chat, stream: true });
    await expect(response.text()).rejects.toThrow();
  });

  it("no-id: the chunks carry no id", async () => {
    const m = await start({ fastrouter: { streamFault: "no-id" } });
    const response = await post(`${m.baseUrls.fastrouter}/api/v1/chat/completions`, { ...chat, stream: true });
    const chunks = dataOf(await response.text()).filter((c) => c !== "[DONE]");
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((c) => !Object.hasOwn(c as object, "id"))).toBe(true);
  });

  it("error: an error event ends the stream", async () => {
    const m = await start({ openrouter: { streamFault: "error" } });
    const response = await post(`${m.baseUrls.openrouter}/chat/completions`, { ...chat, stream: true });
    const data = dataOf(await response.text()) as Record<string, any>[];
    expect(data.at(-1)?.error).toEqual({ code: 502, message: "Provider returned error" });
  });
});

describe("a completion's lookup", () => {
  it("reports the completion's model, tokens and cost, within the record's rules, on every gateway", async () => {
    const m = await start();
    const ledger = createLedger({
      providers: [
        openrouter({ apiKey, baseUrl: m.baseUrls.openrouter }),
        zenmux({ apiKey, baseUrl: m.baseUrls.zenmux }),
        fastrouter({ apiKey, baseUrl: m.baseUrls.fastrouter }),
        vercel({ apiKey, baseUrl: m.baseUrls.vercel }),
      ],
    });
    const routes = {
      openrouter: `${m.baseUrls.openrouter}/chat/completions`,
      zenmux: `${m.baseUrls.zenmux}/chat/completions`,
      fastrouter: `${m.baseUrls.fastrouter}/api/v1/chat/completions`,
      vercel: `${m.baseUrls.vercel}/chat/completions`,
    } as const;
    for (const [provider, url] of Object.entries(routes) as [keyof typeof routes, string][]) {
      const completion = (await (await post(url, { ...chat, model: "anthropic/claude-sonnet-4" })).json()) as {
        id: string;
        usage: Record<string, any>;
      };
      const g = await ledger.get(provider, completion.id, { wait: { timeoutMs: 5000, intervalMs: 10, billing: true } });
      expect(g.model, provider).toBe("anthropic/claude-sonnet-4");
      expect(g.usage.inputTokens, provider).toBe(completion.usage.prompt_tokens);
      expect(g.usage.outputTokens, provider).toBe(completion.usage.completion_tokens);
      expect(g.usage.cachedInputTokens ?? 0).toBeLessThanOrEqual(g.usage.inputTokens as number);
      expect(g.usage.reasoningTokens ?? 0).toBeLessThanOrEqual(g.usage.outputTokens as number);
      if (completion.usage.cost !== undefined) expect(g.cost?.amount).toBe(String(completion.usage.cost));
    }
  });

  it("billedCost: the gateway re-bills, and the lookup says the billed amount", async () => {
    const m = await start({ openrouter: { billedCost: () => 0.5 } });
    const completion = (await (await post(`${m.baseUrls.openrouter}/chat/completions`, chat)).json()) as { id: string };
    const ledger = createLedger({ providers: [openrouter({ apiKey, baseUrl: m.baseUrls.openrouter })] });
    expect((await ledger.get("openrouter", completion.id)).cost?.amount).toBe("0.5");
  });
});

describe("msw handlers", () => {
  const server = useMswServer();

  it("stream too, and a cut stream errors", async () => {
    server.use(...createHandlers({ openrouter: { streamFault: undefined } }));
    const response = await post("https://openrouter.ai/api/v1/chat/completions", { ...chat, stream: true });
    expect(dataOf(await response.text()).at(-1)).toBe("[DONE]");
    server.resetHandlers(...createHandlers({ openrouter: { streamFault: "cut" } }));
    const cut = await post("https://openrouter.ai/api/v1/chat/completions", { ...chat, stream: true });
    await expect(cut.text()).rejects.toThrow();
  });
});
