import { parseJsonExact } from "@genledger/core";
import { fromLiteLLM } from "@genledger/normalize/litellm";
import { describe, expect, it } from "vitest";
import fixture from "./__fixtures__/litellm.json" with { type: "json" };

describe("fromLiteLLM", () => {
  it("maps the recorded row: spend computed by the proxy, digit for digit", () => {
    const g = fromLiteLLM(fixture);
    expect(g).toMatchObject({
      provider: "litellm",
      id: "chatcmpl-6dcb2540-d3d7-4e49-bb27-291f863f112e",
      model: "cohere.command-text-v14",
      upstream: { provider: "bedrock", id: null },
      status: "succeeded",
      createdAt: "2024-01-18T18:07:54.071Z",
      startedAt: "2024-01-18T18:07:54.071Z",
      completedAt: "2024-01-18T18:07:55.510Z",
      timing: { timeToFirstTokenMs: 631, generationMs: 1439 },
      usage: { inputTokens: 7, outputTokens: 31, totalTokens: 38 },
      cost: { amount: "0.0000725", currency: "USD", basis: "computed" },
      error: null,
      raw: fixture,
    });
  });

  it("keeps the digits a double cannot hold, as sent", () => {
    const body = parseJsonExact(
      JSON.stringify(fixture).replace(/"spend":[^,]+/, '"spend":7.2500000000000000000001e-5'),
    );
    expect(fromLiteLLM(body as typeof fixture).cost?.amount).toBe("0.000072500000000000000000001");
  });

  it("a failed call is failed; anything but one row is refused", () => {
    expect(fromLiteLLM([{ ...fixture[0]!, status: "failure" }]).status).toBe("failed");
    expect(() => fromLiteLLM([])).toThrow("litellm: expected one spend log row, got 0");
    expect(() => fromLiteLLM([{ spend: 1 }] as never)).toThrow("litellm: the generation has no `request_id`");
  });
});
