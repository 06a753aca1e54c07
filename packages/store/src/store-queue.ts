// The queue part of the store: refs not final yet, claimed by workers under leases (PostgreSQL's `FOR UPDATE
// SKIP LOCKED` on many machines), settled with what their lookups returned, given up or failed with why.
import { InvalidArgumentError } from "@genledger/core";
import type { GenerationRef } from "@genledger/normalize";
import type { Engine, SqlValue, Statement } from "./driver.js";
import { StoreError } from "./errors.js";
import { checkTags } from "./records.js";
import { checkRef, chunks, key, type QueueRow, queueStatement, values } from "./sql.js";
import type { StoreRecords } from "./store-records.js";
import type { ClaimedRef, PutItem, QueueItem, QueueStats, Settlement } from "./types.js";

export class StoreQueue {
  readonly #db: Engine;
  readonly #records: StoreRecords;
  readonly #engine: "sqlite" | "postgres";

  constructor(db: Engine, records: StoreRecords) {
    this.#db = db;
    this.#records = records;
    this.#engine = db.kind;
  }

  /** Queues refs for `resolve` (a ref already final is not queued; a given-up or failed one waits again). */
  async enqueue(items: Iterable<QueueItem>): Promise<void> {
    const now = Date.now();
    const rows: QueueRow[] = [];
    const tags: SqlValue[][] = [];
    let i = 0;
    for (const item of items) {
      const where = `enqueue item ${i++}`;
      const ref = checkRef(item?.ref, where);
      const dueAt = item.dueAt ?? now;
      if (!Number.isFinite(dueAt)) throw new StoreError("invalid-record", `${where}: dueAt must be epoch milliseconds`);
      rows.push({ ...ref, reason: item.reason ?? "captured", dueAt: Math.round(dueAt), error: item.error ?? null });
      for (const [name, value] of checkTags(item.tags, where)) tags.push([ref.provider, ref.id, name, value]);
    }
    const statements: Statement[] = [];
    const seen = new Set<string>();
    const distinct = rows.filter((r) => !seen.has(key(r)) && seen.add(key(r)));
    for (const part of chunks(distinct)) statements.push(queueStatement(part, now));
    for (const part of chunks(tags, 2000)) {
      statements.push({
        sql: `INSERT INTO generation_tags (provider, id, name, value) VALUES ${values(part.length, 4)} ON CONFLICT (provider, id, name) DO NOTHING`,
        args: part.flat(),
      });
    }
    if (statements.length) await this.#db.batch(statements);
  }

