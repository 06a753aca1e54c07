// The capture benchmark: the streaming server in its own process, the SDKs in another.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CaptureBenchConfig, CaptureBenchResult } from "./capture-client.js";
import { startNode } from "./child.js";
import { pairedRatio, type Spread, spread } from "./stats.js";
import type { StreamServerOptions } from "./stream-server.js";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** What capture adds beside what it is compared with, in the same rounds. */
export const capturePairs = {
  fetch: ["openai SDK stream, capture.fetch", "openai SDK stream"],
  middleware: ["AI SDK streamText, capture.middleware()", "AI SDK streamText (@ai-sdk/gateway)"],
} as const;
/** What capture adds to reading a large body, in the same rounds. */
export const bigPairs = {
  json: ["the same through capture.fetch", "a 13 MB JSON completion, response.json()"],
  stream: ["the same stream through capture.fetch", "200 Responses API events of 500 KB, read as text"],
} as const;
export const cpuPairs = {
  fetch: ["a streamed response through capture.fetch, read", "a streamed response, read"],
  "fetch, lookups included": ["the same, its background lookup included", "a streamed response, read"],
  middleware: ["AI SDK stream parts through capture.middleware(), read", "AI SDK stream parts, read"],
} as const;

export interface CaptureResult {
  server: StreamServerOptions;
  config: Omit<CaptureBenchConfig, "url">;
  ttfbMs: Record<string, Spread>;
  totalMs: Record<string, Spread>;
  ttfbRatio: Record<string, Spread>;
  totalRatio: Record<string, Spread>;
  /** µs of CPU per call added by capture, per round. */
  cpuAddedUs: Record<string, Spread>;
  cpuUs: Record<string, Spread>;
  /** CPU ms to read a large body, and the ratio with capture to without, per round. */
  bigMs: Record<string, Spread>;
  bigRatio: Record<string, Spread>;
  memory: CaptureBenchResult["memory"] & { growth: number };
}

export async function measureCapture(config: Omit<CaptureBenchConfig, "url">): Promise<CaptureResult> {
  const server: StreamServerOptions = { firstByteMs: 20, chunkMs: 1, chunks: 40 };
  const child = await startNode(["--import", "tsx", here("./stream-server-main.ts"), JSON.stringify(server)], (line) =>
    line.startsWith("{"),
  );
  try {
    const { url } = JSON.parse(child.lines.at(-1)!) as { url: string };
    const run = spawnSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", here("./capture-client.ts"), JSON.stringify({ ...config, url })],
      { cwd: benchDir, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 2 ** 20 },
    );
    if (run.status !== 0) throw new Error(`capture client exited ${run.status}`);
    const r = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as CaptureBenchResult;
    const over = <K extends string>(pairs: Record<K, readonly [string, string]>, series: Record<string, number[]>) =>
      Object.fromEntries(
        (Object.entries(pairs) as [string, readonly [string, string]][]).map(([k, [a, b]]) => [
          k,
          pairedRatio(series[a]!, series[b]!),
        ]),
      );
    const added = Object.fromEntries(
      Object.entries(cpuPairs).map(([k, [a, b]]) => [k, spread(r.cpu[a]!.map((v, i) => v - r.cpu[b]![i]!))]),
    );
    // Growth is measured from the first sample where the held calls had reached their bound (10 000).
    const heaps = r.memory.heapMiB;
    const from = (heaps.find((h) => h.held >= 10_000) ?? heaps[1]!).heap;
    return {
      server,
      config,
      ttfbMs: Object.fromEntries(Object.entries(r.ttfb).map(([k, v]) => [k, spread(v)])),
      totalMs: Object.fromEntries(Object.entries(r.total).map(([k, v]) => [k, spread(v)])),
      ttfbRatio: over(capturePairs, r.ttfb),
      totalRatio: over(capturePairs, r.total),
      cpuAddedUs: added,
      cpuUs: Object.fromEntries(Object.entries(r.cpu).map(([k, v]) => [k, spread(v)])),
      bigMs: Object.fromEntries(Object.entries(r.big).map(([k, v]) => [k, spread(v)])),
      bigRatio: over(bigPairs, r.big),
      memory: { ...r.memory, growth: heaps.at(-1)!.heap / from - 1 },
    };
  } finally {
    await child.stop();
  }
}
