// The records part of the store: records upserted so that they never go backwards, the caller's tags and
// the history of re-billed records. Each write is one transaction; a record not final queues its ref.
import type { GenerationRef } from "@genledger/normalize";
import type { Engine, SqlValue, Statement } from "./driver.js";
import { StoreError } from "./errors.js";
import {
  checkTags,
  finalRank,
  generationColumns,
  generationFromRow,
  generationRow,
  type StoredGeneration,
} from "./records.js";
import { checkRef, chunks, key, queueStatement, values } from "./sql.js";
import type { PutItem, PutResult, StoredEntry } from "./types.js";

/** A record checked for writing: its row, and its tags as pairs. */
export type CheckedItem = { row: SqlValue[]; item: PutItem; tags: [string, string][] };

function checkedItem(item: PutItem, where: string, keepRaw: boolean, now: number) {
  if (typeof item !== "object" || item === null || typeof item.generation !== "object") {
    throw new StoreError("invalid-record", `${where}: expected { generation, tags? }`);
  }
  return { row: generationRow(item.generation, keepRaw, now), tags: checkTags(item.tags, where) };
}
/** Checks a record as `put` does, writing nothing: a StoreError("invalid-record") saying what is wrong. */
export function checkPutItem(item: PutItem, where = "record"): void {
  checkedItem(item, where, false, Date.now());
}

export class StoreRecords {
  readonly #db: Engine;
  readonly #keepRaw: boolean;

  constructor(db: Engine, keepRaw: boolean) {
    this.#db = db;
    this.#keepRaw = keepRaw;
  }

  /**
   * Keeps records (upsert by provider and id): a record never goes backwards (`final` is never replaced by
   * `pending` or `estimated`); a different `final` replaces the old one, which goes to the history. Records
   * not final are queued for `resolve`; a final one leaves the queue. All of it, or nothing, is written.
   */
  async put(items: Iterable<PutItem>, options: { dueAt?: number | undefined } = {}): Promise<PutResult> {
    const statements: Statement[] = [];
    const writes: { upsertAt: number; historyAt: number }[] = [];
    let count = 0;
    const now = Date.now();
    for (const chunk of chunks([...this.distinct(items).values()])) {
      count += chunk.length;
      const built = this.statements(chunk, now, options.dueAt ?? now);
      const at = statements.length;
      writes.push({ upsertAt: at + built.upsertAt, historyAt: built.historyAt < 0 ? -1 : at + built.historyAt });
      statements.push(...built.statements);
    }
    if (statements.length === 0) return { written: 0, unchanged: 0, rebilled: 0 };
    const results = await this.#db.batch(statements);
    let written = 0;
    let rebilled = 0;
    for (const { upsertAt, historyAt } of writes) {
      written += results[upsertAt]?.length ?? 0;
      if (historyAt >= 0) rebilled += results[historyAt]?.length ?? 0;
    }
    return { written, unchanged: count - written, rebilled };
  }

