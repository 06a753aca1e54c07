// The resolver against a real mock gateway (HTTP on 127.0.0.1), the real ledger and real stores: every ref
// looked up once per attempt, kept, retried on its own backoff, given up past its horizon, never lost.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { InvalidArgumentError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { cloudflare } from "@genledger/normalize/cloudflare";
import { helicone } from "@genledger/normalize/helicone";
import { litellm } from "@genledger/normalize/litellm";
import { nanogpt } from "@genledger/normalize/nanogpt";
import { openrouter } from "@genledger/normalize/openrouter";
import { zenmux } from "@genledger/normalize/zenmux";
import {
  type MockGateway,
  openRouterGeneration,
  type StartMockGatewayOptions,
  startMockGateway,
} from "@genledger/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Engines, startEngines } from "../test/engines.js";
import { openStore, resolvePending, type Store } from "./index.js";

const apiKey = "sk-or-v1-resolve-test-key-0123456789";
let engines: Engines;
let mock: MockGateway | undefined;
const open: Store[] = [];

beforeAll(async () => {
  engines = await startEngines();
});
afterAll(async () => {
  await engines?.close();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await mock?.close();
  mock = undefined;
});

async function setUp(behaviour: StartMockGatewayOptions = {}, kind: "sqlite" | "postgres" = "sqlite") {
  mock = await startMockGateway(behaviour);
  const url = kind === "sqlite" ? engines.sqlite() : await engines.postgres();
  const store = await openStore(url);
  open.push(store);
  const ledger = createLedger({
    providers: [
      openrouter({ apiKey, baseUrl: mock.baseUrls.openrouter, maxRetries: 0 }),
      zenmux({ apiKey, baseUrl: mock.baseUrls.zenmux, maxRetries: 0 }),
    ],
  });
  return { mock, store, url, ledger };
}

const refs = (n: number, provider = "openrouter", prefix = "gen-") =>
  Array.from({ length: n }, (_, i) => ({ ref: { provider, id: `${prefix}${i}` } }));

/** Makes every waiting ref due now: the backoff is real time, and the test is not about waiting it out. */
const dueNow = (store: Store) => store.query("UPDATE pending_refs SET due_at = 0");

