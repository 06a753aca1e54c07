// The capture benchmark's server, in its own process (stream-server-main.ts): streamed completions as
// OpenRouter sends them (SSE chat chunks, the last with `usage.cost`) and as Vercel AI Gateway's AI SDK
// endpoint does (stream parts, the finish part with `providerMetadata.gateway`), each a realistic
// ~9 KB of 40 deltas after a first-byte delay, and the two gateways' lookups (recorded bodies).
import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generationBody } from "./gateway-server.js";

export interface StreamServerOptions {
  /** Before the first byte, in ms (the model thinking). */
  firstByteMs: number;
  /** Between deltas, in ms (0: each its own write, back to back). */
  chunkMs: number;
  chunks: number;
}

const words = "the quick brown fox jumps over the lazy dog while the ledger books every token";
const vercelTemplate = readFileSync(
  new URL("../../packages/vercel/src/__fixtures__/generation.json", import.meta.url),
  "utf8",
);
const vercelBody = (id: string) => {
  const body = JSON.parse(vercelTemplate) as { data: { id: string } };
  body.data.id = id;
  return JSON.stringify(body);
};

const pause = (ms: number) => new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

async function stream(res: ServerResponse, events: string[], options: StreamServerOptions) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  await pause(options.firstByteMs);
  for (const event of events) {
    if (res.destroyed) return;
    res.write(event);
    await pause(options.chunkMs);
  }
  res.end();
}

function chatEvents(id: string, chunks: number): string[] {
  const chunk = (fields: object) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1763633730, model: "openai/gpt-4o-mini", ...fields })}\n\n`;
  const choice = (delta: object, finish: string | null = null) => ({
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const usage = {
    prompt_tokens: 812,
    completion_tokens: chunks * 6,
    total_tokens: 812 + chunks * 6,
    prompt_tokens_details: { cached_tokens: 200 },
    completion_tokens_details: { reasoning_tokens: 0 },
    cost: 0.000412305,
    is_byok: false,
    cost_details: { upstream_inference_cost: null },
  };
  return [
    chunk(choice({ role: "assistant", content: "" })),
    ...Array.from({ length: chunks }, (_, i) => chunk(choice({ content: `${words.split(" ")[i % 14]} ${words} ` }))),
    chunk(choice({}, "stop")),
    chunk({ choices: [], usage }),
    "data: [DONE]\n\n",
  ];
}

function partEvents(id: string, chunks: number): string[] {
  const part = (value: object) => `data: ${JSON.stringify(value)}\n\n`;
  return [
    part({ type: "stream-start", warnings: [] }),
    part({
      type: "response-metadata",
      id: `aitxt-${id}`,
      modelId: "openai/gpt-4o-mini",
      timestamp: "2026-11-20T10:15:30.000Z",
    }),
    part({ type: "text-start", id: "0" }),
    ...Array.from({ length: chunks }, (_, i) =>
      part({ type: "text-delta", id: "0", delta: `${words.split(" ")[i % 14]} ${words} ` }),
    ),
    part({ type: "text-end", id: "0" }),
    part({
      type: "finish",
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 812, noCache: 612, cacheRead: 200, cacheWrite: 0 },
        outputTokens: { total: chunks * 6, text: chunks * 6, reasoning: 0 },
      },
      providerMetadata: { gateway: { generationId: id, cost: "0.000412305", marketCost: "0.000412305" } },
    }),
  ];
}

export async function startStreamServer(options: StreamServerOptions) {
  let n = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    req.resume();
    if (req.method === "POST" && url.pathname === "/openrouter/api/v1/chat/completions") {
      void stream(res, chatEvents(`gen-1763633730-${String(++n).padStart(20, "0")}`, options.chunks), options);
    } else if (req.method === "POST" && url.pathname === "/vercel/v3/ai/language-model") {
      void stream(res, partEvents(`gen_01KAQ${String(++n).padStart(21, "0")}`, options.chunks), options);
    } else if (url.pathname === "/openrouter/api/v1/generation" || url.pathname === "/vercel/v1/generation") {
      const id = url.searchParams.get("id") ?? "";
      const body = url.pathname.startsWith("/vercel") ? vercelBody(id) : generationBody("openrouter", id);
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
    } else {
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"unknown path"}}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
