// Small total conversions shared by the mappers: anything unknown, malformed or out of range becomes
// null, never 0, "", a wrong number or a thrown RangeError.
import { asObject, exactNumberText, ResponseParseError } from "@genledger/core/internal";
import type { Cost, Generation, GenerationFields, ProviderName, RawByProvider, Usage } from "./generation.js";
import { toDecimal } from "./money.js";

export const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
export const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
export const obj = asObject;

/** A token count: a whole, non-negative number a double holds exactly. */
export const count = (v: unknown): number | null =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) + 0 : null;

/** A duration in milliseconds: finite and non-negative (fractions kept). */
export const ms = (v: unknown): number | null =>
  typeof v === "number" && v >= 0 && v <= Number.MAX_SAFE_INTEGER ? v + 0 : null;

export const sum = (a: number | null, b: number | null): number | null =>
  a === null || b === null ? null : count(a + b);

// 1970-01-01 up to 9999-12-31: what a generation can carry, and what toISOString prints as YYYY-.
const latestMs = 253402300799999;
const iso = (t: number): string | null => (t >= 0 && t <= latestMs ? new Date(t).toISOString() : null);
const isoPattern =
  /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)? ?(?:(Z)|([+-])([01]\d|2[0-3])(?::?([0-5]\d))?)?$/i;

/**
 * ISO-8601 UTC from an ISO-8601 date or date-time with any offset (`Z`, `±hh:mm`, `±hhmm` or `±hh`; none
 * means UTC), or null when it
 * does not parse strictly (no "2024-02-30", no "March 7") or falls outside 1970..9999.
 */
export function isoFromString(v: unknown): string | null {
  const m = typeof v === "string" ? isoPattern.exec(v.trim()) : null;
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", fraction = "", , sign, oh, om] = m;
  const local = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  // Milliseconds cut, not rounded, so a second never rolls over.
  const t = Date.parse(`${local}.${fraction.padEnd(3, "0").slice(0, 3)}Z`);
  // Date.parse rolls 2024-02-30 over to March 1; refuse what does not read back the same.
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 19) !== local) return null;
  return iso(sign ? t - (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0)) * 60_000 : t);
}

/** ISO-8601 UTC from unix seconds (fractions kept to the millisecond), or null out of range. */
export const isoFromUnixSeconds = (v: unknown): string | null =>
  typeof v === "number" ? iso(Math.round(v * 1000)) : null;

export function fail(provider: string, body: unknown, message: string): never {
  throw new ResponseParseError(provider, `${provider}: ${message}`, {
    bodySnippet: JSON.stringify(body)?.slice(0, 200),
  });
}

/**
 * The body as an object, refusing what is not a generation: not an object, an empty object, or an
 * error envelope sent with a success status (`{ error }`, or Oxen's `{ status: "error" }`).
 */
export function generationObject(provider: string, body: unknown): Record<string, unknown> {
  const b = obj(body);
  if (!b || Object.keys(b).length === 0) fail(provider, body, "the answer is empty, not a generation");
  const error = b.error ?? (b.status === "error" ? (b.status_message ?? "") : null);
  if (error != null && error !== false) {
    const text = str(obj(error)?.message) ?? str(error) ?? JSON.stringify(error);
    fail(provider, body, `the answer is an error, not a generation: ${text?.slice(0, 200)}`);
  }
  return b;
}

/** The record cannot be built without this field. */
export function required(provider: string, body: unknown, field: string, value: unknown): string {
  return str(value) ?? fail(provider, body, `the generation has no \`${field}\`; cannot build a Generation`);
}

/** The record with every field unknown, overlaid with what the gateway reported; keys in one order. */
export const generation = <P extends ProviderName>(
  provider: P,
  id: string,
  fields: Partial<GenerationFields>,
  raw: RawByProvider[P],
): Generation<P> =>
  ({
    provider,
    id,
    model: null,
    upstream: { provider: null, id: null },
    status: "succeeded",
    createdAt: null,
    startedAt: null,
    completedAt: null,
    timing: timing(null, null),
    usage: usage({ inputTokens: null, outputTokens: null }),
    cost: null,
    billing: "final",
    finishReason: null,
    nativeFinishReason: null,
    streamed: null,
    byok: null,
    error: null,
    ...fields,
    raw,
  }) as Generation<P>;

/** Durations as reported, in milliseconds; negative or not a number is null. */
export const timing = (timeToFirstTokenMs: unknown, generationMs: unknown) => ({
  timeToFirstTokenMs: ms(timeToFirstTokenMs),
  generationMs: ms(generationMs),
});

/** Counts already checked with `count`; the total defaults to input + output. */
export const usage = ({
  inputTokens,
  outputTokens,
  reasoningTokens = null,
  cachedInputTokens = null,
  totalTokens = sum(inputTokens, outputTokens),
}: Pick<Usage, "inputTokens" | "outputTokens"> & {
  [K in Exclude<keyof Usage, "inputTokens" | "outputTokens">]?: Usage[K] | undefined;
}): Usage => ({ inputTokens, outputTokens, reasoningTokens, cachedInputTokens, totalTokens });

/** No amount, no cost. */
export const cost = ({
  amount,
  currency,
  basis,
  discountAmount = null,
  upstreamAmount = null,
  breakdown = null,
}: { amount: string | null; currency: Cost["currency"]; basis: Cost["basis"] } & {
  [K in "discountAmount" | "upstreamAmount" | "breakdown"]?: Cost[K] | undefined;
}): Cost | null => (amount === null ? null : { amount, currency, basis, upstreamAmount, discountAmount, breakdown });

/**
 * The exact decimal string of the money field `holder[key]`: every digit the gateway sent, also
 * those a double cannot hold (the adapters read bodies with `parseJsonExact`, which keeps them beside the number).
 */
export function decimalAt<T extends object>(holder: T | null | undefined, key: keyof T & string): string | null {
  return holder ? toDecimal(exactNumberText(holder, key) ?? holder[key]) : null;
}

// Typed reading of a gateway body. The generated types keep undocumented keys behind an index
// signature (`[key: string]: unknown`), under which any field name compiles; `Known<T>` drops it,
// so a mapper reading a field the spec no longer declares (renamed upstream) fails to type-check.

/** The fields a generated type declares, without its index signature. */
export type Known<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};

/**
 * `value` read through the declared fields of `T`. Nothing is checked here: every field may be
 * missing or of the wrong type at run time, and is converted where it is read.
 */
export function known<T>(value: unknown): Partial<Known<NonNullable<T>>> {
  return (obj(value) ?? {}) as Partial<Known<NonNullable<T>>>;
}
