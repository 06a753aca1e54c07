import { ResponseParseError } from "@genledger/core";
import type { Generation } from "@genledger/normalize";
import { fromFastRouter } from "@genledger/normalize/fastrouter";
import { fromOpenRouter } from "@genledger/normalize/openrouter";
import { fromOxen } from "@genledger/normalize/oxen";
import { fromZenMux } from "@genledger/normalize/zenmux";
import { describe, expect, it } from "vitest";
import fastrouterFull from "./__fixtures__/fastrouter.json" with { type: "json" };
import fastrouterSparse from "./__fixtures__/fastrouter-sparse.json" with { type: "json" };
import openrouterByok from "./__fixtures__/openrouter-byok.json" with { type: "json" };
import openrouterFull from "./__fixtures__/openrouter-full.json" with { type: "json" };
import openrouterNulls from "./__fixtures__/openrouter-nulls.json" with { type: "json" };
import oxenFailed from "./__fixtures__/oxen-failed.json" with { type: "json" };
import oxenQueued from "./__fixtures__/oxen-queued.json" with { type: "json" };
import oxenSucceeded from "./__fixtures__/oxen-succeeded.json" with { type: "json" };
import zenmuxBilled from "./__fixtures__/zenmux-billed.json" with { type: "json" };
import zenmuxPending from "./__fixtures__/zenmux-pending.json" with { type: "json" };

const noUsage = {
  inputTokens: null,
  outputTokens: null,
  reasoningTokens: null,
  cachedInputTokens: null,
  totalTokens: null,
};

/** Every field of the record is present, and never undefined. */
function expectComplete(g: Generation) {
  for (const key of [
    "provider",
    "id",
    "model",
    "upstream",
    "status",
    "createdAt",
    "startedAt",
    "completedAt",
    "timing",
    "usage",
    "cost",
    "billing",
    "finishReason",
    "nativeFinishReason",
    "streamed",
    "byok",
    "error",
    "raw",
  ]) {
    expect(g, key).toHaveProperty(key);
    expect((g as unknown as Record<string, unknown>)[key], key).not.toBeUndefined();
  }
  for (const value of [g.model, g.finishReason, g.nativeFinishReason, g.error, g.createdAt]) expect(value).not.toBe("");
}

describe("fromOpenRouter", () => {
  it("maps OpenRouter's full example, preferring native token counts", () => {
    const g = fromOpenRouter(openrouterFull as never);
    expectComplete(g);
    expect(g).toMatchObject({
      provider: "openrouter",
      id: "gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG",
      model: "sao10k/l3-stheno-8b",
      upstream: { provider: "Infermatic", id: "chatcmpl-791bcf62-080e-4568-87d0-94c72e3b4946" },
      status: "succeeded",
      createdAt: "2024-07-15T23:33:19.433Z",
      startedAt: null,
      completedAt: null,
      timing: { timeToFirstTokenMs: 1250, generationMs: 1200 },
      usage: { inputTokens: 10, outputTokens: 25, reasoningTokens: 5, cachedInputTokens: 3, totalTokens: 35 },
      cost: { amount: "0.0015", currency: "USD", upstreamAmount: null, discountAmount: null, breakdown: null },
      billing: "final",
      finishReason: "stop",
      nativeFinishReason: "stop",
      streamed: true,
      byok: false,
      error: null,
    });
    expect(g.raw).toBe(openrouterFull);
  });

  it("keeps the BYOK upstream cost apart, and converts offsets and exponents exactly", () => {
    const g = fromOpenRouter(openrouterByok as never);
    expect(g.cost).toEqual({
      amount: "0.0000001",
      currency: "USD",
      upstreamAmount: "0.0123456789",
      discountAmount: "0.00012",
      breakdown: null,
    });
    expect(g.byok).toBe(true);
    expect(g.createdAt).toBe("2026-11-20T10:15:30.123Z");
    expect(g.usage).toEqual({
      inputTokens: 1532,
      outputTokens: 711,
      reasoningTokens: 200,
      cachedInputTokens: 1024,
      totalTokens: 2243,
    });
    expect(g.finishReason).toBe("length");
    expect((g.raw.data as Record<string, unknown>).provider_responses).toEqual([
      { status: 200, provider_name: "Anthropic" },
    ]);
  });

  it("ignores upstream_inference_cost when the request was not BYOK (it would double-count)", () => {
    const body = { data: { ...openrouterFull.data, is_byok: false, upstream_inference_cost: 0.0012 } };
    expect(fromOpenRouter(body as never).cost?.upstreamAmount).toBeNull();
  });

  it("makes every unknown field null, never 0 or empty", () => {
    const g = fromOpenRouter(openrouterNulls as never);
    expectComplete(g);
    expect(g).toMatchObject({
      upstream: { provider: null, id: null },
      timing: { timeToFirstTokenMs: null, generationMs: null },
      usage: noUsage,
      finishReason: null,
      nativeFinishReason: null,
      streamed: null,
      cost: { amount: "0", currency: "USD" },
      createdAt: "2026-11-20T10:15:30.000Z",
    });
  });

  it("reports cancelled generations", () => {
    expect(fromOpenRouter({ data: { ...openrouterFull.data, cancelled: true } } as never).status).toBe("cancelled");
  });

  it("refuses a body without an id, naming the provider and the field", () => {
    const attempt = () => fromOpenRouter({ data: { ...openrouterFull.data, id: undefined } } as never);
    expect(attempt).toThrowError(ResponseParseError);
    expect(attempt).toThrowError("openrouter: the generation has no `data.id`; cannot build a Generation");
  });
});

