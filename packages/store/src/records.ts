// A Generation as a row, and back. Money: the exact decimal text is the record; beside it, for SQLite's sums,
// the same amount as integer "limbs" (units of 10^-scale in base 10^9, each with the amount's sign), which SQL
// can add exactly where SQLite's sum() of text would round through a double.
import {
  amountProblem,
  type GenerationFields,
  type GenerationRecord,
  impliedBasis,
  tagsProblem,
} from "@genledger/normalize";
import type { SqlValue } from "./driver.js";
import { StoreError } from "./errors.js";

/** What the store keeps: a `Generation` of any gateway (`raw` its body, or null), normalize's one type for it. */
export type StoredGeneration = GenerationRecord;

export type { Tags } from "@genledger/normalize";

/** A later record replaces an earlier one of a lower rank, never of a higher: final is never undone. */
export const billingRank = { estimated: 0, pending: 1, unavailable: 2, final: 3 } as const;
export const finalRank = billingRank.final;

const limbBase = 1_000_000_000n;
export const limbCount = 5;

/** `"-12.3400"` → sign, units and scale; null for what is not a plain decimal. */
export function decimalParts(amount: string): { units: bigint; scale: number } | null {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) return null;
  const fraction = m[3] ?? "";
  const units = BigInt(`${m[2]}${fraction}`);
  return { units: m[1] ? -units : units, scale: fraction.length };
}

/** The amount's limbs, low first; the last holds everything above 10^36 units. */
export function limbs(units: bigint): bigint[] {
  const sign = units < 0n ? -1n : 1n;
  let rest = units < 0n ? -units : units;
  const out: bigint[] = [];
  for (let i = 0; i < limbCount - 1; i++) {
    out.push(sign * (rest % limbBase));
    rest /= limbBase;
  }
  out.push(sign * rest);
  return out;
}

/** Σ limb_i × 10^(9 i), over 10^scale, as an exact decimal text. */
export function fromLimbs(sums: readonly (string | number | bigint | null)[], scale: number): string {
  let units = 0n;
  for (let i = sums.length - 1; i >= 0; i--) units = units * limbBase + BigInt(sums[i] ?? 0);
  return formatUnits(units, scale);
}

export function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale ? digits.slice(digits.length - scale).replace(/0+$/, "") : "";
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && text !== "0" ? `-${text}` : text;
}

/** The instant a record is filed under (its day): when the gateway says it was made, else when it was stored. */
export function instantOf(g: StoredGeneration, storedAt: number): number {
  for (const t of [g.createdAt, g.startedAt, g.completedAt]) {
    const ms = typeof t === "string" ? Date.parse(t) : Number.NaN;
    if (Number.isFinite(ms)) return ms;
  }
  return storedAt;
}

export const generationColumns = [
  "provider",
  "id",
  "billing",
  "rank",
  "status",
  "model",
  "upstream_provider",
  "upstream_id",
  "at_ms",
  "day",
  "currency",
  "cost_amount",
  "cost_scale",
  "cost_l0",
  "cost_l1",
  "cost_l2",
  "cost_l3",
  "cost_l4",
  "upstream_amount",
  "input_tokens",
  "output_tokens",
  "reasoning_tokens",
  "cached_input_tokens",
  "total_tokens",
  "record",
  "raw",
  "stored_at",
  "updated_at",
  "cost_basis",
] as const;

const bases = ["billed", "computed", "custom"];

/** Characters at most in an id, a model, a status, a currency, a ref: a name, never a body. */
export const maxTextLength = 4096;

/** A text column's value: a string of at most `maxTextLength`, no NUL (PostgreSQL's text cannot hold it). */
export function checkText(value: unknown, name: string, where: string): void {
  if (typeof value !== "string") {
    throw new StoreError("invalid-record", `${where}: ${name} must be a string or null, got ${typeof value}`);
  }
  if (value.length > maxTextLength) {
    throw new StoreError("invalid-record", `${where}: ${name} is ${value.length} characters long; at most 4096`);
  }
  if (value.includes("\u0000")) throw new StoreError("invalid-record", `${where}: ${name} contains a NUL character`);
}

/** Tokens in one record at most: a thousand times any context window; sums of them stay exact. */
export const maxTokens = 1e12;

const tokenOrNull = (n: unknown, where: string): number | null => {
  if (n === null || n === undefined) return null;
  if (typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= maxTokens) return n;
  throw new StoreError(
    "invalid-record",
    `${where}: expected a whole number of tokens from 0 to 10^12 or null, got ${String(n)}`,
  );
};

/**
 * Decimal text the store can sum exactly (normalize's `amountProblem`: at most 45 digits): every limb below
 * 10^9, the top one too, so SQLite sums billions of them in 64 bits; and a scale PostgreSQL's NUMERIC holds.
 */
function checkedAmount(amount: unknown, name: string, where: string): { units: bigint; scale: number } {
  const parts = typeof amount === "string" ? decimalParts(amount) : null;
  const problem = parts ? amountProblem(amount as string) : "is not a decimal text";
  if (problem) {
    const shown = problem === "is not a decimal text" ? ` ${JSON.stringify(String(amount).slice(0, 100))}` : "";
    throw new StoreError("invalid-record", `${where}: ${name}${shown} ${problem}`);
  }
  return parts as { units: bigint; scale: number };
}

