// The store section's records: OpenRouter Generations shaped as `genledger batch --format jsonl` writes them
// (the same fields, in the same order), deterministic per index, spread over 20 models and 90 days, with
// amounts of 7 to 10 decimals. `amountOf` is the amount as integer units, so the harness sums them exactly
// with BigInt, independently of the store and of normalize.
import type { StoredGeneration } from "@genledger/store";
import { openRouterGeneration } from "@genledger/testing";

export const models = Array.from({ length: 20 }, (_, i) => `vendor-${i % 5}/model-${i}`);
export const days = 90;
const lastDay = Date.parse("2026-11-30T00:00:00.000Z");
const dayMs = 86_400_000;
/** The widest scale of `amountOf`: every amount is a whole number of 10^-maxScale. */
export const maxScale = 10;

export const idOf = (prefix: string, i: number) => `gen-${prefix}-${i}`;

/** Amount i as units of 10^-scale: 1 to 5 000 000 units, at scales 7, 8, 9 and 10. */
export function amountOf(i: number): { units: bigint; scale: number } {
  return { units: BigInt(((i * 7919 + 12_345) % 5_000_000) + 1), scale: 7 + (i % 4) };
}

function decimal({ units, scale }: { units: bigint; scale: number }): string {
  const digits = units.toString().padStart(scale + 1, "0");
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** `units` at `maxScale` as an exact decimal text, trailing zeros dropped. */
export function unitsText(units: bigint): string {
  const digits = units.toString().padStart(maxScale + 1, "0");
  const fraction = digits.slice(-maxScale).replace(/0+$/, "");
  return fraction ? `${digits.slice(0, -maxScale)}.${fraction}` : digits.slice(0, -maxScale);
}

/** The exact sum of amounts 0 … n-1, in units of 10^-maxScale. */
export function expectedUnits(n: number): bigint {
  let sum = 0n;
  for (let i = 0; i < n; i++) {
    const { units, scale } = amountOf(i);
    sum += units * 10n ** BigInt(maxScale - scale);
  }
  return sum;
}

/** Record i; with `raw`, the gateway's body as the mock gateway answers it (~1 KB). */
export function storeRecord(prefix: string, i: number, raw = false): StoredGeneration {
  const id = idOf(prefix, i);
  const input = 20 + ((i * 31) % 4000);
  const output = 10 + ((i * 17) % 1500);
  const cached = Math.floor(input / 5);
  const createdAt = new Date(lastDay - (i % days) * dayMs + ((i * 7_777_777) % dayMs)).toISOString();
  const model = models[Math.floor(i / days) % models.length]!;
  return {
    provider: "openrouter",
    id,
    model,
    upstream: { provider: "OpenAI", id: `chatcmpl-${id}` },
    status: "succeeded",
    createdAt,
    startedAt: null,
    completedAt: null,
    timing: { timeToFirstTokenMs: 300 + (i % 700), generationMs: 800 + (i % 6000) },
    usage: {
      inputTokens: input,
      outputTokens: output,
      reasoningTokens: i % 3 ? null : Math.floor(output / 4),
      cachedInputTokens: cached,
      totalTokens: input + output,
    },
    cost: {
      amount: decimal(amountOf(i)),
      currency: "USD",
      upstreamAmount: null,
      discountAmount: null,
      breakdown: null,
    },
    billing: "final",
    finishReason: "stop",
    nativeFinishReason: "stop",
    streamed: i % 2 === 0,
    byok: false,
    error: null,
    raw: raw ? openRouterGeneration(id) : null,
  } as StoredGeneration;
}

/** Line i of a `genledger batch --format jsonl` output file (no `raw`: batch leaves it out unless --raw). */
export function batchLine(prefix: string, i: number): string {
  const { raw: _raw, ...generation } = storeRecord(prefix, i);
  return `${JSON.stringify({ ref: `openrouter:${idOf(prefix, i)}`, generation })}\n`;
}
