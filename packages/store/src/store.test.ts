// The store against both engines, for real: a SQLite file and a PostgreSQL server the test starts.
import { InvalidArgumentError } from "@genledger/core";
import { sumCosts } from "@genledger/normalize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Engines, generation, startEngines } from "../test/engines.js";
import { openStore, type Store, StoreError, schemaVersion } from "./index.js";

let engines: Engines;
beforeAll(async () => {
  engines = await startEngines();
});
afterAll(async () => {
  await engines?.close();
});

const kinds = ["sqlite", "postgres"] as const;
const urlOf = async (kind: (typeof kinds)[number]) => (kind === "sqlite" ? engines.sqlite() : engines.postgres());

async function withStore<T>(kind: (typeof kinds)[number], run: (store: Store, url: string) => Promise<T>): Promise<T> {
  const url = await urlOf(kind);
  const store = await openStore(url);
  try {
    return await run(store, url);
  } finally {
    await store.close();
  }
}

/** Amounts of 20 to 34 significant digits, of different scales, some negative (a refund line). */
function bigAmounts(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const whole = `${(i * 7919 + 12345678901234) % 99999999999999}`;
    const fraction = `${i}${"123456789012345678".slice(0, 6 + (i % 12))}`;
    out.push(`${i % 9 === 4 ? "-" : ""}${whole}.${fraction}`);
  }
  return out;
}

