import { openRouterGeneration } from "../fixtures.js";
import { base32, chatCompletionsRoute, defineGateway, json } from "../mock-kit.js";

/** OpenRouter: `GET /generation?id=` (404 while not ready) and OpenAI-compatible chat completions. */
export const openRouterMock = defineGateway({
  baseUrl: "https://openrouter.ai/api/v1",
  prefix: "/openrouter/api/v1",
  env: "OPENROUTER",
  fixture: (id) => openRouterGeneration(id),
  errorBody: (status, message) => ({ error: { code: status, message } }),
  routes: (gate) => [
    {
      method: "GET",
      path: "/generation",
      answer: async (request) => {
        const id = request.url.searchParams.get("id") ?? "";
        const made = gate.completions.get(id);
        const overrides = made
          ? {
              model: made.model,
              tokens_prompt: made.promptTokens,
              native_tokens_prompt: made.promptTokens,
              tokens_completion: made.completionTokens,
              native_tokens_completion: made.completionTokens,
            }
          : {};
        return (
          (await gate.refuse(request, id, true)) ??
          (gate.notReady(id) ? gate.error(404, "Generation not found") : json(openRouterGeneration(id, overrides)))
        );
      },
    },
    // OpenRouter's ids: gen-<unix seconds>-<20 characters>.
    chatCompletionsRoute(gate, "/chat/completions", (n) => `gen-${1763633730 + n}-${base32(`openrouter-${n}`, 20)}`),
  ],
});
