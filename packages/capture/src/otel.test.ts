// The OpenTelemetry sink with the real OpenTelemetry SDK: its in-memory exporter, and its OTLP/HTTP
// exporter sending to a receiver on 127.0.0.1 that decodes what arrives.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createCapture } from "@genledger/capture";
import { otelSink } from "@genledger/capture/otel";
import { createLedger } from "@genledger/normalize";
import { openrouter } from "@genledger/normalize/openrouter";
import { type MockGateway, startMockGateway } from "@genledger/testing";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const apiKey = "test-key-123";
let mock: MockGateway;
beforeAll(async () => {
  mock = await startMockGateway({
    openrouter: { fault: (id) => (id.startsWith("fail-") ? { status: 500 } : undefined) },
  });
});
afterAll(() => mock.close());

/** One tagged chat completion through a capture that reports to `sink`; resolves with the completion. */
async function oneCall(sink: ReturnType<typeof otelSink>) {
  const ledger = createLedger({ providers: [openrouter({ apiKey, baseUrl: mock.baseUrls.openrouter })] });
  const capture = createCapture({ ledger, gateways: mock.gateways, tags: { customer: "acme" }, ...sink });
  const client = new OpenAI({ apiKey, baseURL: mock.baseUrls.openrouter, maxRetries: 0, fetch: capture.fetch });
  const completion = await client.chat.completions.create({
    model: "anthropic/claude-sonnet-4",
    messages: [{ role: "user", content: "hi" }],
  });
  await capture.flush({ timeoutMs: 60_000 });
  await capture.close();
  return completion;
}

describe("otelSink", () => {
  it("one CLIENT span per call, named and attributed as the GenAI conventions say, cost included", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const completion = await oneCall(otelSink({ tracer: provider.getTracer("test") }));
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span?.name).toBe("chat anthropic/claude-sonnet-4");
    expect(span?.kind).toBe(2); // SpanKind.CLIENT
    const cost = (completion.usage as unknown as { cost: number }).cost;
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "anthropic/claude-sonnet-4",
      "gen_ai.response.model": "anthropic/claude-sonnet-4",
      "gen_ai.response.id": completion.id,
      "gen_ai.usage.input_tokens": completion.usage?.prompt_tokens,
      "gen_ai.usage.output_tokens": completion.usage?.completion_tokens,
      "gen_ai.usage.cache_read.input_tokens": completion.usage?.prompt_tokens_details?.cached_tokens,
      "gen_ai.usage.cost.amount": cost,
      "gen_ai.usage.cost.currency": "USD",
      "genledger.cost.amount": String(cost),
      "genledger.gateway": "openrouter",
      "genledger.billing": "final",
      "genledger.tag.customer": "acme",
    });
    await provider.shutdown();
  });

  it("a call capture could not book is an error span", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const sink = otelSink({ tracer: provider.getTracer("test") });
    sink.onError(
      Object.assign(new Error("openrouter: the stream carried no generation id"), {
        code: "no-id",
        call: {
          provider: "openrouter",
          ref: null,
          api: "chat.completions",
          via: "fetch",
          streamed: true,
          tags: {},
          requestModel: "m",
          startedAt: Date.now() - 10,
          firstByteAt: null,
          endedAt: Date.now(),
        },
      }) as never,
    );
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toEqual({ code: 2, message: "openrouter: the stream carried no generation id" });
    expect(span?.attributes["error.type"]).toBe("genledger.capture.no-id");
    await provider.shutdown();
  });

  it("arrives over OTLP/HTTP with the same attributes", async () => {
    const bodies: unknown[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        bodies.push({
          path: req.url,
          type: req.headers["content-type"],
          body: JSON.parse(Buffer.concat(chunks).toString()),
        });
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "genledger-test" }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url }))],
    });
    const completion = await oneCall(otelSink({ tracer: provider.getTracer("test") }));
    await provider.forceFlush();
    await provider.shutdown();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));

    type Value = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean };
    type Decoded = {
      resourceSpans: {
        scopeSpans: { spans: { name: string; kind: number; attributes: { key: string; value: Value }[] }[] }[];
      }[];
    };
    const [first] = bodies as { path: string; type: string; body: Decoded }[];
    expect(first?.path).toBe("/v1/traces");
    expect(first?.type).toContain("application/json");
    const spans = (bodies as { body: Decoded }[]).flatMap((b) =>
      b.body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    expect(spans).toHaveLength(1);
    const span = spans[0] as Decoded["resourceSpans"][number]["scopeSpans"][number]["spans"][number];
    expect(span.kind).toBe(3); // OTLP's SPAN_KIND_CLIENT
    const decoded = Object.fromEntries(
      span.attributes.map(({ key, value }) => [
        key,
        value.stringValue ?? value.doubleValue ?? Number(value.intValue) ?? value.boolValue,
      ]),
    );
    const cost = (completion.usage as unknown as { cost: number }).cost;
    expect(decoded).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.response.id": completion.id,
      "gen_ai.usage.input_tokens": completion.usage?.prompt_tokens,
      "gen_ai.usage.cost.amount": cost,
      "genledger.cost.amount": String(cost),
      "genledger.tag.customer": "acme",
    });
  });
});
