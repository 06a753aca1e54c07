import { NotFoundError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { helicone } from "@genledger/normalize/helicone";
import { type MockGateway, startMockGateway } from "@genledger/testing";
import { afterEach, describe, expect, it } from "vitest";

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe("the Helicone mock", () => {
  it("answers 500 { data: null, error } until logged; ledger.get waits it out", async () => {
    gateway = await startMockGateway({ helicone: { notReadyCalls: 2 } });
    expect(gateway.env.HELICONE_BASE_URL).toBe(gateway.baseUrls.helicone);
    const ledger = createLedger({
      providers: [helicone({ apiKey: "sk-h-123456", baseUrl: gateway.baseUrls.helicone })],
    });
    const id = "0b3e2f9a-7c4d-4e1f-8a2b-5d6c7e8f9a0b";
    const early = await ledger.get("helicone", id).catch((e) => e);
    expect(NotFoundError.isInstance(early)).toBe(true);
    expect(early.message).toContain("Request not found.");
    const g = await ledger.get("helicone", id, { wait: { intervalMs: 1 } });
    expect(g).toMatchObject({ provider: "helicone", id, cost: { currency: "USD", basis: "computed" } });
  });

  it("serves proxied completions whose Helicone-Id is the lookup id", async () => {
    gateway = await startMockGateway();
    const response = await fetch(`${gateway.baseUrls.helicone}/oai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-openai", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    const id = response.headers.get("helicone-id") as string;
    const body = (await response.json()) as { usage: { prompt_tokens: number } };
    const ledger = createLedger({
      providers: [helicone({ apiKey: "sk-h-123456", baseUrl: gateway.baseUrls.helicone })],
    });
    expect((await ledger.get("helicone", id)).usage.inputTokens).toBe(body.usage.prompt_tokens);
  });
});
