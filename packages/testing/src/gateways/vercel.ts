import { type VercelGenerationResponse, vercelGateway } from "@genledger/vercel";
import {
  type Completion,
  chatCompletionsRoute,
  completionFor,
  nextToolCall,
  promptTokens,
  replyText,
  valueFor,
} from "../completions.js";
import { seeded } from "../fixtures.js";
import { base32, defineGateway, json, parseJson, sse } from "../mock-kit.js";

const models = ["anthropic/claude-sonnet-4", "openai/gpt-5-mini", "google/gemini-2.5-flash", "xai/grok-4"];
const base = Date.parse("2026-11-20T10:00:00.000Z");
const between = (id: string, salt: number, min: number, max: number) =>
  Math.floor(min + seeded(id, salt) * (max - min));

/** The lookup's fields for a completion made on the mock: its model, tokens and (all market) cost. */
const fromCompletion = (made: Completion): Partial<VercelGenerationResponse["data"]> => ({
  model: made.model,
  native_tokens_prompt: made.inputTokens,
  native_tokens_completion: made.outputTokens,
  native_tokens_reasoning: made.reasoningTokens,
  native_tokens_cached: made.cachedInputTokens,
  total_cost: made.cost,
  market_cost: made.cost,
  surcharge_cost: 0,
  gateway_cost: made.cost,
  usage: made.cost,
  created_at: new Date(made.created * 1000).toISOString(),
});

/** A Vercel AI Gateway generation, deterministic per id; `overrides` replace fields of `data`. */
export function vercelGeneration(
  id: string,
  overrides: Partial<VercelGenerationResponse["data"]> = {},
): VercelGenerationResponse {
  const prompt = overrides.native_tokens_prompt ?? between(id, 1, 20, 4000);
  const completion = overrides.native_tokens_completion ?? between(id, 2, 10, 1500);
  const model = overrides.model ?? (models[between(id, 5, 0, models.length)] as string);
  const market = Number((prompt * 0.000003 + completion * 0.000015).toFixed(8));
  const surcharge = Number((market * 0.05).toFixed(8));
  const total = Number((market + surcharge).toFixed(8));
  return {
    data: {
      id,
      total_cost: total,
      market_cost: market,
      surcharge_cost: surcharge,
      gateway_cost: total,
      upstream_inference_cost: 0,
      usage: total,
      created_at: new Date(base + between(id, 6, 0, 86_400_000)).toISOString(),
      model,
      is_byok: false,
      provider_name: model.split("/")[0] as string,
      streamed: seeded(id, 7) > 0.5,
      finish_reason: "stop",
      latency: between(id, 8, 150, 2000),
      generation_time: between(id, 9, 300, 9000),
      native_tokens_prompt: prompt,
      native_tokens_completion: completion,
      native_tokens_reasoning: Math.floor(completion * seeded(id, 3) * 0.3),
      native_tokens_cached: Math.floor(prompt * seeded(id, 4) * 0.5),
      native_tokens_cache_creation: 0,
      billable_web_search_calls: 0,
      ...overrides,
    },
  };
}

/** Vercel's generation ids: gen_<ULID>. */
const newId = (n: number, salt: string) => `gen_01KAQ${base32(`vercel-${salt}-${n}`, 21)}`;
const vercelErrorType = (status: number) =>
  status === 401
    ? "authentication_error"
    : status === 403
      ? "forbidden"
      : status === 404
        ? "not_found"
        : status === 429
          ? "rate_limit_exceeded"
          : status >= 500
            ? "internal_server_error"
            : "invalid_request_error";

/**
 * Vercel AI Gateway: `GET /v1/generation?id=` (404 while not ready), OpenAI-compatible
 * `POST /v1/chat/completions`, and the AI SDK's `POST /v3/ai/language-model` (what
 * `@ai-sdk/gateway` calls), whose `providerMetadata.gateway.generationId` the lookup knows.
 */
