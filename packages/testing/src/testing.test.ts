import { NotFoundError, PermissionDeniedError, RateLimitError, ServerError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { fastrouter } from "@genledger/normalize/fastrouter";
import { openrouter } from "@genledger/normalize/openrouter";
import { oxen } from "@genledger/normalize/oxen";
import { zenmux } from "@genledger/normalize/zenmux";
import { createOpenRouterClient } from "@genledger/openrouter";
import {
  type MockGateway,
  openRouterGeneration,
  type StartMockGatewayOptions,
  startMockGateway,
} from "@genledger/testing";
import { createHandlers } from "@genledger/testing/msw";
import { setupServer } from "msw/node";
import { afterEach, describe, expect, it } from "vitest";

const apiKey = "mock-key-0123456789";
let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function ledgerOn(options: StartMockGatewayOptions = {}) {
  gateway = await startMockGateway(options);
  const b = gateway.baseUrls;
  return createLedger({
    providers: [
      openrouter({ apiKey, baseUrl: b.openrouter }),
      zenmux({ apiKey, baseUrl: b.zenmux }),
      fastrouter({ apiKey, baseUrl: b.fastrouter }),
      oxen({ baseUrl: b.oxen }),
    ],
  });
}

describe("startMockGateway", () => {
  it("serves all four gateways on 127.0.0.1 under their own prefixes", async () => {
    const ledger = await ledgerOn();
    expect(gateway!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gateway!.baseUrls.openrouter).toBe(`${gateway!.url}/openrouter/api/v1`);
    expect(gateway!.env.OXEN_BASE_URL).toBe(`${gateway!.url}/oxen`);
    for (const provider of ["openrouter", "zenmux", "fastrouter", "oxen"] as const) {
      const g = await ledger.get(provider, `gen-${provider}-1`);
      expect(g.provider).toBe(provider);
      expect(g.id).toBe(`gen-${provider}-1`);
      expect(g.cost?.amount).toMatch(/^\d+\.\d+$/);
    }
  });

  it("gives completions ids unique to each start and the real time; a seed makes them the same", async () => {
    const complete = async (options: StartMockGatewayOptions = {}) => {
      const ledger = await ledgerOn(options);
      const res = await fetch(`${gateway!.baseUrls.openrouter}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
      });
      const { id, created } = (await res.json()) as { id: string; created: number };
      const record = await ledger.get("openrouter", id);
      await gateway!.close();
      gateway = undefined;
      return { id, created, createdAt: record.createdAt };
    };
    const before = Math.floor(Date.now() / 1000);
    const [a, b] = [await complete(), await complete()];
    expect(a.id).not.toBe(b.id);
    expect(a.created).toBeGreaterThanOrEqual(before);
    expect(a.createdAt?.slice(0, 10)).toBe(new Date().toISOString().slice(0, 10));
    const [c, d] = [await complete({ seed: "fixed" }), await complete({ seed: "fixed" })];
    expect(c).toEqual(d);
    expect(c.createdAt).toBe("2025-11-20T10:15:31.000Z");
  });

  it("answers the same body for the same id", async () => {
    const ledger = await ledgerOn();
    const a = await ledger.get("openrouter", "gen-same");
    const b = await ledger.get("openrouter", "gen-same");
    expect(a).toEqual(b);
  });

  it("requires a bearer key where the gateway does", async () => {
    gateway = await startMockGateway();
    const res = await fetch(`${gateway.baseUrls.openrouter}/generation?id=x`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 401, message: "Missing Authentication header" } });
  });

  it("serves ZenMux's lookup at its current path, not the deprecated one", async () => {
    gateway = await startMockGateway();
    const headers = { authorization: `Bearer ${apiKey}` };
    const current = await fetch(`${gateway.baseUrls.zenmux}/management/generation?id=gen-z`, { headers });
    expect(current.status).toBe(200);
    expect(((await current.json()) as { generationId: string }).generationId).toBe("gen-z");
    const deprecated = await fetch(`${gateway.baseUrls.zenmux}/generation?id=gen-z`, { headers });
    expect(deprecated.status).toBe(404);
  });

  it("answers 404 for ids starting with missing-, in each gateway's envelope", async () => {
    const ledger = await ledgerOn();
    for (const provider of ["openrouter", "zenmux", "fastrouter", "oxen"] as const) {
      await expect(ledger.get(provider, "missing-1")).rejects.toSatisfy((e) => NotFoundError.isInstance(e));
    }
  });

  it("injects a fault with Retry-After a given number of times per id", async () => {
    const ledger = await ledgerOn({ openrouter: { fault: { status: 429, retryAfter: 0, times: 2 } } });
    expect((await ledger.get("openrouter", "gen-1")).id).toBe("gen-1"); // the client's two retries get through
    const once = createOpenRouterClient({ apiKey, baseUrl: gateway!.baseUrls.openrouter, maxRetries: 0 });
    const error = await once.getGeneration("gen-2").catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBe(0);
    expect(error.body).toEqual({ error: { code: 429, message: "Rate limit exceeded" } });
  });

  it("injects faults per id with the gateway's envelope", async () => {
    const ledger = await ledgerOn({
      zenmux: { fault: (id) => (id === "bad" ? { status: 403 } : undefined) },
      fastrouter: { fault: { status: 503, retryAfter: 0 } },
    });
    const denied = await ledger.get("zenmux", "bad").catch((e) => e);
    expect(PermissionDeniedError.isInstance(denied)).toBe(true);
    expect(denied.message).toBe("ZenMux 403 Forbidden: Invalid API key");
    expect((await ledger.get("zenmux", "good")).id).toBe("good");
    const down = await ledger.get("fastrouter", "x").catch((e) => e);
    expect(ServerError.isInstance(down)).toBe(true);
    expect(down.body).toEqual({
      error: { message: "Service unavailable", type: "server_error", code: "server_error", status: 503 },
    });
  });

  it("is not ready for the first N calls", async () => {
    const ledger = await ledgerOn({
      openrouter: { notReadyCalls: 2 },
      oxen: { notReadyCalls: 2 },
      zenmux: { notReadyCalls: 1 },
    });
    const wait = { timeoutMs: 5_000, intervalMs: 10 };
    expect((await ledger.get("openrouter", "late", { wait })).id).toBe("late");
    expect((await ledger.get("oxen", "job-1")).status).toBe("queued");
    expect((await ledger.get("oxen", "job-1")).status).toBe("processing");
    expect((await ledger.get("oxen", "job-1")).status).toBe("succeeded");
    expect((await ledger.get("zenmux", "z")).billing).toBe("pending");
    expect((await ledger.get("zenmux", "z")).billing).toBe("final");
  });

  it("never bills a ZenMux subscription key", async () => {
    gateway = await startMockGateway();
    const ledger = createLedger({
      providers: [zenmux({ apiKey: "sk-ss-v1-0123456789", baseUrl: gateway.baseUrls.zenmux })],
    });
    expect((await ledger.get("zenmux", "z")).billing).toBe("unavailable");
  });

  it("delays responses", async () => {
    const ledger = await ledgerOn({ fastrouter: { delayMs: 150 } });
    const started = Date.now();
    await ledger.get("fastrouter", "slow");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("pages the Oxen list, with filters, in pages of any size", async () => {
    const ledger = await ledgerOn({ oxen: { jobs: 23 } });
    const all = [];
    for await (const g of ledger.list("oxen", { page_size: 5 })) all.push(g);
    expect(all).toHaveLength(23);
    expect(new Set(all.map((g) => g.id)).size).toBe(23);
    expect(all.filter((g) => g.status === "failed").length).toBe(4);
    const failed = [];
    for await (const g of ledger.list("oxen", { status: "failed", page_size: 1 })) failed.push(g.error);
    expect(failed).toEqual(Array(4).fill("content policy violation"));
  });
});

describe("createHandlers with msw, at the real base URLs", () => {
  it("mocks the real base URLs in-process", async () => {
    const server = setupServer(...createHandlers({ openrouter: { fault: { status: 429, retryAfter: 0 } } }));
    server.listen({ onUnhandledRequest: "error" });
    try {
      const error = await createOpenRouterClient({ apiKey, maxRetries: 1 })
        .getGeneration("gen-1")
        .catch((e) => e);
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect(error.retryAfterMs).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe("createHandlers with msw", () => {
  it("serves the same routes under any base URL, the Oxen id from the path", async () => {
    const server = setupServer(
      ...createHandlers({ baseUrls: { oxen: "https://oxen.test/hub/" }, oxen: { notReadyCalls: 1 } }),
    );
    server.listen({ onUnhandledRequest: "error" });
    try {
      const ledger = createLedger({ providers: [oxen({ baseUrl: "https://oxen.test/hub" })] });
      expect((await ledger.get("oxen", "a b/c")).status).toBe("queued");
      const done = await ledger.get("oxen", "a b/c");
      expect([done.id, done.status]).toEqual(["a b/c", "succeeded"]);
      const unknown = await fetch("https://oxen.test/hub/api/nothing");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ error: { message: "no mock for GET /hub/api/nothing" } });
    } finally {
      server.close();
    }
  });

  it("answers what the loopback server answers", async () => {
    const server = setupServer(...createHandlers());
    server.listen({ onUnhandledRequest: "error" });
    const viaMsw = await createOpenRouterClient({ apiKey })
      .getGeneration("gen-same")
      .finally(() => server.close());
    {
      gateway = await startMockGateway();
      const viaServer = await createOpenRouterClient({ apiKey, baseUrl: gateway.baseUrls.openrouter }).getGeneration(
        "gen-same",
      );
      expect(viaMsw).toEqual(viaServer);
      expect(viaServer).toEqual(openRouterGeneration("gen-same"));
    }
  });
});