describe.each(kinds)("%s store", (kind) => {
  it("keeps each cost's basis, groups and filters the report by it, and refuses a basis it does not know", async () => {
    await withStore(kind, async (store) => {
      const cost = (amount: string, basis: string) => ({
        amount,
        currency: "USD",
        basis,
        upstreamAmount: null,
        discountAmount: null,
        breakdown: null,
      });
      await store.put([
        { generation: generation("billed-1", { amount: "0.5" }) },
        { generation: generation("log-1", { provider: "cloudflare", cost: cost("0.25", "computed") as never }) },
        { generation: generation("log-2", { provider: "cloudflare", cost: cost("0.125", "custom") as never }) },
        // No basis given: the gateway's own (LiteLLM's costs are computed).
        { generation: generation("row-1", { provider: "litellm", cost: cost("2", undefined as never) as never }) },
      ]);
      const report = await store.report({ by: ["provider", "basis"] });
      expect(report.rows.map((r) => [r.key.provider, r.key.basis, r.cost.USD])).toEqual([
        ["cloudflare", "computed", "0.25"],
        ["cloudflare", "custom", "0.125"],
        ["litellm", "computed", "2"],
        ["openrouter", "billed", "0.5"],
      ]);
      expect((await store.report({ where: { basis: "computed" } })).total.cost).toEqual({ USD: "2.25" });
      expect((await store.get({ provider: "litellm", id: "row-1" }))?.generation.cost?.basis).toBe("computed");
      await expect(store.report({ where: { basis: "invoiced" } })).rejects.toThrow(
        /basis "invoiced" is none of billed, computed and custom/,
      );
      await expect(
        store.put([{ generation: generation("odd", { cost: cost("1", "guessed") as never }) }]),
      ).rejects.toThrow(/cost.basis "guessed" is not billed, computed or custom/);
    });
  });

  it("migrates a database written before costs had a basis: its rows are billed, as every gateway then billed", async () => {
    const url = await urlOf(kind);
    const old = await openStore(url);
    await old.put([
      { generation: generation("old-1", { amount: "1.5" }) },
      { generation: generation("old-2", { cost: null }) },
    ]);
    // Back to schema 1: no column, records without the field.
    await old.query("DROP INDEX IF EXISTS generations_report");
    await old.query("ALTER TABLE generations DROP COLUMN cost_basis");
    await old.query(`UPDATE generations SET record = replace(record, '"basis":"billed",', '')`);
    await old.query("DELETE FROM genledger_schema WHERE version >= 2");
    await old.close();
    const store = await openStore(url);
    try {
      expect(await store.schemaVersion()).toBe(schemaVersion);
      const report = await store.report({ by: ["basis"] });
      expect(report.rows.map((r) => [r.key.basis, r.count])).toEqual([
        ["billed", 1],
        [null, 1],
      ]);
      expect((await store.get({ provider: "openrouter", id: "old-1" }))?.generation.cost).toMatchObject({
        amount: "1.5",
        basis: "billed",
      });
    } finally {
      await store.close();
    }
  });

  it("keeps amounts of 20+ digits exactly: report totals equal sumCosts per currency", async () => {
    await withStore(kind, async (store) => {
      const amounts = bigAmounts(120);
      const records = amounts.map((amount, i) =>
        generation(`gen-${i}`, { amount, currency: i % 3 === 0 ? "EUR" : "USD", model: `m-${i % 4}` }),
      );
      // A tiny one and zero too: scales from 0 to 30.
      records.push(
        generation("tiny", { amount: "0.000000000000000000000000000001" }),
        generation("zero", { amount: "0" }),
      );
      await store.put(records.map((g) => ({ generation: g })));
      const report = await store.report({ by: ["model"] });
      expect(report.total.cost).toEqual(sumCosts(records));
      expect(report.total.count).toBe(records.length);
      for (const row of report.rows) {
        const mine = records.filter((g) => g.model === row.key.model);
        expect(row.cost).toEqual(sumCosts(mine));
      }
      expect((await store.get({ provider: "openrouter", id: "gen-5" }))?.generation.cost?.amount).toBe(amounts[5]);
    });
  });

  it("keeps each gateway's credits apart in every sum, and sums a currency across gateways", async () => {
    await withStore(kind, async (store) => {
      const records = [
        generation("z1", { provider: "zenmux", amount: "7.5", currency: "credits", model: "m" }),
        generation("o1", { provider: "oxen", amount: "1.5", currency: "credits", model: "m" }),
        generation("r1", { provider: "openrouter", amount: "0.25", model: "m" }),
        generation("v1", { provider: "vercel", amount: "0.5", model: "m" }),
      ];
      await store.put(records.map((g) => ({ generation: g })));
      const report = await store.report({ by: ["model"] });
      expect(report.total.cost).toEqual({ USD: "0.75", "zenmux credits": "7.5", "oxen credits": "1.5" });
      expect(report.rows[0]?.cost).toEqual(sumCosts(records));
    });
  });

  it("sums many amounts of 45 digits exactly, and refuses one of 46 (nothing of its batch written)", async () => {
    await withStore(kind, async (store) => {
      const widest = `${"9".repeat(35)}.${"9".repeat(10)}`;
      const records = Array.from({ length: 20 }, (_, i) => generation(`wide-${i}`, { amount: widest }));
      await store.put(records.map((g) => ({ generation: g })));
      expect((await store.report({})).total.cost).toEqual(sumCosts(records));
      const tooWide = generation("too-wide", { amount: `1${"0".repeat(35)}.${"0".repeat(10)}` });
      await expect(store.put([{ generation: generation("fine") }, { generation: tooWide }])).rejects.toThrow(
        /more than 45 digits/,
      );
      expect((await store.report({})).total.count).toBe(20);
    });
  });

  it("refuses a scale PostgreSQL cannot hold, and an upstream amount that is no decimal, alike on both engines", async () => {
    await withStore(kind, async (store) => {
      const bad = [
        generation("deep", { amount: `0.${"0".repeat(19_999)}1` }),
        generation("deep-46", { amount: `0.${"0".repeat(45)}1` }),
        { ...generation("up"), cost: { ...generation("up").cost!, upstreamAmount: "12abc" } },
        { ...generation("up-deep"), cost: { ...generation("up").cost!, upstreamAmount: `0.${"0".repeat(20_000)}1` } },
      ];
      for (const g of bad) {
        await expect(store.put([{ generation: g }])).rejects.toSatisfy(
          (e) => StoreError.isInstance(e) && e.code === "invalid-record",
        );
      }
      await store.put([{ generation: generation("ok-45", { amount: `0.${"0".repeat(44)}1` }) }]);
      expect((await store.report({})).total.cost).toEqual({ USD: `0.${"0".repeat(44)}1` });
    });
  });

  it("reports token sums of huge counts without failing, and refuses a count past 10^12", async () => {
    await withStore(kind, async (store) => {
      const usage = {
        inputTokens: 5e11,
        outputTokens: 5e11,
        reasoningTokens: 0,
        cachedInputTokens: 0,
        totalTokens: 1e12,
      };
      await store.put(Array.from({ length: 1100 }, (_, i) => ({ generation: generation(`huge-${i}`, { usage }) })));
      expect((await store.report({ by: ["day"] })).total.tokens).toMatchObject({ input: 5.5e14, total: 1.1e15 });
      const absurd = { ...usage, inputTokens: 2 ** 53 - 1 };
      await expect(store.put([{ generation: generation("absurd", { usage: absurd }) }])).rejects.toThrow(
        /usage.inputTokens: expected a whole number of tokens from 0 to 10\^12/,
      );
      // Counts an earlier genledger took (2^53 - 1 each): a report of them still does not fail.
      await store.query("UPDATE generations SET output_tokens = 9007199254740991");
      const report = await store.report({ by: ["model"] });
      expect(report.total.count).toBe(1100);
      expect(report.total.tokens.output).toBeCloseTo(1100 * 2 ** 53, -5);
    });
  });

  it("refuses a NUL in an id, a model, a tag or a ref alike on both engines, writing nothing of the batch", async () => {
    await withStore(kind, async (store) => {
      const bad = [
        { generation: generation("a\u0000b") },
        { generation: generation("m", { model: "x\u0000" }) },
        { generation: generation("t"), tags: { customer: "ac\u0000me" } },
        { generation: { ...generation("u"), upstream: { provider: "p", id: "up\u0000" } } },
        { generation: { ...generation("s"), status: "succeeded\u0000" as "succeeded" } },
      ];
      for (const item of bad) {
        await expect(store.put([{ generation: generation("fine") }, item])).rejects.toThrow(/NUL/);
      }
      await expect(store.enqueue([{ ref: { provider: "openrouter", id: "a\u0000" } }])).rejects.toThrow(/NUL/);
      // A tag name report could not group by (a newline in it) is refused by the same rule as capture's.
      await expect(store.put([{ generation: generation("nl"), tags: { "cust\nomer": "acme" } }])).rejects.toThrow(
        /no control character/,
      );
      // A name past 4096 characters is a body, not a name: refused, and the error does not carry it whole.
      const long = await store.put([{ generation: generation("x".repeat(100_000)) }]).catch((e: Error) => e);
      expect(String(long)).toMatch(/id is 100000 characters long; at most 4096/);
      expect(String(long).length).toBeLessThan(1000);
      expect((await store.report({})).total.count).toBe(0);
    });
  });

  it("upserts by (provider, id) idempotently, and the same id of two gateways is two records", async () => {
    await withStore(kind, async (store) => {
      const items = [{ generation: generation("a") }, { generation: generation("a", { provider: "zenmux" }) }];
      expect(await store.put(items)).toEqual({ written: 2, unchanged: 0, rebilled: 0 });
      expect(await store.put(items)).toEqual({ written: 0, unchanged: 2, rebilled: 0 });
      expect((await store.report({ by: ["provider"] })).rows.map((r) => [r.key.provider, r.count])).toEqual([
        ["openrouter", 1],
        ["zenmux", 1],
      ]);
    });
  });

  it("never goes backwards: final is kept over estimated and pending; pending is replaced by final", async () => {
    await withStore(kind, async (store) => {
      const ref = { provider: "openrouter", id: "b" };
      await store.put([{ generation: generation("b", { billing: "estimated", amount: "1" }) }]);
      expect((await store.queueStats()).waiting).toBe(1);
      await store.put([{ generation: generation("b", { billing: "final", amount: "2" }) }]);
      expect((await store.queueStats()).waiting).toBe(0);
      for (const billing of ["estimated", "pending"] as const) {
        expect(await store.put([{ generation: generation("b", { billing, amount: "9" }) }])).toMatchObject({
          written: 0,
        });
      }
      const kept = await store.get(ref);
      expect(kept?.generation).toMatchObject({ billing: "final", cost: { amount: "2" } });
      expect(kept?.history).toEqual([]);
      expect((await store.queueStats()).waiting).toBe(0);
      // In one put, the higher billing of the same ref wins whatever the order.
      await store.put([
        { generation: generation("c", { billing: "final", amount: "3" }) },
        { generation: generation("c", { billing: "pending", amount: "0" }) },
      ]);
      expect((await store.get({ provider: "openrouter", id: "c" }))?.generation.cost?.amount).toBe("3");
    });
  });

  it("keeps a re-billed final record's predecessor in the history", async () => {
    await withStore(kind, async (store) => {
      await store.put([{ generation: generation("r", { amount: "0.5" }) }]);
      expect(await store.put([{ generation: generation("r", { amount: "0.45" }) }])).toEqual({
        written: 1,
        unchanged: 0,
        rebilled: 1,
      });
      const entry = await store.get({ provider: "openrouter", id: "r" });
      expect(entry?.generation.cost?.amount).toBe("0.45");
      expect(entry?.history.map((h) => h.generation.cost?.amount)).toEqual(["0.5"]);
      expect((await store.report({ by: [] })).total.cost).toEqual({ USD: "0.45" });
    });
  });

  it("stores tags and reports by them, filtered by --where", async () => {
    await withStore(kind, async (store) => {
      await store.put([
        { generation: generation("t1", { amount: "1.5" }), tags: { customer: "acme", env: "prod" } },
        { generation: generation("t2", { amount: "2.25" }), tags: { customer: "acme" } },
        { generation: generation("t3", { amount: "4" }), tags: { customer: "globex" } },
        { generation: generation("t4", { amount: "8" }) },
      ]);
      const byCustomer = await store.report({ by: ["tag:customer"] });
      expect(byCustomer.rows.map((r) => [r.key["tag:customer"], r.cost.USD, r.count])).toEqual([
        ["acme", "3.75", 2],
        ["globex", "4", 1],
        [null, "8", 1],
      ]);
      const acme = await store.report({ by: ["model"], where: { "tag:customer": "acme" } });
      expect(acme.total).toMatchObject({ count: 2, cost: { USD: "3.75" } });
      const acmeModel = await store.report({ where: { "tag:customer": "acme", model: "openai/gpt-4o-mini" } });
      expect(acmeModel.rows).toEqual([expect.objectContaining({ key: {}, count: 2 })]);
      // A key that is neither a column nor tag:NAME is a typo: an error, not a silent empty report.
      await expect(store.report({ where: { customer: "acme" } })).rejects.toThrow(/cannot filter on "customer"/);
      expect((await store.get({ provider: "openrouter", id: "t1" }))?.tags).toEqual({ customer: "acme", env: "prod" });
    });
  });

  it("keeps raw by default and drops it when told", async () => {
    const url = await urlOf(kind);
    const keeping = await openStore(url);
    await keeping.put([{ generation: generation("raw-1") }]);
    await keeping.close();
    const dropping = await openStore(url, { raw: false });
    await dropping.put([{ generation: generation("raw-2") }]);
    expect((await dropping.get({ provider: "openrouter", id: "raw-1" }))?.generation.raw).toEqual({
      id: "raw-1",
      total_cost: 0.000123,
    });
    expect((await dropping.get({ provider: "openrouter", id: "raw-2" }))?.generation.raw).toBeNull();
    await dropping.close();
  });

  it("reports by day, week and month, within since and until", async () => {
    await withStore(kind, async (store) => {
      const days = ["2026-10-30T23:59:59Z", "2026-11-01T00:00:00Z", "2026-11-02T12:00:00Z", "2026-11-09T08:00:00Z"];
      await store.put(
        days.map((createdAt, i) => ({ generation: generation(`d${i}`, { createdAt, amount: `${i + 1}` }) })),
      );
      const byDay = await store.report({ by: ["day"] });
      expect(byDay.rows.map((r) => [r.key.day, r.cost.USD])).toEqual([
        ["2026-10-30", "1"],
        ["2026-11-01", "2"],
        ["2026-11-02", "3"],
        ["2026-11-09", "4"],
      ]);
      // Weeks start on Monday (ISO): 2026-11-02 and 2026-11-09 are Mondays.
      expect((await store.report({ by: ["week"] })).rows.map((r) => [r.key.week, r.cost.USD])).toEqual([
        ["2026-10-26", "3"],
        ["2026-11-02", "3"],
        ["2026-11-09", "4"],
      ]);
      expect((await store.report({ by: ["month"] })).rows.map((r) => [r.key.month, r.cost.USD])).toEqual([
        ["2026-10", "1"],
        ["2026-11", "9"],
      ]);
      const window = await store.report({ by: ["day"], since: "2026-11-01", until: "2026-11-09" });
      expect(window.total.cost).toEqual({ USD: "5" });
      await expect(store.report({ by: ["day"], since: "last tuesday" })).rejects.toThrow(InvalidArgumentError);
      await expect(store.report({ by: ["day"], until: "2026-02-31" })).rejects.toThrow(/until/);
      await expect(store.report({ since: "2026-02-31T10:00:00+01:00" })).rejects.toThrow(/since/);
      expect((await store.report({ since: "2026-03-01T00:30:00+01:00" })).since).toBe("2026-02-28T23:30:00.000Z");
      await expect(store.report({ by: ["modle" as never] })).rejects.toThrow(/model/);
    });
  });

  it("counts pending records apart and sums their tokens", async () => {
    await withStore(kind, async (store) => {
      await store.put([
        { generation: generation("p1", { provider: "zenmux", billing: "pending", cost: null }) },
        { generation: generation("p2", { amount: "0.25" }) },
      ]);
      const report = await store.report({ by: ["provider"] });
      expect(report.rows.map((r) => [r.key.provider, r.count, r.pending])).toEqual([
        ["openrouter", 1, 0],
        ["zenmux", 1, 1],
      ]);
      expect(report.total.tokens).toMatchObject({ input: 20, output: 10, cachedInput: 4, total: 30 });
      expect(report.queue.waiting).toBe(1);
    });
  });

  it("hands each due ref to one worker under a lease, and takes it back when the lease ends", async () => {
    const url = await urlOf(kind);
    const a = await openStore(url);
    const b = await openStore(url);
    try {
      const refs = Array.from({ length: 60 }, (_, i) => ({ ref: { provider: "openrouter", id: `q${i}` } }));
      await a.enqueue([...refs, { ref: { provider: "openrouter", id: "later" }, dueAt: Date.now() + 3_600_000 }]);
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).claim({ owner: `w${i}`, limit: 15, leaseMs: 60_000 })),
      );
      const ids = claims.flat().map((c) => c.ref.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(refs.map((r) => r.ref.id).sort());
      expect(await a.queueStats()).toMatchObject({ waiting: 61, due: 0, leased: 60 });

      // An expired lease: another worker takes the ref, and the first worker's late settlement is ignored.
      await a.enqueue([{ ref: { provider: "openrouter", id: "slow" } }]);
      const [slow] = await a.claim({ owner: "w-slow", limit: 1, leaseMs: 1000 });
      expect(slow?.ref.id).toBe("slow");
      await a.query("UPDATE pending_refs SET lease_until = 0 WHERE id = 'slow'");
      const [taken] = await b.claim({ owner: "w-next", limit: 1, leaseMs: 60_000 });
      expect(taken?.ref.id).toBe("slow");
      await a.settle("w-slow", [{ ref: { provider: "openrouter", id: "slow" }, outcome: "done" }]);
      expect((await b.queued("waiting", 100)).map((q) => q.ref.id)).toContain("slow");
      await b.settle("w-next", [{ ref: { provider: "openrouter", id: "slow" }, outcome: "done" }]);
      expect((await b.queued("waiting", 100)).map((q) => q.ref.id)).not.toContain("slow");
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("settles refs: retry later, given up, failed, and requeue", async () => {
    await withStore(kind, async (store) => {
      const ref = (id: string) => ({ provider: "openrouter", id });
      await store.enqueue(["s1", "s2", "s3"].map((id) => ({ ref: ref(id), tags: { job: "nightly" } })));
      const claimed = await store.claim({ owner: "w", limit: 10, leaseMs: 60_000 });
      expect(claimed).toHaveLength(3);
      await store.settle("w", [
        { ref: ref("s1"), outcome: "retry", dueAt: Date.now() + 60_000, reason: "not-ready" },
        { ref: ref("s2"), outcome: "given-up", reason: "not-found", error: "NotFoundError: no such generation" },
        { ref: ref("s3"), outcome: "failed", reason: "error", error: "AuthenticationError: key rejected" },
      ]);
      expect(await store.queueStats()).toEqual({ waiting: 1, due: 0, leased: 0, givenUp: 1, failed: 1 });
      expect(await store.nextDue()).toBeGreaterThan(Date.now() + 50_000);
      expect((await store.queued("failed"))[0]).toMatchObject({ ref: ref("s3"), error: expect.stringMatching(/key/) });
      expect(await store.requeue("failed")).toBe(1);
      expect(await store.queueStats()).toMatchObject({ waiting: 2, due: 1, failed: 0 });
      // A queued ref's tags are the record's once it is stored.
      await store.put([{ generation: generation("s3") }]);
      expect((await store.get(ref("s3")))?.tags).toEqual({ job: "nightly" });
      expect(await store.queueStats()).toMatchObject({ waiting: 1 });
      // A final record is never queued again.
      await store.enqueue([{ ref: ref("s3") }]);
      expect(await store.queueStats()).toMatchObject({ waiting: 1 });
    });
  });

  it("writes all of a put or none of it", async () => {
    await withStore(kind, async (store) => {
      const good = Array.from({ length: 900 }, (_, i) => ({ generation: generation(`ok-${i}`) }));
      const bad = { generation: generation("bad", { usage: { inputTokens: Number.NaN } as never }) };
      await expect(store.put([...good, bad])).rejects.toMatchObject({ name: "StoreError", code: "invalid-record" });
      await expect(store.put([...good, bad])).rejects.toThrow(/"openrouter:bad"/);
      expect((await store.report({ by: [] })).total.count).toBe(0);
      await expect(store.put([{ generation: generation("t"), tags: { customer: 3 as never } }])).rejects.toThrow(
        /tag "customer"/,
      );
      await expect(store.enqueue([{ ref: { provider: "openrouter", id: "" } }])).rejects.toThrow(/enqueue item 0/);
    });
  });

  it("refuses a database written by a newer genledger, untouched", async () => {
    const url = await urlOf(kind);
    const store = await openStore(url);
    await store.put([{ generation: generation("keep") }]);
    expect(await store.schemaVersion()).toBe(schemaVersion);
    await store.query("UPDATE genledger_schema SET version = ? WHERE version = ?", [schemaVersion + 1, schemaVersion]);
    await store.close();
    const error = await openStore(url).catch((e: unknown) => e);
    expect(StoreError.isInstance(error) && error.code).toBe("schema-too-new");
    expect(String((error as Error).message)).toMatch(/newer genledger/);
    // Still there, as it was.
    const raw = await openStore(url, { migrate: false }).catch((e: unknown) => e);
    expect(StoreError.isInstance(raw) && raw.code).toBe("schema-too-new");
  });

  it("migrates an empty database on open, or says to when told not to", async () => {
    const url = await urlOf(kind);
    await expect(openStore(url, { migrate: false })).rejects.toThrow(/genledger store migrate/);
    const store = await openStore(url);
    expect(store.migrated).toEqual({ from: 0, to: schemaVersion });
    expect(await store.migrate()).toEqual({ from: schemaVersion, to: schemaVersion });
    await store.close();
    const again = await openStore(url, { migrate: false });
    expect(again.migrated).toEqual({ from: schemaVersion, to: schemaVersion });
    expect(await again.schemaVersion()).toBe(schemaVersion);
    await again.close();
  });

  it("rejects options it does not know", async () => {
    const url = await urlOf(kind);
    await expect(openStore(url, { rwa: false } as never)).rejects.toThrow(/raw/);
    await expect(openStore(url, { busyTimeoutMs: Number.NaN })).rejects.toThrow(InvalidArgumentError);
  });

  it("says the store is closed", async () => {
    const store = await openStore(await urlOf(kind));
    await store.close();
    await expect(store.put([{ generation: generation("x") }])).rejects.toMatchObject({ code: "closed" });
  });
});

describe("both engines", () => {
  it("give the same report for the same records", async () => {
    const records = bigAmounts(40).map((amount, i) =>
      generation(`same-${i}`, {
        amount,
        model: `m-${i % 3}`,
        createdAt: `2026-11-${String(1 + (i % 20)).padStart(2, "0")}T0${i % 10}:00:00Z`,
      }),
    );
    const reports = [];
    for (const kind of kinds) {
      reports.push(
        await withStore(kind, async (store) => {
          await store.put(records.map((g, i) => ({ generation: g, tags: { customer: `c${i % 2}` } })));
          const { queue: _, ...report } = await store.report({ by: ["week", "model", "tag:customer"] });
          return report;
        }),
      );
    }
    expect(reports[0]).toEqual(reports[1]);
    expect(reports[0]?.total.cost).toEqual(sumCosts(records));
  });
});