/** The row's values, in `generationColumns` order; throws StoreError("invalid-record") saying what and where. */
export function generationRow(g: StoredGeneration, keepRaw: boolean, now: number): SqlValue[] {
  const ref = `${String(g?.provider)}:${String(g?.id)}`;
  const where = `record ${JSON.stringify(ref.length > 200 ? `${ref.slice(0, 200)}…` : ref)}`;
  if (typeof g !== "object" || g === null) throw new StoreError("invalid-record", "expected a Generation object");
  if (typeof g.provider !== "string" || g.provider === "" || typeof g.id !== "string" || g.id === "") {
    throw new StoreError("invalid-record", `${where}: a record needs a provider and an id`);
  }
  if (!(g.billing in billingRank)) {
    throw new StoreError(
      "invalid-record",
      `${where}: billing ${JSON.stringify(g.billing)} is not final, pending, unavailable or estimated`,
    );
  }
  for (const [name, value] of [
    ["provider", g.provider],
    ["id", g.id],
    ["status", g.status],
    ["model", g.model],
    ["upstream.provider", g.upstream?.provider],
    ["upstream.id", g.upstream?.id],
    ["createdAt", g.createdAt],
    ["cost.currency", g.cost?.currency],
    ["cost.upstreamAmount", g.cost?.upstreamAmount],
  ] as const) {
    if (value === null || value === undefined) continue;
    checkText(value, name, where);
  }
  let parts: ReturnType<typeof decimalParts> = null;
  let parted: bigint[] = [];
  if (g.cost) {
    parts = checkedAmount(g.cost.amount, "cost.amount", where);
    // A record made before costs said their basis (or by hand) has its gateway's.
    const cost = g.cost.basis === undefined ? { ...g.cost, basis: impliedBasis(g.provider) } : g.cost;
    if (!bases.includes(cost.basis)) {
      throw new StoreError(
        "invalid-record",
        `${where}: cost.basis ${JSON.stringify(cost.basis)} is not billed, computed or custom`,
      );
    }
    if (cost !== g.cost) g = { ...g, cost };
    parted = limbs(parts.units);
    if (cost.upstreamAmount !== null && cost.upstreamAmount !== undefined) {
      checkedAmount(cost.upstreamAmount, "cost.upstreamAmount", where);
    }
  }
  const { raw, ...fields } = g;
  let record: string;
  try {
    record = JSON.stringify(fields);
  } catch (error) {
    throw new StoreError("invalid-record", `${where}: the record cannot be written as JSON`, { cause: error });
  }
  let rawText: string | null = null;
  if (keepRaw && raw !== undefined && raw !== null) {
    try {
      rawText = JSON.stringify(raw) ?? null;
    } catch {
      // A body that cannot be written as JSON (a cycle, a BigInt) is not kept; the record is.
      rawText = null;
    }
  }
  const at = instantOf(g, now);
  const u = g.usage ?? ({} as Partial<StoredGeneration["usage"]>);
  return [
    g.provider,
    g.id,
    g.billing,
    billingRank[g.billing],
    String(g.status),
    g.model ?? null,
    g.upstream?.provider ?? null,
    g.upstream?.id ?? null,
    at,
    new Date(at).toISOString().slice(0, 10),
    g.cost?.currency ?? null,
    g.cost?.amount ?? null,
    parts ? parts.scale : null,
    ...(parts ? parted.map((l) => l.toString()) : [null, null, null, null, null]),
    g.cost?.upstreamAmount ?? null,
    tokenOrNull(u.inputTokens, `${where} usage.inputTokens`),
    tokenOrNull(u.outputTokens, `${where} usage.outputTokens`),
    tokenOrNull(u.reasoningTokens, `${where} usage.reasoningTokens`),
    tokenOrNull(u.cachedInputTokens, `${where} usage.cachedInputTokens`),
    tokenOrNull(u.totalTokens, `${where} usage.totalTokens`),
    record,
    rawText,
    now,
    now,
    g.cost?.basis ?? null,
  ];
}

/** A stored row back as the Generation it was. */
export function generationFromRow(row: Record<string, unknown>): StoredGeneration {
  const fields = JSON.parse(String(row.record)) as GenerationFields & { provider: string };
  // Written before costs said their basis: every gateway then billed what it reported.
  if (fields.cost && fields.cost.basis === undefined) fields.cost.basis = "billed";
  const raw = typeof row.raw === "string" ? (JSON.parse(row.raw) as unknown) : null;
  return { ...fields, raw };
}

/** Tags by the one rule capture's tagHeaders() applies too (normalize's `tagsProblem`), as name-value pairs. */
export function checkTags(tags: unknown, where: string): [string, string][] {
  if (tags === undefined || tags === null) return [];
  const problem = tagsProblem(tags);
  if (problem) throw new StoreError("invalid-record", `${where}: tags ${problem}`);
  return Object.entries(tags as Record<string, string>);
}
