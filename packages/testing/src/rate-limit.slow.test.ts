// The ledger against a rate-limited gateway on 127.0.0.1: a job loses no row to a busy gateway, whatever
// it says (retry-after, x-ratelimit-*, nothing, lies) or does (refuses everything for a while, drops
// connections). Verdicts are counts, never timings: a slow machine only makes the job longer.
import { RateLimitError } from "@genledger/core";
import { createLedger, type GenerationRef } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { afterEach, describe, expect, it } from "vitest";
import { type MockGateway, type MockRateLimit, type StartMockGatewayOptions, startMockGateway } from "./index.js";

const apiKey = "mock-key-0123456789";
let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function ledgerOn(options: StartMockGatewayOptions, client: Parameters<typeof openrouter>[0] = {}) {
  gateway = await startMockGateway(options);
  return createLedger({ providers: [openrouter({ apiKey, baseUrl: gateway.baseUrls.openrouter, ...client })] });
}

const refs = (n: number): GenerationRef<"openrouter">[] =>
  Array.from({ length: n }, (_, i) => ({ provider: "openrouter", id: `gen-${i}` }));

async function drain(ledger: Awaited<ReturnType<typeof ledgerOn>>, n: number, options = {}) {
  const ids = new Map<string, number>();
  const errors: Error[] = [];
  for await (const result of ledger.getMany(refs(n), { concurrency: 32, ...options })) {
    ids.set(result.ref.id, (ids.get(result.ref.id) ?? 0) + 1);
    if (result.error) errors.push(result.error);
    else expect(result.generation.id).toBe(result.ref.id);
  }
  return { ids, errors };
}

describe("getMany against a rate-limited gateway", () => {
  it.each<MockRateLimit["headers"]>(["retry-after", "x-ratelimit", "none"])(
    "loses no row and fails none, however far concurrency is above the limit (%s)",
    async (headers) => {
      const ledger = await ledgerOn({ openrouter: { delayMs: 5, rateLimit: { requestsPerSecond: 60, headers } } });
      const { ids, errors } = await drain(ledger, 150);
      expect(errors).toEqual([]);
      expect(ids.size).toBe(150);
      expect([...ids.values()].every((n) => n === 1)).toBe(true);
      const stats = ledger.stats().openrouter;
      expect(stats?.requests).toBe(150 + (stats?.rateLimited ?? 0));
      if (headers === "x-ratelimit") expect(stats?.source).toBe("headers");
      else expect(stats).toMatchObject({ source: "learned" });
    },
  );

  it("learns the rate: far fewer 429s than requests, where each request backing off alone met one in two", async () => {
    const ledger = await ledgerOn({ openrouter: { delayMs: 5, rateLimit: { requestsPerSecond: 80 } } });
    const { errors } = await drain(ledger, 240);
    expect(errors).toEqual([]);
    expect(ledger.stats().openrouter?.rateLimited).toBeLessThan(80);
  });

  it("paces to rateLimit from the first request: no 429 at all", async () => {
    const ledger = await ledgerOn(
      { openrouter: { rateLimit: { requestsPerSecond: 50, burst: 10 } } },
      { rateLimit: { requestsPerSecond: 40 } },
    );
    const { errors } = await drain(ledger, 60);
    expect(errors).toEqual([]);
    expect(ledger.stats().openrouter).toMatchObject({ rateLimited: 0, source: "option", requests: 60 });
  });

  it("distrusts x-ratelimit headers that claim more than is allowed, and still fails no row", async () => {
    // 20/s enforced: slow enough that even a loaded machine sends faster, so the lie always shows.
    const ledger = await ledgerOn({
      openrouter: { rateLimit: { requestsPerSecond: 20, headers: "x-ratelimit", advertise: 1000 } },
    });
    const { errors, ids } = await drain(ledger, 120);
    expect(errors).toEqual([]);
    expect(ids.size).toBe(120);
    expect(ledger.stats().openrouter?.source).toBe("learned");
  });

  it("waits out a gateway that answers 429 to everything for a while, then recovers", async () => {
    let refusing = true;
    const ledger = await ledgerOn({
      openrouter: { fault: () => (refusing ? { status: 429, retryAfter: 1 } : undefined) },
    });
    const job = drain(ledger, 40, { deadlineMs: 600_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    refusing = false;
    const { errors, ids } = await job;
    expect(errors).toEqual([]);
    expect(ids.size).toBe(40);
    // Every request waited for the pause: no busy loop while it refused.
    expect(ledger.stats().openrouter?.rateLimited).toBeLessThan(200);
  });

  it("fails the rows whose wait would pass the deadline at once, each a RateLimitError with retryAfterMs", async () => {
    const ledger = await ledgerOn({ openrouter: { fault: { status: 429, retryAfter: 30 } } });
    const started = Date.now();
    const { errors } = await drain(ledger, 20, { deadlineMs: 5000 });
    expect(errors).toHaveLength(20);
    for (const error of errors) {
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(5000);
    }
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("retries the connections a gateway drops under load: no row lost", async () => {
    const dropped = new Set<string>();
    const ledger = await ledgerOn({
      openrouter: {
        rateLimit: { requestsPerSecond: 100 },
        // The first lookup of every third id is cut off.
        fault: (id) => {
          if (Number(id.split("-")[1]) % 3 !== 0 || dropped.has(id)) return undefined;
          dropped.add(id);
          return { status: 0 };
        },
      },
    });
    const { errors, ids } = await drain(ledger, 60);
    expect(errors).toEqual([]);
    expect(ids.size).toBe(60);
    expect(dropped.size).toBe(20);
  });

  it("keeps a lone get's retries: a 429 is retried after the asked wait, as an attempt", async () => {
    const ledger = await ledgerOn({ openrouter: { rateLimit: { requestsPerSecond: 1, burst: 1 } } });
    await ledger.get("openrouter", "gen-1");
    const started = Date.now();
    expect((await ledger.get("openrouter", "gen-2")).id).toBe("gen-2");
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(ledger.stats().openrouter?.rateLimited).toBe(1);
  });
});