describe("fromZenMux", () => {
  it("maps ZenMux's example with its fee items as breakdown", () => {
    const g = fromZenMux(zenmuxBilled);
    expectComplete(g);
    expect(g).toMatchObject({
      provider: "zenmux",
      id: "gen_01abc123def456",
      model: "openai/gpt-4o",
      status: "succeeded",
      createdAt: "2026-03-26T06:00:00.000Z",
      timing: { timeToFirstTokenMs: 500, generationMs: 3200 },
      usage: { inputTokens: 32, outputTokens: 128, reasoningTokens: 0, cachedInputTokens: 0, totalTokens: 160 },
      billing: "final",
      finishReason: "stop",
      streamed: true,
      byok: null,
    });
    expect(g.cost).toEqual({
      amount: "0.0052",
      currency: "credits",
      upstreamAmount: null,
      discountAmount: "0",
      breakdown: [
        { item: "prompt", amount: "0.0016", originalAmount: "0.0016", discountAmount: "0", rate: "0.00005" },
        { item: "completion", amount: "0.0036", originalAmount: "0.0036", discountAmount: "0", rate: "0.00003" },
      ],
    });
  });

  it("is pending while billing has not arrived", () => {
    const g = fromZenMux(zenmuxPending);
    expect(g.cost).toBeNull();
    expect(g.billing).toBe("pending");
    expect(g.usage).toEqual({
      inputTokens: 2000,
      outputTokens: 300,
      reasoningTokens: 120,
      cachedInputTokens: 1500,
      totalTokens: 2300,
    });
  });

  it("is unavailable for a subscription key, which is never billed here", () => {
    expect(fromZenMux(zenmuxPending, { subscriptionKey: true }).billing).toBe("unavailable");
    expect(fromZenMux(zenmuxBilled, { subscriptionKey: true }).billing).toBe("final");
  });

  it("refuses a body without generationId", () => {
    expect(() => fromZenMux({ model: "x" })).toThrowError(/zenmux: the generation has no `generationId`/);
  });
});

describe("fromFastRouter", () => {
  it("maps a full body; usage.cost is USD", () => {
    const g = fromFastRouter(fastrouterFull);
    expectComplete(g);
    expect(g).toMatchObject({
      provider: "fastrouter",
      id: "gen_fr_7f3a9c2e",
      model: "openai/gpt-4o-mini",
      upstream: { provider: "openai", id: "chatcmpl-abc" },
      createdAt: "2026-11-20T10:15:30.123Z",
      startedAt: "2025-11-20T10:15:30.000Z",
      completedAt: "2025-11-20T10:15:31.000Z",
      timing: { timeToFirstTokenMs: null, generationMs: 1290 },
      usage: { inputTokens: 812, outputTokens: 377, reasoningTokens: null, cachedInputTokens: null, totalTokens: 1189 },
      cost: { amount: "0.000348", currency: "USD" },
      byok: false,
    });
  });

  it("falls back to credits_used, the unix created_at and the id asked for", () => {
    const g = fromFastRouter(fastrouterSparse, { id: "gen-asked" });
    expectComplete(g);
    expect(g).toMatchObject({
      id: "gen-asked",
      createdAt: "2025-11-20T10:15:30.000Z",
      cost: { amount: "0.0000021", currency: "credits" },
      usage: noUsage,
      byok: null,
    });
    expect((g.raw as Record<string, unknown>).unknown_new_field).toEqual({ kept: true });
  });

  it("refuses a body without any id", () => {
    expect(() => fromFastRouter({})).toThrowError(/fastrouter: the generation has no `id`/);
  });
});

