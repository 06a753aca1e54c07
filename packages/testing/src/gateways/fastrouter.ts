import { fastRouterGateway } from "@genledger/fastrouter";
import { chatCompletionsRoute } from "../completions.js";
import { fastRouterGeneration } from "../fixtures.js";
import { base32, defineGateway, errorType, json, parseJson } from "../mock-kit.js";

/** FastRouter: `POST /api/v1/generation` with `{ generation_id }`, and OpenAI-compatible chat completions. */
export const fastRouterMock = defineGateway({
  gateway: fastRouterGateway,
  prefix: "/fastrouter",
  fixture: (id) => fastRouterGeneration(id),
  errorBody: (status, message) => ({
    error: { message, type: errorType(status), code: errorType(status), status },
  }),
  routes: (gate) => [
    {
      method: "POST",
      path: "/api/v1/generation",
      answer: async (request) => {
        const body = parseJson(await request.text()) as { generation_id?: unknown } | null;
        const id = typeof body?.generation_id === "string" ? body.generation_id : "";
        if (!id) return gate.error(400, "generation_id is required");
        return (await gate.refuse(request, id, true)) ?? json(fastRouterGeneration(id, gate.completion(id)));
      },
    },
    chatCompletionsRoute(gate, "/api/v1/chat/completions", {
      newId: (n, salt) => `gen-${base32(`fastrouter-${salt}-${n}`, 24).toLowerCase()}`,
    }),
  ],
});
