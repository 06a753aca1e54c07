import { heliconeGateway } from "@genledger/helicone";
import { chatCompletionsRoute } from "../completions.js";
import { seeded } from "../fixtures.js";
import { type Completion, defineGateway, json } from "../mock-kit.js";

const uuid = (seed: string) => {
  const hex = Array.from({ length: 32 }, (_, i) => Math.floor(seeded(seed, i) * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
};

/** A logged Helicone request in its Result, for a completion made on the mock or deterministic per id. */
export function heliconeRequest(id: string, made?: Completion) {
  const prompt = made?.inputTokens ?? Math.floor(20 + seeded(id, 1) * 4000);
  const completion = made?.outputTokens ?? Math.floor(10 + seeded(id, 2) * 1500);
  const created = made
    ? made.created * 1000
    : Date.parse("2026-11-20T10:00:00Z") + Math.floor(seeded(id, 6) * 86_400_000);
  const delay = Math.floor(300 + seeded(id, 4) * 2000);
  return {
    data: {
      response_id: uuid(`response-${id}`),
      response_created_at: new Date(created + delay).toISOString(),
      response_status: 200,
      response_model: made?.model ?? "gpt-4o-mini",
      request_id: id,
      request_created_at: new Date(created).toISOString(),
      request_path: "/v1/chat/completions",
      request_user_id: null,
      request_properties: {},
      request_model: made?.model ?? "gpt-4o-mini",
      model_override: null,
      helicone_user: null,
      provider: "OPENAI",
      delay_ms: delay,
      time_to_first_token: Math.floor(delay / 3),
      total_tokens: prompt + completion,
      prompt_tokens: prompt,
      prompt_cache_write_tokens: 0,
      prompt_cache_read_tokens: made?.cachedInputTokens ?? 0,
      completion_tokens: completion,
      // Stored as an integer of 10^-9 dollars, served divided.
      cost: made
        ? Math.round(made.cost * 1e9) / 1e9
        : Math.round((prompt * 0.00000015 + completion * 0.0000006) * 1e9) / 1e9,
      model: made?.model ?? "gpt-4o-mini",
      target_url: "https://api.openai.com/v1/chat/completions",
      cache_enabled: false,
      properties: {},
    },
    error: null,
  };
}

/**
 * Helicone: `GET /v1/request/:id` (500 `{ data: null, error }` until logged, as for any error) and the
 * proxy's OpenAI-compatible chat completions under `/oai/v1` and the AI gateway's under `/v1`, whose
 * `Helicone-Id` header is the lookup id.
 */
export const heliconeMock = defineGateway({
  gateway: heliconeGateway,
  prefix: "/helicone",
  fixture: (id) => heliconeRequest(id),
  errorBody: (_status, message) => ({ data: null, error: message }),
  routes: (gate) => [
    {
      method: "GET",
      path: "/v1/request/:id",
      answer: async (request, id) =>
        (await gate.refuse(request, id, true)) ??
        (gate.notReady(id) ? gate.error(500, "Request not found.") : json(heliconeRequest(id, gate.completion(id)))),
    },
    // The OpenAI proxy (oai.helicone.ai/v1) and the AI gateway (ai-gateway.helicone.ai/v1).
    ...["/oai/v1/chat/completions", "/v1/chat/completions"].map((path) =>
      chatCompletionsRoute(gate, path, { newId: (n, salt) => uuid(`helicone-${salt}-${n}`), idHeader: "helicone-id" }),
    ),
  ],
});
