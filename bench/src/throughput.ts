// Requests per second of each lookup variant against the bench server, both in their own processes.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startNode } from "./child.js";
import type { GatewayName } from "./gateway-server.js";
import { anchorOf, variants } from "./lookups.js";
import { pairedRatio, type Spread, spread } from "./stats.js";
import type { ThroughputConfig, ThroughputResult } from "./throughput-client.js";

const benchDir = fileURLToPath(new URL("..", import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export interface ThroughputSummary {
  requests: number;
  rounds: number;
  /** variant → concurrency → req/s */
  rate: Record<string, Record<string, Spread>>;
  /** variant → concurrency → req/s over its gateway's bare fetch in the same round */
  ratio: Record<string, Record<string, Spread>>;
  unavailable: Record<string, string>;
}

export async function measureThroughput(options: Omit<ThroughputConfig, "baseUrls">): Promise<ThroughputSummary> {
  const server = await startNode(["--import", "tsx", here("./server-main.ts")], (line) => line.startsWith("{"));
  try {
    const baseUrls = JSON.parse(server.lines.at(-1)!) as Record<GatewayName, string>;
    const config: ThroughputConfig = { ...options, baseUrls };
    const client = spawnSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", here("./throughput-client.ts"), JSON.stringify(config)],
      { cwd: benchDir, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    if (client.status !== 0) throw new Error(`throughput client exited ${client.status}`);
    const result = JSON.parse(client.stdout.trim().split("\n").at(-1)!) as ThroughputResult;
    const rate: ThroughputSummary["rate"] = {};
    const ratio: ThroughputSummary["ratio"] = {};
    for (const variant of variants) {
      const { name } = variant;
      const anchor = anchorOf(variant).name;
      if (name in result.unavailable || anchor in result.unavailable) continue;
      const byConcurrency = result.rates[name]!;
      rate[name] = {};
      ratio[name] = {};
      for (const [c, samples] of Object.entries(byConcurrency)) {
        rate[name][c] = spread(samples);
        ratio[name][c] = pairedRatio(samples, result.rates[anchor]![c]!);
      }
    }
    return { requests: options.requests, rounds: options.rounds, rate, ratio, unavailable: result.unavailable };
  } finally {
    await server.stop();
  }
}
