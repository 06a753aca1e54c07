// The SQL both parts of the store build: rows in chunks under the engines' parameter limits, a ref
// checked as a key, and the one statement that queues refs (a record not final queues its own ref).
import type { GenerationRef } from "@genledger/normalize";
import type { Statement } from "./driver.js";
import { StoreError } from "./errors.js";
import { checkText, finalRank } from "./records.js";

/** Records per statement: the widest (28 columns) stays under both engines' parameter limits. */
export const chunkSize = 400;
export const key = (r: { provider: string; id: string }) => `${r.provider}\u0000${r.id}`;
export const values = (rows: number, columns: number) =>
  Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => "?").join(", ")})`).join(", ");

export function chunks<T>(items: readonly T[], size = chunkSize): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function checkRef(ref: unknown, where: string): GenerationRef {
  const r = ref as GenerationRef;
  if (typeof r?.provider !== "string" || r.provider === "" || typeof r.id !== "string" || r.id === "") {
    throw new StoreError("invalid-record", `${where}: expected a ref { provider, id } of non-empty strings`);
  }
  checkText(r.provider, "ref.provider", where);
  checkText(r.id, "ref.id", where);
  return { provider: r.provider, id: r.id };
}

export type QueueRow = { provider: string; id: string; reason: string; dueAt: number; error: string | null };

/** Waits again unless the record is final; a ref that gave up or failed before is re-armed. */
export function queueStatement(rows: readonly QueueRow[], now: number): Statement {
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
