// @genledger/capture/otel: captured calls as OpenTelemetry spans, following the GenAI semantic
// conventions for client spans. `@opentelemetry/api` is an optional peer: only its types are used, so
// the tracer you pass is the only OpenTelemetry code that runs.
import { toOtelAttributes } from "@genledger/normalize";
import type { Attributes, Tracer } from "@opentelemetry/api";
import type { CaptureError } from "./capture-error.js";
import type { CapturedCall, CaptureRecord } from "./types.js";

export interface OtelSinkOptions {
  /** Where the spans go: `trace.getTracer("my-app")`, or a tracer of your own provider. */
  tracer: Tracer;
  /** Each tag becomes the attribute `<tagPrefix><name>`; default `"genledger.tag."`. */
  tagPrefix?: string | undefined;
}

export interface OtelSink {
  onGeneration(record: CaptureRecord): void;
  onError(error: CaptureError): void;
}

// SpanKind.CLIENT and SpanStatusCode.ERROR of @opentelemetry/api, which is not imported at run time.
const client = 2;
const errorStatus = 2;

const operation = (_call: CapturedCall) => "chat";

function callAttributes(call: CapturedCall, tagPrefix: string): Attributes {
  const attributes: Attributes = {
    "gen_ai.operation.name": operation(call),
    "genledger.gateway": call.provider,
    "genledger.capture.api": call.api,
    "genledger.capture.via": call.via,
    "genledger.capture.streamed": call.streamed,
  };
  if (call.requestModel) attributes["gen_ai.request.model"] = call.requestModel;
  for (const [name, value] of Object.entries(call.tags)) attributes[tagPrefix + name] = value;
  return attributes;
}

/**
 * A span per captured call, once its record is looked up (an estimate makes none): named
 * `chat {model}`, kind CLIENT, from the call's start to the end of its response, with the GenAI
 * attributes of the record (`gen_ai.provider.name` is the upstream provider where the gateway says
 * which), the cost as `gen_ai.usage.cost.amount` (a double) and `genledger.cost.amount` (the exact
 * decimal), and the tags. A call capture could not book is a span with an error status. Use as
 * `createCapture({ ledger, ...otelSink({ tracer }) })`.
 */
export function otelSink(options: OtelSinkOptions): OtelSink {
  const { tracer } = options;
  const tagPrefix = options.tagPrefix ?? "genledger.tag.";
  const span = (call: CapturedCall, model: string | null, attributes: Attributes) =>
    tracer.startSpan(`${operation(call)}${model ? ` ${model}` : ""}`, {
      kind: client,
      startTime: call.startedAt,
      attributes,
    });
  return {
    onGeneration(record) {
      const g = record.generation;
      if (g.billing === "estimated") return;
      const s = span(record.call, record.call.requestModel ?? g.model, {
        ...callAttributes(record.call, tagPrefix),
        ...toOtelAttributes(g as never),
      });
      if (g.status === "failed") {
        s.setAttribute("error.type", "generation_failed");
        s.setStatus({ code: errorStatus, message: g.error ?? "the generation failed" });
      } else if (g.billing === "pending") {
        // Given up at the horizon: this span stands for the call; its not-final report adds none.
        s.setAttribute("error.type", "genledger.capture.not-final");
        s.setStatus({ code: errorStatus, message: "the billed record was not final at the horizon" });
      }
      s.end(record.call.endedAt ?? Date.now());
    },
    onError(error) {
      // A call given up with its pending record is already a span (above); bad tags do not fail a call.
      if ((error.code === "not-final" && error.cause === undefined) || error.code === "bad-tags") return;
      const s = span(error.call, error.call.requestModel, {
        ...callAttributes(error.call, tagPrefix),
        ...(error.call.ref ? { "gen_ai.response.id": error.call.ref.id } : {}),
        "error.type": `genledger.capture.${error.code}`,
      });
      s.setStatus({ code: errorStatus, message: error.message });
      s.end(error.call.endedAt ?? Date.now());
    },
  };
}
