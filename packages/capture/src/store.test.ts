// Capture into a real store (a SQLite file): each call's ref is queued before its lookup, so a process
// that dies between the call and the lookup loses nothing; the records land as they come.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CaptureError, type CaptureLedger, createCapture, tagHeaders } from "@genledger/capture";
import { InvalidArgumentError } from "@genledger/core";
import { createLedger } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { openStore, resolvePending, type Store } from "@genledger/store";
import { type MockGateway, startMockGateway } from "@genledger/testing";
import OpenAI from "openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const apiKey = "test-key-123";
const messages = [{ role: "user" as const, content: "hi" }];
let dir: string;
let mock: MockGateway;
const stores: Store[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "genledger-capture-store-"));
  mock = await startMockGateway();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

async function store(): Promise<Store> {
  const s = await openStore(join(dir, "ledger.db"));
  stores.push(s);
  return s;
}

const ledgerOf = () => createLedger({ providers: [openrouter({ apiKey, baseUrl: mock.baseUrls.openrouter })] });
const client = (fetch: typeof globalThis.fetch) =>
  new OpenAI({ apiKey, baseURL: mock.baseUrls.openrouter, maxRetries: 0, fetch });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createCapture({ ledger, store })", () => {
  it("queues each ref before its lookup and keeps the final records, with the call's tags", async () => {
    await mock.close();
    mock = await startMockGateway({ openrouter: { notReadyCalls: 1 } });
    const kept = await store();
    const real = ledgerOf();
    // What the store held when each lookup started: the ref must already be queued.
    const queuedAtLookup: number[] = [];
    const ledger: CaptureLedger = {
      providers: real.providers,
      getOnce: async (provider, id, options) => {
        queuedAtLookup.push((await kept.queueStats()).waiting);
        return real.getOnce(provider, id, options);
      },
    };
    const errors: CaptureError[] = [];
    const capture = createCapture({
      ledger,
      store: kept,
      gateways: mock.gateways,
      tags: { app: "web" },
      onError: (e) => errors.push(e),
    });
    const sdk = client(capture.fetch);
    const answers = await Promise.all(
      ["acme", "globex", "acme"].map((customer) =>
        sdk.chat.completions.create({ model: "openai/gpt-4o-mini", messages }, { headers: tagHeaders({ customer }) }),
      ),
    );
    const stats = await capture.flush({ timeoutMs: 60_000 });
    expect(errors).toEqual([]);
    expect(stats).toMatchObject({ captured: 3, resolved: 3, pending: 0 });
    expect(queuedAtLookup.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...queuedAtLookup)).toBeGreaterThanOrEqual(1);

    const report = await kept.report({ by: ["tag:customer"] });
    expect(report.rows.map((r) => [r.key["tag:customer"], r.count, r.pending])).toEqual([
      ["acme", 2, 0],
      ["globex", 1, 0],
    ]);
    expect((await kept.report({ where: { "tag:app": "web" } })).total.count).toBe(3);
    // Final records only, and nothing left to resolve.
    expect(await kept.queueStats()).toMatchObject({ waiting: 0, failed: 0 });
    expect((await kept.finalRefs(answers.map((a) => ({ provider: "openrouter", id: a.id })))).size).toBe(3);
  });

  it("loses nothing when the process dies before the lookup: the next resolve books the call", async () => {
    const kept = await store();
    // This process's lookups never come back (it is about to die).
    const dying: CaptureLedger = { providers: ["openrouter"], getOnce: () => new Promise(() => {}) };
    const capture = createCapture({ ledger: dying, store: kept, gateways: mock.gateways });
    const answer = await client(capture.fetch).chat.completions.create(
      { model: "openai/gpt-4o-mini", messages },
      { headers: tagHeaders({ customer: "acme" }) },
    );
    // Queued (with its tags) as soon as the response is read, not when a lookup answers.
    while ((await kept.queueStats()).waiting === 0) await sleep(10);
    // The estimate from the response is kept too (OpenRouter's usage.cost), shown as pending.
    const early = await kept.report({ where: { "tag:customer": "acme" } });
    expect(early.total).toMatchObject({ count: 1, pending: 1 });

    // The next process: a resolver over the same file, with a ledger that works.
    const next = await store();
    const stats = await resolvePending({ store: next, ledger: ledgerOf(), once: true });
    expect(stats).toMatchObject({ resolved: 1, failed: 0 });
    const report = await next.report({ where: { "tag:customer": "acme" } });
    expect(report.total).toMatchObject({ count: 1, pending: 0 });
    expect((await next.finalRefs([{ provider: "openrouter", id: answer.id }])).size).toBe(1);
  });

  it("close() waits for the store: every call still held stays queued there", async () => {
    const kept = await store();
    const gate = await startMockGateway({ openrouter: { notReadyCalls: Number.POSITIVE_INFINITY } });
    try {
      const notReady = createLedger({ providers: [openrouter({ apiKey, baseUrl: gate.baseUrls.openrouter })] });
      const held = createCapture({ ledger: notReady, store: kept, gateways: gate.gateways });
      const sdk = new OpenAI({ apiKey, baseURL: gate.baseUrls.openrouter, maxRetries: 0, fetch: held.fetch });
      await Promise.all([1, 2, 3, 4].map(() => sdk.chat.completions.create({ model: "openai/gpt-4o-mini", messages })));
      const stats = await held.close();
      expect(stats.dropped).toBe(4);
      expect(await kept.queueStats()).toMatchObject({ waiting: 4 });
    } finally {
      await gate.close();
    }
  });

  it("reports a store that refuses its writes, and still books the call", async () => {
    const kept = await store();
    await kept.close();
    const errors: CaptureError[] = [];
    const finals: string[] = [];
    const capture = createCapture({
      ledger: ledgerOf(),
      store: kept,
      gateways: mock.gateways,
      onError: (e) => errors.push(e),
      onGeneration: (r) => {
        if (r.generation.billing === "final") finals.push(r.generation.id);
      },
    });
    const answer = await client(capture.fetch).chat.completions.create({ model: "openai/gpt-4o-mini", messages });
    const stats = await capture.flush({ timeoutMs: 60_000 });
    expect(stats).toMatchObject({ resolved: 1, pending: 0 });
    expect(finals).toEqual([answer.id]);
    expect(errors.map((e) => e.code)).toContain("store-failed");
    expect(errors.find((e) => e.code === "store-failed")?.message).toMatch(/the store refused to queue 1 ref/);
    expect(JSON.stringify(errors.map((e) => [e.message, String(e.cause)]))).not.toContain(apiKey);
  });

  it("keeps every other call's record when one call's record cannot be stored", async () => {
    const kept = await store();
    const real = ledgerOf();
    let odd: string | undefined;
    // The gateway's record of one call has a NUL in its model, which the store refuses.
    const ledger: CaptureLedger = {
      providers: real.providers,
      getOnce: async (provider, id, options) => {
        const answer: Awaited<ReturnType<CaptureLedger["getOnce"]>> = await real.getOnce(provider, id, options);
        odd ??= id;
        return id === odd && answer.generation
          ? { ...answer, generation: { ...answer.generation, model: "bad\u0000model" } }
          : answer;
      },
    };
    const errors: CaptureError[] = [];
    // A store that takes a while per write, so that the calls meanwhile are written together.
    const slow = {
      enqueue: (items: Parameters<Store["enqueue"]>[0]) => sleep(30).then(() => kept.enqueue(items)),
      put: (items: Parameters<Store["put"]>[0]) => sleep(30).then(() => kept.put(items)),
    };
    const capture = createCapture({ ledger, store: slow, gateways: mock.gateways, onError: (e) => errors.push(e) });
    const sdk = client(capture.fetch);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        sdk.chat.completions.create(
          { model: "openai/gpt-4o-mini", messages },
          { headers: tagHeaders({ customer: `c${i % 4}` }) },
        ),
      ),
    );
    await capture.flush({ timeoutMs: 60_000 });
    const refused = errors.filter((e) => e.code === "store-failed");
    expect(refused).toHaveLength(1);
    expect(refused[0]?.call.ref?.id).toBe(odd);
    expect(refused[0]?.message).toMatch(/refused to put 1 record: .*model contains a NUL/);
    const report = await kept.report({});
    expect(report.total.count).toBe(40);
    // 39 final records; the odd one is kept as its estimate and stays queued for resolve.
    expect(report.total.pending).toBe(1);
    expect(await kept.queueStats()).toMatchObject({ waiting: 1 });
  });

  it("refuses a store that is not one", () => {
    const ledger = ledgerOf();
    expect(() => createCapture({ ledger, store: {} as never })).toThrow(InvalidArgumentError);
    expect(() => createCapture({ ledger, store: {} as never })).toThrow(/openStore/);
    expect(() => createCapture({ ledger, stor: {} } as never)).toThrow(/store/);
  });
});
