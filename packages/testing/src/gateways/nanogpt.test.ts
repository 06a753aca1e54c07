import { NotFoundError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { nanogpt } from "@genledger/normalize/nanogpt";
import { type MockGateway, startMockGateway } from "@genledger/testing";
import { afterEach, describe, expect, it } from "vitest";

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe("the NanoGPT mock", () => {
  it("answers 404 with Retry-After until the charge is recorded; ledger.get waits it out", async () => {
    gateway = await startMockGateway({ nanogpt: { notReadyCalls: 2, notReadyRetryAfter: 0 } });
    expect(gateway.env.NANOGPT_BASE_URL).toBe(gateway.baseUrls.nanogpt);
    const ledger = createLedger({
      providers: [nanogpt({ apiKey: "test-key-123", baseUrl: gateway.baseUrls.nanogpt })],
    });
    const early = await ledger.get("nanogpt", "req_1").catch((e) => e);
    expect(NotFoundError.isInstance(early)).toBe(true);
    expect(early.retryAfterMs).toBe(0);
    const g = await ledger.get("nanogpt", "req_1", { wait: { intervalMs: 1 } });
    expect(g).toMatchObject({ provider: "nanogpt", id: "req_1", cost: { currency: "USD", basis: "billed" } });
    // More digits than a double holds, kept.
    expect(g.cost?.amount).toMatch(/^0\.000\d{5}123456789$/);
  });

  it("serves completions whose X-Request-ID is the lookup id, and books what they used", async () => {
    gateway = await startMockGateway();
    const response = await fetch(`${gateway.baseUrls.nanogpt}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer test-key-123", "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    const id = response.headers.get("x-request-id") as string;
    const body = (await response.json()) as { id: string; usage: { prompt_tokens: number } };
    expect(id).toMatch(/^req_/);
    expect(body.id).not.toBe(id);
    const ledger = createLedger({
      providers: [nanogpt({ apiKey: "test-key-123", baseUrl: gateway.baseUrls.nanogpt })],
    });
    expect((await ledger.get("nanogpt", id)).usage.inputTokens).toBe(body.usage.prompt_tokens);
  });
});
