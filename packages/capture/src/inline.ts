// What a completion says of itself, read from the response as it passes: the generation id, the model,
// the tokens, and (OpenRouter's `usage.cost`, Vercel's `providerMetadata.gateway.cost`) the cost.
// Shapes are read structurally: no SDK is imported.
import { asObject, exactNumberText } from "@genledger/core/internal";
import { amountProblem, toDecimal, type Usage } from "@genledger/normalize";

/** What one call's response said, gathered part by part. */
export interface Inline {
  id: string | null;
  model: string | null;
  usage: Usage | null;
  /** Exact decimal, USD. */
  cost: string | null;
  /** BYOK: the upstream provider's own charge (OpenRouter's `cost_details.upstream_inference_cost`). */
  upstreamCost: string | null;
  byok: boolean | null;
  /** Where the cost and the tokens were read, e.g. `usage.cost` or `providerMetadata.gateway.cost`. */
  sources: { cost: string | null; usage: string | null };
  /** An error the gateway reported inside the response (a stream's error event). */
  error: string | null;
  /** A cost sent inline that no gateway bills (1e308, 1e-400): where it was and what, never booked. */
  unbillable: string | null;
}

export const emptyInline = (): Inline => ({
  id: null,
  model: null,
  usage: null,
  cost: null,
  upstreamCost: null,
  byok: null,
  sources: { cost: null, usage: null },
  error: null,
  unbillable: null,
});

export const obj = asObject;
const text = (v: unknown): string | null => (typeof v === "string" && v !== "" && v.length <= 512 ? v : null);
const count = (v: unknown): number | null => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : null);

/** The exact decimal of `holder[key]`: the digits sent when a double cannot hold them. */
function money(holder: Record<string, unknown> | undefined, key: string, into?: Inline): string | null {
  if (!holder) return null;
  const sent = exactNumberText(holder, key) ?? holder[key];
  const amount = toDecimal(sent);
  // A number outside what any gateway bills (1e308, 1e-400: more than 45 digits written out) is no estimate.
  const numeric = typeof sent === "number" || (typeof sent === "string" && /^-?\d/.test(sent));
  if (numeric && (amount === null || amountProblem(amount))) {
    if (into) into.unbillable = `${key} ${String(sent).slice(0, 40)}`;
    return null;
  }
  return amount;
}

function tokens(input: unknown, output: unknown, cached: unknown, reasoning: unknown, total: unknown): Usage {
  const inputTokens = count(input);
  const outputTokens = count(output);
  return {
    inputTokens,
    outputTokens,
    cachedInputTokens: count(cached),
    reasoningTokens: count(reasoning),
    totalTokens: count(total) ?? (inputTokens !== null && outputTokens !== null ? inputTokens + outputTokens : null),
  };
}

/** A gateway's inline cost header (LiteLLM's `x-litellm-response-cost`, USD), read as sent; a cost in the body wins. */
export function readHeaderCost(into: Inline, value: string, header: string): void {
  const text = value.trim();
  if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return;
  const amount = money({ cost: text }, "cost", into);
  if (amount === null || into.cost !== null) return;
  into.cost = amount;
  into.sources.cost = header;
}

/** An OpenAI-style `usage`: chat completions (`prompt_tokens`) or the Responses API (`input_tokens`). */
function readOpenAIUsage(into: Inline, usage: Record<string, unknown>, at: string): void {
  const chat = "prompt_tokens" in usage || "completion_tokens" in usage;
  into.usage = chat
    ? tokens(
        usage.prompt_tokens,
        usage.completion_tokens,
        obj(usage.prompt_tokens_details)?.cached_tokens,
        obj(usage.completion_tokens_details)?.reasoning_tokens,
        usage.total_tokens,
      )
    : tokens(
        usage.input_tokens,
        usage.output_tokens,
        obj(usage.input_tokens_details)?.cached_tokens,
        obj(usage.output_tokens_details)?.reasoning_tokens,
        usage.total_tokens,
      );
  into.sources.usage = at;
  const cost = money(usage, "cost", into);
  if (cost !== null) {
    into.cost = cost;
    into.sources.cost = `${at}.cost`;
    into.byok = typeof usage.is_byok === "boolean" ? usage.is_byok : null;
    into.upstreamCost = into.byok ? money(obj(usage.cost_details), "upstream_inference_cost") : null;
  }
}

/**
 * One JSON value of an OpenAI-compatible response: a chat completion or chunk, a Responses API
 * response or event. Ids and models are taken from the first value that has them.
 */
export function readOpenAI(into: Inline, value: unknown): void {
  const v = obj(value);
  if (!v) return;
  // A Responses API event wraps the response; a chat chunk is its own.
  const response = obj(v.response) ?? v;
  into.id ??= text(response.id);
  into.model ??= text(response.model);
  const usage = obj(response.usage);
  if (usage) readOpenAIUsage(into, usage, response === v ? "usage" : "response.usage");
  const error = obj(v.error) ?? (v.type === "error" ? v : undefined);
  if (error) into.error = text(error.message) ?? "an error event";
}

/** The AI SDK's usage (LanguageModelV3: `inputTokens: { total, cacheRead }`; v2: numbers). */
export function readAiSdkUsage(into: Inline, usage: unknown): void {
  const u = obj(usage);
  if (!u) return;
  const input = obj(u.inputTokens);
  const output = obj(u.outputTokens);
  into.usage =
    input || output
      ? tokens(input?.total, output?.total, input?.cacheRead, output?.reasoning, undefined)
      : tokens(u.inputTokens, u.outputTokens, u.cachedInputTokens, u.reasoningTokens, u.totalTokens);
  into.sources.usage = "usage (AI SDK)";
}

/**
 * The AI SDK's provider metadata: Vercel AI Gateway's `gateway.{generationId, cost}` (a decimal string),
 * OpenRouter's `openrouter.usage.{cost, costDetails}` (a number).
 */
export function readProviderMetadata(into: Inline, metadata: unknown): void {
  const m = obj(metadata);
  const gateway = obj(m?.gateway);
  if (gateway) {
    into.id ??= text(gateway.generationId);
    const cost = money(gateway, "cost", into);
    if (cost !== null) {
      into.cost = cost;
      into.sources.cost = "providerMetadata.gateway.cost";
    }
  }
  const usage = obj(obj(m?.openrouter)?.usage);
  const cost = money(usage, "cost", into);
  if (cost !== null) {
    into.cost = cost;
    into.sources.cost = "providerMetadata.openrouter.usage.cost";
    into.upstreamCost = money(obj(usage?.costDetails), "upstreamInferenceCost");
  }
}

/** One AI SDK stream part as it passes a middleware, or one `data:` of the gateway's AI SDK endpoint. */
export function readAiSdkPart(into: Inline, part: unknown, idFromResponse: boolean): void {
  const p = obj(part);
  if (!p) return;
  if (p.type === "response-metadata") {
    if (idFromResponse) into.id ??= text(p.id);
    into.model ??= text(p.modelId);
  } else if (p.type === "finish") {
    readAiSdkUsage(into, p.usage);
    readProviderMetadata(into, p.providerMetadata);
  } else if (p.type === "error") {
    const error = obj(p.error);
    into.error = text(error?.message) ?? text(p.error) ?? "an error part";
  }
}