export const vercelMock = defineGateway({
  gateway: vercelGateway,
  routesFromOrigin: true,
  prefix: "/vercel",
  fixture: (id) => vercelGeneration(id),
  errorBody: (status, message) => ({ error: { message, type: vercelErrorType(status) }, generationId: null }),
  routes: (gate) => [
    {
      method: "GET",
      path: "/v1/generation",
      answer: async (request) => {
        const id = request.url.searchParams.get("id") ?? "";
        const made = gate.completion(id);
        const overrides = made ? fromCompletion(made) : {};
        return (
          (await gate.refuse(request, id, true)) ??
          (gate.notReady(id) ? gate.error(404, "Generation not found") : json(vercelGeneration(id, overrides)))
        );
      },
    },
    chatCompletionsRoute(gate, "/v1/chat/completions", { newId }),
    {
      method: "POST",
      path: "/v3/ai/language-model",
      answer: async (request) => {
        const refused = await gate.refuse(request, "", true);
        if (refused) return refused;
        const model = request.header("ai-language-model-id");
        if (!model) return gate.error(400, "the ai-language-model-id header is required");
        const body = parseJson(await request.text()) as {
          prompt?: unknown;
          tools?: unknown;
          responseFormat?: { type?: unknown; schema?: unknown };
        } | null;
        // Structured output (generateObject): JSON that fits the schema asked for.
        const text =
          body?.responseFormat?.type === "json" ? JSON.stringify(valueFor(body.responseFormat.schema)) : replyText;
        const { id, completion } = gate.complete(newId, completionFor(model, promptTokens(body?.prompt)));
        const c = completion;
        // The AI SDK's call options: `tools[]` with `inputSchema`, tool results as `role: "tool"` messages.
        const tools = (Array.isArray(body?.tools) ? body.tools : []).flatMap(
          (t: { name?: unknown; inputSchema?: unknown }) =>
            typeof t?.name === "string" ? [{ name: t.name, schema: t.inputSchema }] : [],
        );
        const results = (Array.isArray(body?.prompt) ? body.prompt : []).filter(
          (m: { role?: unknown }) => m?.role === "tool",
        ).length;
        const call = nextToolCall(tools, results, id);
        const toolCall = call && { type: "tool-call", toolCallId: call.id, toolName: call.name, input: call.input };
        const usage = {
          inputTokens: {
            total: c.inputTokens,
            noCache: c.inputTokens - c.cachedInputTokens,
            cacheRead: c.cachedInputTokens,
            cacheWrite: 0,
          },
          outputTokens: {
            total: c.outputTokens,
            text: c.outputTokens - c.reasoningTokens,
            reasoning: c.reasoningTokens,
          },
        };
        // The gateway's cost is a decimal string; `generationId` is what the lookup takes.
        const providerMetadata = {
          gateway: {
            routing: { originalModelId: model, resolvedProvider: model.split("/")[0] },
            cost: String(c.cost),
            marketCost: String(c.cost),
            generationId: gate.streamFault === "no-id" ? undefined : id,
          },
        };
        const finishReason = call ? { unified: "tool-calls", raw: "tool_calls" } : { unified: "stop", raw: "stop" };
        if (request.header("ai-language-model-streaming") !== "true") {
          return json({
            content: [toolCall ?? { type: "text", text }],
            finishReason,
            usage,
            providerMetadata,
            warnings: [],
          });
        }
        // Each `data:` is one AI SDK stream part; the finish part carries the provider metadata.
        const part = (value: Record<string, unknown>) => `data: ${JSON.stringify(value)}\n\n`;
        const events = [
          part({ type: "stream-start", warnings: [] }),
          part({
            type: "response-metadata",
            id: `aitxt-${id.slice(-12)}`,
            modelId: model,
            timestamp: "2026-11-20T10:15:30.000Z",
          }),
          ...(toolCall
            ? [part(toolCall)]
            : [
                part({ type: "text-start", id: "0" }),
                ...(text === replyText ? replyText.split(/(?<= )/) : [text]).map((delta) =>
                  part({ type: "text-delta", id: "0", delta }),
                ),
                part({ type: "text-end", id: "0" }),
              ]),
          part({ type: "finish", finishReason, usage, providerMetadata }),
        ];
        return sse(gate, events, (at) =>
          at === 3
            ? part({ type: "error", error: { message: "Provider returned error", type: "internal_server_error" } })
            : undefined,
        );
      },
    },
  ],
});
