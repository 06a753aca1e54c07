import { NotFoundError, RateLimitError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { vercel } from "@genledger/normalize/vercel";
import { type MockGateway, type StartMockGatewayOptions, startMockGateway } from "@genledger/testing";
import { createHandlers } from "@genledger/testing/msw";
import { createVercelClient } from "@genledger/vercel";
import { setupServer } from "msw/node";
import { afterEach, describe, expect, it } from "vitest";

const apiKey = "test-key-123";
let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function start(options: StartMockGatewayOptions = {}) {
  gateway = await startMockGateway(options);
  return createVercelClient({ apiKey, baseUrl: gateway.baseUrls.vercel, maxRetries: 0 });
}

describe("the Vercel AI Gateway mock", () => {
  it("serves /v1/generation under /vercel, its base URL in AI_GATEWAY_BASE_URL", async () => {
    const client = await start();
    expect(gateway!.baseUrls.vercel).toBe(`${gateway!.url}/vercel/v1`);
    expect(gateway!.env.AI_GATEWAY_BASE_URL).toBe(gateway!.baseUrls.vercel);
    const { data } = await client.getGeneration("gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0");
    expect(data.id).toBe("gen_01KAQ3W5Z9X8J2M4N6P7R8S9T0");
    expect(data.total_cost).toBeCloseTo((data.market_cost ?? 0) + (data.surcharge_cost ?? 0), 8);
    expect(await client.getGeneration(data.id)).toEqual({ data });
  });

  it("answers 404 while not ready, which the ledger waits through", async () => {
    await start({ vercel: { notReadyCalls: 2 } });
    const ledger = createLedger({ providers: [vercel({ apiKey, baseUrl: gateway!.baseUrls.vercel })] });
    const early = await ledger.get("vercel", "gen_early").catch((e) => e);
    expect(NotFoundError.isInstance(early)).toBe(true);
    expect(early.code).toBe("not_found");
    const g = await ledger.get("vercel", "gen_late", { wait: { timeoutMs: 5000, intervalMs: 10 } });
    expect(g.id).toBe("gen_late");
  });

  it("injects faults in Vercel's envelope, refuses a missing key and missing- ids", async () => {
    const client = await start({
      vercel: { fault: (id) => (id === "gen_busy" ? { status: 429, retryAfter: 0 } : undefined) },
    });
    const busy = await client.getGeneration("gen_busy").catch((e) => e);
    expect(RateLimitError.isInstance(busy)).toBe(true);
    expect(busy.body).toEqual({
      error: { message: "Rate limit exceeded", type: "rate_limit_exceeded" },
      generationId: null,
    });
    const missing = await client.getGeneration("missing-1").catch((e) => e);
    expect(NotFoundError.isInstance(missing)).toBe(true);
    const anonymous = await fetch(`${gateway!.baseUrls.vercel}/generation?id=gen_1`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: { message: "Missing Authentication header", type: "authentication_error" },
      generationId: null,
    });
  });

  it("with msw, mocks the real https://ai-gateway.vercel.sh/v1", async () => {
    const server = setupServer(...createHandlers());
    server.listen({ onUnhandledRequest: "error" });
    try {
      const { data } = await createVercelClient({ apiKey }).getGeneration("gen_msw");
      expect(data.id).toBe("gen_msw");
    } finally {
      server.close();
    }
  });
});
