// Child process of the capture benchmark: the real SDKs against the streaming server, with and without
// capture, variants interleaved in every round; then CPU per call; then memory over many captured calls.
// Prints one JSON line.
import { createGateway } from "@ai-sdk/gateway";
import { type CaptureLedger, createCapture } from "@genledger/capture";
import { createLedger } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { vercel } from "@genledger/normalize/vercel";
import { streamText, wrapLanguageModel } from "ai";
import OpenAI from "openai";

export interface CaptureBenchConfig {
  url: string;
  rounds: number;
  /** Streamed calls per variant per round, one after another. */
  calls: number;
  /** Calls per variant per round for the CPU figures. */
  cpuCalls: number;
  /** Captured calls for the memory figure. */
  memoryCalls: number;
}

export interface CaptureBenchResult {
  /** variant → per round: median time to first byte and median total of its calls, in ms. */
  ttfb: Record<string, number[]>;
  total: Record<string, number[]>;
  /** variant → per round: CPU µs per call. */
  cpu: Record<string, number[]>;
  /** variant → per round: ms of CPU to read one large body (a 13 MB JSON completion, a 100 MB event stream). */
  big: Record<string, number[]>;
  memory: {
    calls: number;
    callUs: number;
    lookupMs: number;
    heapMiB: { at: number; heap: number; held: number }[];
    peakRssMiB: number;
    stats: Record<string, number>;
  };
}

const config = JSON.parse(process.argv[2] as string) as CaptureBenchConfig;
const apiKey = "bench-key-0123456789";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

const ledger = createLedger({
  providers: [
    openrouter({ apiKey, baseUrl: `${config.url}/openrouter/api/v1` }),
    vercel({ apiKey, baseUrl: `${config.url}/vercel/v1` }),
  ],
});
const gateways = { [`${config.url}/openrouter`]: "openrouter", [`${config.url}/vercel`]: "vercel" };
const capture = createCapture({ ledger, gateways });

// The call path alone: a ledger that answers at once, so lookups cost nothing to the figure.
const record = (await ledger.getOnce("openrouter", "gen-1763633730-bench")).generation;
const instant: CaptureLedger = {
  providers: ["openrouter", "vercel"],
  getOnce: async () => ({ ready: true, generation: record }),
};

const openai = (fetch?: typeof globalThis.fetch) =>
  new OpenAI({ apiKey, baseURL: `${config.url}/openrouter/api/v1`, maxRetries: 0, ...(fetch && { fetch }) });
const gateway = createGateway({ apiKey, baseURL: `${config.url}/vercel/v3/ai` });

type Call = () => Promise<{ ttfb: number; total: number }>;

function openaiCall(client: OpenAI): Call {
  return async () => {
    const t0 = performance.now();
    let ttfb = 0;
    const stream = await client.chat.completions.create({
      model: "openai/gpt-4o-mini",
      messages: [{ role: "user", content: "Tell me a story" }],
      stream: true,
    });
    for await (const chunk of stream) if (!ttfb && chunk.choices[0]?.delta.content) ttfb = performance.now() - t0;
    return { ttfb, total: performance.now() - t0 };
  };
}

function aiSdkCall(middleware?: ReturnType<typeof capture.middleware>): Call {
  const base = gateway("openai/gpt-4o-mini");
  const model = middleware ? wrapLanguageModel({ model: base, middleware }) : base;
  return async () => {
    const t0 = performance.now();
    let ttfb = 0;
    const result = streamText({ model, prompt: "Tell me a story" });
    for await (const text of result.textStream) if (!ttfb && text) ttfb = performance.now() - t0;
    return { ttfb, total: performance.now() - t0 };
  };
}

