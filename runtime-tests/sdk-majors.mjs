// The current SDK majors (ai 7 with @ai-sdk/gateway 4, @openrouter/ai-sdk-provider 3, openai 7), which
// need Node >= 22, through capture against the mock gateway: what packages/capture/src/sdk.test.ts
// checks for ai 6 / openai 6, run by `pnpm test:runtimes` (run.ts) with runtime-tests' Node (node-latest-linux-x64).
// One line per check; a failure prints its error and the script exits 1.
import { createCapture, tagHeaders } from "@genledger/capture";
import { createLedger, getAllFor, refsFromAiSdk, sumCosts } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { vercel } from "@genledger/normalize/vercel";
import { startMockGateway } from "@genledger/testing";
import { createGateway, generateObject, generateText, stepCountIs, streamText, tool, wrapLanguageModel } from "ai7";
import OpenAI from "openai7";
import { createOpenRouter } from "openrouter-ai-sdk-provider3";
import { z } from "zod";

// ai 7 logs generateObject's deprecation; what it says is not what this checks.
globalThis.AI_SDK_LOG_WARNINGS = false;
const apiKey = "test-key-sdk-majors";
const prompt = "What is the weather in Lisbon?";
const hello = "Hello from the genledger mock gateway.";

const mock = await startMockGateway({ vercel: { notReadyCalls: 1 }, openrouter: { notReadyCalls: 1 } });
const ledger = createLedger({
  providers: [
    vercel({ apiKey, baseUrl: mock.baseUrls.vercel }),
    openrouter({ apiKey, baseUrl: mock.baseUrls.openrouter }),
  ],
});
const records = [];
const errors = [];
const capture = createCapture({
  ledger,
  gateways: mock.gateways,
  onGeneration: (r) => {
    records.push(r);
  },
  onError: (e) => errors.push(e),
});

