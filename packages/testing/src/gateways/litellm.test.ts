import { NotFoundError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { litellm } from "@genledger/normalize/litellm";
import { type MockGateway, startMockGateway } from "@genledger/testing";
import { afterEach, describe, expect, it } from "vitest";

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe("the LiteLLM proxy mock", () => {
  it("answers 200 [] until the row is written; ledger.get waits it out", async () => {
    gateway = await startMockGateway({ litellm: { notReadyCalls: 2 } });
    expect(gateway.env.LITELLM_BASE_URL).toBe(gateway.baseUrls.litellm);
    const ledger = createLedger({ providers: [litellm({ apiKey: "sk-test-123", baseUrl: gateway.baseUrls.litellm })] });
    const early = await ledger.get("litellm", "chatcmpl-1").catch((e) => e);
    expect(NotFoundError.isInstance(early)).toBe(true);
    const g = await ledger.get("litellm", "chatcmpl-1", { wait: { intervalMs: 1 } });
    expect(g).toMatchObject({ provider: "litellm", id: "chatcmpl-1", cost: { currency: "USD", basis: "computed" } });
  });

  it("serves completions keyed by their body id, with x-litellm-call-id and x-litellm-response-cost", async () => {
    gateway = await startMockGateway();
    const response = await fetch(`${gateway.baseUrls.litellm}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test-123", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    const body = (await response.json()) as { id: string };
    expect(response.headers.get("x-litellm-call-id")).toMatch(/^[0-9a-f-]{36}$/);
    const ledger = createLedger({ providers: [litellm({ apiKey: "sk-test-123", baseUrl: gateway.baseUrls.litellm })] });
    const g = await ledger.get("litellm", body.id);
    expect(g.cost?.amount).toBe(response.headers.get("x-litellm-response-cost"));
  });
});