const latencyVariants: Record<string, Call> = {
  "openai SDK stream": openaiCall(openai()),
  "openai SDK stream, capture.fetch": openaiCall(openai(capture.fetch)),
  "AI SDK streamText (@ai-sdk/gateway)": aiSdkCall(),
  "AI SDK streamText, capture.middleware()": aiSdkCall(capture.middleware()),
};
// CPU: the same SDKs over an in-memory transport that answers the server's own bytes (fetched once),
// so the figure is this process's work alone, without the network's noise.
const recorded = async (path: string, headers: Record<string, string>) => {
  const response = await fetch(`${config.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, ...headers },
    body: "{}",
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  return chunks;
};
const chatChunks = await recorded("/openrouter/api/v1/chat/completions", {});
const partChunks = await recorded("/vercel/v3/ai/language-model", { "ai-language-model-streaming": "true" });
const replay = (chunks: Uint8Array[]) => async () => {
  let i = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array);
        else controller.close();
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
};
const replayChat = replay(chatChunks);
const inMemory = createCapture({ ledger: instant, gateways, fetch: replayChat });
const inMemoryWithLookups = createCapture({ ledger, gateways, fetch: replayChat });
// The AI SDK's parts as the gateway provider hands them to a middleware: the finish part's metadata.
const parts: unknown[] = [];
{
  const text = Buffer.concat(partChunks).toString("utf8");
  for (const event of text.split("\n\n")) if (event.startsWith("data: ")) parts.push(JSON.parse(event.slice(6)));
}
const partStream = () => {
  let i = 0;
  return new ReadableStream<unknown>({
    pull(controller) {
      if (i < parts.length) controller.enqueue(parts[i++]);
      else controller.close();
    },
  });
};
const drain = async (stream: ReadableStream<unknown> | null) => {
  const reader = (stream as ReadableStream<unknown>).getReader();
  while (!(await reader.read()).done);
};
const middleware = inMemory.middleware();
const gatewayModel = { provider: "gateway", modelId: "openai/gpt-4o-mini" };
const chatUrl = `${config.url}/openrouter/api/v1/chat/completions`;
const cpuVariants: Record<string, () => Promise<unknown>> = {
  // What capture adds is measured on the stream itself, read by a plain reader: an SDK's own work
  // (milliseconds a call, and as noisy) would drown a figure of microseconds.
  "a streamed response, read": async () => drain((await replayChat()).body),
  "a streamed response through capture.fetch, read": async () =>
    drain((await inMemory.fetch(chatUrl, { method: "POST", body: "{}" })).body),
  "the same, its background lookup included": async () =>
    drain((await inMemoryWithLookups.fetch(chatUrl, { method: "POST", body: "{}" })).body),
  "AI SDK stream parts, read": async () => drain(partStream()),
  "AI SDK stream parts through capture.middleware(), read": async () =>
    drain(
      (
        await middleware.wrapStream({
          doStream: async () => ({ stream: partStream() }),
          params: {},
          model: gatewayModel,
        })
      ).stream,
    ),
  // For scale: the openai SDK reading the same stream.
  "openai SDK stream (for scale)": openaiCall(openai(replayChat)),
};

// Large bodies, read to the end: bounded work per byte. A non-streamed completion of 13 MB, most of it numbers
// (a model's JSON answer of embeddings), read with response.json(); a Responses API stream of 200 events of
// 500 KB each (response.output_text.delta), read through.
const bigJson = new TextEncoder().encode(
  JSON.stringify({
    id: "gen-big",
    object: "chat.completion",
    model: "openai/gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content: "[…]" }, finish_reason: "stop" }],
    data: Array.from({ length: 700_000 }, (_, i) => Math.sin(i) * 1000),
    usage: { prompt_tokens: 10, completion_tokens: 700_000, total_tokens: 700_010, cost: 0.0123456 },
  }),
);
const bigEvents: Uint8Array[] = [];
{
  const event = (type: string, fields: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;
  const text = [
    event("response.created", { response: { id: "gen-big-r", model: "m", usage: null } }),
    ...Array.from({ length: 200 }, () => event("response.output_text.delta", { delta: "x".repeat(500_000) })),
    event("response.completed", {
      response: {
        id: "gen-big-r",
        model: "m",
        usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3, cost: 0.5 },
      },
    }),
  ].join("");
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += 65_536) bigEvents.push(bytes.subarray(at, at + 65_536));
}
const replayJson = async () => new Response(bigJson, { headers: { "content-type": "application/json" } });
const bigCapture = createCapture({ ledger: instant, gateways, fetch: replayJson });
const bigStreamCapture = createCapture({ ledger: instant, gateways, fetch: replay(bigEvents) });
const bigVariants: Record<string, () => Promise<unknown>> = {
  "a 13 MB JSON completion, response.json()": async () => (await replayJson()).json(),
  "the same through capture.fetch": async () =>
    (await bigCapture.fetch(chatUrl, { method: "POST", body: "{}" })).json(),
  // Read as the least any SDK does: every byte decoded as text (an SDK then also parses every event).
  "200 Responses API events of 500 KB, read as text": async () => decoded((await replay(bigEvents)()).body),
  "the same stream through capture.fetch": async () =>
    decoded(
      (await bigStreamCapture.fetch(`${config.url}/openrouter/api/v1/responses`, { method: "POST", body: "{}" })).body,
    ),
};
async function decoded(stream: ReadableStream<Uint8Array> | null): Promise<void> {
  const reader = (stream as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  for (let next = await reader.read(); !next.done; next = await reader.read())
    decoder.decode(next.value, { stream: true });
}

const result: CaptureBenchResult = { ttfb: {}, total: {}, cpu: {}, big: {}, memory: undefined as never };
const add = (series: Record<string, number[]>, name: string, value: number) => {
  series[name] = [...(series[name] ?? []), value];
};
// Warm every path (JIT, connections) before measuring.
for (const call of [...Object.values(latencyVariants), ...Object.values(cpuVariants)])
  for (let i = 0; i < 5; i++) await call();
await capture.flush({ timeoutMs: 30_000 });

for (let round = 0; round < config.rounds; round++) {
  // Rotate the order each round, so no variant always runs first.
  const names = Object.keys(latencyVariants);
  const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
  for (const name of order) {
    const ttfb: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < config.calls; i++) {
      const t = await (latencyVariants[name] as Call)();
      ttfb.push(t.ttfb);
      total.push(t.total);
    }
    add(result.ttfb, name, median(ttfb));
    add(result.total, name, median(total));
    await capture.flush({ timeoutMs: 30_000 });
  }
  const cpuNames = Object.keys(cpuVariants);
  for (const name of [...cpuNames.slice(round % cpuNames.length), ...cpuNames.slice(0, round % cpuNames.length)]) {
    const before = process.cpuUsage();
    const call = cpuVariants[name] as () => Promise<unknown>;
    for (let i = 0; i < config.cpuCalls; i++) await call();
    await inMemory.flush({ timeoutMs: 30_000 });
    await inMemoryWithLookups.flush({ timeoutMs: 30_000 });
    const used = process.cpuUsage(before);
    add(result.cpu, name, (used.user + used.system) / config.cpuCalls);
  }
  const bigNames = Object.keys(bigVariants);
  for (const name of [...bigNames.slice(round % bigNames.length), ...bigNames.slice(0, round % bigNames.length)]) {
    const before = process.cpuUsage();
    for (let i = 0; i < 2; i++) await (bigVariants[name] as () => Promise<unknown>)();
    await bigCapture.flush({ timeoutMs: 30_000 });
    await bigStreamCapture.flush({ timeoutMs: 30_000 });
    const used = process.cpuUsage(before);
    add(result.big, name, (used.user + used.system) / 2 / 1000);
  }
}
const stats = capture.stats();
if (stats.failed > 0 || stats.dropped > 0) throw new Error(`capture failed or dropped calls: ${JSON.stringify(stats)}`);

// Memory: many captured calls, each answered from memory, with a resolver ten times slower than a call.
const body = JSON.stringify({
  id: "",
  object: "chat.completion",
  created: 1763633730,
  model: "openai/gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: words(120) }, finish_reason: "stop" }],
  usage: { prompt_tokens: 812, completion_tokens: 120, total_tokens: 932, cost: 0.000412305 },
});
function words(n: number) {
  return Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
}
let id = 0;
// A real call waits on I/O: each answer comes a turn of the event loop later, so timers run between calls.
const memoryFetch = async () => {
  await new Promise((resolve) => setImmediate(resolve));
  return new Response(body.replace('"id":""', `"id":"gen-mem-${++id}"`), {
    headers: { "content-type": "application/json" },
  });
};
const client = openai(createCapture({ ledger: instant, gateways, fetch: memoryFetch }).fetch);
const one = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
const t0 = performance.now();
for (let i = 0; i < 2000; i++) await one();
const callUs = ((performance.now() - t0) / 2000) * 1000;
const lookupMs = Math.max(1, Math.ceil((callUs * 10) / 1000));
const slow: CaptureLedger = {
  providers: ["openrouter"],
  getOnce: () => new Promise((resolve) => setTimeout(() => resolve({ ready: true, generation: record }), lookupMs)),
};
const bounded = createCapture({ ledger: slow, gateways, fetch: memoryFetch });
const boundedClient = openai(bounded.fetch);
const heapMiB: { at: number; heap: number; held: number }[] = [];
let peakRss = 0;
const gc = (globalThis as { gc?: () => void }).gc;
for (let i = 1; i <= config.memoryCalls; i++) {
  await boundedClient.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }] });
  if (i % (config.memoryCalls / 10) === 0) {
    gc?.();
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    heapMiB.push({ at: i, heap: usage.heapUsed / 2 ** 20, held: bounded.stats().pending });
  }
}
result.memory = {
  calls: config.memoryCalls,
  callUs,
  lookupMs,
  heapMiB,
  peakRssMiB: peakRss / 2 ** 20,
  stats: { ...bounded.stats() },
};
await bounded.close();
await capture.close();
await inMemory.close();
await inMemoryWithLookups.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
