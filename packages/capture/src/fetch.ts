// capture.fetch: a `fetch` for any OpenAI-compatible SDK. A completion of a known gateway is observed
// as its body passes (JSON, or the SSE stream of chat completions, the Responses API or the AI SDK
// gateway endpoint); every other request is passed through as it is.
import { parseJsonExact } from "@genledger/core";
import { type CaptureCore, type CapturedCall, CaptureError } from "./capture.js";
import { EventStreamReader } from "./event-stream.js";
import type { CapturedApi, GatewayMatcher } from "./gateways.js";
import {
  emptyInline,
  type Inline,
  obj,
  readAiSdkPart,
  readAiSdkUsage,
  readOpenAI,
  readProviderMetadata,
} from "./inline.js";
import { observe } from "./observe.js";
import { readTagHeader, type Tags, tagHeader } from "./tags.js";

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A non-streamed body larger than this is passed on without being read for its id. */
export const maxJsonBytes = 16 * 1024 * 1024;

/** JSON that may carry a cost keeps its exact digits. */
const parse = (text: string): unknown => (text.includes('"cost"') ? parseJsonExact(text) : JSON.parse(text));

/** One JSON value of a response, into what the call said. */
function read(api: CapturedApi, into: Inline, value: unknown): void {
  if (api !== "ai-sdk") {
    readOpenAI(into, value);
    return;
  }
  // The AI SDK gateway endpoint: a generate result, or one stream part.
  const v = obj(value);
  if (v?.type !== undefined) {
    readAiSdkPart(into, v, false);
    return;
  }
  readAiSdkUsage(into, v?.usage);
  readProviderMetadata(into, v?.providerMetadata);
}

function headerValue(headers: HeadersInit | undefined): string | null {
  if (!headers) return null;
  if (headers instanceof Headers) return headers.get(tagHeader);
  if (Array.isArray(headers)) return headers.find(([name]) => name.toLowerCase() === tagHeader)?.[1] ?? null;
  for (const name in headers)
    if (name.toLowerCase() === tagHeader) return (headers as Record<string, string>)[name] ?? null;
  return null;
}

function withoutTagHeader(headers: HeadersInit): Headers {
  const copy = new Headers(headers);
  copy.delete(tagHeader);
  return copy;
}

/** The model a JSON request body asks for, without parsing the whole prompt. */
function requestModel(body: unknown): string | null {
  if (typeof body !== "string") return null;
  const m = /"model"\s*:\s*"([^"\\]{1,200})"/.exec(body);
  return m ? (m[1] as string) : null;
}

export function captureFetch(core: CaptureCore, matcher: GatewayMatcher, tags: Tags, base: Fetch | undefined): Fetch {
  return async function fetch(input, init) {
    const send: Fetch = base ?? globalThis.fetch;
    const request = input instanceof Request ? input : undefined;
    // The call's tags leave with capture, never with the request.
    let callTags: Tags = tags;
    let tagError: string | undefined;
    const header = headerValue(init?.headers) ?? request?.headers.get(tagHeader) ?? null;
    if (header !== null) {
      try {
        callTags = { ...tags, ...readTagHeader(header) };
      } catch (error) {
        tagError = (error as Error).message;
      }
      if (init?.headers && headerValue(init.headers) !== null)
        init = { ...init, headers: withoutTagHeader(init.headers) };
      if (request?.headers.has(tagHeader)) input = new Request(request, { headers: withoutTagHeader(request.headers) });
    }
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const target = method === "POST" ? matcher.match(url) : undefined;
    const call =
      target &&
      core.begin({
        provider: target.provider,
        api: target.api,
        via: "fetch",
        streamed: false,
        tags: callTags,
        requestModel: requestModel(init?.body),
      });
    if (call && tagError) core.report(new CaptureError("bad-tags", { ...call, ref: null }, tagError));
    const response = await send(input, init);
    if (!call || !response.ok || !response.body) return response;
    return observed(core, call, response);
  };
}

function observed(core: CaptureCore, call: CapturedCall, response: Response): Response {
  if (!core.responded(call)) return response;
  const inline = emptyInline();
  const api = call.api;
  call.streamed = /^\s*text\/event-stream/i.test(response.headers.get("content-type") ?? "");
  let see: (chunk: Uint8Array) => void;
  let finish: () => void;
  if (call.streamed) {
    const events = new EventStreamReader((data) => {
      if (data === "[DONE]") return;
      // Once the id is known, only the events that can carry usage, cost or an error are parsed.
      if (inline.id && !/"(usage|error|providerMetadata|response)"/.test(data)) return;
      try {
        read(api, inline, parse(data));
      } catch {
        // an event that is not JSON: the SDK will say so; capture reads on
      }
    });
    see = (chunk) => events.push(chunk);
    finish = () => events.end();
  } else {
    const chunks: Uint8Array[] = [];
    let size = 0;
    see = (chunk) => {
      size += chunk.byteLength;
      if (size <= maxJsonBytes) chunks.push(chunk);
      else chunks.length = 0;
    };
    finish = () => {
      if (size > maxJsonBytes || chunks.length === 0) return;
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.byteLength;
      }
      try {
        read(api, inline, parse(new TextDecoder().decode(bytes)));
      } catch {
        // not JSON: no id to read
      }
    };
  }
  const body = observe(
    response.body as ReadableStream<Uint8Array>,
    (chunk) => {
      call.firstByteAt ??= Date.now();
      see(chunk);
    },
    () => {
      finish();
      core.settle(call, inline);
    },
  );
  const wrapped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // What a Response made here cannot be given in its constructor.
  Object.defineProperties(wrapped, {
    url: { value: response.url },
    redirected: { value: response.redirected },
  });
  return wrapped;
}