describe("fromOxen", () => {
  it("maps a succeeded job, unix seconds to ISO, cost string kept exact", () => {
    const g = fromOxen(oxenSucceeded as never);
    expectComplete(g);
    expect(g).toMatchObject({
      provider: "oxen",
      id: "5b0f3f5e-8a55-4c1e-9d0b-3c6f1a2b7e41",
      model: "flux-1-schnell",
      status: "succeeded",
      createdAt: "2025-11-20T10:15:00.000Z",
      startedAt: "2025-11-20T10:15:02.000Z",
      completedAt: "2025-11-20T10:15:09.000Z",
      timing: { timeToFirstTokenMs: null, generationMs: 7000 },
      usage: noUsage,
      cost: { amount: "0.003", currency: "credits", upstreamAmount: null },
      billing: "final",
      error: null,
    });
    expect(g.raw).toBe(oxenSucceeded.generation);
    expect(g.raw.prompt).toBe("a lighthouse at dusk");
  });

  it("maps a failed job with its error", () => {
    expect(fromOxen(oxenFailed as never)).toMatchObject({
      status: "failed",
      error: "content policy violation",
      cost: { amount: "0" },
    });
  });

  it("maps an in-flight job as pending, with nulls", () => {
    const g = fromOxen(oxenQueued as never);
    expectComplete(g);
    expect(g).toMatchObject({
      status: "queued",
      billing: "pending",
      cost: null,
      startedAt: null,
      completedAt: null,
      timing: { generationMs: null },
    });
  });

  it("takes a list row as well as a lookup body", () => {
    expect(fromOxen(oxenFailed.generation as never).id).toBe("c3d2e1f0-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
  });

  it("refuses a row with an unknown status", () => {
    expect(() => fromOxen({ ...oxenQueued.generation, status: "exploded" } as never)).toThrowError(
      'oxen: the generation\'s status "exploded" is not one of queued, processing, succeeded, failed, cancelled',
    );
  });
});

describe("fromOpenRouter with the fields OpenRouter's newer description types", () => {
  it("takes the upstream from the provider attempt that answered when upstream_id and provider_name are null", () => {
    const body = structuredClone(openrouterFull) as Record<string, any>;
    body.data.upstream_id = null;
    body.data.provider_name = null;
    body.data.provider_responses = [
      { status: 429, provider_name: "Infermatic", id: null, endpoint_id: "ep_1" },
      { status: 200, provider_name: "Together", id: "chatcmpl-together-1", endpoint_id: "ep_2", latency: 900 },
    ];
    const g = fromOpenRouter(body as never);
    expect(g.upstream).toEqual({ provider: "Together", id: "chatcmpl-together-1" });
    expect(g.usage.cachedInputTokens).toBe(3); // native_tokens_cached
    expect((g.raw.data as Record<string, unknown>).request_id).toBe("req-1727282430-aBcDeFgHiJkLmNoPqRsT");
  });

  it("prefers upstream_id and provider_name, and ignores attempts that are not objects", () => {
    const body = structuredClone(openrouterFull) as Record<string, any>;
    body.data.provider_responses = [null, "x", { status: 200, provider_name: "Other", id: "other-1" }];
    expect(fromOpenRouter(body as never).upstream).toEqual({
      provider: "Infermatic",
      id: "chatcmpl-791bcf62-080e-4568-87d0-94c72e3b4946",
    });
    body.data.upstream_id = null;
    body.data.provider_name = null;
    body.data.provider_responses = [null, 7];
    expect(fromOpenRouter(body as never).upstream).toEqual({ provider: null, id: null });
  });
});
