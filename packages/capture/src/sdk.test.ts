// The real SDKs (`ai` with `@ai-sdk/gateway` and `@openrouter/ai-sdk-provider`, `openai`, `@openrouter/sdk`)
// call the loopback mock gateway through capture; every model call must be booked exactly once, with
// the gateway's billed cost and the caller's tags, and the SDK must see exactly what the gateway sent.
import { createGateway } from "@ai-sdk/gateway";
import { type CaptureError, type CaptureRecord, createCapture, tagHeaders } from "@genledger/capture";
import { createLedger, refsFromAiSdk, sumCosts } from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { openrouter } from "@genledger/normalize/openrouter";
import { vercel } from "@genledger/normalize/vercel";
import { zenmux } from "@genledger/normalize/zenmux";
import { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "@genledger/testing";
import { createOpenRouter } from "@openrouter/ai-sdk-provider";
import { HTTPClient, OpenRouter } from "@openrouter/sdk";
import { generateObject, generateText, stepCountIs, streamText, tool, wrapLanguageModel } from "ai";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";

const apiKey = "test-key-123";
const prompt = "What is the weather in Lisbon?";
const mocks: MockGateway[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});

async function setUp(mockOptions: StartMockGatewayOptions = {}) {
  // Stats are not ready for the first lookup of each id, as on the real gateways.
  const mock = await startMockGateway({
    vercel: { notReadyCalls: 1 },
    openrouter: { notReadyCalls: 1 },
    ...mockOptions,
  });
  mocks.push(mock);
  const ledger = createLedger({
    providers: [
      vercel({ apiKey, baseUrl: mock.baseUrls.vercel }),
      openrouter({ apiKey, baseUrl: mock.baseUrls.openrouter }),
      zenmux({ apiKey, baseUrl: mock.baseUrls.zenmux }),
      fastrouter({ apiKey, baseUrl: mock.baseUrls.fastrouter }),
    ],
  });
  const records: CaptureRecord[] = [];
  const errors: CaptureError[] = [];
  const capture = createCapture({
    ledger,
    gateways: mock.gateways,
    onGeneration: (r) => {
      records.push(r);
    },
    onError: (e) => errors.push(e),
  });
  const finals = () => records.filter((r) => r.generation.billing === "final");
  const estimates = () => records.filter((r) => r.generation.billing === "estimated");
  return { mock, ledger, capture, records, errors, finals, estimates };
}

