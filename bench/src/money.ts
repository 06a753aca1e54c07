// Exact money (normalize's BigInt decimals) beside big.js, the well-known decimal library: CPU only, in this
// process, the two interleaved over rounds after a warm-up.
import Big from "big.js";
import { pairedRatio, type Spread, spread } from "./stats.js";

const terms = Array.from({ length: 1000 }, (_, i) => `0.${String((i * 7919) % 1_000_000).padStart(6, "0")}${i % 10}`);
const numbers = Array.from({ length: 1000 }, (_, i) => (i * 7919) / 1e9);

export interface MoneyCase {
  name: string;
  genledger: () => unknown;
  bigjs: () => unknown;
}

export async function moneyCases(): Promise<MoneyCase[]> {
  const { addDecimals, toDecimal } = await import("@genledger/normalize");
  return [
    {
      name: "sum 1000 decimal strings",
      genledger: () => addDecimals(...terms),
      bigjs: () => terms.reduce((acc, t) => acc.plus(t), new Big(0)).toFixed(),
    },
    {
      name: "1000 JSON numbers to exact decimal strings",
      genledger: () => {
        for (const n of numbers) toDecimal(n);
      },
      bigjs: () => {
        for (const n of numbers) new Big(n).toFixed();
      },
    },
  ];
}

function opsPerSecond(fn: () => unknown, iterations: number): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return iterations / ((performance.now() - start) / 1000);
}

export interface MoneyResult {
  /** case → ops/s */
  genledger: Record<string, Spread>;
  bigjs: Record<string, Spread>;
  /** case → genledger's ops/s over big.js's in the same round */
  ratio: Record<string, Spread>;
}

export async function measureMoney(rounds: number, iterations = 200): Promise<MoneyResult> {
  const result: MoneyResult = { genledger: {}, bigjs: {}, ratio: {} };
  for (const c of await moneyCases()) {
    opsPerSecond(c.genledger, iterations);
    opsPerSecond(c.bigjs, iterations);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2) theirs.push(opsPerSecond(c.bigjs, iterations));
      ours.push(opsPerSecond(c.genledger, iterations));
      if (!(round % 2)) theirs.push(opsPerSecond(c.bigjs, iterations));
    }
    result.genledger[c.name] = spread(ours);
    result.bigjs[c.name] = spread(theirs);
    result.ratio[c.name] = pairedRatio(ours, theirs);
  }
  return result;
}
