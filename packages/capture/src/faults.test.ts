// Broken gateways, broken resolvers and careless callers: the user's SDK call still succeeds (or fails
// with its own error), and capture reports what it could not book.
import { createServer, type Server } from "node:net";
import { createGateway } from "@ai-sdk/gateway";
import {
  type CapturedCall,
  type CaptureError,
  type CaptureRecord,
  createCapture,
  tagHeaders,
} from "@genledger/capture";
import { InvalidArgumentError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { vercel } from "@genledger/normalize/vercel";
import { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "@genledger/testing";
import { streamText, wrapLanguageModel } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";

const apiKey = "test-key-123";
const messages = [{ role: "user" as const, content: "hi" }];
const model = "openai/gpt-4o-mini";
const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

async function mockGateway(options: StartMockGatewayOptions = {}) {
  const mock = await startMockGateway(options);
  closing.push(() => mock.close());
  return mock;
}

/** A server on 127.0.0.1 that accepts every connection and never answers. */
async function silentServer(): Promise<string> {
  const sockets = new Set<import("node:net").Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closing.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address() as import("node:net").AddressInfo;
  return `http://127.0.0.1:${address.port}/api/v1`;
}

function capturing(mock: MockGateway, options: { lookupBaseUrl?: string; [key: string]: unknown } = {}) {
  const { lookupBaseUrl, ...rest } = options;
  const records: CaptureRecord[] = [];
  const errors: CaptureError[] = [];
  const dropped: CapturedCall[] = [];
  const ledger = createLedger({
    providers: [
      openrouter({ apiKey, baseUrl: lookupBaseUrl ?? mock.baseUrls.openrouter, maxRetries: 0 }),
      vercel({ apiKey, baseUrl: mock.baseUrls.vercel, maxRetries: 0 }),
    ],
  });
  const capture = createCapture({
    ledger,
    gateways: mock.gateways,
    onGeneration: (r) => {
      records.push(r);
    },
    onError: (e) => errors.push(e),
    onDropped: (c) => dropped.push(c),
    ...rest,
  });
  closing.push(() => capture.close());
  const client = new OpenAI({ apiKey, baseURL: mock.baseUrls.openrouter, maxRetries: 0, fetch: capture.fetch });
  return { capture, records, errors, dropped, client };
}

async function drain(stream: AsyncIterable<{ choices: { delta: { content?: string | null } }[] }>) {
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  return text;
}

describe("broken streams", () => {
  it("a stream without an id: the call succeeds, capture reports it cannot look it up", async () => {
    const mock = await mockGateway({ openrouter: { streamFault: "no-id" } });
    const { capture, client, errors, records } = capturing(mock);
    const text = await drain(await client.chat.completions.create({ model, messages, stream: true }));
    expect(text).toBe("Hello from the genledger mock gateway.");
    expect(await capture.flush({ timeoutMs: 60_000 })).toEqual({
      captured: 1,
      resolved: 0,
      pending: 0,
      failed: 1,
      dropped: 0,
    });
    expect(errors.map((e) => [e.code, e.call.provider, e.call.streamed])).toEqual([["no-id", "openrouter", true]]);
    expect(errors[0]?.message).toBe("openrouter: the stream carried no generation id; the call cannot be looked up");
    expect(records).toEqual([]);
  });

  it("a stream cut mid-way: the SDK gets its own error, and the generation it started is still booked", async () => {
    const mock = await mockGateway({ openrouter: { streamFault: "cut" } });
    const { capture, client, errors, records } = capturing(mock);
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    await expect(drain(stream)).rejects.toThrow();
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(records.map((r) => r.generation.billing)).toEqual(["final"]);
  });

  it("an error event inside the stream: the SDK throws it, and capture books the generation", async () => {
    const mock = await mockGateway({ openrouter: { streamFault: "error" } });
    const { capture, client, errors, records } = capturing(mock);
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    await expect(drain(stream)).rejects.toThrow("Provider returned error");
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(records.map((r) => r.generation.billing)).toEqual(["final"]);
  });

  it("an AI SDK stream whose finish part has no generationId", async () => {
    const mock = await mockGateway({ vercel: { streamFault: "no-id" } });
    const { capture, errors } = capturing(mock);
    const gateway = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai` });
    const result = streamText({
      model: wrapLanguageModel({ model: gateway(model), middleware: capture.middleware() }),
      prompt: "hi",
    });
    expect(await result.text).toBe("Hello from the genledger mock gateway.");
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors.map((e) => [e.code, e.call.provider])).toEqual([["no-id", "vercel"]]);
  });
});

describe("broken lookups", () => {
  it("a gateway that answers 500 to every lookup: the call succeeds, the failure goes to onError", async () => {
    // Chat completions are asked with no id; only lookups fail.
    const mock = await mockGateway({ openrouter: { fault: (id) => (id ? { status: 500 } : undefined) } });
    const { capture, client, errors, records } = capturing(mock, { horizonMs: 0 });
    const completion = await client.chat.completions.create({ model, messages });
    expect(completion.choices[0]?.message.content).toBe("Hello from the genledger mock gateway.");
    const stats = await capture.flush({ timeoutMs: 60_000 });
    expect(stats).toMatchObject({ captured: 1, resolved: 0, failed: 1, pending: 0 });
    expect(errors[0]?.code).toBe("lookup-failed");
    expect(errors[0]?.call.ref).toEqual({ provider: "openrouter", id: completion.id });
    expect(errors[0]?.message).toContain(completion.id);
    // The estimate from the response still arrived.
    expect(records.map((r) => r.generation.billing)).toEqual(["estimated"]);
  });

  it("a resolver that never answers: the lookup is given up at lookupTimeoutMs, flush returns", async () => {
    const mock = await mockGateway();
    const silent = await silentServer();
    const { capture, client, errors } = capturing(mock, { lookupBaseUrl: silent, horizonMs: 0, lookupTimeoutMs: 100 });
    await client.chat.completions.create({ model, messages });
    const stats = await capture.flush({ timeoutMs: 60_000 });
    expect(stats).toMatchObject({ captured: 1, failed: 1, pending: 0 });
    expect(errors[0]?.code).toBe("lookup-failed");
    expect(errors[0]?.message).toContain("the lookup took over 100 ms");
  });

  it("flush returns at its deadline with what is still pending; close drops it", async () => {
    const mock = await mockGateway();
    const silent = await silentServer();
    const { capture, client, dropped } = capturing(mock, { lookupBaseUrl: silent });
    await client.chat.completions.create({ model, messages });
    expect(await capture.flush({ timeoutMs: 20 })).toMatchObject({ captured: 1, pending: 1 });
    expect(await capture.close()).toMatchObject({ captured: 1, pending: 0, dropped: 1 });
    expect(dropped.map((c) => c.ref?.id)).toEqual([expect.stringMatching(/^gen-/)]);
    // Closed: calls pass through untouched and uncaptured.
    await client.chat.completions.create({ model, messages });
    expect(capture.stats().captured).toBe(1);
  });

  it("maxPending bounds what is held: the newest calls past it are dropped and counted", async () => {
    const mock = await mockGateway();
    const silent = await silentServer();
    const { capture, client, dropped } = capturing(mock, { lookupBaseUrl: silent, maxPending: 2, concurrency: 1 });
    const completions = [];
    for (let i = 0; i < 5; i++) completions.push(await client.chat.completions.create({ model, messages }));
    expect(capture.stats()).toEqual({ captured: 5, resolved: 0, pending: 2, failed: 0, dropped: 3 });
    expect(dropped.map((c) => c.provider)).toEqual(["openrouter", "openrouter", "openrouter"]);
    // Every call succeeded all the same.
    expect(completions.every((c) => c.choices[0]?.message.content)).toBe(true);
  });
});

describe("estimate and final", () => {
  it("where the billed cost differs from the inline one, the final record wins and the difference is shown", async () => {
    const mock = await mockGateway({ openrouter: { billedCost: (_id, inline) => Number((inline * 2).toFixed(12)) } });
    const { capture, client, records } = capturing(mock);
    const completion = await client.chat.completions.create({ model, messages });
    await capture.flush({ timeoutMs: 60_000 });
    const inline = String((completion.usage as unknown as { cost: number }).cost);
    const [estimate, final] = records;
    expect(estimate?.generation).toMatchObject({ billing: "estimated", id: completion.id, raw: null });
    expect(estimate?.generation.cost?.amount).toBe(inline);
    expect(estimate?.sources).toEqual({ cost: "usage.cost", usage: "usage" });
    expect(final?.generation.billing).toBe("final");
    expect(final?.sources).toEqual({ cost: "lookup", usage: "lookup" });
    expect(final?.generation.cost?.amount).toBe(String(Number((Number(inline) * 2).toFixed(12))));
    expect(final?.estimate).toEqual({ amount: inline, difference: inline });
  });
});

describe("callbacks and options", () => {
  it("an onGeneration that throws is reported, and an async one is awaited by flush", async () => {
    const mock = await mockGateway();
    const errors: CaptureError[] = [];
    let written = 0;
    const ledger = createLedger({ providers: [openrouter({ apiKey, baseUrl: mock.baseUrls.openrouter })] });
    const capture = createCapture({
      ledger,
      gateways: mock.gateways,
      onGeneration: async (r) => {
        if (r.generation.billing === "estimated") throw new Error("sink is down");
        await new Promise((resolve) => setTimeout(resolve, 20));
        written++;
      },
      onError: (e) => errors.push(e),
    });
    const client = new OpenAI({ apiKey, baseURL: mock.baseUrls.openrouter, maxRetries: 0, fetch: capture.fetch });
    await client.chat.completions.create({ model, messages });
    await capture.flush({ timeoutMs: 60_000 });
    expect(written).toBe(1);
    expect(errors.map((e) => [e.code, (e.cause as Error).message])).toEqual([["callback-failed", "sink is down"]]);
  });

  it("a tag header that tagHeaders() did not write: the call goes on untagged, and is reported", async () => {
    const mock = await mockGateway();
    const { capture, client, errors, records } = capturing(mock);
    await client.chat.completions.create({ model, messages }, { headers: { "x-genledger-tags": "%E0%A4%A" } });
    const stats = await capture.flush({ timeoutMs: 60_000 });
    expect(errors.map((e) => e.code)).toEqual(["bad-tags"]);
    expect(records.at(-1)?.tags).toEqual({});
    // Reported, not a failure: the call itself was booked.
    expect(stats).toMatchObject({ captured: 1, resolved: 1, failed: 0 });
  });

  it("refuses misspelt options and tags that are not strings", async () => {
    const mock = await mockGateway();
    const ledger = createLedger({ providers: [openrouter({ apiKey, baseUrl: mock.baseUrls.openrouter })] });
    expect(() => createCapture({ ledger, concurency: 4 } as never)).toThrow("did you mean `concurrency`?");
    expect(() => createCapture({ ledger, maxPending: Number.NaN })).toThrow(
      "createCapture option `maxPending` must be a whole number from 1 to 10000000, got NaN",
    );
    expect(() => createCapture({} as never)).toThrow(InvalidArgumentError);
    expect(() => createCapture({ ledger, gateways: { "not a url": "openrouter" } })).toThrow("is not a URL");
    expect(() => tagHeaders({ customer: 42 } as never)).toThrow('tag "customer" must be a string, got number');
    const capture = createCapture({ ledger });
    expect(() => capture.middleware({ provider: "openruter" } as never)).toThrow(
      "middleware option `provider` must be one of vercel, openrouter",
    );
    await expect(capture.flush({ timeout: 5 } as never)).rejects.toThrow("did you mean `timeoutMs`?");
  });

  it("a model that is not behind a known gateway is reported, and its call is untouched", async () => {
    const mock = await mockGateway();
    const { capture, errors } = capturing(mock);
    const inner = new MockLanguageModelV3({
      provider: "acme.chat",
      doGenerate: async () => ({
        content: [{ type: "text", text: "hi" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: {
          inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 1, text: 1, reasoning: 0 },
        },
        warnings: [],
      }),
    });
    const { generateText } = await import("ai");
    const result = await generateText({
      model: wrapLanguageModel({ model: inner, middleware: capture.middleware() }),
      prompt: "hi",
    });
    expect(result.text).toBe("hi");
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors.map((e) => e.code)).toEqual(["unknown-gateway"]);
    expect(errors[0]?.message).toContain('"acme.chat"');
  });
});

/** An OpenRouter-style streamed completion, as a base fetch answers it: `events` of `data:` JSON. */
const sse = (events: string[], chunkBytes = 0) => {
  const bytes = new TextEncoder().encode(events.join(""));
  const chunks =
    chunkBytes > 0
      ? Array.from({ length: Math.ceil(bytes.length / chunkBytes) }, (_, i) =>
          bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes),
        )
      : [bytes];
  let i = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array);
        else controller.close();
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
};
const chatUrl = "https://openrouter.ai/api/v1/chat/completions";
const answered = (generation: object) => ({
  providers: ["openrouter"],
  getOnce: async () => ({ ready: true, generation: generation as never }),
});

describe("what a careless caller or a hostile gateway does", () => {
  it("a ledger that throws at once, for thousands of queued calls: each is reported, nothing crashes", async () => {
    let n = 0;
    const errors: CaptureError[] = [];
    const capture = createCapture({
      ledger: {
        providers: ["openrouter"],
        getOnce: () => {
          throw new Error("broken ledger");
        },
      },
      concurrency: 1,
      fetch: async () => Response.json({ id: `gen-${++n}`, object: "chat.completion", choices: [] }),
      onError: (e) => errors.push(e),
    });
    await Promise.all(
      Array.from({ length: 3000 }, async () => (await capture.fetch(chatUrl, { method: "POST" })).text()),
    );
    expect(await capture.flush({ timeoutMs: 60_000 })).toEqual({
      captured: 3000,
      resolved: 0,
      pending: 0,
      failed: 3000,
      dropped: 0,
    });
    expect(errors[0]?.message).toContain("broken ledger");
  });

  it("a call aborted before its body is read frees its place; close() drops a response still unread", async () => {
    const errors: CaptureError[] = [];
    const capture = createCapture({
      ledger: answered({ id: "gen-1", cost: null }),
      onError: (e) => errors.push(e),
      maxPending: 1,
      fetch: async () => sse(['data: {"id":"gen-1","choices":[]}\n\n']),
    });
    const controller = new AbortController();
    await capture.fetch(chatUrl, { method: "POST", signal: controller.signal });
    expect(capture.stats().pending).toBe(1);
    controller.abort();
    await capture.flush({ timeoutMs: 60_000 });
    // Aborted before its id was read: reported as such, and no longer held.
    expect(capture.stats()).toMatchObject({ captured: 1, pending: 0, failed: 1, dropped: 0 });
    expect(errors.map((e) => e.message)).toEqual([
      "openrouter: the caller stopped reading the response before its generation id came; the call cannot be looked up",
    ]);
    // A second unread response, then close: it is dropped, and its late end books nothing.
    const unread = await capture.fetch(chatUrl, { method: "POST" });
    expect(await capture.close()).toMatchObject({ captured: 2, pending: 0, dropped: 1 });
    await unread.text();
    expect(capture.stats()).toEqual({ captured: 2, resolved: 0, pending: 0, failed: 1, dropped: 1 });
  });

  it("close() from inside onGeneration does not count the call it delivers twice", async () => {
    let closed: Promise<unknown> | undefined;
    const capture = createCapture({
      ledger: answered({ id: "gen-1", cost: null }),
      fetch: async () => Response.json({ id: "gen-1", object: "chat.completion", choices: [] }),
      onGeneration: () => {
        closed = capture.close();
      },
    });
    await (await capture.fetch(chatUrl, { method: "POST" })).text();
    await capture.flush({ timeoutMs: 60_000 });
    await closed;
    expect(capture.stats()).toEqual({ captured: 1, resolved: 1, pending: 0, failed: 0, dropped: 0 });
  });

  it("a response whose body is not a web stream (another fetch) is handed back as it is", async () => {
    const odd = { ok: true, status: 200, headers: new Headers(), body: { pipe() {} } } as unknown as Response;
    const capture = createCapture({ ledger: answered({}), fetch: async () => odd });
    expect(await capture.fetch(chatUrl, { method: "POST" })).toBe(odd);
    expect(capture.stats()).toMatchObject({ captured: 0, pending: 0 });
  });

  it("a Responses API stream whose response.completed outgrows any tail still gives the estimate", async () => {
    const records: CaptureRecord[] = [];
    const big = "x".repeat(100_000);
    const event = (type: string, response: object) => `event: ${type}\ndata: ${JSON.stringify({ type, response })}\n\n`;
    const capture = createCapture({
      ledger: answered({ id: "gen-r", billing: "final", cost: { amount: "0.5" } }),
      fetch: async () =>
        sse(
          [
            event("response.created", { id: "gen-r", model: "m", usage: null }),
            event("response.completed", {
              id: "gen-r",
              model: "m",
              output: [{ type: "message", content: [{ type: "output_text", text: big }] }],
              usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5, cost: 0.25 },
            }),
          ],
          16_384,
        ),
      onGeneration: (r) => {
        records.push(r);
      },
    });
    await (await capture.fetch("https://openrouter.ai/api/v1/responses", { method: "POST" })).text();
    await capture.flush({ timeoutMs: 60_000 });
    expect(records.map((r) => [r.generation.billing, r.generation.cost?.amount])).toEqual([
      ["estimated", "0.25"],
      ["final", "0.5"],
    ]);
  });

  it.each(["1e400", "1e308", "1e-400", "-1e50"])(
    "an inline usage.cost of %s is no estimate: reported, not booked, and the billed record still comes",
    async (cost) => {
      const records: CaptureRecord[] = [];
      const errors: CaptureError[] = [];
      const capture = createCapture({
        ledger: answered({ id: "gen-c", billing: "final", cost: { amount: "0.5" } }),
        fetch: async () =>
          new Response(`{"id":"gen-c","model":"m","usage":{"prompt_tokens":3,"completion_tokens":2,"cost":${cost}}}`, {
            headers: { "content-type": "application/json" },
          }),
        onGeneration: (r) => {
          records.push(r);
        },
        onError: (e) => errors.push(e),
      });
      await (await capture.fetch("https://openrouter.ai/api/v1/chat/completions", { method: "POST" })).json();
      await capture.flush({ timeoutMs: 60_000 });
      expect(records.map((r) => [r.generation.billing, r.generation.cost?.amount])).toEqual([["final", "0.5"]]);
      expect(errors.map((e) => e.code)).toEqual(["bad-cost"]);
      expect(errors[0]?.message).toMatch(/the response's cost -?1e[+-]?\d+ is no cost a gateway bills/);
    },
  );

  it("a lookup past lookupTimeoutMs is aborted, not left running beside the next", async () => {
    const signals: AbortSignal[] = [];
    const capture = createCapture({
      ledger: {
        providers: ["openrouter"],
        getOnce: (_provider, _id, options) => {
          signals.push(options?.signal as AbortSignal);
          return new Promise(() => {});
        },
      },
      horizonMs: 0,
      lookupTimeoutMs: 50,
      fetch: async () => Response.json({ id: "gen-1", object: "chat.completion", choices: [] }),
    });
    await (await capture.fetch(chatUrl, { method: "POST" })).text();
    expect(await capture.flush({ timeoutMs: 60_000 })).toMatchObject({ failed: 1, pending: 0 });
    expect(signals.map((s) => s.aborted)).toEqual([true]);
  });

  it("tags in a Map, and every spelling of the header, never leave with the request", async () => {
    const sent: Headers[] = [];
    const records: CaptureRecord[] = [];
    const capture = createCapture({
      ledger: answered({ id: "gen-1", cost: null }),
      fetch: async (_input, init) => {
        sent.push(new Headers(init?.headers));
        return Response.json({ id: "gen-1", object: "chat.completion", choices: [] });
      },
      onGeneration: (r) => {
        records.push(r);
      },
    });
    const headers = new Map(Object.entries({ ...tagHeaders({ customer: "acme" }), "x-other": "1" }));
    await (await capture.fetch(chatUrl, { method: "POST", headers: headers as never })).text();
    await capture.flush({ timeoutMs: 60_000 });
    expect(sent[0]?.has("x-genledger-tags")).toBe(false);
    expect(sent[0]?.get("x-other")).toBe("1");
    expect(records[0]?.tags).toEqual({ customer: "acme" });

    const middleware = capture.middleware({ provider: "openrouter" });
    const value = tagHeaders({ run: "1" })["x-genledger-tags"] as string;
    const params = await middleware.transformParams({
      type: "generate",
      params: { headers: { "X-Genledger-Tags": value, "x-genledger-tags": value, other: "kept" } },
    });
    expect(params.headers).toEqual({ other: "kept" });
  });
});
