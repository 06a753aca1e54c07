// The store: records upserted so that they never go backwards, the caller's tags, the history of re-billed
// records, and the queue of refs that are not final yet. Every method is one transaction.
import { InvalidArgumentError } from "@genledger/core";
import { checkOptions, type GenerationRef } from "@genledger/normalize";
import { type Engine, openEngine, type Row, type SqlValue, type Statement } from "./engine.js";
import { StoreError } from "./errors.js";
import {
  checkTags,
  checkText,
  finalRank,
  generationColumns,
  generationFromRow,
  generationRow,
  type StoredGeneration,
  type Tags,
} from "./records.js";
import { type Report, type ReportQuery, runReport } from "./report.js";
import { migrate, readVersion, refuseNewer, schemaVersion } from "./schema.js";
import { parseStoreUrl } from "./url.js";

export interface OpenStoreOptions {
  /** Keep each record's `raw` (the gateway's own body); default true. */
  raw?: boolean | undefined;
  /** Apply the schema's missing migrations on open; default true. With false, an old schema is an error. */
  migrate?: boolean | undefined;
  /** SQLite: how long a write waits for another process's write lock; default 10 000 ms. */
  busyTimeoutMs?: number | undefined;
  /** PostgreSQL: connections at most; default 10. */
  maxConnections?: number | undefined;
}

/** A record to keep, with the caller's tags. */
export interface PutItem {
  generation: StoredGeneration;
  tags?: Tags | undefined;
}

export interface PutResult {
  /** Records inserted or replaced. */
  written: number;
  /** Records already there as they are, or older than what is there (final is never replaced by pending). */
  unchanged: number;
  /** Final records replaced by a different final one; the old one is in the history. */
  rebilled: number;
}

/** A ref to look up later: a capture not yet resolved, a lookup that failed with a retryable error. */
export interface QueueItem {
  ref: GenerationRef;
  tags?: Tags | undefined;
  /** Epoch ms it is due; default now. */
  dueAt?: number | undefined;
  /** Why it waits: `"captured"`, `"not-ready"`, `"billing-pending"`, `"retryable-error"`. */
  reason?: string | undefined;
  /** The error that put it here, for `queue` listings. */
  error?: string | undefined;
}

/** A ref a worker holds until its lease ends. */
export interface ClaimedRef {
  ref: GenerationRef;
  attempts: number;
  firstSeen: number;
  reason: string;
}

/** What became of a claimed ref. */
export type Settlement =
  | { ref: GenerationRef; outcome: "done" }
  | {
      ref: GenerationRef;
      outcome: "retry";
      dueAt: number;
      reason: string;
      error?: string | undefined;
      attempt?: boolean;
    }
  | { ref: GenerationRef; outcome: "given-up" | "failed"; reason: string; error?: string | undefined };

export interface QueueStats {
  /** Refs waiting for a lookup (due now or later, leased or not). */
  waiting: number;
  /** Of those, due now and not held by a worker. */
  due: number;
  /** Held by a worker now. */
  leased: number;
  /** Never resolved within the horizon (404 for an hour, billing never final): kept, not retried. */
  givenUp: number;
  /** Failed with an error a retry does not mend (a rejected key): `requeue("failed")` after fixing it. */
  failed: number;
}

export interface StoredEntry {
  generation: StoredGeneration;
  tags: Record<string, string>;
  /** Earlier final records this one replaced, oldest first. */
  history: { replacedAt: number; generation: StoredGeneration }[];
}

/** Records per statement: the widest (28 columns) stays under both engines' parameter limits. */
const chunkSize = 400;
const key = (r: { provider: string; id: string }) => `${r.provider}\u0000${r.id}`;
const values = (rows: number, columns: number) =>
  Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => "?").join(", ")})`).join(", ");

function chunks<T>(items: readonly T[], size = chunkSize): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function checkRef(ref: unknown, where: string): GenerationRef {
  const r = ref as GenerationRef;
  if (typeof r?.provider !== "string" || r.provider === "" || typeof r.id !== "string" || r.id === "") {
    throw new StoreError("invalid-record", `${where}: expected a ref { provider, id } of non-empty strings`);
  }
  checkText(r.provider, "ref.provider", where);
  checkText(r.id, "ref.id", where);
  return { provider: r.provider, id: r.id };
}

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

/** Opens (and by default migrates) a store: a SQLite file path or `sqlite:` URL, or a `postgres://` URL. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  checkOptions("openStore", options, {
    raw: "a boolean",
    migrate: "a boolean",
    busyTimeoutMs: [0, 3_600_000, 1],
    maxConnections: [1, 1000, 1],
  });
  const location = parseStoreUrl(url);
  const engine = await openEngine(location, {
    busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
    maxConnections: options.maxConnections ?? 10,
  });
  let migrated: { from: number; to: number };
  try {
    if (options.migrate === false) {
      const version = await readVersion(engine);
      refuseNewer(version, location.shown);
      if (version < schemaVersion) {
        throw new StoreError(
          "database",
          `${location.shown} has schema version ${version}, this genledger needs ${schemaVersion}: run \`genledger store migrate\` (or open it with migrate: true)`,
        );
      }
      migrated = { from: version, to: version };
    } else {
      migrated = await migrate(engine, location.shown);
    }
  } catch (error) {
    await engine.close();
    throw error;
  }
  return new Store(engine, location.shown, options.raw ?? true, migrated);
}

