import { addDecimals, compareDecimals, costUnit, subtractDecimals, sumCosts, toDecimal } from "@genledger/normalize";
import Big from "big.js";
import { describe, expect, it } from "vitest";

// A seeded generator, so a failure reproduces.
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}
const random = rng(20261122);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");

/** A random decimal string: sign, up to 12 integer digits, up to 20 fraction digits. */
function randomDecimal(): string {
  const whole = digits(Math.floor(random() * 12)) || "0";
  const fraction = digits(Math.floor(random() * 20));
  const sign = random() < 0.2 ? "-" : "";
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}
/** big.js as the oracle, printed without exponent. */
const exact = (value: string) => {
  const text = new Big(value).toFixed();
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
};

describe("toDecimal", () => {
  it.each([
    [0.00123, "0.00123"],
    [1e-7, "0.0000001"],
    [1.5e-10, "0.00000000015"],
    [0.1 + 0.2, "0.30000000000000004"], // a float sum is what the gateway sent: kept, not rounded
    [1e21, "1000000000000000000000"],
    [-0, "0"],
    [0, "0"],
    [12, "12"],
    ["0.0000001", "0.0000001"],
    ["0.0030000000", "0.003"],
    ["1E-7", "0.0000001"],
    [".5", "0.5"],
    ["-2.50", "-2.5"],
    ["  3.14 ", "3.14"],
  ])("%j → %j", (input, output) => {
    expect(toDecimal(input)).toBe(output);
  });

  it.each([null, undefined, "", "abc", "1.2.3", Number.NaN, Number.POSITIVE_INFINITY, {}, true])(
    "%j → null",
    (input) => {
      expect(toDecimal(input)).toBeNull();
    },
  );

  it("keeps large exponents exactly, refuses absurd sizes, and sums what it returns", () => {
    expect(toDecimal("1e400")).toBe(`1${"0".repeat(400)}`);
    expect(toDecimal("-1e-1000")).toBe(`-0.${"0".repeat(999)}1`);
    expect(toDecimal("1e1001")).toBeNull(); // exponent beyond 1000
    expect(toDecimal("1".repeat(10_000_000))).toBeNull(); // a hostile body: no seconds of BigInt work
    expect(toDecimal(`0.${"1".repeat(4000)}`)).toBeNull();
    expect(toDecimal(`${"9".repeat(3998)}.5`)).toHaveLength(4000);
    expect(toDecimal(`${"9".repeat(3999)}.5`)).toBeNull(); // 4000 digits
    const big = toDecimal(`${"9".repeat(3999)}e0`) as string;
    expect(addDecimals(big, big, "1e-999")).toBe(`1${"9".repeat(3998)}8.${"0".repeat(998)}1`);
  });

  it("never prints an exponent and keeps every digit of a decimal string (1000 random cases)", () => {
    for (let i = 0; i < 1000; i++) {
      const s = randomDecimal();
      const d = toDecimal(s);
      expect(d).not.toMatch(/e/i);
      expect(d).toBe(exact(s));
    }
  });

  it("turns any JSON number into the digits JSON would print, without exponent (1000 random cases)", () => {
    for (let i = 0; i < 1000; i++) {
      const n = (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
      const d = toDecimal(n)!;
      expect(d).not.toMatch(/e/i);
      expect(new Big(d).eq(new Big(String(n)))).toBe(true);
      expect(Number(d)).toBe(n === 0 ? 0 : n);
    }
  });
});

describe("addDecimals and sumCosts", () => {
  it("adds exactly: 0.1 + 0.2 is 0.3", () => {
    expect(addDecimals("0.1", "0.2")).toBe("0.3");
    expect(addDecimals(0.1, 0.2)).toBe("0.3");
    expect(addDecimals("1e-7", "0.0000009")).toBe("0.000001");
    expect(addDecimals()).toBe("0");
  });

  it("matches exact arithmetic on random sums (500 cases of up to 50 terms)", () => {
    for (let i = 0; i < 500; i++) {
      const terms = Array.from({ length: 1 + Math.floor(random() * 50) }, randomDecimal);
      const oracle = terms.reduce((acc, t) => acc.plus(t), new Big(0));
      expect(addDecimals(...terms)).toBe(exact(oracle.toFixed()));
    }
  });

  it("compares exactly", () => {
    expect(compareDecimals("0.30000000000000004", "0.3")).toBe(1);
    expect(compareDecimals("-1", "0.5")).toBe(-1);
    expect(subtractDecimals("0.3", "0.30000000000000004")).toBe("-0.00000000000000004");
    expect(subtractDecimals("123456789012345678901.5", 0.5)).toBe("123456789012345678901");
    expect(compareDecimals("2.50", "2.5")).toBe(0);
  });

  it("refuses what is not a decimal", () => {
    expect(() => addDecimals("1", "one")).toThrowError('not a decimal: "one"');
  });

  it("totals per currency, skipping null costs", () => {
    const cost = (amount: string, currency: "USD" | "credits") => ({ cost: { amount, currency } });
    expect(
      sumCosts([
        cost("0.1", "USD"),
        cost("0.2", "USD"),
        { cost: null },
        cost("5", "credits"),
        cost("0.0000001", "credits"),
      ]),
    ).toEqual({ USD: "0.3", credits: "5.0000001" });
    expect(sumCosts([])).toEqual({});
  });

  it("never sums one gateway's credits with another's; a currency is summed across gateways", () => {
    const cost = (provider: string, amount: string, currency: string) => ({ provider, cost: { amount, currency } });
    expect(
      sumCosts([
        cost("zenmux", "7.5", "credits"),
        cost("oxen", "1.5", "credits"),
        cost("zenmux", "0.5", "credits"),
        cost("openrouter", "0.1", "USD"),
        cost("vercel", "0.2", "USD"),
      ]),
    ).toEqual({ USD: "0.3", "zenmux credits": "8", "oxen credits": "1.5" });
    expect(costUnit("nanogpt", "XNO")).toBe("XNO");
    expect(costUnit("zenmux", "credits")).toBe("zenmux credits");
  });
});
