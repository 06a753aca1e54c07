// Exact decimal money on BigInt: amounts are strings like "0.0000001", never floats.
import { InvalidArgumentError } from "@genledger/core";

/** A decimal as an integer count of 10^-scale units. */
interface Scaled {
  units: bigint;
  scale: number;
}

const decimalPattern = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parse(text: string): Scaled | undefined {
  const m = decimalPattern.exec(text.trim());
  if (!m) return undefined;
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = m;
  if (whole === "" && fraction === "") return undefined;
  const exp = Number(exponent);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
  let digits = whole + fraction;
  let scale = fraction.length - exp;
  if (scale < 0) {
    digits += "0".repeat(-scale);
    scale = 0;
  }
  const units = BigInt(digits === "" ? "0" : digits);
  return { units: sign === "-" ? -units : units, scale };
}

function format({ units, scale }: Scaled): string {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, "0");
    const whole = digits.slice(0, -scale);
    const fraction = digits.slice(-scale).replace(/0+$/, "");
    digits = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/**
 * The exact decimal string of a money value: a JSON number (shortest round-trip digits, so `0.00123`
 * stays "0.00123" and `1e-7` becomes "0.0000001") or a decimal string. Null for null, undefined,
 * NaN, infinities, text that is not a number and absurd sizes (4000 digits or more on either side of
 * the point). Trailing fractional zeros are dropped.
 */
export function toDecimal(value: unknown): string | null {
  if (typeof value === "number") return Number.isFinite(value) ? format(parse(String(value))!) : null;
  if (typeof value === "bigint") return value.toString();
  // No amount has thousands of digits; refusing them spares seconds of BigInt work on a hostile body.
  const scaled = typeof value === "string" && value.length < 5000 ? parse(value) : undefined;
  return scaled && scaled.scale < 4000 && String(scaled.units).length < 4000 ? format(scaled) : null;
}

/** Digits at most in an amount genledger keeps (integer and fraction together): what the store sums exactly. */
export const maxAmountDigits = 45;

/**
 * Why a decimal text is no amount any gateway bills (more than 45 digits, such as `1e308` or `1e-400`
 * written out), or undefined. The store refuses such an amount, and capture books no estimate of it.
 */
export function amountProblem(amount: string): string | undefined {
  const m = /^-?(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) return "is not a decimal text";
  const digits = (m[1] as string).replace(/^0+/, "").length + (m[2] ?? "").length;
  return digits > maxAmountDigits
    ? `has more than ${maxAmountDigits} digits; the store sums at most ${maxAmountDigits}`
    : undefined;
}

/** Exact sum of decimal strings (or numbers). Values that are not decimals are an error. */
export function addDecimals(...values: ReadonlyArray<string | number>): string {
  let total: Scaled = { units: 0n, scale: 0 };
  for (const value of values) {
    const d = parse(String(value));
    if (!d) throw notDecimal(value);
    const scale = Math.max(total.scale, d.scale);
    total = {
      units: total.units * 10n ** BigInt(scale - total.scale) + d.units * 10n ** BigInt(scale - d.scale),
      scale,
    };
  }
  return format(total);
}

const notDecimal = (value: unknown) => new InvalidArgumentError(`not a decimal: ${JSON.stringify(value)}`);

/** Exact `a - b` of two decimal strings (or numbers). */
export function subtractDecimals(a: string | number, b: string | number): string {
  return addDecimals(a, negate(String(b)));
}

/** Compare two decimal strings exactly: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const diff = subtractDecimals(a, b);
  return diff === "0" ? 0 : diff.startsWith("-") ? -1 : 1;
}

function negate(value: string): string {
  const d = parse(String(value));
  if (!d) throw notDecimal(value);
  return format({ units: -d.units, scale: d.scale });
}

/**
 * What an amount counts in, as totals are keyed: a currency (`USD`, any three-letter code) is the same
 * wherever it is billed; a gateway's own unit is not (a ZenMux credit is not an Oxen credit), so it is
 * named with its gateway: `"zenmux credits"`. Never summed, charted or compared across gateways.
 */
export function costUnit(provider: string | undefined, currency: string): string {
  return /^[A-Z]{3}$/.test(currency) || provider === undefined ? currency : `${provider} ${currency}`;
}

/**
 * Exact totals per unit (`costUnit`), skipping generations without a cost:
 * `sumCosts([a, b])` → `{ USD: "0.3", "zenmux credits": "7.5" }`. Upstream (BYOK) amounts are not included.
 */
export function sumCosts(
  generations: Iterable<{ provider?: string; cost: { amount: string; currency: string } | null }>,
): Record<string, string> {
  const totals: Record<string, string> = {};
  for (const g of generations) {
    if (!g.cost) continue;
    const unit = costUnit(g.provider, g.cost.currency);
    totals[unit] = addDecimals(totals[unit] ?? "0", g.cost.amount);
  }
  return totals;
}
