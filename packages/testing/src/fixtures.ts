// Realistic response bodies, shaped like the gateways' own examples, deterministic per id; for an id
// that a completion on the mock made, the tokens and cost that completion reported.

import type { FastRouterGeneration } from "@genledger/fastrouter";
import type { OpenRouterGenerationResponse } from "@genledger/openrouter";
import type { OxenGeneration, OxenGenerationStatus } from "@genledger/oxen";
import type { ZenMuxGeneration } from "@genledger/zenmux";
import type { Completion } from "./mock-kit.js";
import { seeded } from "./seeded.js";

export { seeded };

const between = (id: string, salt: number, min: number, max: number) =>
  Math.floor(min + seeded(id, salt) * (max - min));
const base = Date.parse("2026-11-20T10:00:00.000Z");

const openRouterModels = [
  "openai/gpt-4o-mini",
  "anthropic/claude-sonnet-4",
  "google/gemini-2.5-flash",
  "meta-llama/llama-3.3-70b",
];

/** Which upstream provider OpenRouter names for a model, as `provider_name`. */
export const openRouterProvider = (model: string): string =>
  model.startsWith("anthropic/")
    ? "Anthropic"
    : model.startsWith("google/")
      ? "Google"
      : model.startsWith("openai/")
        ? "OpenAI"
        : "Together";

export function openRouterGeneration(
  id: string,
  overrides: Record<string, unknown> = {},
): OpenRouterGenerationResponse {
  const prompt = between(id, 1, 20, 4000);
  const completion = between(id, 2, 10, 1500);
  const reasoning = Math.floor(completion * seeded(id, 3) * 0.3);
  const cached = Math.floor(prompt * seeded(id, 4) * 0.5);
  const model = openRouterModels[between(id, 5, 0, openRouterModels.length)] as string;
  const cost = Number((prompt * 0.0000005 + completion * 0.0000015).toFixed(7));
  return {
    data: {
      id,
      upstream_id: `chatcmpl-${id.slice(-12)}`,
      total_cost: cost,
      cache_discount: null,
      upstream_inference_cost: null,
      created_at: new Date(base + between(id, 6, 0, 86_400_000)).toISOString().replace("Z", "+00:00"),
      model,
      app_id: null,
      streamed: seeded(id, 7) > 0.5,
      cancelled: false,
      provider_name: openRouterProvider(model),
      latency: between(id, 8, 150, 2000),
      moderation_latency: null,
      generation_time: between(id, 9, 300, 9000),
      finish_reason: "stop",
      native_finish_reason: "stop",
      tokens_prompt: prompt,
      tokens_completion: completion,
      native_tokens_prompt: prompt,
      native_tokens_completion: completion,
      native_tokens_reasoning: reasoning,
      native_tokens_cached: cached,
      num_media_prompt: null,
      num_media_completion: null,
      num_search_results: null,
      origin: "https://genledger.example/",
      usage: cost,
      is_byok: false,
      api_type: "completions",
      router: null,
      ...overrides,
    },
  };
}

export function zenMuxGeneration(
  id: string,
  options: { billed?: boolean; made?: Completion | undefined } = {},
): ZenMuxGeneration {
  const { made } = options;
  const prompt = made?.inputTokens ?? between(id, 1, 20, 3000);
  const completion = made?.outputTokens ?? between(id, 2, 10, 1200);
  const promptCost = made ? Number((made.cost / 2).toFixed(10)) : Number((prompt * 0.00005).toFixed(6));
  const completionCost = made
    ? Number((made.cost - promptCost).toFixed(10))
    : Number((completion * 0.00003).toFixed(6));
  const total = made?.cost ?? Number((promptCost + completionCost).toFixed(6));
  const body: ZenMuxGeneration = {
    api: "chat.completions",
    generationId: id,
    model: made?.model ?? "openai/gpt-4o",
    createAt: new Date(made ? made.created * 1000 : base + between(id, 6, 0, 86_400_000)).toISOString(),
    generationTime: between(id, 9, 300, 8000),
    latency: between(id, 8, 100, 1500),
    nativeTokens: {
      completion_tokens: completion,
      prompt_tokens: prompt,
      total_tokens: prompt + completion,
      completion_tokens_details: { reasoning_tokens: made?.reasoningTokens ?? 0 },
      prompt_tokens_details: { cached_tokens: made?.cachedInputTokens ?? 0 },
    },
    streamed: true,
    finishReason: "stop",
    requestRetryTimes: 0,
    finalRetry: false,
  };
  if (options.billed === false) return body;
  return {
    ...body,
    usage: total,
    ratingResponses: {
      billAmount: total,
      discountAmount: 0,
      originAmount: total,
      priceVersion: "v1",
      ratingDetails: [
        { billAmount: promptCost, discountAmount: 0, feeItemCode: "prompt", originAmount: promptCost, rate: 0.00005 },
        {
          billAmount: completionCost,
          discountAmount: 0,
          feeItemCode: "completion",
          originAmount: completionCost,
          rate: 0.00003,
        },
      ],
    },
  };
}

