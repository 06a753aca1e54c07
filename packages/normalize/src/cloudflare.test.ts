import { fromCloudflare } from "@genledger/normalize/cloudflare";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/cloudflare.json" with { type: "json" };

const ref = `acc123/my-gateway/${fixture.result.id}`;

describe("fromCloudflare", () => {
  it("maps the log: its ref as id, the cost computed by Cloudflare", () => {
    const g = fromCloudflare(fixture, ref);
    expect(g).toMatchObject({
      provider: "cloudflare",
      id: ref,
      model: "gpt-4o-mini",
      upstream: { provider: "openai", id: null },
      status: "succeeded",
      createdAt: "2026-11-20T10:15:30.117Z",
      timing: { timeToFirstTokenMs: null, generationMs: 812 },
      usage: { inputTokens: 1200, outputTokens: 300, totalTokens: 1500 },
      cost: { amount: "0.00036", currency: "USD", basis: "computed" },
      billing: "final",
      error: null,
      raw: fixture,
    });
  });

  it("says custom where the caller's prices made the cost; a failed call is failed; no cost is none", () => {
    expect(fromCloudflare({ ...fixture, result: { ...fixture.result, custom_cost: true } }, ref).cost?.basis).toBe(
      "custom",
    );
    const failed = fromCloudflare({ ...fixture, result: { ...fixture.result, success: false, status_code: 429 } }, ref);
    expect(failed).toMatchObject({ status: "failed", error: "the upstream answered 429" });
    const { cost: _, ...uncosted } = fixture.result;
    expect(fromCloudflare({ ...fixture, result: uncosted }, ref).cost).toBeNull();
  });

  it("refuses a body without a log id", () => {
    expect(() => fromCloudflare({ success: true, result: {} } as never, ref)).toThrow(
      "cloudflare: the generation has no `result.id`",
    );
  });
});
