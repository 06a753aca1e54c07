import { liteLLMGateway } from "@genledger/litellm";
import { chatCompletionsRoute } from "../completions.js";
import { seeded } from "../fixtures.js";
import { base32, type Completion, defineGateway, errorType, json } from "../mock-kit.js";

/** The `x-litellm-call-id` of a completion: a UUID the spend log row is not keyed by. */
const callId = (id: string) => {
  const hex = Array.from({ length: 32 }, (_, i) => Math.floor(seeded(`call-${id}`, i) * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
};

/** A LiteLLM_SpendLogs row, for a completion made on the mock or deterministic per id. */
export function liteLLMSpendLog(id: string, made?: Completion) {
  const prompt = made?.inputTokens ?? Math.floor(20 + seeded(id, 1) * 4000);
  const completion = made?.outputTokens ?? Math.floor(10 + seeded(id, 2) * 1500);
  const start = made
    ? made.created * 1000
    : Date.parse("2026-11-20T10:00:00Z") + Math.floor(seeded(id, 6) * 86_400_000);
  const duration = Math.floor(300 + seeded(id, 4) * 2000);
  const iso = (t: number) => new Date(t).toISOString().replace("Z", "000Z");
  return {
    request_id: id,
    call_type: "acompletion",
    api_key: "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b",
    spend: made?.cost ?? Number((prompt * 0.00000015 + completion * 0.0000006).toFixed(10)),
    total_tokens: prompt + completion,
    prompt_tokens: prompt,
    completion_tokens: completion,
    startTime: iso(start),
    endTime: iso(start + duration),
    request_duration_ms: duration,
    completionStartTime: iso(start + Math.floor(duration / 3)),
    model: made?.model ?? "gpt-4o-mini",
    model_id: "",
    model_group: made?.model ?? "gpt-4o-mini",
    custom_llm_provider: "openai",
    api_base: "https://api.openai.com/v1",
    user: "",
    metadata: { litellm_call_id: callId(id) },
    cache_hit: "False",
    cache_key: "Cache OFF",
    request_tags: [],
    team_id: null,
    organization_id: null,
    end_user: null,
    requester_ip_address: null,
    messages: {},
    response: {},
    session_id: null,
    status: "success",
    proxy_server_request: {},
  };
}

/**
 * A LiteLLM proxy: `GET /spend/logs?request_id=` (200 with `[]` until the row is written) and OpenAI-compatible
 * chat completions under `/` and `/v1`, keyed by their body's `id`, with `x-litellm-call-id` and
 * `x-litellm-response-cost` headers. Served by msw at `http://localhost:4000`, its documented port.
 */
export const liteLLMMock = defineGateway({
  gateway: liteLLMGateway,
  baseUrl: "http://localhost:4000",
  prefix: "/litellm",
  fixture: (id) => [liteLLMSpendLog(id)],
  errorBody: (status, message) => ({
    error: { message, type: errorType(status), param: "None", code: String(status) },
  }),
  routes: (gate) => {
    const style = {
      newId: (n: number, salt: string) => `chatcmpl-${base32(`litellm-${salt}-${n}`, 26).toLowerCase()}`,
      headers: (id: string, made: Completion) => ({
        "x-litellm-call-id": callId(id),
        "x-litellm-response-cost": String(made.cost),
        "x-litellm-model-api-base": "https://api.openai.com/v1",
      }),
    };
    return [
      {
        method: "GET",
        path: "/spend/logs",
        answer: async (request) => {
          const id = request.url.searchParams.get("request_id") ?? "";
          return (
            (await gate.refuse(request, id, true)) ??
            json(gate.notReady(id) ? [] : [liteLLMSpendLog(id, gate.completion(id))])
          );
        },
      },
      chatCompletionsRoute(gate, "/chat/completions", style),
      chatCompletionsRoute(gate, "/v1/chat/completions", style),
    ];
  },
});
