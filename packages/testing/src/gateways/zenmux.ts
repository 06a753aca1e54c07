import { zenMuxGateway } from "@genledger/zenmux";
import { chatCompletionsRoute } from "../completions.js";
import { zenMuxGeneration } from "../fixtures.js";
import { base32, defineGateway, errorType, json } from "../mock-kit.js";

/** ZenMux: `GET /management/generation?id=` (no billing fields while not ready) and OpenAI-compatible chat completions. */
export const zenMuxMock = defineGateway({
  gateway: zenMuxGateway,
  prefix: "/zenmux/api/v1",
  fixture: (id) => zenMuxGeneration(id),
  errorBody: (status, message) => ({ error: { code: String(status), type: errorType(status), message } }),
  routes: (gate) => [
    {
      method: "GET",
      path: "/management/generation",
      answer: async (request) => {
        const id = request.url.searchParams.get("id") ?? "";
        const subscription = request.header("authorization")?.startsWith("Bearer sk-ss-v1-") ?? false;
        return (
          (await gate.refuse(request, id, true)) ??
          json(zenMuxGeneration(id, { billed: !subscription && !gate.notReady(id), made: gate.completion(id) }))
        );
      },
    },
    chatCompletionsRoute(gate, "/chat/completions", { newId: (n, salt) => `gen_${base32(`zenmux-${salt}-${n}`, 26)}` }),
  ],
});