export function fastRouterGeneration(id: string, made?: Completion): FastRouterGeneration {
  const prompt = made?.inputTokens ?? between(id, 1, 20, 3000);
  const completion = made?.outputTokens ?? between(id, 2, 10, 1000);
  const started = made?.created ?? Math.floor((base + between(id, 6, 0, 86_400_000)) / 1000);
  const duration = between(id, 9, 300, 6000);
  const cost = made?.cost ?? Number((prompt * 0.00000015 + completion * 0.0000006).toFixed(8));
  const model = made?.model ?? "openai/gpt-4o-mini";
  return {
    id,
    model,
    provider_name: "openai",
    api_key: "key_hash_5d41402abc4b2a76",
    credits_used: cost,
    query_time: new Date(started * 1000).toISOString(),
    input_token_size: prompt,
    output_token_size: completion,
    is_byok: false,
    endpoint: "/api/v1/chat/completions",
    created_at: started,
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, cost },
    timing: { started_at: started, completed_at: started + Math.ceil(duration / 1000), duration_ms: duration },
    response: { id: `chatcmpl-${id.slice(-10)}`, choices: [{ finish_reason: "stop" }] },
    request: { model, stream: false },
  };
}

const oxenModels = [
  { model_name: "flux-1-schnell", media_type: "image" as const, price: 3 },
  { model_name: "veo-3", media_type: "video" as const, price: 400 },
];

export function oxenGeneration(id: string, status: OxenGenerationStatus = "succeeded", index = 0): OxenGeneration {
  const kind = oxenModels[between(id, 5, 0, oxenModels.length)] as (typeof oxenModels)[number];
  const enqueued = Math.floor(base / 1000) + index * 60 + between(id, 6, 0, 50);
  const started = status === "queued" ? null : enqueued + 2;
  const done = status === "succeeded" || status === "failed" || status === "cancelled";
  return {
    generation_id: id,
    model_name: kind.model_name,
    media_type: kind.media_type,
    status,
    enqueued_at: enqueued,
    started_at: started,
    completed_at: done && started !== null ? started + between(id, 9, 3, 40) : null,
    cost: status === "succeeded" ? `0.${String(kind.price).padStart(4, "0")}000000` : status === "failed" ? "0" : null,
    error_message: status === "failed" ? "content policy violation" : null,
    result_url: status === "succeeded" ? `https://hub.oxen.ai/api/repos/ox/media/file/main/out/${id}` : null,
    target_namespace: "ox",
    target_repo: "media",
    target_directory: "out",
    user_id: null,
    user_image: null,
    username: "ox",
    prompt: "a lighthouse at dusk",
  };
}

/** The Oxen mock's job list: mostly succeeded, every fifth failed, the last two still running. */
export function oxenJobs(count: number): OxenGeneration[] {
  return Array.from({ length: count }, (_, i) => {
    const status: OxenGenerationStatus =
      i === count - 1 ? "queued" : i === count - 2 ? "processing" : i % 5 === 4 ? "failed" : "succeeded";
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    return oxenGeneration(id, status, i);
  });
}