  /** One record per ref (the highest billing, the last of equals), checked before anything is written. */
  distinct(items: Iterable<PutItem>): Map<string, CheckedItem> {
    const out = new Map<string, CheckedItem>();
    const now = Date.now();
    let i = 0;
    for (const item of items) {
      const { row, tags } = checkedItem(item, `put item ${i++}`, this.#keepRaw, now);
      const k = key(item.generation);
      const before = out.get(k);
      if (!before || Number(before.row[3]) <= Number(row[3])) {
        out.set(k, { row, item, tags: before ? [...before.tags, ...tags] : tags });
      } else {
        before.tags.push(...tags);
      }
    }
    return out;
  }

  /** The statements that write `chunk`, and where the upsert's and the history's results are. */
  statements(
    chunk: CheckedItem[],
    now: number,
    dueAt: number,
  ): { statements: Statement[]; upsertAt: number; historyAt: number } {
    const statements: Statement[] = [];
    const finals = chunk.filter((c) => c.row[3] === finalRank);
    const waiting = chunk.filter((c) => Number(c.row[3]) < 2);
    // The final record about to be replaced by a different final one: kept in the history first.
    let historyAt = -1;
    if (finals.length) {
      historyAt = statements.length;
      statements.push({
        sql: `WITH v (provider, id, record) AS (VALUES ${values(finals.length, 3)})
          INSERT INTO generation_history (provider, id, replaced_at, currency, cost_amount, record)
          SELECT g.provider, g.id, ?, g.currency, g.cost_amount, g.record
          FROM generations g JOIN v ON g.provider = v.provider AND g.id = v.id
          WHERE g.rank = ${finalRank} AND g.record <> v.record
          RETURNING provider`,
        args: [...finals.flatMap((c) => [c.row[0]!, c.row[1]!, c.row[24]!]), now],
      });
    }
    const updates = generationColumns
      .filter((c) => c !== "provider" && c !== "id" && c !== "stored_at")
      .map((c) => `${c} = excluded.${c}`)
      .join(", ");
    const upsertAt = statements.length;
    statements.push({
      sql: `INSERT INTO generations (${generationColumns.join(", ")}) VALUES ${values(chunk.length, generationColumns.length)}
        ON CONFLICT (provider, id) DO UPDATE SET ${updates}
        WHERE excluded.rank > generations.rank OR (excluded.rank = generations.rank AND excluded.record <> generations.record)
        RETURNING provider`,
      args: chunk.flatMap((c) => c.row),
    });
    const tags = chunk.flatMap((c) => c.tags.map(([name, value]) => [c.row[0]!, c.row[1]!, name, value]));
    for (const part of chunks(tags, 2000)) {
      statements.push({
        sql: `INSERT INTO generation_tags (provider, id, name, value) VALUES ${values(part.length, 4)} ON CONFLICT (provider, id, name) DO NOTHING`,
        args: part.flat(),
      });
    }
    if (finals.length) {
      statements.push({
        sql: `DELETE FROM pending_refs WHERE (provider, id) IN (VALUES ${values(finals.length, 2)})`,
        args: finals.flatMap((c) => [c.row[0]!, c.row[1]!]),
      });
    }
    if (waiting.length) {
      statements.push(
        queueStatement(
          waiting.map((c) => ({
            provider: String(c.row[0]),
            id: String(c.row[1]),
            reason: c.row[2] === "pending" ? "billing-pending" : "estimated",
            dueAt,
            error: null,
          })),
          now,
        ),
      );
    }
    return { statements, upsertAt, historyAt };
  }

  /** Of these refs, the keys (`provider:id`) whose record is final already. */
  async finalRefs(refs: Iterable<GenerationRef>): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks([...refs], 500)) {
      const rows = await this.#db.query(
        `SELECT provider, id FROM generations WHERE rank = ${finalRank} AND (provider, id) IN (VALUES ${values(part.length, 2)})`,
        part.flatMap((r) => [r.provider, r.id]),
      );
      for (const r of rows) out.add(`${r.provider}:${r.id}`);
    }
    return out;
  }

  /** The record kept for a ref, its tags and what it replaced; undefined when there is none. */
  async get(ref: GenerationRef): Promise<StoredEntry | undefined> {
    const { provider, id } = checkRef(ref, "get");
    const [row] = await this.#db.query("SELECT record, raw FROM generations WHERE provider = ? AND id = ?", [
      provider,
      id,
    ]);
    if (!row) return undefined;
    const tags = await this.#db.query(
      "SELECT name, value FROM generation_tags WHERE provider = ? AND id = ? ORDER BY name",
      [provider, id],
    );
    const history = await this.#db.query(
      "SELECT replaced_at, record FROM generation_history WHERE provider = ? AND id = ? ORDER BY seq",
      [provider, id],
    );
    return {
      generation: generationFromRow(row),
      tags: Object.fromEntries(tags.map((t) => [String(t.name), String(t.value)])),
      history: history.map((h) => ({
        replacedAt: Number(h.replaced_at),
        generation: generationFromRow({ record: h.record, raw: null }),
      })),
    };
  }

  /** Every record, in (provider, id) order, a page at a time (memory stays flat). */
  async *records(options: { pageSize?: number } = {}): AsyncGenerator<StoredGeneration> {
    const size = options.pageSize ?? 1000;
    let after: [string, string] = ["", ""];
    for (;;) {
      const rows = await this.#db.query(
        "SELECT provider, id, record, raw FROM generations WHERE provider > ? OR (provider = ? AND id > ?) ORDER BY provider, id LIMIT ?",
        [after[0], after[0], after[1], size],
      );
      for (const row of rows) yield generationFromRow(row);
      if (rows.length < size) return;
      const last = rows[rows.length - 1]!;
      after = [String(last.provider), String(last.id)];
    }
  }
}
