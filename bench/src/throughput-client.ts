// Child process: every lookup variant against the bench server (another process), N requests at each
// concurrency, the variants interleaved (order rotated each round). Prints one JSON line: req/s per round.
import type { GatewayName } from "./gateway-server.js";
import { type Lookup, variants } from "./lookups.js";

export interface ThroughputConfig {
  baseUrls: Record<GatewayName, string>;
  requests: number;
  rounds: number;
  concurrencies: number[];
  warmup: number;
}
export interface ThroughputResult {
  /** variant → concurrency → req/s per round */
  rates: Record<string, Record<string, number[]>>;
  /** variant → why it could not be measured */
  unavailable: Record<string, string>;
}

async function run(lookup: Lookup, ids: readonly string[], concurrency: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) await lookup(ids[next++] as string);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids.length / ((performance.now() - start) / 1000);
}

const config = JSON.parse(process.argv[2] as string) as ThroughputConfig;
const ids = Array.from({ length: config.requests }, (_, i) => `gen-bench-${i.toString(36).padStart(6, "0")}`);
const result: ThroughputResult = { rates: {}, unavailable: {} };
const ready: Array<{ name: string; lookup: Lookup }> = [];
for (const variant of variants) {
  try {
    const lookup = await variant.make(config.baseUrls);
    // Warm up, and check the answer is the body asked for (a variant that fails is reported, not timed).
    const probe = await lookup("gen-bench-probe");
    if (!JSON.stringify(probe).includes("gen-bench-probe")) throw new Error("the answer does not hold the id asked");
    await run(lookup, ids.slice(0, config.warmup), 8);
    ready.push({ name: variant.name, lookup });
    result.rates[variant.name] = Object.fromEntries(config.concurrencies.map((c) => [String(c), []]));
  } catch (error) {
    result.unavailable[variant.name] = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  }
}
const gc = (globalThis as { gc?: () => void }).gc;
for (let round = 0; round < config.rounds; round++) {
  for (const c of config.concurrencies) {
    for (let k = 0; k < ready.length; k++) {
      const { name, lookup } = ready[(k + round) % ready.length]!;
      gc?.();
      try {
        result.rates[name]![String(c)]!.push(await run(lookup, ids, c));
      } catch (error) {
        result.unavailable[name] = `failed while timed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }
}
process.stdout.write(`${JSON.stringify(result)}\n`);