describe("resolvePending", () => {
  it("looks each ref up exactly once and keeps its final record", async () => {
    const { mock, store, ledger } = await setUp({ openrouter: { delayMs: 5 } });
    await store.enqueue(refs(50).map((r) => ({ ...r, tags: { customer: "acme" } })));
    const stats = await resolvePending({ store, ledger, workers: 4, once: true });
    expect(stats).toEqual({ lookups: 50, resolved: 50, retried: 0, givenUp: 0, failed: 0 });
    expect(mock.stats.requests).toBe(50);
    expect(mock.stats.maxInFlight).toBeLessThanOrEqual(4);
    expect(await store.queueStats()).toEqual({ waiting: 0, due: 0, leased: 0, givenUp: 0, failed: 0 });
    const report = await store.report({ by: ["tag:customer"] });
    expect(report.rows).toEqual([expect.objectContaining({ key: { "tag:customer": "acme" }, count: 50, pending: 0 })]);
    // Nothing left: a second run looks nothing up.
    expect((await resolvePending({ store, ledger, once: true })).lookups).toBe(0);
    expect(mock.stats.requests).toBe(50);
  });

  it("retries a ref that is not ready yet, on its own backoff, then resolves it", async () => {
    const { store, ledger } = await setUp({ openrouter: { notReadyCalls: 1 } });
    await store.enqueue(refs(10));
    const before = Date.now();
    const first = await resolvePending({ store, ledger, once: true });
    expect(first).toMatchObject({ lookups: 10, resolved: 0, retried: 10 });
    // Not due yet: the first retry waits 5 s (less up to a quarter) from its lookup, however long the run took.
    expect(await store.nextDue()).toBeGreaterThanOrEqual(before + 3_750);
    await dueNow(store);
    expect(await resolvePending({ store, ledger, once: true })).toMatchObject({ lookups: 10, resolved: 10 });
    expect((await store.get({ provider: "openrouter", id: "gen-3" }))?.generation.billing).toBe("final");
  });

  it("keeps a record whose billing is pending, retries it, and gives it up past the billing horizon", async () => {
    const { store, ledger } = await setUp({ zenmux: { notReadyCalls: Number.POSITIVE_INFINITY } });
    await store.enqueue(refs(3, "zenmux"));
    expect(await resolvePending({ store, ledger, once: true })).toMatchObject({ lookups: 3, retried: 3 });
    const kept = await store.get({ provider: "zenmux", id: "gen-0" });
    expect(kept?.generation.billing).toBe("pending");
    const report = await store.report({});
    expect(report.total).toMatchObject({ count: 3, pending: 3 });
    expect(report.queue).toMatchObject({ waiting: 3 });
    expect((await store.queued("waiting", 10)).map((q) => q.reason)).toEqual([
      "billing-pending",
      "billing-pending",
      "billing-pending",
    ]);
    await dueNow(store);
    expect(await resolvePending({ store, ledger, once: true, billingHorizonMs: 0 })).toMatchObject({ givenUp: 3 });
    expect(await store.queueStats()).toMatchObject({ waiting: 0, givenUp: 3 });
    // Given up is kept, not lost: requeue puts it back.
    expect(await store.requeue("given-up")).toBe(3);
    expect(await store.queueStats()).toMatchObject({ waiting: 3, due: 3, givenUp: 0 });
  });

  it("gives up a ref the gateway does not know only past the not-found horizon", async () => {
    const { store, ledger } = await setUp();
    await store.enqueue(refs(2, "openrouter", "missing-"));
    expect(await resolvePending({ store, ledger, once: true })).toMatchObject({ retried: 2, givenUp: 0 });
    await dueNow(store);
    expect(await resolvePending({ store, ledger, once: true, notFoundHorizonMs: 0 })).toMatchObject({ givenUp: 2 });
    expect(await store.queued("given-up", 10)).toEqual([
      expect.objectContaining({ ref: { provider: "openrouter", id: "missing-0" }, reason: "not-found" }),
      expect.objectContaining({ ref: { provider: "openrouter", id: "missing-1" }, reason: "not-found" }),
    ]);
  });

  it("reads each new gateway's not-ready phase as not ready, on its own terms, until its horizon", async () => {
    const forever = { notReadyCalls: Number.POSITIVE_INFINITY };
    const { store, mock } = await setUp({
      nanogpt: { ...forever, notReadyRetryAfter: 600 },
      cloudflare: forever,
      litellm: forever,
      helicone: forever,
    });
    const options = (name: keyof typeof mock.baseUrls) => ({ apiKey, baseUrl: mock.baseUrls[name], maxRetries: 3 });
    const ledger = createLedger({
      providers: [
        nanogpt(options("nanogpt")),
        cloudflare(options("cloudflare")),
        litellm(options("litellm")),
        helicone(options("helicone")),
      ],
    });
    await store.enqueue([
      { ref: { provider: "nanogpt", id: "req_1" } },
      { ref: { provider: "cloudflare", id: "acc/gw/01KNOLOG" } },
      { ref: { provider: "litellm", id: "chatcmpl-1" } },
      { ref: { provider: "helicone", id: "0b3e2f9a-7c4d-4e1f-8a2b-5d6c7e8f9a0b" } },
    ]);
    const before = Date.now();
    expect(await resolvePending({ store, ledger, once: true })).toMatchObject({ lookups: 4, retried: 4, failed: 0 });
    // One request each: Helicone's 500 and LiteLLM's [] are not retried as server errors.
    expect(mock.stats.requests).toBe(4);
    const waiting = await store.queued("waiting", 10);
    expect(waiting.map((q) => q.reason)).toEqual(["not-ready", "not-ready", "not-ready", "not-ready"]);
    // NanoGPT's Retry-After (600 s here) is honoured, beyond the resolver's own 5 s backoff.
    const rows = await store.query("SELECT provider, due_at FROM pending_refs");
    const due = Object.fromEntries(rows.map((r) => [String(r.provider), Number(r.due_at)]));
    expect(due.nanogpt).toBeGreaterThanOrEqual(before + 600_000);
    expect(due.litellm).toBeLessThan(before + 600_000);
    // Two hours later: past the default horizon of an hour, within NanoGPT's 24 hours.
    await store.query("UPDATE pending_refs SET due_at = 0, first_seen = first_seen - 7200000");
    expect(await resolvePending({ store, ledger, once: true })).toMatchObject({ retried: 1, givenUp: 3 });
    expect((await store.queued("waiting", 10)).map((q) => q.ref.provider)).toEqual(["nanogpt"]);
    const givenUp = await store.queued("given-up", 10);
    const cf = givenUp.find((q) => q.ref.provider === "cloudflare");
    expect(cf).toMatchObject({ reason: "not-found" });
    expect(cf?.error).toContain("not written yet, or logging is off");
  });

  it("marks a ref failed on an error a retry does not mend, without the key in what it keeps", async () => {
    const { store, ledger } = await setUp({ openrouter: { fault: { status: 401 } } });
    await store.enqueue(refs(2));
    const events: { outcome: string; error?: string | undefined }[] = [];
    const stats = await resolvePending({ store, ledger, once: true, onSettled: (e) => events.push(e) });
    expect(stats).toMatchObject({ lookups: 2, failed: 2, retried: 0 });
    expect(events.map((e) => e.outcome)).toEqual(["failed", "failed"]);
    const failed = await store.queued("failed", 10);
    expect(failed).toHaveLength(2);
    expect(JSON.stringify(failed)).not.toContain(apiKey);
    expect(JSON.stringify(failed)).toMatch(/401/);
    expect(await store.requeue("failed")).toBe(2);
    expect(await store.queueStats()).toMatchObject({ due: 2, failed: 0 });
  });

  it("waits at least the gateway's Retry-After after a 429", async () => {
    const { store, ledger } = await setUp({ openrouter: { fault: { status: 429, retryAfter: 120 } } });
    await store.enqueue(refs(1));
    const before = Date.now();
    expect(await resolvePending({ store, ledger, once: true })).toMatchObject({ retried: 1 });
    expect(await store.nextDue()).toBeGreaterThanOrEqual(before + 120_000);
  });

  it("asks again within the hour a gateway that asks for 10^12 seconds", async () => {
    const { store, ledger } = await setUp({ openrouter: { fault: { status: 429, retryAfter: 1e12 } } });
    await store.enqueue(refs(1));
    const before = Date.now();
    expect(await resolvePending({ store, ledger, once: true })).toMatchObject({ retried: 1 });
    expect(await store.nextDue()).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(await store.nextDue()).toBeLessThanOrEqual(Date.now() + 3_600_000 * 1.25);
  });

  it.each(["sqlite", "postgres"] as const)(
    "fails only the ref whose record the store cannot keep, and drains the rest (%s)",
    async (kind) => {
      // A gateway whose record for two ids is odd: a NUL in the model, a cost of 1e50.
      const odd: Record<string, Record<string, unknown>> = {
        "gen-7": { model: "bad\u0000model" },
        "gen-99": { total_cost: 1e50 },
      };
      const server = createServer((req, res) => {
        const id = new URL(req.url ?? "/", "http://x").searchParams.get("id") ?? "";
        const body = openRouterGeneration(id);
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ data: { ...body.data, ...odd[id] } }));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      try {
        const store = await openStore(kind === "sqlite" ? engines.sqlite() : await engines.postgres());
        open.push(store);
        const { port } = server.address() as AddressInfo;
        const ledger = createLedger({
          providers: [openrouter({ apiKey, baseUrl: `http://127.0.0.1:${port}/api/v1`, maxRetries: 0 })],
        });
        await store.enqueue(refs(200));
        const stats = await resolvePending({ store, ledger, workers: 8, once: true });
        expect(stats).toMatchObject({ lookups: 200, resolved: 198, failed: 2 });
        expect(await store.queueStats()).toMatchObject({ waiting: 0, failed: 2 });
        const failed = await store.queued("failed");
        expect(failed.map((f) => f.ref.id).sort()).toEqual(["gen-7", "gen-99"]);
        expect(failed.find((f) => f.ref.id === "gen-7")).toMatchObject({
          reason: "invalid-record",
          error: expect.stringMatching(/model contains a NUL/),
        });
        expect(failed.find((f) => f.ref.id === "gen-99")?.error).toMatch(/more than 45 digits/);
        expect((await store.report({})).total.count).toBe(198);
      } finally {
        server.close();
      }
    },
  );

  it("on abort, gives the refs in hand back due now, not counted as an attempt", async () => {
    const { mock, store, ledger } = await setUp({ openrouter: { delayMs: 60_000 } });
    await store.enqueue(refs(3));
    const stop = new AbortController();
    const running = resolvePending({ store, ledger, workers: 2, signal: stop.signal });
    // Abort once both lookups reached the gateway.
    while (mock.stats.requests < 2) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    const stats = await running;
    expect(stats).toMatchObject({ lookups: 2, resolved: 0, retried: 0 });
    expect(await store.queueStats()).toMatchObject({ waiting: 3, due: 3, leased: 0 });
    const claimed = await store.claim({ owner: "next", limit: 3, leaseMs: 10_000 });
    expect(claimed.every((c) => c.attempts === 0)).toBe(true);
  });

  it("lets two resolvers drain one PostgreSQL queue with no ref looked up twice", async () => {
    const { mock, url, store, ledger } = await setUp({ openrouter: { delayMs: 2 } }, "postgres");
    await store.enqueue(refs(300));
    const other = await openStore(url);
    open.push(other);
    const seen = new Map<string, number>();
    const onSettled = (e: { ref: { id: string } }) => seen.set(e.ref.id, (seen.get(e.ref.id) ?? 0) + 1);
    const [a, b] = await Promise.all([
      resolvePending({ store, ledger, workers: 4, once: true, onSettled }),
      resolvePending({ store: other, ledger, workers: 4, once: true, onSettled }),
    ]);
    expect(a.resolved + b.resolved).toBe(300);
    expect(mock.stats.requests).toBe(300);
    expect(seen.size).toBe(300);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect((await store.report({})).total.count).toBe(300);
  });

  it("refuses options it does not know and a store or ledger that is not one", async () => {
    const { store, ledger } = await setUp();
    await expect(resolvePending({ store, ledger, wrokers: 2 } as never)).rejects.toThrow(/wrokers/);
    await expect(resolvePending({ store, ledger, workers: 0 })).rejects.toSatisfy((e) =>
      InvalidArgumentError.isInstance(e),
    );
    await expect(resolvePending({ store: {} as never, ledger })).rejects.toThrow(/openStore/);
    await expect(resolvePending({ store, ledger: {} as never })).rejects.toThrow(/createLedger/);
  });
});
