// Which driver a store URL opens: loaded when asked for, so a SQLite user never loads pg, nor a PostgreSQL
// user libsql.
import type { Engine, EngineOptions } from "./driver.js";
import type { StoreLocation } from "./url.js";

export type { Engine, EngineOptions, Row, SqlValue, Statement } from "./driver.js";

export async function openEngine(location: StoreLocation, options: EngineOptions): Promise<Engine> {
  if (location.engine === "sqlite") {
    const { openSqlite } = await import("./sqlite.js");
    return openSqlite(location.path, location.shown, options);
  }
  const { openPostgres } = await import("./postgres.js");
  return openPostgres(location, options);
}
