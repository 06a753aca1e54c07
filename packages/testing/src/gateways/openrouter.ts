import { openRouterGateway } from "@genledger/openrouter";
import { chatCompletionsRoute, responsesRoute } from "../completions.js";
import { openRouterGeneration, openRouterProvider } from "../fixtures.js";
import { base32, defineGateway, json } from "../mock-kit.js";

// OpenRouter's ids: gen-<unix seconds>-<20 characters>; the cost is inline in every completion.
const style = {
  newId: (n: number, salt: string, created: number) => `gen-${created}-${base32(`openrouter-${salt}-${n}`, 20)}`,
  inlineCost: true,
};

/**
 * OpenRouter: `GET /generation?id=` (404 while not ready), OpenAI-compatible chat completions and the
 * Responses API, streamed or not, with `usage.cost` inline.
 */
export const openRouterMock = defineGateway({
  gateway: openRouterGateway,
  prefix: "/openrouter/api/v1",
  fixture: (id) => openRouterGeneration(id),
  errorBody: (status, message) => ({ error: { code: status, message } }),
  routes: (gate) => [
    {
      method: "GET",
      path: "/generation",
      answer: async (request) => {
        const id = request.url.searchParams.get("id") ?? "";
        const made = gate.completion(id);
        const overrides = made
          ? {
              model: made.model,
              provider_name: openRouterProvider(made.model),
              tokens_prompt: made.inputTokens,
              native_tokens_prompt: made.inputTokens,
              tokens_completion: made.outputTokens,
              native_tokens_completion: made.outputTokens,
              native_tokens_reasoning: made.reasoningTokens,
              native_tokens_cached: made.cachedInputTokens,
              total_cost: made.cost,
              usage: made.cost,
              created_at: new Date(made.created * 1000).toISOString().replace("Z", "+00:00"),
            }
          : {};
        return (
          (await gate.refuse(request, id, true)) ??
          (gate.notReady(id) ? gate.error(404, "Generation not found") : json(openRouterGeneration(id, overrides)))
        );
      },
    },
    chatCompletionsRoute(gate, "/chat/completions", style),
    responsesRoute(gate, "/responses", style),
  ],
});
