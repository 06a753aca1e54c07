import { fromNanoGPT } from "@genledger/normalize/nanogpt";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/nanogpt.json" with { type: "json" };

describe("fromNanoGPT", () => {
  it("maps the page's example: the charge as recorded, billed", () => {
    expect(fromNanoGPT(fixture)).toEqual({
      provider: "nanogpt",
      id: "req_example",
      model: null,
      upstream: { provider: null, id: null },
      status: "succeeded",
      createdAt: "2026-09-17T10:00:01.000Z",
      startedAt: null,
      completedAt: null,
      timing: { timeToFirstTokenMs: null, generationMs: null },
      usage: { inputTokens: 123, outputTokens: 45, reasoningTokens: null, cachedInputTokens: null, totalTokens: 168 },
      cost: {
        amount: "0.00123456",
        currency: "USD",
        basis: "billed",
        upstreamAmount: null,
        discountAmount: null,
        breakdown: null,
      },
      billing: "final",
      finishReason: null,
      nativeFinishReason: null,
      streamed: null,
      byok: null,
      error: null,
      raw: fixture,
    });
  });

  it("keeps XNO as NanoGPT says, every digit, never converted; a recorded zero is zero", () => {
    const xno = fromNanoGPT({ ...fixture, cost: "0.000000000000000000000000000123", currency: "XNO" });
    expect(xno.cost).toMatchObject({ amount: "0.000000000000000000000000000123", currency: "XNO", basis: "billed" });
    expect(fromNanoGPT({ ...fixture, cost: "0" }).cost?.amount).toBe("0");
  });

  it("refuses a currency it does not know rather than book it as another", () => {
    expect(() => fromNanoGPT({ ...fixture, currency: "EUR" })).toThrow(/currency "EUR" is neither USD nor XNO/);
  });

  it("refuses a body without a request_id", () => {
    expect(() => fromNanoGPT({ cost: "1" } as never)).toThrow("nanogpt: the generation has no `request_id`");
  });
});
