import { cloudflareGateway, cloudflareRef, parseCloudflareRef } from "@genledger/cloudflare";
import { chatCompletionsRoute } from "../completions.js";
import { seeded } from "../fixtures.js";
import { base32, type Completion, defineGateway, json } from "../mock-kit.js";

/** One AI Gateway log in the v4 envelope, for a completion made on the mock or deterministic per ref. */
export function cloudflareLog(ref: string, made?: Completion) {
  const { logId } = parseCloudflareRef(ref);
  const input = made?.inputTokens ?? Math.floor(20 + seeded(ref, 1) * 4000);
  const output = made?.outputTokens ?? Math.floor(10 + seeded(ref, 2) * 1500);
  const created = made
    ? made.created * 1000
    : Date.parse("2026-11-20T10:00:00Z") + Math.floor(seeded(ref, 6) * 86_400_000);
  return {
    result: {
      id: logId,
      cached: false,
      created_at: new Date(created).toISOString(),
      duration: Math.floor(200 + seeded(ref, 4) * 3000),
      model: made?.model.split("/").pop() ?? "gpt-4o-mini",
      path: "compat/chat/completions",
      provider: made?.model.split("/")[0] ?? "openai",
      success: true,
      tokens_in: input,
      tokens_out: output,
      cost: made?.cost ?? Number((input * 0.00000015 + output * 0.0000006).toFixed(10)),
      custom_cost: false,
      metadata: "{}",
      status_code: 200,
      step: 0,
    },
    success: true,
    errors: [],
    messages: [],
  };
}

/**
 * Cloudflare AI Gateway: the log lookup (`/accounts/:account/ai-gateway/gateways/:gateway/logs/:log`, 404 in
 * the v4 envelope until the log is written) and the gateway's OpenAI-compatible chat completions under
 * `/v1/:account/:gateway/compat` and `/v1/:account/:gateway/openai`, whose `cf-aig-log-id` header is the log id.
 */
export const cloudflareMock = defineGateway({
  gateway: cloudflareGateway,
  prefix: "/cloudflare/client/v4",
  fixture: (ref) => cloudflareLog(ref.includes("/") ? ref : `acc/gw/${ref}`),
  errorBody: (status, message) => ({
    success: false,
    errors: [{ code: status === 404 ? 7003 : status === 401 ? 10000 : 7000 + status, message }],
    messages: [],
    result: null,
  }),
  routes: (gate) => {
    const completions = (upstream: string) =>
      chatCompletionsRoute(gate, `/v1/:id/:id/${upstream}/chat/completions`, {
        newId: (n, salt, created, at) => {
          const [account = "", gateway = ""] = at.split("/");
          return cloudflareRef(account, gateway, `01K${base32(`cloudflare-${salt}-${n}-${created}`, 23)}`);
        },
        idHeader: "cf-aig-log-id",
        headerId: (ref) => parseCloudflareRef(ref).logId,
      });
    return [
      {
        method: "GET",
        path: "/accounts/:id/ai-gateway/gateways/:id/logs/:id",
        answer: async (request, ref) =>
          (await gate.refuse(request, ref, true)) ??
          (gate.notReady(ref) ? gate.error(404, "Log not found") : json(cloudflareLog(ref, gate.completion(ref)))),
      },
      completions("compat"),
      completions("openai"),
    ];
  },
});
