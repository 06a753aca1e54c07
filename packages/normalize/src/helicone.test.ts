import { parseJsonExact } from "@genledger/core";
import { fromHelicone } from "@genledger/normalize/helicone";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/helicone.json" with { type: "json" };

describe("fromHelicone", () => {
  it("maps the logged request: cost computed by Helicone, USD", () => {
    expect(fromHelicone(fixture)).toMatchObject({
      provider: "helicone",
      id: "0b3e2f9a-7c4d-4e1f-8a2b-5d6c7e8f9a0b",
      model: "gpt-4o-mini-2024-07-18",
      upstream: { provider: "openai", id: "3e3f5d4c-8a1b-4f2e-9c7d-6b5a4e3d2c1b" },
      status: "succeeded",
      createdAt: "2026-11-20T10:15:30.117Z",
      completedAt: "2026-11-20T10:15:31.402Z",
      timing: { timeToFirstTokenMs: 412, generationMs: 1285 },
      usage: { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 256, totalTokens: 1500 },
      cost: { amount: "0.000357", currency: "USD", basis: "computed" },
      error: null,
      raw: fixture,
    });
  });

  it("reads the cost's digits as sent, with the float noise of Helicone's division", () => {
    const body = parseJsonExact(JSON.stringify(fixture).replace('"cost":0.000357', '"cost":0.00035700000000000001'));
    expect(fromHelicone(body as typeof fixture).cost?.amount).toBe("0.00035700000000000001");
  });

  it("a cancelled or cut call says so; a Result error is no generation", () => {
    expect(fromHelicone({ ...fixture, data: { ...fixture.data, response_status: -3 } }).status).toBe("cancelled");
    expect(fromHelicone({ ...fixture, data: { ...fixture.data, response_status: -2 } })).toMatchObject({
      status: "failed",
      error: "the upstream answered -2",
    });
    expect(() => fromHelicone({ data: null, error: "Request not found." } as never)).toThrow(
      "helicone: the generation has no `data.request_id`",
    );
  });
});