  /**
   * Takes up to `limit` due refs for `owner` until `leaseMs` from now: no other worker gets them until the
   * lease ends (a worker killed mid-batch: its refs come back when it does). PostgreSQL: `FOR UPDATE SKIP
   * LOCKED`, so workers on many machines never take the same ref; SQLite: one writer at a time.
   */
  async claim(options: { owner: string; limit: number; leaseMs: number }): Promise<ClaimedRef[]> {
    const now = Date.now();
    const skipLocked = this.#engine === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
    const [rows = []] = await this.#db.batch([
      {
        sql: `UPDATE pending_refs SET lease_owner = ?, lease_until = ?
          WHERE (provider, id) IN (
            SELECT provider, id FROM pending_refs
            WHERE state = 'waiting' AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
            ORDER BY due_at LIMIT ?${skipLocked})
          RETURNING provider, id, attempts, first_seen, reason`,
        args: [options.owner, now + options.leaseMs, now, now, options.limit],
      },
    ]);
    return rows.map((r) => ({
      ref: { provider: String(r.provider), id: String(r.id) },
      attempts: Number(r.attempts),
      firstSeen: Number(r.first_seen),
      reason: String(r.reason),
    }));
  }

  /** Extends every lease `owner` holds to `leaseMs` from now. */
  async renew(owner: string, leaseMs: number): Promise<void> {
    await this.#db.batch([
      { sql: "UPDATE pending_refs SET lease_until = ? WHERE lease_owner = ?", args: [Date.now() + leaseMs, owner] },
    ]);
  }

  /**
   * Settles refs `owner` holds, with the records their lookups returned, in one transaction. A ref whose
   * lease another worker took over (this one was too slow) is left to that worker; its record is kept anyway.
   */
  async settle(owner: string, settlements: readonly Settlement[], records: Iterable<PutItem> = []): Promise<void> {
    const now = Date.now();
    const statements: Statement[] = [];
    for (const chunk of chunks([...this.#records.distinct(records).values()])) {
      statements.push(...this.#records.statements(chunk, now, now).statements);
    }
    for (const s of settlements) {
      const { provider, id } = s.ref;
      if (s.outcome === "done") {
        statements.push({
          sql: "DELETE FROM pending_refs WHERE provider = ? AND id = ? AND lease_owner = ?",
          args: [provider, id, owner],
        });
      } else if (s.outcome === "retry") {
        statements.push({
          sql: `UPDATE pending_refs SET due_at = ?, reason = ?, last_error = ?, attempts = attempts + ${s.attempt === false ? 0 : 1},
            lease_owner = NULL, lease_until = NULL WHERE provider = ? AND id = ? AND lease_owner = ?`,
          args: [Math.round(s.dueAt), s.reason, s.error ?? null, provider, id, owner],
        });
      } else {
        statements.push({
          sql: `UPDATE pending_refs SET state = ?, reason = ?, last_error = ?, attempts = attempts + 1,
            lease_owner = NULL, lease_until = NULL WHERE provider = ? AND id = ? AND lease_owner = ?`,
          args: [s.outcome, s.reason, s.error ?? null, provider, id, owner],
        });
      }
    }
    if (statements.length) await this.#db.batch(statements);
  }

  /** When the next waiting ref is due (epoch ms), or undefined when none waits. */
  async nextDue(): Promise<number | undefined> {
    const [row] = await this.#db.query(
      "SELECT min(CASE WHEN lease_until IS NULL OR lease_until < due_at THEN due_at ELSE lease_until END) AS due FROM pending_refs WHERE state = 'waiting'",
    );
    return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
  }

  async queueStats(): Promise<QueueStats> {
    const now = Date.now();
    const [row = {}] = await this.#db.query(
      `SELECT
        sum(CASE WHEN state = 'waiting' THEN 1 ELSE 0 END) AS waiting,
        sum(CASE WHEN state = 'waiting' AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?) THEN 1 ELSE 0 END) AS due,
        sum(CASE WHEN state = 'waiting' AND lease_until >= ? THEN 1 ELSE 0 END) AS leased,
        sum(CASE WHEN state = 'given-up' THEN 1 ELSE 0 END) AS given_up,
        sum(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed
      FROM pending_refs`,
      [now, now, now],
    );
    const n = (v: unknown) => Number(v ?? 0);
    return {
      waiting: n(row.waiting),
      due: n(row.due),
      leased: n(row.leased),
      givenUp: n(row.given_up),
      failed: n(row.failed),
    };
  }

  /** The refs of a state (`"failed"`, `"given-up"`), with why, for a listing. */
  async queued(
    state: "waiting" | "failed" | "given-up",
    limit = 100,
  ): Promise<{ ref: GenerationRef; reason: string; error: string | null; attempts: number }[]> {
    const rows = await this.#db.query(
      "SELECT provider, id, reason, last_error, attempts FROM pending_refs WHERE state = ? ORDER BY due_at, provider, id LIMIT ?",
      [state, limit],
    );
    return rows.map((r) => ({
      ref: { provider: String(r.provider), id: String(r.id) },
      reason: String(r.reason),
      error: r.last_error === null ? null : String(r.last_error),
      attempts: Number(r.attempts),
    }));
  }

  /** Puts failed (or given-up) refs back in the queue, due now; returns how many. */
  async requeue(state: "failed" | "given-up"): Promise<number> {
    if (state !== "failed" && state !== "given-up") {
      throw new InvalidArgumentError(`requeue: expected "failed" or "given-up", got ${JSON.stringify(state)}`);
    }
    const [rows = []] = await this.#db.batch([
      {
        sql: "UPDATE pending_refs SET state = 'waiting', due_at = ?, attempts = 0, first_seen = ? WHERE state = ? RETURNING provider",
        args: [Date.now(), Date.now(), state],
      },
    ]);
    return rows.length;
  }
}
