import { NotFoundError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { fromVercel, vercel } from "@genledger/normalize/vercel";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import full from "./__fixtures__/vercel.json" with { type: "json" };
import byok from "./__fixtures__/vercel-byok.json" with { type: "json" };

const server = useMswServer();

describe("fromVercel", () => {
  it("maps every field the gateway reports, with the market/surcharge/gateway split", () => {
    const g = fromVercel(full);
    expect(g).toEqual({
      provider: "vercel",
      id: "gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0",
      model: "anthropic/claude-sonnet-4",
      upstream: { provider: "anthropic", id: null },
      status: "succeeded",
      createdAt: "2026-11-20T10:15:30.123Z",
      startedAt: null,
      completedAt: null,
      timing: { timeToFirstTokenMs: 412, generationMs: 2875 },
      usage: { inputTokens: 1204, outputTokens: 318, reasoningTokens: 96, cachedInputTokens: 800, totalTokens: 1522 },
      cost: {
        amount: "0.00231",
        currency: "USD",
        basis: "billed",
        upstreamAmount: null,
        discountAmount: null,
        breakdown: [
          { item: "market", kind: "part", amount: "0.0021", originalAmount: null, discountAmount: null, rate: null },
          {
            item: "surcharge",
            kind: "part",
            amount: "0.00021",
            originalAmount: null,
            discountAmount: null,
            rate: null,
          },
          { item: "gateway", kind: "total", amount: "0.00231", originalAmount: null, discountAmount: null, rate: null },
        ],
      },
      billing: "final",
      finishReason: "stop",
      nativeFinishReason: null,
      streamed: true,
      byok: false,
      error: null,
      raw: full,
    });
    // Kept where the record has no place for them.
    expect(g.raw.data.native_tokens_cache_creation).toBe(120);
    expect(g.raw.data.billable_web_search_calls).toBe(1);
  });

  it("adds the upstream cost only for BYOK, and no breakdown when the split is absent", () => {
    const g = fromVercel(byok as never);
    expect(g.byok).toBe(true);
    expect(g.cost).toEqual({
      amount: "0.00012",
      currency: "USD",
      basis: "billed",
      upstreamAmount: "0.0042",
      discountAmount: null,
      breakdown: null,
    });
    expect(g.finishReason).toBe("length");
    // Not BYOK: upstream_inference_cost (0 here) is not an upstream cost.
    expect(fromVercel({ data: { ...full.data, upstream_inference_cost: 0.5 } }).cost?.upstreamAmount).toBeNull();
  });

  it("keeps a null split item out of the breakdown", () => {
    const g = fromVercel({ data: { ...full.data, market_cost: null, surcharge_cost: null } });
    expect(g.cost?.breakdown?.map((i) => i.item)).toEqual(["gateway"]);
  });

  it("refuses a body without data.id, naming the field", () => {
    expect(() => fromVercel({ data: {} } as never)).toThrow("vercel: the generation has no `data.id`");
  });
});

describe("the vercel adapter", () => {
  const base = "http://127.0.0.1:9/vercel/v1";

  it("waits through the early 404 window", async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/generation`, () =>
        ++calls <= 2
          ? HttpResponse.json({ error: { message: "Generation not found", type: "not_found" } }, { status: 404 })
          : HttpResponse.json(full),
      ),
    );
    const ledger = createLedger({ providers: [vercel({ baseUrl: base, apiKey: "test-key-123" })] });
    const g = await ledger.get("vercel", full.data.id, { wait: { timeoutMs: 5000, intervalMs: 10 } });
    expect(g.id).toBe(full.data.id);
    expect(calls).toBe(3);
  });

  it("without wait, the 404 is a NotFoundError", async () => {
    server.use(
      http.get(`${base}/generation`, () =>
        HttpResponse.json({ error: { message: "Generation not found", type: "not_found" } }, { status: 404 }),
      ),
    );
    const ledger = createLedger({ providers: [vercel({ baseUrl: base, apiKey: "test-key-123" })] });
    const error = await ledger.get("vercel", "gen_x").catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
  });
});
