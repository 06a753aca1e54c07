// Records and stores for the tests: a Generation as normalize makes it, a temporary SQLite file, and one
// real PostgreSQL server per test file (started by the test, on 127.0.0.1, in a throwaway directory).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgres, type TestPostgres } from "../../../test-utils/postgres.js";
import type { StoredGeneration } from "../src/records.js";

export function generation(
  id: string,
  overrides: Partial<StoredGeneration> & { amount?: string; currency?: string } = {},
): StoredGeneration {
  const { amount = "0.000123", currency = "USD", ...rest } = overrides;
  return {
    provider: "openrouter",
    id,
    model: "openai/gpt-4o-mini",
    upstream: { provider: "OpenAI", id: null },
    status: "succeeded",
    createdAt: "2026-11-20T10:00:00.000Z",
    startedAt: null,
    completedAt: null,
    timing: { timeToFirstTokenMs: null, generationMs: 800 },
    usage: { inputTokens: 10, outputTokens: 5, reasoningTokens: null, cachedInputTokens: 2, totalTokens: 15 },
    cost: { amount, currency, upstreamAmount: null, discountAmount: null, breakdown: null },
    billing: "final",
    finishReason: "stop",
    nativeFinishReason: "stop",
    streamed: false,
    byok: false,
    error: null,
    raw: { id, total_cost: Number(amount) },
    ...rest,
  } as StoredGeneration;
}

export interface Engines {
  /** A new, empty store URL of each engine. */
  sqlite(): string;
  postgres(): Promise<string>;
  pg(): TestPostgres;
  close(): Promise<void>;
}

/** Call in `beforeAll`: a folder for SQLite files and a PostgreSQL server, removed by `close`. */
export async function startEngines(): Promise<Engines> {
  const dir = mkdtempSync(join(tmpdir(), "genledger-store-"));
  const pg = await startPostgres();
  let n = 0;
  return {
    sqlite: () => join(dir, `store-${++n}.db`),
    postgres: () => pg.database(`store_${++n}`),
    pg: () => pg,
    async close() {
      await pg.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
