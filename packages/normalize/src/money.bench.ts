// pnpm bench: exact money on BigInt against big.js (the well-known library), side by side.
import { addDecimals, toDecimal } from "@genledger/normalize";
import Big from "big.js";
import { bench, describe } from "vitest";

const terms = Array.from({ length: 1000 }, (_, i) => `0.${String((i * 7919) % 1_000_000).padStart(6, "0")}${i % 10}`);
const numbers = Array.from({ length: 1000 }, (_, i) => (i * 7919) / 1e9);

describe("sum 1000 decimal strings", () => {
  bench("genledger addDecimals", () => {
    addDecimals(...terms);
  });
  bench("big.js plus", () => {
    terms.reduce((acc, t) => acc.plus(t), new Big(0)).toFixed();
  });
});

describe("1000 JSON numbers to exact decimal strings", () => {
  bench("genledger toDecimal", () => {
    for (const n of numbers) toDecimal(n);
  });
  bench("big.js toFixed", () => {
    for (const n of numbers) new Big(n).toFixed();
  });
});