export class Store {
  /** The store's URL, its password hidden. */
  readonly url: string;
  readonly engine: "sqlite" | "postgres";
  /** The schema version before this store was opened, and now (the same when nothing was migrated). */
  readonly migrated: { readonly from: number; readonly to: number };
  readonly #db: Engine;
  readonly #keepRaw: boolean;

  /** @internal use `openStore` */
  constructor(db: Engine, url: string, keepRaw: boolean, migrated: { from: number; to: number }) {
    this.#db = db;
    this.migrated = migrated;
    this.url = url;
    this.engine = db.kind;
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
    for (const chunk of chunks([...this.#distinct(items).values()])) {
      count += chunk.length;
      const built = this.#putStatements(chunk, now, options.dueAt ?? now);
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
  #distinct(items: Iterable<PutItem>): Map<string, { row: SqlValue[]; item: PutItem; tags: [string, string][] }> {
    const out = new Map<string, { row: SqlValue[]; item: PutItem; tags: [string, string][] }>();
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

  #putStatements(
    chunk: { row: SqlValue[]; item: PutItem; tags: [string, string][] }[],
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

  /**
   * Takes up to `limit` due refs for `owner` until `leaseMs` from now: no other worker gets them until the
   * lease ends (a worker killed mid-batch: its refs come back when it does). PostgreSQL: `FOR UPDATE SKIP
   * LOCKED`, so workers on many machines never take the same ref; SQLite: one writer at a time.
   */
  async claim(options: { owner: string; limit: number; leaseMs: number }): Promise<ClaimedRef[]> {
    const now = Date.now();
    const skipLocked = this.engine === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
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
    for (const chunk of chunks([...this.#distinct(records).values()])) {
      statements.push(...this.#putStatements(chunk, now, now).statements);
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

  /** Exact totals per currency, tokens and counts, grouped as asked; see `ReportQuery`. */
  report(query: ReportQuery): Promise<Report> {
    return runReport(this.#db, query, () => this.queueStats());
  }

  /** The database's schema version (this genledger writes `schemaVersion`). */
  schemaVersion(): Promise<number> {
    return readVersion(this.#db);
  }

  /** Applies missing migrations (openStore does unless told not to). */
  migrate(): Promise<{ from: number; to: number }> {
    return migrate(this.#db, this.url);
  }

  /** @internal a raw query, for tests and benchmarks. */
  query(sql: string, args?: readonly SqlValue[]): Promise<Row[]> {
    return this.#db.query(sql, args);
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

type QueueRow = { provider: string; id: string; reason: string; dueAt: number; error: string | null };

/** Waits again unless the record is final; a ref that gave up or failed before is re-armed. */
function queueStatement(rows: readonly QueueRow[], now: number): Statement {
  return {
    sql: `WITH v (provider, id, reason, due_at, last_error) AS (VALUES ${rows.map(() => "(?, ?, ?, CAST(? AS BIGINT), ?)").join(", ")})
      INSERT INTO pending_refs (provider, id, state, reason, due_at, attempts, first_seen, last_error)
      SELECT v.provider, v.id, 'waiting', v.reason, v.due_at, 0, ?, v.last_error FROM v
      WHERE NOT EXISTS (SELECT 1 FROM generations g WHERE g.provider = v.provider AND g.id = v.id AND g.rank = ${finalRank})
      ON CONFLICT (provider, id) DO UPDATE SET state = 'waiting', reason = excluded.reason, due_at = excluded.due_at,
        attempts = 0, first_seen = excluded.first_seen, last_error = excluded.last_error
      WHERE pending_refs.state <> 'waiting'`,
    args: [...rows.flatMap((r) => [r.provider, r.id, r.reason, r.dueAt, r.error]), now],
  };
}
