import { ResponseParseError, recordNumberText } from "@genledger/core/internal";
import { type Generation, toOtelAttributes } from "@genledger/normalize";
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
import zenmuxCaptured from "./__fixtures__/zenmux-captured.json" with { type: "json" };
import zenmuxLegacy from "./__fixtures__/zenmux-legacy.json" with { type: "json" };
import zenmuxPending from "./__fixtures__/zenmux-pending.json" with { type: "json" };
import zenmuxSnakeCase from "./__fixtures__/zenmux-snake-case.json" with { type: "json" };

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
      cost: {
        amount: "0.0015",
        currency: "USD",
        basis: "billed",
        upstreamAmount: null,
        discountAmount: null,
        breakdown: null,
      },
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
      basis: "billed",
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
      basis: "billed",
      upstreamAmount: null,
      discountAmount: "0",
      breakdown: [
        {
          item: "prompt",
          kind: "part",
          amount: "0.0016",
          originalAmount: "0.0016",
          discountAmount: "0",
          rate: "0.00005",
        },
        {
          item: "completion",
          kind: "part",
          amount: "0.0036",
          originalAmount: "0.0036",
          discountAmount: "0",
          rate: "0.00003",
        },
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

  it("reads the snake_case page (generation_id, created_at, native_tokens, usage as a string)", () => {
    const g = fromZenMux(zenmuxSnakeCase as never);
    expectComplete(g);
    expect(g).toMatchObject({
      id: "gen_01snake000000001",
      model: "anthropic/claude-sonnet-4",
      createdAt: "2025-09-16T00:30:12.250Z",
      timing: { timeToFirstTokenMs: 640, generationMs: 2810 },
      usage: { inputTokens: 1200, outputTokens: 210, reasoningTokens: 40, cachedInputTokens: 1024, totalTokens: 1410 },
      cost: { amount: "0.00675", currency: "credits", discountAmount: null, breakdown: null },
      billing: "final",
      finishReason: "stop",
      streamed: false,
    });
  });

  it("reads the older page (createdAt, modelSlug, realAmount as a string)", () => {
    const g = fromZenMux(zenmuxLegacy as never);
    expectComplete(g);
    expect(g).toMatchObject({
      id: "gen_01legacy00000002",
      model: "openai/gpt-4.1-mini",
      createdAt: "2025-08-22T02:49:18.000Z",
      timing: { timeToFirstTokenMs: 310, generationMs: 1540 },
      usage: { inputTokens: 900, outputTokens: 64, totalTokens: 964 },
      cost: { amount: "0.000462", currency: "credits" },
      billing: "final",
      finishReason: "length",
    });
  });

  it("reads a captured record: the slug over the display name, string amounts beside numbers", () => {
    const g = fromZenMux(zenmuxCaptured as never);
    expectComplete(g);
    expect(g).toMatchObject({
      id: "gen_01captured000003",
      model: "anthropic/claude-sonnet-4",
      upstream: { provider: "anthropic", id: null },
      status: "succeeded",
      createdAt: "2025-08-22T02:49:18.000Z",
      usage: { inputTokens: 16527, outputTokens: 95, reasoningTokens: 0, cachedInputTokens: 0, totalTokens: 16622 },
      finishReason: "tool_calls",
      nativeFinishReason: "tool_calls",
      byok: false,
      billing: "final",
    });
    // realAmount is what is payable (billAmount − discountAmount); the fee items stay exact.
    expect(g.cost).toMatchObject({ amount: "0.05", discountAmount: "0.001006" });
    expect(g.cost?.breakdown?.[1]).toEqual({
      item: "prompt",
      kind: "part",
      amount: "0.049581",
      originalAmount: "0.049581",
      discountAmount: "0.001006",
      rate: "3",
    });
    expect(fromZenMux({ ...zenmuxCaptured, cancelled: true } as never).status).toBe("cancelled");
  });

  it("adds up totalTokens when the page does not give it", () => {
    const body = { ...zenmuxLegacy, nativeTokens: { prompt_tokens: 900, completion_tokens: 64 } };
    expect(fromZenMux(body as never).usage.totalTokens).toBe(964);
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
    expect(() => fromFastRouter({ model: "x" })).toThrowError(/fastrouter: the generation has no `id`/);
  });

  it("fills totalTokens from input + output like the other gateways", () => {
    const body = { ...fastrouterFull, usage: { prompt_tokens: 812, completion_tokens: 377 } };
    expect(fromFastRouter(body).usage).toMatchObject({ inputTokens: 812, outputTokens: 377, totalTokens: 1189 });
    const sizes = { id: "gen_fr_1", input_token_size: 10, output_token_size: 5 };
    expect(fromFastRouter(sizes).usage.totalTokens).toBe(15);
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

describe("a body that is not a generation", () => {
  const mappers = {
    openrouter: (b: unknown) => fromOpenRouter(b as never),
    zenmux: (b: unknown) => fromZenMux(b as never),
    fastrouter: (b: unknown) => fromFastRouter(b as never, { id: "gen-asked" }),
    oxen: (b: unknown) => fromOxen(b as never),
  };

  it.each(Object.entries(mappers))(
    "%s: an empty object is a ResponseParseError, never a succeeded record",
    (name, map) => {
      for (const body of [{}, null, [], "ok"]) {
        expect(() => map(body), JSON.stringify(body)).toThrowError(ResponseParseError);
      }
      expect(() => map({})).toThrowError(`${name}: the answer is empty, not a generation`);
    },
  );

  it.each(Object.entries(mappers))(
    "%s: an error envelope sent with 200 is a ResponseParseError with its message",
    (name, map) => {
      const envelope = { error: { code: 500, message: "upstream exploded", type: "server_error" } };
      expect(() => map(envelope)).toThrowError(`${name}: the answer is an error, not a generation: upstream exploded`);
      expect(() => map({ error: "quota exceeded" })).toThrowError(/quota exceeded/);
    },
  );

  it("oxen: its { status: 'error' } envelope too", () => {
    expect(() => fromOxen({ status: "error", status_message: "resource_not_found" } as never)).toThrowError(
      "oxen: the answer is an error, not a generation: resource_not_found",
    );
  });
});

describe("hostile values become null, never a RangeError or a wrong number", () => {
  const bad = [-5, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2, "12"];

  it.each(bad)("OpenRouter token count %j", (v) => {
    const data = { ...openrouterFull.data, native_tokens_prompt: v, tokens_prompt: v, native_tokens_cached: v };
    const g = fromOpenRouter({ data } as never);
    expect(g.usage).toMatchObject({ inputTokens: null, cachedInputTokens: null, totalTokens: null });
    expect(g.usage.outputTokens).toBe(25);
  });

  it.each(bad)("ZenMux and FastRouter token count %j", (v) => {
    const tokens = { prompt_tokens: v, completion_tokens: 3, total_tokens: v };
    expect(fromZenMux({ ...zenmuxBilled, nativeTokens: tokens } as never).usage).toMatchObject({
      inputTokens: null,
      outputTokens: 3,
      totalTokens: null,
    });
    const usage = { prompt_tokens: v, completion_tokens: 3, total_tokens: v };
    expect(fromFastRouter({ ...fastrouterFull, usage, input_token_size: v } as never).usage).toMatchObject({
      inputTokens: null,
      totalTokens: null,
    });
  });

  it("timestamps out of range or unparseable", () => {
    const data = { ...openrouterFull.data, created_at: "2024-02-30T10:00:00Z" };
    expect(fromOpenRouter({ data } as never).createdAt).toBeNull();
    expect(fromZenMux({ ...zenmuxBilled, createAt: "yesterday" } as never).createdAt).toBeNull();
    const fr = fromFastRouter({
      ...fastrouterFull,
      query_time: "not a time",
      created_at: 1e20,
      timing: { started_at: -1, completed_at: Number.POSITIVE_INFINITY, duration_ms: -3 },
    } as never);
    expect(fr).toMatchObject({ createdAt: null, startedAt: null, completedAt: null, timing: { generationMs: null } });
    const row = { ...oxenSucceeded.generation, enqueued_at: 1e20, started_at: 1e20, completed_at: 1763633709 };
    expect(fromOxen(row as never)).toMatchObject({
      createdAt: null,
      startedAt: null,
      completedAt: "2025-11-20T10:15:09.000Z",
      timing: { generationMs: null },
    });
  });

  it("durations that come out negative", () => {
    const row = { ...oxenSucceeded.generation, started_at: 1763633709, completed_at: 1763633702 };
    expect(fromOxen(row as never).timing.generationMs).toBeNull();
    const data = { ...openrouterFull.data, latency: -1, generation_time: Number.NaN };
    expect(fromOpenRouter({ data } as never).timing).toEqual({ timeToFirstTokenMs: null, generationMs: null });
    expect(fromZenMux({ ...zenmuxBilled, latency: -500 } as never).timing.timeToFirstTokenMs).toBeNull();
  });

  it.each([
    ["1e400", `1${"0".repeat(400)}`], // exactly what was sent: no Infinity, no exponent
    ["-0", "0"],
    [1e-7, "0.0000001"],
  ])("amount %j → %j", (v, amount) => {
    expect(fromOpenRouter({ data: { ...openrouterFull.data, total_cost: v } } as never).cost?.amount).toBe(amount);
  });

  it.each(["NaN", "  ", "", "Infinity", Number.POSITIVE_INFINITY, Number.NaN, "0x10", "1,5"])(
    "amount %j → no cost",
    (v) => {
      expect(fromOpenRouter({ data: { ...openrouterFull.data, total_cost: v } } as never).cost).toBeNull();
      expect(fromOxen({ ...oxenSucceeded.generation, cost: v } as never).cost).toBeNull();
    },
  );
});

describe("exact money beyond a double", () => {
  const digits = "0.123456789012345678901";

  /** Parses like the core JSON reader: the number a double holds, and the source digits beside it. */
  function readWithDigits<T>(json: string, at: (body: T) => object, key: string, text: string): T {
    const body = JSON.parse(json) as T;
    recordNumberText(at(body), key, text);
    return body;
  }

  it("OpenRouter total_cost, upstream cost and discount keep every digit sent", () => {
    const data = { ...openrouterByok.data, total_cost: Number(digits) };
    const body = readWithDigits(JSON.stringify({ data }), (b: { data: object }) => b.data, "total_cost", digits);
    recordNumberText(body.data, "upstream_inference_cost", "12345678901234567890.5");
    const g = fromOpenRouter(body as never);
    expect(Number(digits).toString()).not.toBe(digits); // a double alone would round it
    expect(g.cost?.amount).toBe(digits);
    expect(g.cost?.upstreamAmount).toBe("12345678901234567890.5");
    expect(JSON.stringify(g.raw)).toBe(JSON.stringify({ data })); // raw is unchanged
  });

  it("ZenMux usage, rating and fee items; FastRouter usage.cost and credits_used; Oxen cost", () => {
    const zen = JSON.parse(JSON.stringify(zenmuxBilled));
    recordNumberText(zen, "usage", digits);
    recordNumberText(zen.ratingResponses, "discountAmount", "0.000000000000000000001");
    recordNumberText(zen.ratingResponses.ratingDetails[0], "rate", "0.0000500000000000000001");
    const z = fromZenMux(zen);
    expect(z.cost?.amount).toBe(digits);
    expect(z.cost?.discountAmount).toBe("0.000000000000000000001");
    expect(z.cost?.breakdown?.[0]?.rate).toBe("0.0000500000000000000001");

    const fr = JSON.parse(JSON.stringify(fastrouterFull));
    recordNumberText(fr.usage, "cost", digits);
    expect(fromFastRouter(fr).cost?.amount).toBe(digits);
    const sparse = JSON.parse(JSON.stringify(fastrouterSparse));
    recordNumberText(sparse, "credits_used", digits);
    expect(fromFastRouter(sparse, { id: "x" }).cost?.amount).toBe(digits);

    const ox = { ...oxenSucceeded.generation, cost: Number(digits) };
    recordNumberText(ox, "cost", digits);
    expect(fromOxen(ox as never).cost?.amount).toBe(digits);
  });
});

describe("any hostile body: a record of sane values or a ResponseParseError, nothing else", () => {
  // A seeded generator, so a failure reproduces.
  let seed = 20261123;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const hostile = [
    null,
    true,
    -1,
    -0,
    1.5,
    1e20,
    -1e20,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    "",
    "  ",
    "NaN",
    "1e400",
    "-0",
    "2024-02-30T00:00:00Z",
    "+275760-09-13T00:00:00Z",
    "x".repeat(300),
    [],
    [1, 2],
    {},
    { message: 5 },
  ];
  /** A deep copy of `body` with values at random paths replaced by hostile ones. */
  function mutate(body: unknown): unknown {
    if (Array.isArray(body)) return body.map(mutate);
    if (body === null || typeof body !== "object") {
      return random() < 0.3 ? hostile[Math.floor(random() * hostile.length)] : body;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      if (random() < 0.05) continue;
      out[key] = random() < 0.1 ? hostile[Math.floor(random() * hostile.length)] : mutate(value);
    }
    return out;
  }
  const isoOrNull = (v: string | null) =>
    v === null || (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v) && v >= "1970");
  const countOrNull = (v: number | null) => v === null || (Number.isSafeInteger(v) && v >= 0);
  const msOrNull = (v: number | null) => v === null || (Number.isFinite(v) && v >= 0);
  const decimalOrNull = (v: string | null) => v === null || /^-?\d+(\.\d*[1-9])?$/.test(v);

  const cases: Array<[string, unknown, (body: unknown) => Generation]> = [
    ["openrouter", openrouterFull, (b) => fromOpenRouter(b as never)],
    ["openrouter", openrouterByok, (b) => fromOpenRouter(b as never)],
    ["zenmux", zenmuxBilled, (b) => fromZenMux(b as never)],
    ["zenmux", zenmuxCaptured, (b) => fromZenMux(b as never)],
    ["zenmux", zenmuxSnakeCase, (b) => fromZenMux(b as never)],
    ["fastrouter", fastrouterFull, (b) => fromFastRouter(b as never, { id: "asked" })],
    ["oxen", oxenSucceeded, (b) => fromOxen(b as never)],
  ];

  it.each(cases)("%s (2000 mutated bodies)", (_, fixture, map) => {
    for (let i = 0; i < 2000; i++) {
      const body = mutate(fixture);
      let g: Generation;
      try {
        g = map(body);
      } catch (error) {
        expect(ResponseParseError.isInstance(error), String(error)).toBe(true);
        continue;
      }
      const problem = JSON.stringify(body).slice(0, 500);
      expect(typeof g.id === "string" && g.id !== "", problem).toBe(true);
      expect([g.createdAt, g.startedAt, g.completedAt].every(isoOrNull), problem).toBe(true);
      expect(Object.values(g.usage).every(countOrNull), problem).toBe(true);
      expect(Object.values(g.timing).every(msOrNull), problem).toBe(true);
      const amounts = g.cost ? [g.cost.amount, g.cost.upstreamAmount, g.cost.discountAmount] : [];
      for (const item of g.cost?.breakdown ?? [])
        amounts.push(item.amount, item.originalAmount, item.discountAmount, item.rate);
      expect(amounts.every(decimalOrNull), problem).toBe(true);
      expect(toOtelAttributes(g)["gen_ai.response.id"]).toBe(g.id);
    }
  });
});
