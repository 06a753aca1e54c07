import { nanoGPTGateway } from "@genledger/nanogpt";
import { chatCompletionsRoute } from "../completions.js";
import { seeded } from "../fixtures.js";
import { base32, type Completion, defineGateway, errorType, type GatewayMock, json } from "../mock-kit.js";

export interface NanoGPTMock extends GatewayMock {
  /** The `Retry-After` (seconds) of a "not recorded yet" 404; NanoGPT's is 30. */
  notReadyRetryAfter?: number;
}

/** A NanoGPT billing record: the page's shape, for a completion made on the mock or deterministic per id. */
export function nanoGPTRequestBilling(id: string, made?: Completion) {
  const input = made?.inputTokens ?? Math.floor(20 + seeded(id, 1) * 4000);
  const output = made?.outputTokens ?? Math.floor(10 + seeded(id, 2) * 1500);
  const created = made
    ? made.created * 1000
    : Date.parse("2026-11-20T10:00:00Z") + Math.floor(seeded(id, 6) * 86_400_000);
  const iso = (t: number) => new Date(t).toISOString().replace("Z", "000Z");
  return {
    object: "request_billing",
    request_id: id,
    created_at: iso(created),
    expires_at: iso(created + 86_400_000),
    as_of: iso(created + 4000),
    // A decimal string, as recorded: more digits than a double holds.
    cost: made ? made.cost.toFixed(10) : `0.000${String(Math.floor(seeded(id, 3) * 1e5)).padStart(5, "0")}123456789`,
    currency: "USD",
    cost_scope: "primary_charge",
    usage: { input_tokens: input, output_tokens: output, reasoning_tokens: made ? made.reasoningTokens : null },
  };
}

/**
 * NanoGPT: `GET /usage/requests/:id` (404 with `Retry-After` while not recorded) and OpenAI-compatible chat
 * completions whose `X-Request-ID` header is the lookup id.
 */
export const nanoGPTMock = defineGateway<NanoGPTMock>({
  gateway: nanoGPTGateway,
  prefix: "/nanogpt/api/v1",
  fixture: (id) => nanoGPTRequestBilling(id),
  errorBody: (status, message) => ({ error: { message, type: errorType(status), code: null } }),
  routes: (gate, mock) => [
    {
      method: "GET",
      path: "/usage/requests/:id",
      answer: async (request, id) =>
        (await gate.refuse(request, id, true)) ??
        (gate.notReady(id)
          ? gate.error(404, "No eligible charge for this request id", {
              "retry-after": String(mock.notReadyRetryAfter ?? 30),
            })
          : json(nanoGPTRequestBilling(id, gate.completion(id)), 200, {
              "cache-control": "private, no-store, max-age=0",
            })),
    },
    chatCompletionsRoute(gate, "/chat/completions", {
      newId: (n, salt) => `req_${base32(`nanogpt-${salt}-${n}`, 24).toLowerCase()}`,
      idHeader: "x-request-id",
    }),
  ],
});
