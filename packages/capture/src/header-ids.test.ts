// Capture takes the lookup id from a response header where the gateway puts it there (NanoGPT's
// X-Request-ID, Cloudflare's cf-aig-log-id with account and gateway from the URL, Helicone-Id; LiteLLM's
// body id, its x-litellm-call-id as the fallback), before any body byte: with the real openai SDK and the
// AI SDK against each gateway's mock, streamed and not.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { type CaptureError, type CaptureRecord, createCapture } from "@genledger/capture";
import { createLedger } from "@genledger/normalize";
import { cloudflare } from "@genledger/normalize/cloudflare";
import { helicone } from "@genledger/normalize/helicone";
import { litellm } from "@genledger/normalize/litellm";
import { nanogpt } from "@genledger/normalize/nanogpt";
import { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "@genledger/testing";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";

const apiKey = "test-key-123";
const replyText = "Hello from the genledger mock gateway.";
const mocks: MockGateway[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});

type Name = "nanogpt" | "cloudflare" | "litellm" | "helicone";

async function setUp(options: StartMockGatewayOptions = {}) {
  const mock = await startMockGateway({ nanogpt: { notReadyRetryAfter: 0 }, ...options });
  mocks.push(mock);
  const keys = (name: Name) => ({ apiKey, baseUrl: mock.baseUrls[name] });
  const ledger = createLedger({
    providers: [
      nanogpt(keys("nanogpt")),
      cloudflare(keys("cloudflare")),
      litellm(keys("litellm")),
      helicone(keys("helicone")),
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
  // Where each gateway's OpenAI-compatible endpoint is on the mock, and the header with its lookup id.
  const endpoints: Record<Name, { baseURL: string; header: string }> = {
    nanogpt: { baseURL: mock.baseUrls.nanogpt, header: "x-request-id" },
    cloudflare: { baseURL: `${mock.baseUrls.cloudflare}/v1/acc-7/gw-prod/compat`, header: "cf-aig-log-id" },
    litellm: { baseURL: `${mock.baseUrls.litellm}/v1`, header: "x-litellm-call-id" },
    helicone: { baseURL: `${mock.baseUrls.helicone}/oai/v1`, header: "helicone-id" },
  };
  const finals = () => records.filter((r) => r.generation.billing === "final");
  return { mock, ledger, capture, records, errors, finals, endpoints };
}

/** The lookup id a call's response names: the header's, Cloudflare's as its ref, LiteLLM's the body's. */
function expectedId(name: Name, headers: Headers, bodyId: string): string {
  if (name === "litellm") return bodyId;
  const value = headers.get({ nanogpt: "x-request-id", cloudflare: "cf-aig-log-id", helicone: "helicone-id" }[name]);
  return name === "cloudflare" ? `acc-7/gw-prod/${value}` : (value as string);
}

const names: Name[] = ["nanogpt", "cloudflare", "litellm", "helicone"];

describe.each(names)("%s through capture.fetch and the real openai SDK", (name) => {
  it("books a completion by the id its response names, with the gateway's cost and basis", async () => {
    const { capture, finals, errors, endpoints } = await setUp();
    const client = new OpenAI({ apiKey, baseURL: endpoints[name].baseURL, fetch: capture.fetch, maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(replyText);
    const stats = await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(stats).toMatchObject({ captured: 1, resolved: 1, failed: 0 });
    const [record] = finals();
    expect(record?.generation).toMatchObject({
      provider: name,
      id: expectedId(name, response.headers, data.id),
      cost: { currency: "USD", basis: name === "nanogpt" ? "billed" : "computed" },
      usage: { inputTokens: data.usage?.prompt_tokens },
    });
  });

  it("books a stream by the header's id, and the SDK reads every chunk as sent", async () => {
    const { capture, finals, errors, endpoints } = await setUp();
    const client = new OpenAI({ apiKey, baseURL: endpoints[name].baseURL, fetch: capture.fetch, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true })
      .withResponse();
    let text = "";
    let bodyId = "";
    for await (const chunk of stream) {
      bodyId ||= chunk.id;
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe(replyText);
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(finals().map((r) => r.generation.id)).toEqual([expectedId(name, response.headers, bodyId)]);
  });
});

describe("ids from headers, where the body cannot tell", () => {
  it("a header id is known before the body: a stream cut half-way is still booked (NanoGPT, Cloudflare, Helicone)", async () => {
    const { capture, finals, endpoints } = await setUp({
      nanogpt: { streamFault: "cut", notReadyRetryAfter: 0 },
      cloudflare: { streamFault: "cut" },
      helicone: { streamFault: "cut" },
    });
    for (const name of ["nanogpt", "cloudflare", "helicone"] as const) {
      const client = new OpenAI({ apiKey, baseURL: endpoints[name].baseURL, fetch: capture.fetch, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: "openai/gpt-4o-mini",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      });
      await (async () => {
        for await (const _ of stream);
      })().catch(() => undefined);
    }
    await capture.flush({ timeoutMs: 60_000 });
    expect(
      finals()
        .map((r) => r.generation.provider)
        .sort(),
    ).toEqual(["cloudflare", "helicone", "nanogpt"]);
  });

  it("LiteLLM: the body's id first; x-litellm-call-id where the body has none; x-litellm-response-cost the estimate", async () => {
    const { capture, records, endpoints, errors } = await setUp({ litellm: { streamFault: "no-id" } });
    const client = new OpenAI({ apiKey, baseURL: endpoints.litellm.baseURL, fetch: capture.fetch, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], stream: true })
      .withResponse();
    for await (const _ of stream);
    await capture.flush({ timeoutMs: 60_000 });
    const estimate = records.find((r) => r.generation.billing === "estimated");
    expect(estimate?.generation.id).toBe(response.headers.get("x-litellm-call-id"));
    expect(estimate?.generation.cost).toMatchObject({
      amount: response.headers.get("x-litellm-response-cost"),
      basis: "computed",
    });
    expect(estimate?.sources.cost).toBe("x-litellm-response-cost");
    // The spend log is keyed by the body's id, which this stream did not carry: the header's id is looked up.
    expect(errors.every((e) => e.code !== "no-id")).toBe(true);
  });

  it("Cloudflare: the ref takes account and gateway from the URL; a header without them is no id", async () => {
    const { capture, finals, mock } = await setUp();
    const client = new OpenAI({
      apiKey,
      baseURL: `${mock.baseUrls.cloudflare}/v1/acc-9/gw-9/openai`,
      fetch: capture.fetch,
      maxRetries: 0,
    });
    const { response } = await client.chat.completions
      .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    await capture.flush({ timeoutMs: 60_000 });
    expect(finals()[0]?.generation.id).toBe(`acc-9/gw-9/${response.headers.get("cf-aig-log-id")}`);
  });
});

describe("the AI SDK through capture.fetch (@ai-sdk/openai-compatible)", () => {
  it.each(names)("%s: generateText and streamText are each booked once", async (name) => {
    const { capture, finals, errors, endpoints } = await setUp();
    const provider = createOpenAICompatible({
      name,
      apiKey,
      baseURL: endpoints[name].baseURL,
      fetch: capture.fetch,
      includeUsage: true,
    });
    const result = await generateText({ model: provider("openai/gpt-4o-mini"), prompt: "hi", maxRetries: 0 });
    expect(result.text).toBe(replyText);
    const streamed = streamText({ model: provider("openai/gpt-4o-mini"), prompt: "hi", maxRetries: 0 });
    expect(await streamed.text).toBe(replyText);
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(finals()).toHaveLength(2);
    expect(new Set(finals().map((r) => r.generation.id)).size).toBe(2);
  });
});

describe("@helicone/ai-sdk-provider", () => {
  it("is booked only where capture.fetch is the global fetch: the provider ignores its own `fetch` option", async () => {
    const { createHelicone } = await import("@helicone/ai-sdk-provider");
    const { capture, finals, errors, mock } = await setUp();
    const saved = globalThis.fetch;
    const helicone = createHelicone({ apiKey, baseURL: mock.baseUrls.helicone, fetch: capture.fetch });
    const before = await generateText({ model: helicone("gpt-4o-mini"), prompt: "hi", maxRetries: 0 });
    expect(before.text).toBe(replyText);
    expect(capture.stats().captured).toBe(0);
    globalThis.fetch = capture.fetch;
    try {
      const result = await generateText({ model: helicone("gpt-4o-mini"), prompt: "hi", maxRetries: 0 });
      expect(result.text).toBe(replyText);
    } finally {
      globalThis.fetch = saved;
    }
    await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(finals()).toHaveLength(1);
    expect(finals()[0]?.generation).toMatchObject({ provider: "helicone", cost: { basis: "computed" } });
  });
});
