// The records capture delivers: the estimate built from the completion's own response, and the gateway's
// billed record with what it differs by.
import { type Cost, impliedBasis, subtractDecimals } from "@genledger/normalize";
import type { Inline } from "./inline.js";
import type { CapturedCall, CapturedGeneration, CaptureRecord, Held } from "./types.js";

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** The estimate: what the response said of itself (`billing: "estimated"`, `raw` null). */
export function estimateRecord(call: CapturedCall, inline: Inline): CaptureRecord {
  const cost: Cost | null =
    inline.cost === null
      ? null
      : {
          amount: inline.cost,
          currency: "USD",
          basis: impliedBasis(call.provider),
          upstreamAmount: inline.upstreamCost,
          discountAmount: null,
          breakdown: null,
        };
  const generation: CapturedGeneration = {
    provider: call.provider,
    id: inline.id as string,
    model: inline.model ?? call.requestModel,
    upstream: { provider: null, id: null },
    status: inline.error ? "failed" : "succeeded",
    createdAt: null,
    startedAt: iso(call.startedAt),
    completedAt: iso(call.endedAt),
    timing: {
      timeToFirstTokenMs: call.firstByteAt === null ? null : call.firstByteAt - call.startedAt,
      generationMs: call.endedAt === null ? null : call.endedAt - call.startedAt,
    },
    usage: inline.usage ?? {
      inputTokens: null,
      outputTokens: null,
      reasoningTokens: null,
      cachedInputTokens: null,
      totalTokens: null,
    },
    cost,
    billing: "estimated",
    finishReason: null,
    nativeFinishReason: null,
    streamed: call.streamed,
    byok: inline.byok,
    error: inline.error,
    raw: null,
  };
  return { generation, call, tags: call.tags, sources: { ...inline.sources }, estimate: null };
}

/** The gateway's record of a held call, with the estimate it replaces and their exact difference. */
export function billedRecord(held: Held, generation: CapturedGeneration): CaptureRecord {
  const { call, inline } = held;
  const amount = inline.cost;
  const final = generation.cost?.amount;
  return {
    generation,
    call,
    tags: call.tags,
    sources: { cost: "lookup", usage: "lookup" },
    estimate:
      amount === null ? null : { amount, difference: final === undefined ? null : subtractDecimals(final, amount) },
  };
}
