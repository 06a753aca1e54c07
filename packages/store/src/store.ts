// The store: one database, two parts — the records (store-records.ts) and the queue of refs not final yet
// (store-queue.ts) — behind one object. Every method is one transaction.
import { checkOptions, type GenerationRef } from "@genledger/normalize";
import type { Engine, Row, SqlValue } from "./driver.js";
import { openEngine } from "./engine.js";
import { StoreError } from "./errors.js";
import type { StoredGeneration } from "./records.js";
import { type Report, type ReportQuery, runReport } from "./report.js";
import { migrate, readVersion, refuseNewer, schemaVersion } from "./schema.js";
import { StoreQueue } from "./store-queue.js";
import { StoreRecords } from "./store-records.js";
import type { ClaimedRef, PutItem, PutResult, QueueItem, QueueStats, Settlement, StoredEntry } from "./types.js";
import { parseStoreUrl } from "./url.js";

export { checkPutItem } from "./store-records.js";
export type { ClaimedRef, PutItem, PutResult, QueueItem, QueueStats, Settlement, StoredEntry } from "./types.js";

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
  readonly #records: StoreRecords;
  readonly #queue: StoreQueue;

  /** @internal use `openStore` */
  constructor(db: Engine, url: string, keepRaw: boolean, migrated: { from: number; to: number }) {
    this.#db = db;
    this.migrated = migrated;
    this.url = url;
    this.engine = db.kind;
    this.#records = new StoreRecords(db, keepRaw);
    this.#queue = new StoreQueue(db, this.#records);
  }

  /**
   * Keeps records (upsert by provider and id): a record never goes backwards (`final` is never replaced by
   * `pending` or `estimated`); a different `final` replaces the old one, which goes to the history. Records
   * not final are queued for `resolve`; a final one leaves the queue. All of it, or nothing, is written.
   */
  put(items: Iterable<PutItem>, options: { dueAt?: number | undefined } = {}): Promise<PutResult> {
    return this.#records.put(items, options);
  }

  /** Of these refs, the keys (`provider:id`) whose record is final already. */
  finalRefs(refs: Iterable<GenerationRef>): Promise<Set<string>> {
    return this.#records.finalRefs(refs);
  }

  /** The record kept for a ref, its tags and what it replaced; undefined when there is none. */
  get(ref: GenerationRef): Promise<StoredEntry | undefined> {
    return this.#records.get(ref);
  }

  /** Every record, in (provider, id) order, a page at a time (memory stays flat). */
  records(options: { pageSize?: number } = {}): AsyncGenerator<StoredGeneration> {
    return this.#records.records(options);
  }

  /** Queues refs for `resolve` (a ref already final is not queued; a given-up or failed one waits again). */
  enqueue(items: Iterable<QueueItem>): Promise<void> {
    return this.#queue.enqueue(items);
  }

  /**
   * Takes up to `limit` due refs for `owner` until `leaseMs` from now: no other worker gets them until the
   * lease ends (a worker killed mid-batch: its refs come back when it does). PostgreSQL: `FOR UPDATE SKIP
   * LOCKED`, so workers on many machines never take the same ref; SQLite: one writer at a time.
   */
  claim(options: { owner: string; limit: number; leaseMs: number }): Promise<ClaimedRef[]> {
    return this.#queue.claim(options);
  }

  /** Extends every lease `owner` holds to `leaseMs` from now. */
  renew(owner: string, leaseMs: number): Promise<void> {
    return this.#queue.renew(owner, leaseMs);
  }

  /**
   * Settles refs `owner` holds, with the records their lookups returned, in one transaction. A ref whose
   * lease another worker took over (this one was too slow) is left to that worker; its record is kept anyway.
   */
  settle(owner: string, settlements: readonly Settlement[], records: Iterable<PutItem> = []): Promise<void> {
    return this.#queue.settle(owner, settlements, records);
  }

  /** When the next waiting ref is due (epoch ms), or undefined when none waits. */
  nextDue(): Promise<number | undefined> {
    return this.#queue.nextDue();
  }

  queueStats(): Promise<QueueStats> {
    return this.#queue.queueStats();
  }

  /** The refs of a state (`"failed"`, `"given-up"`), with why, for a listing. */
  queued(
    state: "waiting" | "failed" | "given-up",
    limit = 100,
  ): Promise<{ ref: GenerationRef; reason: string; error: string | null; attempts: number }[]> {
    return this.#queue.queued(state, limit);
  }

  /** Puts failed (or given-up) refs back in the queue, due now; returns how many. */
  requeue(state: "failed" | "given-up"): Promise<number> {
    return this.#queue.requeue(state);
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
