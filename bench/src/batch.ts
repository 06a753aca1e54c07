// `genledger batch` against `genledger mock` (another process), beside a raw fetch loop doing the same lookups:
// wall time (node start-up included for both) and peak RSS of the batch process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startNode } from "./child.js";
import { genledgerBin } from "./startup.js";
import { pairedRatio, type Spread, spread } from "./stats.js";

const maxRss = fileURLToPath(new URL("./max-rss.mjs", import.meta.url));
const rawBatch = fileURLToPath(new URL("./raw-batch.mjs", import.meta.url));

export interface BatchResult {
  refs: number;
  concurrency: number;
  wallMs: { genledger: Spread; raw: Spread };
  ratio: Spread;
  maxRssMiB: { genledger: Spread; raw: Spread };
  /** Output rows per run (one per ref expected), to show each run did the whole job. */
  rows: { genledger: number[]; raw: number[] };
}

function countLines(path: string): number {
  const text = readFileSync(path, "utf8");
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** `genledger mock` in its own process, and the environment that points a client at it. */
async function startMock(bin: string) {
  const mock = await startNode([bin, "mock"], (line) => line.startsWith("export OXEN_BASE_URL="));
  const env: NodeJS.ProcessEnv = { ...process.env, OPENROUTER_API_KEY: "bench-key-not-real", NO_COLOR: "1" };
  for (const line of mock.lines) {
    const m = /^export (\w+)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return { env, stop: mock.stop };
}

export async function measureBatch(refs: number, rounds: number, concurrency = 32): Promise<BatchResult> {
  const bin = genledgerBin();
  const dir = mkdtempSync(join(tmpdir(), "genledger-bench-"));
  try {
    const input = join(dir, "refs.txt");
    writeFileSync(input, Array.from({ length: refs }, (_, i) => `openrouter:gen-batch-${i}\n`).join(""));
    const output = join(dir, "out.jsonl");
    const rssFile = join(dir, "rss");
    const commands = {
      genledger: [bin, "batch", input, "--concurrency", String(concurrency), "--output", output],
      raw: [rawBatch, input, String(concurrency), output],
    };
    const wall = { genledger: [] as number[], raw: [] as number[] };
    const rss = { genledger: [] as number[], raw: [] as number[] };
    const rows = { genledger: [] as number[], raw: [] as number[] };
    const run = async (name: keyof typeof commands) => {
      rmSync(output, { force: true });
      // A fresh mock for every run: it keeps per-id state, and no run should inherit another's.
      const mock = await startMock(bin);
      try {
        const start = performance.now();
        const child = spawnSync(process.execPath, ["--import", maxRss, ...commands[name]], {
          env: { ...mock.env, BENCH_MAX_RSS_FILE: rssFile },
          stdio: ["ignore", "ignore", "pipe"],
        });
        wall[name].push(performance.now() - start);
        if (child.status !== 0) {
          throw new Error(`${name} batch exited ${child.status}: ${String(child.stderr).slice(0, 500)}`);
        }
      } finally {
        await mock.stop();
      }
      rss[name].push(Number(readFileSync(rssFile, "utf8")) / 1024);
      rows[name].push(countLines(output));
    };
    // Raw first in even rounds, genledger first in odd ones, so drift falls on both alike.
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? (["genledger", "raw"] as const) : (["raw", "genledger"] as const);
      for (const name of order) await run(name);
    }
    return {
      refs,
      concurrency,
      wallMs: { genledger: spread(wall.genledger), raw: spread(wall.raw) },
      ratio: pairedRatio(wall.genledger, wall.raw),
      maxRssMiB: { genledger: spread(rss.genledger), raw: spread(rss.raw) },
      rows,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
