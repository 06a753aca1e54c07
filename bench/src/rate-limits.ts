// The rate-limits benchmark: a job of N lookups against a gateway that allows R requests a second, the
// server in its own process (a fresh one per run, so every run meets a full bucket), the job in another:
// `ledger.getMany` at each concurrency and header style, and `genledger batch` at the highest, interleaved
// over rounds. Then one long job at a higher rate for memory: its RSS must stay flat.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { MockRateLimit } from "@genledger/testing";
import { startNode } from "./child.js";
import type { RateClientResult } from "./rate-client.js";
import { type Spread, spread } from "./stats.js";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const cli = fileURLToPath(new URL("../../packages/cli/dist/bin.js", import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export type HeaderStyle = NonNullable<MockRateLimit["headers"]>;
export const styles: HeaderStyle[] = ["retry-after", "x-ratelimit", "none"];

export interface RateConfig {
  refs: number;
  rate: number;
  latencyMs: number;
  concurrencies: number[];
  rounds: number;
  memoryRefs: number;
  memoryRate: number;
}

export interface RateFigures {
  /** Wall time over N / R. */
  wall: Spread;
  /** 429s met, as a share of N. */
  refused: Spread;
  /** Requests sent over N. */
  requests: Spread;
  failed: Spread;
}

export interface RateResult {
  config: RateConfig;
  /** `${runner} ${style} c=${c}` → figures. */
  runs: Record<string, RateFigures>;
  memory: { refs: number; rate: number; rssMiB: number[]; growth: number };
}

async function withServer<T>(style: HeaderStyle, rate: number, latencyMs: number, run: (url: string) => T) {
  const rateLimit: MockRateLimit = { requestsPerSecond: rate, burst: 10, headers: style };
  const server = await startNode(
    ["--import", "tsx", here("./rate-server-main.ts"), JSON.stringify({ delayMs: latencyMs, rateLimit })],
    (line) => line.startsWith("{"),
  );
  try {
    return run((JSON.parse(server.lines.at(-1)!) as { url: string }).url);
  } finally {
    await server.stop();
  }
}

function getMany(url: string, refs: number, concurrency: number, client = "./rate-client.ts"): RateClientResult {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", here(client), JSON.stringify({ url, refs, concurrency })],
    { cwd: benchDir, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (run.status !== 0) throw new Error(`rate client exited ${run.status}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as RateClientResult;
}

function batch(url: string, refsFile: string, out: string, concurrency: number): RateClientResult {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      cli,
      "batch",
      refsFile,
      "--provider",
      "openrouter",
      "--concurrency",
      String(concurrency),
      "--output",
      out,
      "--overwrite",
    ],
    {
      encoding: "utf8",
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, OPENROUTER_BASE_URL: url, OPENROUTER_API_KEY: "bench-key-0123456789" },
    },
  );
  const wallMs = performance.now() - started;
  const summary = run.stderr;
  const failed = Number(/(\d+) failed/.exec(summary)?.[1] ?? Number.NaN);
  const limited = /(\d+) rate-limited answers? \(429\) from openrouter in (\d+) requests/.exec(summary);
  if (run.status === null || Number.isNaN(failed)) throw new Error(`genledger batch: ${summary}`);
  const refs = Number(/(\d+) done/.exec(summary)?.[1] ?? 0) + failed;
  return {
    wallMs,
    failed,
    rateLimited: Number(limited?.[1] ?? 0),
    requests: Number(limited?.[2] ?? refs),
    rss: [],
  };
}

export async function measureRateLimits(config: RateConfig): Promise<RateResult> {
  const dir = mkdtempSync(join(tmpdir(), "genledger-bench-rate-"));
  const refsFile = join(dir, "refs.txt");
  writeFileSync(refsFile, Array.from({ length: config.refs }, (_, i) => `gen-${i}\n`).join(""));
  const samples: Record<string, RateClientResult[]> = {};
  // The job of the goal: `genledger batch` and the reference pacer at c = 32, beside getMany's c = 4/16/32/64.
  const top = 32;
  try {
    for (let round = 0; round < config.rounds; round++) {
      for (const style of styles) {
        const variants: [string, (url: string) => RateClientResult][] = [
          ...config.concurrencies.map(
            (c): [string, (url: string) => RateClientResult] =>
              [`ledger.getMany ${style} c=${c}`, (url: string) => getMany(url, config.refs, c)] as const,
          ),
          [`genledger batch ${style} c=${top}`, (url: string) => batch(url, refsFile, join(dir, "out.jsonl"), top)],
          [
            `anchor: a 50-line reference pacer ${style} c=${top}`,
            (url: string) => getMany(url, config.refs, top, "./reference-pacer.ts"),
          ],
        ];
        for (const [name, run] of variants) {
          const r = await withServer(style, config.rate, config.latencyMs, run);
          samples[name] = [...(samples[name] ?? []), r];
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ideal = (config.refs / config.rate) * 1000;
  const runs = Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [
      name,
      {
        wall: spread(list.map((r) => r.wallMs / ideal)),
        refused: spread(list.map((r) => r.rateLimited / config.refs)),
        requests: spread(list.map((r) => r.requests / config.refs)),
        failed: spread(list.map((r) => r.failed)),
      },
    ]),
  );
  const memory = await withServer("retry-after", config.memoryRate, config.latencyMs, (url) =>
    getMany(url, config.memoryRefs, 64),
  );
  const rssMiB = memory.rss.map((b) => b / 2 ** 20);
  // Flat: from a quarter of the job (the warm-up done) to its end.
  const from = rssMiB[Math.min(2, rssMiB.length - 1)] ?? 0;
  const growth = from ? (Math.max(...rssMiB.slice(2)) - from) / from : 0;
  return { config, runs, memory: { refs: config.memoryRefs, rate: config.memoryRate, rssMiB, growth } };
}