const weather = tool({
  description: "The weather in a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

/** Each id exactly once. */
const ids = (records: CaptureRecord[]) => records.map((r) => r.generation.id).sort();

describe("capture.fetch with only the variables the mock prints", () => {
  it("books an AI SDK gateway call to <mock>/vercel/v3/ai from AI_GATEWAY_BASE_URL=<mock>/vercel/v1", async () => {
    const mock = await startMockGateway({ seed: "env" });
    mocks.push(mock);
    const saved = process.env.AI_GATEWAY_BASE_URL;
    process.env.AI_GATEWAY_BASE_URL = mock.env.AI_GATEWAY_BASE_URL;
    try {
      const errors: CaptureError[] = [];
      const finals: string[] = [];
      const capture = createCapture({
        ledger: createLedger({ providers: [vercel({ apiKey, baseUrl: mock.baseUrls.vercel })] }),
        onGeneration: (r) => {
          if (r.generation.billing === "final") finals.push(r.generation.id);
        },
        onError: (e) => errors.push(e),
      });
      expect(mock.env.AI_GATEWAY_BASE_URL).toMatch(/\/vercel\/v1$/);
      const gateway = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai`, fetch: capture.fetch });
      const result = await generateText({ model: gateway("anthropic/claude-sonnet-4"), prompt });
      await capture.flush({ timeoutMs: 60_000 });
      expect(errors).toEqual([]);
      expect(finals).toEqual([result.providerMetadata?.gateway?.generationId]);
    } finally {
      if (saved === undefined) delete process.env.AI_GATEWAY_BASE_URL;
      else process.env.AI_GATEWAY_BASE_URL = saved;
    }
  });

  it("says once, not in silence, that a gateway-shaped call under an unknown base URL is not booked", async () => {
    const mock = await startMockGateway();
    mocks.push(mock);
    const errors: CaptureError[] = [];
    const capture = createCapture({
      ledger: createLedger({ providers: [vercel({ apiKey, baseUrl: mock.baseUrls.vercel })] }),
      onError: (e) => errors.push(e),
    });
    const gateway = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai`, fetch: capture.fetch });
    for (let i = 0; i < 3; i++) {
      const result = await generateText({ model: gateway("anthropic/claude-sonnet-4"), prompt });
      expect(result.text).toBe("Hello from the genledger mock gateway.");
    }
    expect(errors.map((e) => e.code)).toEqual(["unknown-gateway"]);
    expect(errors[0]?.message).toContain(`${mock.url}/vercel/v3/ai is no gateway capture knows`);
    expect(capture.stats()).toMatchObject({ captured: 0 });
  });
});

describe("the AI SDK through Vercel AI Gateway, with capture.middleware()", () => {
  it("a 3-step tool run with generateText: every step booked once, with its billed cost and the tags", async () => {
    const { mock, capture, finals, estimates, errors } = await setUp();
    const gateway = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai` });
    const model = wrapLanguageModel({ model: gateway("anthropic/claude-sonnet-4"), middleware: capture.middleware() });
    const result = await generateText({
      model,
      prompt,
      tools: { weather },
      stopWhen: stepCountIs(5),
      headers: tagHeaders({ customer: "acme", run: "r-1" }),
    });
    expect(result.steps).toHaveLength(3);
    expect(result.text).toBe("Hello from the genledger mock gateway.");
    const stats = await capture.flush({ timeoutMs: 60_000 });
    expect(stats).toEqual({ captured: 3, resolved: 3, pending: 0, failed: 0, dropped: 0 });
    expect(errors).toEqual([]);
    const refs = refsFromAiSdk(result);
    expect(ids(finals())).toEqual(refs.map((r) => r.id).sort());
    expect(ids(estimates())).toEqual(refs.map((r) => r.id).sort());
    // The sum of the final records is the sum of what each step was billed, exactly.
    const billed = result.steps.map((s) => String(s.providerMetadata?.gateway?.cost));
    expect(sumCosts(finals().map((r) => r.generation))).toEqual(
      sumCosts(billed.map((amount) => ({ cost: { amount, currency: "USD" } }))),
    );
    for (const r of finals()) {
      expect(r.tags).toEqual({ customer: "acme", run: "r-1" });
      expect(r.call).toMatchObject({ provider: "vercel", via: "middleware", streamed: false });
      expect(r.estimate?.difference).toBe("0");
    }
  });

  it("a 3-step tool run with streamText: the parts the SDK sees are the model's, and every step is booked", async () => {
    const { mock, capture, finals, estimates } = await setUp();
    const gateway = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai` });
    const seenInside: unknown[] = [];
    const seenOutside: unknown[] = [];
    const recorder = (into: unknown[]) => ({
      specificationVersion: "v3" as const,
      wrapStream: async ({ doStream }: { doStream: () => PromiseLike<{ stream: ReadableStream<unknown> }> }) => {
        const result = await doStream();
        const stream = result.stream.pipeThrough(
          new TransformStream({
            transform(part, controller) {
              into.push(part);
              controller.enqueue(part);
            },
          }),
        );
        return { ...result, stream };
      },
    });
    // Outermost first: what the SDK sees, capture, what the model sent.
    const model = wrapLanguageModel({
      model: gateway("openai/gpt-5-mini"),
      middleware: [recorder(seenOutside), capture.middleware(), recorder(seenInside)] as never,
    });
    const result = streamText({ model, prompt, tools: { weather }, stopWhen: stepCountIs(5) });
    const steps = await result.steps;
    expect(steps).toHaveLength(3);
    expect(await result.text).toBe("Hello from the genledger mock gateway.");
    expect(seenOutside.length).toBeGreaterThan(10);
    // The same part objects, in the same order: nothing held back, reordered or changed.
    expect(seenOutside).toHaveLength(seenInside.length);
    for (const [i, part] of seenOutside.entries()) expect(part).toBe(seenInside[i]);
    await capture.flush({ timeoutMs: 60_000 });
    const refs = refsFromAiSdk(steps);
    expect(ids(finals())).toEqual(refs.map((r) => r.id).sort());
    expect(ids(estimates())).toEqual(refs.map((r) => r.id).sort());
    expect(finals().every((r) => r.call.streamed)).toBe(true);
    const billed = steps.map((s) => ({ cost: { amount: String(s.providerMetadata?.gateway?.cost), currency: "USD" } }));
    expect(sumCosts(finals().map((r) => r.generation))).toEqual(sumCosts(billed));
  });

  it("generateObject", async () => {
    const { mock, capture, finals } = await setUp();
    const gateway = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai` });
    const model = wrapLanguageModel({ model: gateway("openai/gpt-5-mini"), middleware: capture.middleware() });
    const { object, providerMetadata } = await generateObject({
      model,
      prompt,
      schema: z.object({ city: z.string(), celsius: z.number() }),
    });
    expect(object).toEqual({ city: "genledger", celsius: 1 });
    await capture.flush({ timeoutMs: 60_000 });
    expect(finals().map((r) => r.generation.id)).toEqual([providerMetadata?.gateway?.generationId]);
  });
});

describe("the AI SDK through OpenRouter's provider, with capture.middleware()", () => {
  it("generateText and streamText, tool runs: the response ids are the generations, usage.cost the estimate", async () => {
    const { mock, capture, finals, estimates, errors } = await setUp();
    const provider = createOpenRouter({ apiKey, baseURL: mock.baseUrls.openrouter });
    const model = wrapLanguageModel({ model: provider.chat("openai/gpt-4o-mini"), middleware: capture.middleware() });
    const generated = await generateText({ model, prompt, tools: { weather }, stopWhen: stepCountIs(5) });
    const streamed = streamText({ model, prompt, tools: { weather }, stopWhen: stepCountIs(5) });
    const steps = [...generated.steps, ...(await streamed.steps)];
    expect(steps).toHaveLength(6);
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    const refs = refsFromAiSdk(steps);
    expect(refs.every((r) => r.provider === "openrouter")).toBe(true);
    expect(ids(finals())).toEqual(refs.map((r) => r.id).sort());
    expect(ids(estimates())).toEqual(refs.map((r) => r.id).sort());
    expect(estimates()[0]?.sources.cost).toBe("providerMetadata.openrouter.usage.cost");
    const billed = steps.map((s) => ({
      cost: {
        amount: String((s.providerMetadata?.openrouter?.usage as { cost?: number } | undefined)?.cost),
        currency: "USD",
      },
    }));
    expect(sumCosts(finals().map((r) => r.generation))).toEqual(sumCosts(billed));
  });
});

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** `inner`, keeping the bytes of each body as they pass and the headers each request left with. */
function tapped(inner: Fetch) {
  const bodies: Uint8Array[][] = [];
  const requestHeaders: Headers[] = [];
  const fetch: Fetch = async (input, init) => {
    requestHeaders.push(new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)));
    const response = await inner(input, init);
    if (!response.body) return response;
    const chunks: Uint8Array[] = [];
    bodies.push(chunks);
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          chunks.push(chunk.slice());
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetch, bodies, requestHeaders };
}

const bytes = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString("utf8");

describe("the OpenAI SDK with fetch: capture.fetch", () => {
  const gateways = [
    { provider: "openrouter", baseURL: (m: MockGateway) => m.baseUrls.openrouter, inline: true },
    { provider: "zenmux", baseURL: (m: MockGateway) => m.baseUrls.zenmux, inline: false },
    { provider: "fastrouter", baseURL: (m: MockGateway) => `${m.baseUrls.fastrouter}/api/v1`, inline: false },
    { provider: "vercel", baseURL: (m: MockGateway) => m.baseUrls.vercel, inline: false },
  ] as const;

  it.each(gateways)(
    "$provider: chat completions, streamed and not, booked once each; the SDK reads the gateway's bytes",
    async ({ provider, baseURL, inline }) => {
      const { mock, ledger, finals, estimates, errors } = await setUp();
      const base = tapped(globalThis.fetch); // what the gateway sent
      const records: CaptureRecord[] = [];
      const capture = createCapture({
        ledger,
        gateways: mock.gateways,
        fetch: base.fetch,
        onGeneration: (r) => {
          records.push(r);
        },
        onError: (e) => errors.push(e),
      });
      const sdk = tapped(capture.fetch); // what the SDK read
      const client = new OpenAI({ apiKey, baseURL: baseURL(mock), maxRetries: 0, fetch: sdk.fetch });
      const messages = [{ role: "user" as const, content: prompt }];
      const plain = await client.chat.completions.create(
        { model: "openai/gpt-4o-mini", messages },
        { headers: tagHeaders({ customer: "plain" }) },
      );
      const stream = await client.chat.completions.create(
        { model: "openai/gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } },
        { headers: tagHeaders({ customer: "streamed" }) },
      );
      let text = "";
      let streamId = "";
      for await (const chunk of stream) {
        streamId ||= chunk.id;
        text += chunk.choices[0]?.delta.content ?? "";
      }
      expect(text).toBe("Hello from the genledger mock gateway.");
      const stats = await capture.flush({ timeoutMs: 60_000 });
      expect(errors).toEqual([]);
      expect(stats).toMatchObject({ captured: 2, resolved: 2, pending: 0 });
      const final = records.filter((r) => r.generation.billing === "final");
      expect(final.map((r) => [r.generation.provider, r.generation.id, r.tags.customer, r.call.streamed])).toEqual(
        expect.arrayContaining([
          [provider, plain.id, "plain", false],
          [provider, streamId, "streamed", true],
        ]),
      );
      // The record's own rules, and the completion's own numbers.
      for (const r of final) {
        const u = r.generation.usage;
        expect(u.cachedInputTokens ?? 0).toBeLessThanOrEqual(u.inputTokens as number);
        expect(u.reasoningTokens ?? 0).toBeLessThanOrEqual(u.outputTokens as number);
        if (u.totalTokens !== null) expect(u.totalTokens).toBe((u.inputTokens as number) + (u.outputTokens as number));
      }
      const plainFinal = final.find((r) => r.generation.id === plain.id);
      expect(plainFinal?.generation.usage.inputTokens).toBe(plain.usage?.prompt_tokens);
      expect(plainFinal?.generation.usage.outputTokens).toBe(plain.usage?.completion_tokens);
      // Estimates only where the gateway sends the cost inline.
      const estimated = records.filter((r) => r.generation.billing === "estimated");
      expect(estimated).toHaveLength(inline ? 2 : 0);
      if (inline) {
        const billed = [plain.usage as unknown as { cost: number }].map((u) => String(u.cost));
        expect(plainFinal?.generation.cost?.amount).toBe(billed[0]);
        expect(sumCosts(final.map((r) => r.generation))).toEqual(sumCosts(estimated.map((r) => r.generation)));
      }
      // Byte for byte what the gateway sent, and the tags never left the machine.
      expect(sdk.bodies.map(bytes)).toEqual(base.bodies.map(bytes));
      expect(base.requestHeaders.every((h) => !h.has("x-genledger-tags"))).toBe(true);
      expect(finals()).toEqual([]); // the setUp capture saw none of these calls
      expect(estimates()).toEqual([]);
    },
  );

  it("the Responses API on OpenRouter, streamed and not", async () => {
    const { mock, capture, finals, estimates, errors } = await setUp();
    const client = new OpenAI({ apiKey, baseURL: mock.baseUrls.openrouter, maxRetries: 0, fetch: capture.fetch });
    const plain = await client.responses.create({ model: "openai/gpt-4o-mini", input: prompt });
    const stream = await client.responses.create({ model: "openai/gpt-4o-mini", input: prompt, stream: true });
    let streamId = "";
    for await (const event of stream) if (event.type === "response.completed") streamId = event.response.id;
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(ids(finals())).toEqual([plain.id, streamId].sort());
    expect(estimates().map((r) => r.sources.cost)).toEqual(["response.usage.cost", "usage.cost"].sort().reverse());
  });

  it("@openrouter/sdk through its HTTPClient's fetcher, streamed and not", async () => {
    const { mock, capture, finals, errors } = await setUp();
    const client = new OpenRouter({
      apiKey,
      serverURL: mock.baseUrls.openrouter,
      httpClient: new HTTPClient({ fetcher: capture.fetch }),
      retryConfig: { strategy: "none" },
    });
    const plain = await client.chat.send({
      chatRequest: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: prompt }] },
    } as never);
    const stream = await client.chat.send({
      chatRequest: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: prompt }], stream: true },
    } as never);
    let streamId = "";
    for await (const chunk of stream as unknown as AsyncIterable<{ id?: string }>) streamId ||= chunk.id ?? "";
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(ids(finals())).toEqual([(plain as { id: string }).id, streamId].sort());
    expect(
      finals()
        .map((r) => r.call.streamed)
        .sort(),
    ).toEqual([false, true]);
  });

  it("200 concurrent calls with distinct tags: each record comes back with its own call's tags", async () => {
    const { mock, capture, finals, errors } = await setUp();
    const client = new OpenAI({ apiKey, baseURL: mock.baseUrls.openrouter, maxRetries: 0, fetch: capture.fetch });
    const calls = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const tagged = capture.withTags({ customer: `c-${i}` });
        const perCustomer = new OpenAI({
          apiKey,
          baseURL: mock.baseUrls.openrouter,
          maxRetries: 0,
          fetch: tagged.fetch,
        });
        const useHeader = i % 2 === 0;
        const completion = await (useHeader ? client : perCustomer).chat.completions.create(
          { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: `call ${i}` }] },
          useHeader ? { headers: tagHeaders({ customer: `c-${i}` }) } : {},
        );
        return {
          id: completion.id,
          customer: `c-${i}`,
          cost: String((completion.usage as unknown as { cost: number }).cost),
        };
      }),
    );
    const stats = await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(stats).toEqual({ captured: 200, resolved: 200, pending: 0, failed: 0, dropped: 0 });
    const byId = new Map(finals().map((r) => [r.generation.id, r]));
    expect(byId.size).toBe(200);
    for (const call of calls) expect(byId.get(call.id)?.tags).toEqual({ customer: call.customer });
    expect(sumCosts(finals().map((r) => r.generation))).toEqual(
      sumCosts(calls.map((c) => ({ cost: { amount: c.cost, currency: "USD" } }))),
    );
  });
});
