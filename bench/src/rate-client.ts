// Child process: one rate-limited job, `ledger.getMany` over N refs at a concurrency, against the server of
// rate-server-main.ts. Prints one JSON line: wall time, 429s met, requests sent, rows failed, RSS samples.
import { createLedger } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";

export interface RateClientConfig {
  url: string;
  refs: number;
  concurrency: number;
}
export interface RateClientResult {
  wallMs: number;
  rateLimited: number;
  requests: number;
  failed: number;
  /** RSS in bytes after each tenth of the refs. */
  rss: number[];
}

const config = JSON.parse(process.argv[2] ?? "{}") as RateClientConfig;
const ledger = createLedger({ providers: [openrouter({ apiKey: "bench-key-0123456789", baseUrl: config.url })] });
async function* refs() {
  for (let i = 0; i < config.refs; i++) yield { provider: "openrouter" as const, id: `gen-${i}` };
}
const rss: number[] = [];
let done = 0;
let failed = 0;
const started = performance.now();
for await (const result of ledger.getMany(refs(), { concurrency: config.concurrency })) {
  done++;
  if (result.error) failed++;
  if (done % Math.max(1, Math.floor(config.refs / 10)) === 0) rss.push(process.memoryUsage.rss());
}
const wallMs = performance.now() - started;
const stats = ledger.stats().openrouter;
const result: RateClientResult = {
  wallMs,
  rateLimited: stats?.rateLimited ?? 0,
  requests: stats?.requests ?? 0,
  failed,
  rss,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