const weather = tool({
  description: "The weather in a city",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

function check(condition, message) {
  if (!condition) throw new Error(message);
}
const same = (a, b, what) =>
  check(JSON.stringify(a) === JSON.stringify(b), `${what}: ${JSON.stringify(a)} !== ${JSON.stringify(b)}`);
const sorted = (xs) => [...xs].sort();
/** The final and estimated records of these ids, once capture has settled them. */
async function booked(ids) {
  await capture.flush({ timeoutMs: 60_000 });
  const of = (billing) =>
    sorted(
      records
        .filter((r) => r.generation.billing === billing && ids.includes(r.generation.id))
        .map((r) => r.generation.id),
    );
  return { finals: of("final"), estimates: of("estimated") };
}

/** Every model call of a run (a result, or its steps) found by getAllFor and booked by capture, estimate and final. */
async function expectBooked(source, ids) {
  const generations = await getAllFor(ledger, source, { wait: { timeoutMs: 30_000 } });
  same(
    generations.map((g) => g.id),
    ids,
    "getAllFor ids",
  );
  const { finals, estimates } = await booked(ids);
  same(finals, sorted(ids), "final records");
  same(estimates, sorted(ids), "estimated records");
  return generations;
}
const finalsOf = (ids) => records.filter((r) => r.generation.billing === "final" && ids.includes(r.generation.id));

/** An AI SDK middleware recording the parts that pass it (a v4 middleware, as ai 7 names them). */
const recorder = (into) => ({
  specificationVersion: "v4",
  wrapStream: async ({ doStream }) => {
    const result = await doStream();
    const stream = result.stream.pipeThrough(
      new TransformStream({
        transform(part, controller) {
          into.push(part);
          controller.enqueue(part);
        },
      }),
    );
    return { ...result, stream };
  },
});

let failed = 0;
async function part(label, fn) {
  const errorsBefore = errors.length;
  try {
    const said = await fn();
    const newErrors = errors.slice(errorsBefore);
    if (newErrors.length > 0) {
      throw new Error(`capture reported: ${newErrors.map((e) => `${e.code}: ${e.message}`).join("; ")}`);
    }
    console.log(`${label}: ok${said ? ` (${said})` : ""}`);
  } catch (error) {
    failed++;
    console.log(`${label}: FAILED`);
    console.log(error?.stack ?? String(error));
  }
}

try {
  // a. ai 7 through Vercel AI Gateway (@ai-sdk/gateway 4, ai 7's own).
  const gateway = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai` });
  await part("a1 ai 7 + gateway 4: generateText, 3-step tool run", async () => {
    const model = wrapLanguageModel({ model: gateway("anthropic/claude-sonnet-4"), middleware: capture.middleware() });
    const result = await generateText({
      model,
      prompt,
      tools: { weather },
      stopWhen: stepCountIs(5),
      headers: tagHeaders({ customer: "acme", run: "r-1" }),
    });
    same(result.steps.length, 3, "steps");
    same(result.text, hello, "text");
    const refs = refsFromAiSdk(result);
    const ids = refs.map((r) => r.id);
    const generations = await expectBooked(result, ids);
    const billed = result.steps.map((s) => ({
      cost: { amount: String(s.providerMetadata?.gateway?.cost), currency: "USD" },
    }));
    same(sumCosts(finalsOf(ids).map((r) => r.generation)), sumCosts(billed), "sum of final costs vs billed");
    same(sumCosts(generations), sumCosts(billed), "sum of getAllFor costs vs billed");
    for (const r of finalsOf(ids)) {
      same(r.tags, { customer: "acme", run: "r-1" }, "tags");
      same([r.call.provider, r.call.via, r.call.streamed], ["vercel", "middleware", false], "call");
      same(r.estimate?.difference, "0", "estimate difference");
    }
    return `${ids.length} steps booked, cost ${JSON.stringify(sumCosts(generations))}`;
  });

  await part("a2 ai 7 + gateway 4: streamText, 3-step tool run, parts untouched", async () => {
    const seenInside = [];
    const seenOutside = [];
    const model = wrapLanguageModel({
      model: gateway("openai/gpt-5-mini"),
      middleware: [recorder(seenOutside), capture.middleware(), recorder(seenInside)],
    });
    const result = streamText({ model, prompt, tools: { weather }, stopWhen: stepCountIs(5) });
    const steps = await result.steps;
    same(steps.length, 3, "steps");
    same(await result.text, hello, "text");
    check(seenOutside.length > 10, `only ${seenOutside.length} parts`);
    same(seenOutside.length, seenInside.length, "parts outside vs inside");
    for (const [i, p] of seenOutside.entries()) check(p === seenInside[i], `part ${i} changed`);
    const ids = refsFromAiSdk(steps).map((r) => r.id);
    const generations = await getAllFor(ledger, steps, { wait: { timeoutMs: 30_000 } });
    same(
      generations.map((g) => g.id),
      ids,
      "getAllFor ids",
    );
    const { finals, estimates } = await booked(ids);
    same(finals, sorted(ids), "final records");
    same(estimates, sorted(ids), "estimated records");
    check(
      finalsOf(ids).every((r) => r.call.streamed),
      "not all streamed",
    );
    const billed = steps.map((s) => ({ cost: { amount: String(s.providerMetadata?.gateway?.cost), currency: "USD" } }));
    same(sumCosts(finalsOf(ids).map((r) => r.generation)), sumCosts(billed), "sum of final costs vs billed");
    return `${ids.length} steps booked, ${seenOutside.length} parts, cost ${JSON.stringify(sumCosts(generations))}`;
  });

  await part("a3 ai 7 + gateway 4: generateObject", async () => {
    const model = wrapLanguageModel({ model: gateway("openai/gpt-5-mini"), middleware: capture.middleware() });
    const { object, providerMetadata } = await generateObject({
      model,
      prompt,
      schema: z.object({ city: z.string(), celsius: z.number() }),
    });
    same(object, { city: "genledger", celsius: 1 }, "object");
    const ids = [providerMetadata?.gateway?.generationId];
    same((await booked(ids)).finals, ids, "final records");
    return "1 booked";
  });

  // a'. The gateway's AI SDK endpoint through capture.fetch (no middleware), on its own capture.
  await part("a4 ai 7 + gateway 4: capture.fetch on <mock>/vercel/v3/ai, generateText and streamText", async () => {
    const own = [];
    const ownErrors = [];
    const c = createCapture({
      ledger,
      gateways: mock.gateways,
      onGeneration: (r) => {
        if (r.generation.billing === "final") own.push(r.generation.id);
      },
      onError: (e) => ownErrors.push(e),
    });
    const g = createGateway({ apiKey, baseURL: `${mock.url}/vercel/v3/ai`, fetch: c.fetch });
    const generated = await generateText({ model: g("anthropic/claude-sonnet-4"), prompt });
    const streamed = streamText({ model: g("anthropic/claude-sonnet-4"), prompt });
    same(await streamed.text, hello, "streamed text");
    const ids = [
      generated.providerMetadata?.gateway?.generationId,
      (await streamed.providerMetadata)?.gateway?.generationId,
    ];
    const stats = await c.flush({ timeoutMs: 60_000 });
    await c.close();
    same(
      ownErrors.map((e) => `${e.code}: ${e.message}`),
      [],
      "capture errors",
    );
    same(sorted(own), sorted(ids), "final records");
    return `stats ${JSON.stringify(stats)}`;
  });

  // ai 7's default gateway URL (https://ai-gateway.vercel.sh/v4/ai; @ai-sdk/gateway 3 used /v3/ai) with no
  // `gateways` option: the request leaves capture.fetch for the public URL, and is sent on to the mock.
  await part("a5 ai 7 + gateway 4: capture.fetch on the default https://ai-gateway.vercel.sh/v4/ai", async () => {
    const own = [];
    const ownErrors = [];
    const seen = [];
    const toMock = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      seen.push(url);
      return fetch(url.replace(/^https:\/\/ai-gateway\.vercel\.sh\/v4\/ai/, `${mock.url}/vercel/v3/ai`), init);
    };
    const c = createCapture({
      ledger,
      fetch: toMock,
      onGeneration: (r) => {
        if (r.generation.billing === "final") own.push(r.generation.id);
      },
      onError: (e) => ownErrors.push(e),
    });
    const g = createGateway({ apiKey, fetch: c.fetch });
    const generated = await generateText({ model: g("anthropic/claude-sonnet-4"), prompt });
    const stats = await c.flush({ timeoutMs: 60_000 });
    await c.close();
    same(seen, ["https://ai-gateway.vercel.sh/v4/ai/language-model"], "requests");
    same(
      ownErrors.map((e) => `${e.code}: ${e.message}`),
      [],
      "capture errors",
    );
    same(own, [generated.providerMetadata?.gateway?.generationId], "final records");
    return `stats ${JSON.stringify(stats)}`;
  });

  // b. ai 7 through OpenRouter's provider 3.
  const provider = createOpenRouter({ apiKey, baseURL: mock.baseUrls.openrouter });
  const orModel = wrapLanguageModel({ model: provider.chat("openai/gpt-4o-mini"), middleware: capture.middleware() });
  for (const [label, run] of [
    [
      "b1 ai 7 + openrouter provider 3: generateText, tool run",
      async () => (await generateText({ model: orModel, prompt, tools: { weather }, stopWhen: stepCountIs(5) })).steps,
    ],
    [
      "b2 ai 7 + openrouter provider 3: streamText, tool run",
      async () => await streamText({ model: orModel, prompt, tools: { weather }, stopWhen: stepCountIs(5) }).steps,
    ],
  ]) {
    await part(label, async () => {
      const steps = await run();
      same(steps.length, 3, "steps");
      const refs = refsFromAiSdk(steps);
      check(
        refs.every((r) => r.provider === "openrouter"),
        `providers ${refs.map((r) => r.provider)}`,
      );
      const ids = refs.map((r) => r.id);
      const generations = await expectBooked(steps, ids);
      const est = records.find((r) => r.generation.billing === "estimated" && ids.includes(r.generation.id));
      same(est?.sources.cost, "providerMetadata.openrouter.usage.cost", "estimate's cost source");
      const billed = steps.map((s) => ({
        cost: { amount: String(s.providerMetadata?.openrouter?.usage?.cost), currency: "USD" },
      }));
      same(sumCosts(finalsOf(ids).map((r) => r.generation)), sumCosts(billed), "sum of final costs vs billed");
      return `${ids.length} steps booked, cost ${JSON.stringify(sumCosts(generations))}`;
    });
  }

  // c. openai 7 through capture.fetch, on OpenRouter.
  const client = new OpenAI({ apiKey, baseURL: mock.baseUrls.openrouter, maxRetries: 0, fetch: capture.fetch });
  const messages = [{ role: "user", content: prompt }];
  await part("c1 openai 7: chat.completions, streamed and not", async () => {
    const plain = await client.chat.completions.create(
      { model: "openai/gpt-4o-mini", messages },
      { headers: tagHeaders({ customer: "plain" }) },
    );
    const stream = await client.chat.completions.create(
      { model: "openai/gpt-4o-mini", messages, stream: true, stream_options: { include_usage: true } },
      { headers: tagHeaders({ customer: "streamed" }) },
    );
    let text = "";
    let streamId = "";
    for await (const chunk of stream) {
      streamId ||= chunk.id;
      text += chunk.choices[0]?.delta.content ?? "";
    }
    same(text, hello, "streamed text");
    const ids = [plain.id, streamId];
    const { finals, estimates } = await booked(ids);
    same(finals, sorted(ids), "final records");
    same(estimates, sorted(ids), "estimated records");
    const got = finalsOf(ids).map((r) => [r.generation.provider, r.generation.id, r.tags.customer, r.call.streamed]);
    same(
      sorted(got.map(String)),
      sorted(
        [
          ["openrouter", plain.id, "plain", false],
          ["openrouter", streamId, "streamed", true],
        ].map(String),
      ),
      "records",
    );
    const plainFinal = finalsOf([plain.id])[0];
    same(plainFinal?.generation.usage.inputTokens, plain.usage?.prompt_tokens, "input tokens");
    same(plainFinal?.generation.usage.outputTokens, plain.usage?.completion_tokens, "output tokens");
    same(plainFinal?.generation.cost?.amount, String(plain.usage?.cost), "cost");
    return "2 completions booked";
  });

  await part("c2 openai 7: Responses API, streamed and not", async () => {
    const plain = await client.responses.create({ model: "openai/gpt-4o-mini", input: prompt });
    const stream = await client.responses.create({ model: "openai/gpt-4o-mini", input: prompt, stream: true });
    let streamId = "";
    for await (const event of stream) if (event.type === "response.completed") streamId = event.response.id;
    const ids = [plain.id, streamId];
    const { finals } = await booked(ids);
    same(finals, sorted(ids), "final records");
    const sources = records
      .filter((r) => r.generation.billing === "estimated" && ids.includes(r.generation.id))
      .map((r) => r.sources.cost);
    same(sorted(sources), ["response.usage.cost", "usage.cost"], "estimate sources");
    return "2 responses booked";
  });

  // d.
  const stats = await capture.flush({ timeoutMs: 60_000 });
  console.log(`stats ${JSON.stringify(stats)}`);
  console.log(`errors ${JSON.stringify(errors.map((e) => ({ code: e.code, message: e.message })))}`);
  const expected = { captured: 17, resolved: 17, pending: 0, failed: 0, dropped: 0 };
  if (Object.entries(expected).some(([k, v]) => stats[k] !== v)) {
    failed++;
    console.log(`stats: FAILED, expected ${JSON.stringify(expected)}`);
  }
  if (errors.length > 0) failed++;
} finally {
  await capture.close();
  await mock.close();
}
console.log(`node ${process.versions.node}: ${failed === 0 ? "all SDK-major checks passed" : `${failed} failed`}`);
if (failed > 0) process.exitCode = 1;
