// PostgreSQL through pg: a pool; a batch is one transaction on one connection.
import type { Pool, PoolClient } from "pg";
import { type Engine, type EngineOptions, numbered, type Row, storeError } from "./driver.js";
import { StoreError } from "./errors.js";
import type { StoreLocation } from "./url.js";

export async function openPostgres(
  location: Extract<StoreLocation, { engine: "postgres" }>,
  options: EngineOptions,
): Promise<Engine> {
  let pg: typeof import("pg");
  try {
    const loaded = (await import("pg")) as unknown as { default?: typeof import("pg") };
    pg = loaded.default ?? (loaded as unknown as typeof import("pg"));
  } catch (error) {
    throw new StoreError("database", "a postgres:// store needs the pg package: npm install pg", { cause: error });
  }
  const { shown, secrets } = location;
  // BIGINT columns (epoch milliseconds, counts) as numbers; NUMERIC stays a string: every digit kept.
  const types = {
    getTypeParser: (oid: number, format?: "text" | "binary") =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text"),
  };
  const pool: Pool = new pg.Pool({
    connectionString: location.connectionString,
    max: options.maxConnections,
    connectionTimeoutMillis: 10_000,
    types: types as never,
  });
  // A server that goes away is reported by the next query; an idle connection's error must not crash the process.
  pool.on("error", () => undefined);
  let closed = false;
  const fail = (error: unknown) => storeError(error, shown, secrets);
  const engine: Engine = {
    kind: "postgres",
    async query(sql, args = []) {
      if (closed) throw new StoreError("closed", `${shown}: the store is closed`);
      try {
        return (await pool.query(numbered(sql), args as unknown[])).rows as Row[];
      } catch (error) {
        throw fail(error);
      }
    },
    async batch(statements) {
      if (closed) throw new StoreError("closed", `${shown}: the store is closed`);
      let client: PoolClient | undefined;
      // A checked-out client has no listener of the pool's: a server that goes away mid-batch (57P01)
      // would be an unhandled 'error' event, a crash. The failed query reports it instead.
      let lost: unknown;
      const onError = (error: unknown) => {
        lost ??= error;
      };
      try {
        client = await pool.connect();
        client.on("error", onError);
        await client.query("BEGIN");
        const results: Row[][] = [];
        for (const s of statements)
          results.push((await client.query(numbered(s.sql), (s.args ?? []) as unknown[])).rows);
        await client.query("COMMIT");
        return results;
      } catch (error) {
        await client?.query("ROLLBACK").catch(() => undefined);
        // A connection that failed mid-transaction is not given back to the pool.
        client?.off("error", onError);
        client?.release(true);
        client = undefined;
        throw fail(error);
      } finally {
        client?.off("error", onError);
        client?.release(lost !== undefined);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
  // Fail now, with a clear error, when the server is not there.
  await engine.query("SELECT 1");
  return engine;
}
