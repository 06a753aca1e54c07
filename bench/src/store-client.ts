// Child process: one store operation of the store section, timed here (the store opened first, not timed),
// its result printed as one JSON line. Each measured run is a fresh process, so no run inherits another's heap.
import { openStore, type Store } from "@genledger/store";
import { idOf, storeRecord } from "./store-records.js";

export type StoreJob =
  /** put `records` in batches of `batch`, then the same records again (the idempotent re-put). */
  | { op: "upsert"; url: string; prefix: string; records: number; batch: number }
  /** The report seed: `records` without raw bodies, in large batches. */
  | { op: "seed"; url: string; prefix: string; records: number; batch: number }
  | { op: "report"; url: string }
  /** The anchor of a SQLite report: the SELECT report.ts makes for --by day,model, as one table scan. */
  | { op: "scan"; url: string }
  | { op: "enqueue"; url: string; prefix: string; refs: number }
  /** What became of refs 0 … refs-1: final records, the queue, rows. */
  | { op: "check"; url: string; prefix: string; refs: number };

export interface UpsertResult {
  putMs: number;
  reputMs: number;
  rowsAfterPut: number;
  rowsAfterReput: number;
  historyAfterReput: number;
  written: number;
  unchangedOnReput: number;
  writtenOnReput: number;
}
export interface SeedResult {
  ms: number;
  rows: number;
}
export interface ReportResult {
  ms: number;
  groups: number;
  count: number;
  cost: Record<string, string>;
}
export interface CheckResult {
  finals: number;
  rows: number;
  history: number;
  queue: Awaited<ReturnType<Store["queueStats"]>>;
}

const count = async (store: Store, table: string) =>
  Number((await store.query(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

async function run(job: StoreJob): Promise<unknown> {
  const store = await openStore(job.url, job.op === "seed" ? { raw: false } : {});
  try {
    switch (job.op) {
      case "upsert": {
        // Built before the clock starts: what is timed is the store's work, not making the records.
        const batches: ReturnType<typeof storeRecord>[][] = [];
        for (let i = 0; i < job.records; i += job.batch) {
          batches.push(
            Array.from({ length: Math.min(job.batch, job.records - i) }, (_, k) =>
              storeRecord(job.prefix, i + k, true),
            ),
          );
        }
        let written = 0;
        let started = performance.now();
        for (const b of batches) written += (await store.put(b.map((generation) => ({ generation })))).written;
        const putMs = performance.now() - started;
        const rowsAfterPut = await count(store, "generations");
        let unchangedOnReput = 0;
        let writtenOnReput = 0;
        started = performance.now();
        for (const b of batches) {
          const r = await store.put(b.map((generation) => ({ generation })));
          unchangedOnReput += r.unchanged;
          writtenOnReput += r.written;
        }
        const reputMs = performance.now() - started;
        return {
          putMs,
          reputMs,
          rowsAfterPut,
          rowsAfterReput: await count(store, "generations"),
          historyAfterReput: await count(store, "generation_history"),
          written,
          unchangedOnReput,
          writtenOnReput,
        } satisfies UpsertResult;
      }
      case "seed": {
        const started = performance.now();
        for (let i = 0; i < job.records; i += job.batch) {
          const n = Math.min(job.batch, job.records - i);
          await store.put(Array.from({ length: n }, (_, k) => ({ generation: storeRecord(job.prefix, i + k) })));
        }
        return { ms: performance.now() - started, rows: await count(store, "generations") } satisfies SeedResult;
      }
      case "report": {
        const started = performance.now();
        const report = await store.report({ by: ["day", "model"] });
        return {
          ms: performance.now() - started,
          groups: report.rows.length,
          count: report.total.count,
          cost: report.total.cost,
        } satisfies ReportResult;
      }
      case "scan": {
        const limbs = [0, 1, 2, 3, 4].map((i) => `CAST(sum(g.cost_l${i}) AS TEXT) AS l${i}`).join(", ");
        const tokens = ["input", "output", "reasoning", "cached_input", "total"]
          .map((t) => `sum(g.${t}_tokens) AS ${t}`)
          .join(", ");
        const started = performance.now();
        const rows = await store.query(
          `SELECT g.day AS k0, g.model AS k1, g.currency AS currency, g.cost_scale AS scale, ${limbs},
            count(*) AS n, sum(CASE WHEN g.rank = 3 THEN 0 ELSE 1 END) AS pending, ${tokens}
          FROM generations g NOT INDEXED GROUP BY 1, 2, 3, 4`,
        );
        return { ms: performance.now() - started, rows: rows.length };
      }
      case "enqueue": {
        const refs = Array.from({ length: job.refs }, (_, i) => ({
          ref: { provider: "openrouter", id: idOf(job.prefix, i) },
        }));
        await store.enqueue(refs);
        return { queue: await store.queueStats() };
      }
      case "check": {
        const refs = Array.from({ length: job.refs }, (_, i) => ({ provider: "openrouter", id: idOf(job.prefix, i) }));
        return {
          finals: (await store.finalRefs(refs)).size,
          rows: await count(store, "generations"),
          history: await count(store, "generation_history"),
          queue: await store.queueStats(),
        } satisfies CheckResult;
      }
    }
  } finally {
    await store.close();
  }
}

process.stdout.write(`${JSON.stringify(await run(JSON.parse(process.argv[2] ?? "{}") as StoreJob))}\n`);
