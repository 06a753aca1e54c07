// The schema, as numbered migrations applied in order on open. Each is written once for both engines; the
// column types that differ are named. A database whose version is above the last one here was written by a
// newer genledger: it is refused, never written to.
import type { Engine, Statement } from "./driver.js";
import { StoreError } from "./errors.js";

type Types = { big: string; money: string; serial: string; sqlite: boolean };
const types = (engine: Engine): Types =>
  engine.kind === "sqlite"
    ? { big: "INTEGER", money: "TEXT", serial: "INTEGER PRIMARY KEY AUTOINCREMENT", sqlite: true }
    : { big: "BIGINT", money: "NUMERIC", serial: "BIGSERIAL PRIMARY KEY", sqlite: false };

/** Migration n (1-based) is `migrations[n - 1]`. Never edit one that shipped: add the next. */
const migrations: ((t: Types) => string[])[] = [
  (t) => [
    `CREATE TABLE IF NOT EXISTS generations (
      provider TEXT NOT NULL,
      id TEXT NOT NULL,
      billing TEXT NOT NULL,
      rank INTEGER NOT NULL,
      status TEXT NOT NULL,
      model TEXT,
      upstream_provider TEXT,
      upstream_id TEXT,
      at_ms ${t.big} NOT NULL,
      day TEXT NOT NULL,
      currency TEXT,
      cost_amount ${t.money},
      cost_scale INTEGER,
      cost_l0 ${t.big}, cost_l1 ${t.big}, cost_l2 ${t.big}, cost_l3 ${t.big}, cost_l4 ${t.big},
      upstream_amount ${t.money},
      input_tokens ${t.big},
      output_tokens ${t.big},
      reasoning_tokens ${t.big},
      cached_input_tokens ${t.big},
      total_tokens ${t.big},
      record TEXT NOT NULL,
      raw TEXT,
      stored_at ${t.big} NOT NULL,
      updated_at ${t.big} NOT NULL,
      PRIMARY KEY (provider, id)
    )`,
    "CREATE INDEX IF NOT EXISTS generations_day ON generations (day)",
    `CREATE TABLE IF NOT EXISTS generation_tags (
      provider TEXT NOT NULL,
      id TEXT NOT NULL,
      name TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (provider, id, name)
    )`,
    "CREATE INDEX IF NOT EXISTS generation_tags_name_value ON generation_tags (name, value)",
    `CREATE TABLE IF NOT EXISTS generation_history (
      seq ${t.serial},
      provider TEXT NOT NULL,
      id TEXT NOT NULL,
      replaced_at ${t.big} NOT NULL,
      currency TEXT,
      cost_amount ${t.money},
      record TEXT NOT NULL
    )`,
    "CREATE INDEX IF NOT EXISTS generation_history_ref ON generation_history (provider, id)",
    `CREATE TABLE IF NOT EXISTS pending_refs (
      provider TEXT NOT NULL,
      id TEXT NOT NULL,
      state TEXT NOT NULL,
      reason TEXT NOT NULL,
      due_at ${t.big} NOT NULL,
      attempts INTEGER NOT NULL,
      first_seen ${t.big} NOT NULL,
      lease_owner TEXT,
      lease_until ${t.big},
      last_error TEXT,
      PRIMARY KEY (provider, id)
    )`,
    "CREATE INDEX IF NOT EXISTS pending_refs_due ON pending_refs (state, due_at)",
  ],
  // Every cost says its basis. Every gateway before this version billed what it reported: rows with a cost are "billed".
  () => [
    "ALTER TABLE generations ADD COLUMN cost_basis TEXT",
    "UPDATE generations SET cost_basis = 'billed' WHERE cost_amount IS NOT NULL",
  ],
  // SQLite: what a report reads, and only that. A report scans this index, a tenth of the table's size
  // (the records' JSON is not in it), instead of the table. (Not on PostgreSQL: a btree entry there holds
  // at most 2.7 kB, which a long model name would pass, failing the write.)
  (t) =>
    t.sqlite ? [`CREATE INDEX IF NOT EXISTS generations_report ON generations (${reportIndexColumns.join(", ")})`] : [],
];

/** The columns of the report index: every one a report without tags reads. */
export const reportIndexColumns = [
  "day",
  "model",
  "currency",
  "provider",
  "cost_basis",
  "cost_scale",
  "rank",
  "at_ms",
  "upstream_provider",
  "cost_l0",
  "cost_l1",
  "cost_l2",
  "cost_l3",
  "cost_l4",
  "cost_amount",
  "input_tokens",
  "output_tokens",
  "reasoning_tokens",
  "cached_input_tokens",
  "total_tokens",
];

/** The schema version this genledger writes. */
export const schemaVersion = migrations.length;

/** The database's schema version: 0 for a database genledger has not written yet. */
export async function readVersion(engine: Engine): Promise<number> {
  const exists =
    engine.kind === "sqlite"
      ? await engine.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'genledger_schema'")
      : await engine.query("SELECT to_regclass('genledger_schema')::text AS name");
  if (!exists[0]?.name) return 0;
  const rows = await engine.query("SELECT max(version) AS version FROM genledger_schema");
  return Number(rows[0]?.version ?? 0);
}

/** Applies what is missing, each migration in its own transaction; returns the versions before and after. */
export async function migrate(engine: Engine, shown: string): Promise<{ from: number; to: number }> {
  const from = await readVersion(engine);
  refuseNewer(from, shown);
  const t = types(engine);
  for (let version = from + 1; version <= schemaVersion; version++) {
    const statements: Statement[] = [];
    // Two processes opening one new PostgreSQL database at once: the second waits, then finds it done.
    if (engine.kind === "postgres") statements.push({ sql: "SELECT pg_advisory_xact_lock(7004170001)" });
    statements.push({
      sql: "CREATE TABLE IF NOT EXISTS genledger_schema (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
    });
    for (const sql of migrations[version - 1]!(t)) statements.push({ sql });
    statements.push({
      sql: "INSERT INTO genledger_schema (version, applied_at) VALUES (?, ?) ON CONFLICT (version) DO NOTHING",
      args: [version, Date.now()],
    });
    await engine.batch(statements);
  }
  return { from, to: Math.max(from, schemaVersion) };
}

export function refuseNewer(version: number, shown: string): void {
  if (version > schemaVersion) {
    throw new StoreError(
      "schema-too-new",
      `${shown} has schema version ${version}, written by a newer genledger; this one knows versions up to ${schemaVersion} and leaves it untouched: upgrade @genledger/store (or the genledger command)`,
    );
  }
}
