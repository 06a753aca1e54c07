// What a database driver is to the store: a query, and statements run as one transaction, with the errors
// they meet as StoreErrors. Everything above it is the same SQL for both engines (with `?` placeholders);
// the few places where they differ ask `kind`. A leaf: the drivers and the store import it, it imports them not.
import { redact } from "@genledger/core/internal";
import { StoreError } from "./errors.js";

export type SqlValue = string | number | bigint | null;
export interface Statement {
  sql: string;
  args?: readonly SqlValue[];
}
export type Row = Record<string, unknown>;

export interface Engine {
  readonly kind: "sqlite" | "postgres";
  query(sql: string, args?: readonly SqlValue[]): Promise<Row[]>;
  /** The statements in one transaction: all of them or none; each one's rows. */
  batch(statements: readonly Statement[]): Promise<Row[][]>;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** SQLite: how long a write waits for another writer's lock before it fails with `"locked"`. */
  busyTimeoutMs: number;
  /** PostgreSQL: connections at most. */
  maxConnections: number;
}

/** A driver's error as a StoreError: what it means for the caller, the driver's own error as the cause. */
export function storeError(error: unknown, where: string, secrets: readonly string[] = []): StoreError {
  if (StoreError.isInstance(error)) return error;
  const e = error as { code?: unknown; message?: unknown; errno?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  const message = redact(typeof e?.message === "string" ? e.message : String(error), secrets);
  const cause = redact(error, secrets);
  const kind: StoreError["code"] = /^SQLITE_READONLY/.test(code)
    ? "read-only"
    : /^SQLITE_(BUSY|LOCKED)/.test(code) || code === "55P03"
      ? "locked"
      : /^SQLITE_FULL/.test(code) || code === "53100"
        ? "full"
        : /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH)$/.test(code) ||
            /^(08|57P0[123])/.test(code) ||
            /Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect|connection error and is not queryable/i.test(
              message,
            )
          ? "unreachable"
          : "database";
  const what = {
    "read-only": "cannot write: the database file or its folder is read-only",
    locked: "the database is locked by another writer",
    full: "the disk (or the database's size limit) is full",
    unreachable: "the database server cannot be reached",
    database: "the database refused",
  }[kind as "database"];
  return new StoreError(kind, `${where}: ${what} (${message})`, { cause });
}

/** `?` → `$1`, `$2`, … for PostgreSQL (no statement here has a `?` inside a string). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
