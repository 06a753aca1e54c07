import { NotFoundError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { cloudflare } from "@genledger/normalize/cloudflare";
import { type MockGateway, startMockGateway } from "@genledger/testing";
import { afterEach, describe, expect, it } from "vitest";

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe("the Cloudflare AI Gateway mock", () => {
  it("answers 404 in the v4 envelope until the log is written; ledger.get waits it out", async () => {
    gateway = await startMockGateway({ cloudflare: { notReadyCalls: 2 } });
    expect(gateway.env.CLOUDFLARE_BASE_URL).toBe(gateway.baseUrls.cloudflare);
    const ledger = createLedger({
      providers: [cloudflare({ apiKey: "cf-token-123456", baseUrl: gateway.baseUrls.cloudflare })],
    });
    const ref = "acc1/gw1/01KLOG";
    const early = await ledger.get("cloudflare", ref).catch((e) => e);
    expect(NotFoundError.isInstance(early)).toBe(true);
    expect(early).toMatchObject({ code: "7003" });
    expect(early.message).toContain("logging is off");
    const g = await ledger.get("cloudflare", ref, { wait: { intervalMs: 1 } });
    expect(g).toMatchObject({ provider: "cloudflare", id: ref, cost: { currency: "USD", basis: "computed" } });
  });

  it("serves completions under /v1/{account}/{gateway}/compat whose cf-aig-log-id is the log", async () => {
    gateway = await startMockGateway();
    const response = await fetch(`${gateway.baseUrls.cloudflare}/v1/acc1/gw1/compat/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer cf-aig-token", "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
    const logId = response.headers.get("cf-aig-log-id") as string;
    const body = (await response.json()) as { usage: { prompt_tokens: number } };
    const ledger = createLedger({
      providers: [cloudflare({ apiKey: "cf-token-123456", baseUrl: gateway.baseUrls.cloudflare })],
    });
    const g = await ledger.get("cloudflare", `acc1/gw1/${logId}`);
    expect(g.usage.inputTokens).toBe(body.usage.prompt_tokens);
    expect(g.upstream.provider).toBe("openai");
  });
});
