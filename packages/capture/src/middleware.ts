// capture.middleware(): an AI SDK language model middleware (`wrapLanguageModel`). Each model call
// (each step, each retry, generate or stream) is one captured call. Types are structural: the AI SDK
// is not imported, and the object fits `LanguageModelMiddleware` (specification v3; ai 7's
// `wrapLanguageModel` takes v3 middleware beside v4, and its v4 results and parts read the same).
import { type AiSdkProvider, aiSdkProviderOfMetadata, aiSdkProviderOfModel } from "@genledger/normalize";
import type { CaptureCore } from "./capture.js";
import { CaptureError } from "./capture-error.js";
import { emptyInline, type Inline, obj, readAiSdkPart, readAiSdkUsage, readProviderMetadata } from "./inline.js";
import { observe } from "./observe.js";
import { readTagHeader, type Tags, tagHeader } from "./tags.js";
import type { CapturedCall } from "./types.js";

/** Gateways whose ids an AI SDK call carries: Vercel AI Gateway (`@ai-sdk/gateway`) and OpenRouter's provider. */
/** The gateways the middleware tells apart: normalize's AI SDK gateways (Vercel AI Gateway, OpenRouter). */
export type MiddlewareProvider = AiSdkProvider;

interface ModelLike {
  readonly provider: string;
  readonly modelId: string;
}
interface CallParams {
  headers?: Record<string, string | undefined> | undefined;
}
interface GenerateResultLike {
  usage?: unknown;
  providerMetadata?: unknown;
  response?: { id?: string | undefined; modelId?: string | undefined } | undefined;
}
interface StreamResultLike {
  stream: ReadableStream<any>;
}

/** What `capture.middleware()` returns: pass it to `wrapLanguageModel({ model, middleware })`. */
export interface CaptureMiddleware {
  readonly specificationVersion: "v3";
  transformParams<P extends CallParams>(options: { params: P; type: "generate" | "stream" }): Promise<P>;
  wrapGenerate<R extends GenerateResultLike>(options: {
    doGenerate: () => PromiseLike<R>;
    params: CallParams;
    model: ModelLike;
  }): Promise<R>;
  wrapStream<R extends StreamResultLike>(options: {
    doStream: () => PromiseLike<R>;
    params: CallParams;
    model: ModelLike;
  }): Promise<R>;
}

/** The gateway of a model: `@ai-sdk/gateway`'s provider is "gateway", OpenRouter's "openrouter.chat" and the like. */
const gatewayOf = (model: ModelLike): MiddlewareProvider | undefined => aiSdkProviderOfModel(model?.provider);

export function captureMiddleware(
  core: CaptureCore,
  tags: Tags,
  options: { provider?: MiddlewareProvider | undefined } = {},
): CaptureMiddleware {
  // The tags a call's params carried, keyed by the params object the wrap functions then get.
  const tagged = new WeakMap<object, { tags: Tags; error?: string }>();

  const begin = (params: CallParams, model: ModelLike, streamed: boolean) => {
    const found = tagged.get(params);
    const provider = options.provider ?? gatewayOf(model);
    const call = core.begin({
      provider: provider ?? String(model?.provider ?? "unknown"),
      api: "ai-sdk",
      via: "middleware",
      streamed,
      tags: found?.tags ?? tags,
      requestModel: typeof model?.modelId === "string" ? model.modelId : null,
    });
    if (call && found?.error) core.warn(new CaptureError("bad-tags", call, found.error));
    return { call, provider };
  };

  /** What the result or the parts said; the gateway is told from the metadata when the model did not say. */
  const settle = (
    call: CapturedCall,
    provider: MiddlewareProvider | undefined,
    inline: Inline,
    metadata: unknown,
    responseId: unknown,
  ) => {
    const m = obj(metadata);
    const told = provider ?? aiSdkProviderOfMetadata(m);
    if (!told) {
      core.settle(
        call,
        { ...inline, id: null },
        new CaptureError(
          "unknown-gateway",
          call,
          `the model's provider ${JSON.stringify(call.provider)} is not a gateway capture knows (Vercel AI Gateway, OpenRouter): pass middleware({ provider })`,
        ),
      );
      return;
    }
    call.provider = told;
    // Vercel's id is the metadata's generationId; OpenRouter's is the response id.
    const id = told === "vercel" ? obj(m?.gateway)?.generationId : responseId;
    inline.id = typeof id === "string" && id !== "" && id.length <= 512 ? id : null;
    core.settle(call, inline);
  };

  return {
    specificationVersion: "v3",

    async transformParams({ params }) {
      const headers = params?.headers;
      if (!headers) return params;
      const names = Object.keys(headers).filter((key) => key.toLowerCase() === tagHeader);
      if (names.length === 0) return params;
      const value = headers[names[0] as string];
      // Every spelling of the header is removed: none may reach the gateway.
      const rest = Object.fromEntries(Object.entries(headers).filter(([key]) => !names.includes(key)));
      const next = { ...params, headers: rest };
      try {
        tagged.set(next, { tags: { ...tags, ...readTagHeader(value ?? "") } });
      } catch (error) {
        tagged.set(next, { tags, error: (error as Error).message });
      }
      return next;
    },

    async wrapGenerate({ doGenerate, params, model }) {
      const { call, provider } = begin(params, model, false);
      const result = await doGenerate();
      if (!call || !core.responded(call)) return result;
      call.firstByteAt = Date.now();
      const inline = emptyInline();
      try {
        readAiSdkUsage(inline, result.usage);
        readProviderMetadata(inline, result.providerMetadata);
        inline.model = typeof result.response?.modelId === "string" ? result.response.modelId : null;
      } catch {
        // a result of an unexpected shape: no id, reported as such
      }
      settle(call, provider, inline, result?.providerMetadata, result?.response?.id);
      return result;
    },

    async wrapStream({ doStream, params, model }) {
      const { call, provider } = begin(params, model, true);
      const result = await doStream();
      if (!call || typeof result?.stream?.getReader !== "function" || !core.responded(call)) return result;
      const inline = emptyInline();
      let metadata: unknown;
      let responseId: unknown;
      const stream = observe(
        result.stream,
        (part) => {
          call.firstByteAt ??= Date.now();
          const p = obj(part);
          if (p?.type === "finish") metadata = p.providerMetadata;
          else if (p?.type === "response-metadata") responseId ??= p.id;
          readAiSdkPart(inline, part, false);
        },
        () => settle(call, provider, inline, metadata, responseId),
        (params as { abortSignal?: AbortSignal }).abortSignal,
      );
      return { ...result, stream };
    },
  };
}
