// SQLite through @libsql/client: a prebuilt binary from the npm registry, nothing compiled at install time.
// One connection per store, used by one operation at a time (a single writer), in WAL mode so that readers
// in other processes are not blocked by it.
import { stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Client, InStatement } from "@libsql/client";
import { type Engine, type EngineOptions, type Row, type Statement, storeError } from "./driver.js";
import { StoreError } from "./errors.js";

export async function openSqlite(path: string, shown: string, options: EngineOptions): Promise<Engine> {
  const memory = path === ":memory:";
  if (!memory) {
    const folder = dirname(resolve(path));
    const info = await stat(folder).catch(() => undefined);
    if (!info?.isDirectory()) throw new StoreError("bad-url", `${shown}: the folder ${folder} does not exist`);
    if ((await stat(path).catch(() => undefined))?.isDirectory()) {
      throw new StoreError(
        "bad-url",
        `${shown} is a folder, not a database file: name a file in it (${shown}/genledger.db)`,
      );
    }
  }
  const { createClient } = await import("@libsql/client");
  const url = memory ? ":memory:" : pathToFileURL(resolve(path)).href;
  let client: Client | undefined;
  const connect = async () => {
    const c = createClient({ url, intMode: "number" });
    try {
      await c.execute(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
      // WAL needs a writable folder; a read-only database still opens (and refuses writes clearly).
      await c.execute("PRAGMA journal_mode = WAL").catch(() => undefined);
      await c.execute("PRAGMA synchronous = NORMAL");
    } catch (error) {
      c.close();
      throw storeError(error, `cannot open ${shown}`);
    }
    return c;
  };
  client = await connect();

  let closed = false;
  // One operation at a time on the one connection.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: (c: Client) => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new StoreError("closed", `${shown}: the store is closed`));
    const run = chain.then(async () => {
      if (!client) client = await connect();
      try {
        return await task(client);
      } catch (error) {
        // After SQLITE_BUSY, libsql's connection keeps its read lock (libsql-client-ts#352): start a new one.
        if (/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code))) {
          client.close();
          client = undefined;
        }
        throw storeError(error, shown);
      }
    });
    chain = run.catch(() => undefined);
    return run;
  };
  const rows = (result: { rows: unknown[] }) => result.rows as Row[];
  const toLibsql = (s: Statement): InStatement => ({ sql: s.sql, args: (s.args ?? []) as never });

  return {
    kind: "sqlite",
    query: (sql, args = []) => serial(async (c) => rows(await c.execute({ sql, args: args as never }))),
    batch: (statements) => serial(async (c) => (await c.batch(statements.map(toLibsql), "write")).map(rows)),
    async close() {
      if (closed) return;
      closed = true;
      await chain;
      client?.close();
      client = undefined;
    },
  };
}
