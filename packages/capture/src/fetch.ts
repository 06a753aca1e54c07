// capture.fetch: a `fetch` for any OpenAI-compatible SDK. A completion of a known gateway is observed
// as its body passes (JSON, or the SSE stream of chat completions, the Responses API or the AI SDK
// gateway endpoint); every other request is passed through as it is.
import { parseJsonExact } from "@genledger/core";
import { idHeaders } from "./base-urls.js";
import type { CaptureCore } from "./capture.js";
import { CaptureError } from "./capture-error.js";
import { EventStreamReader } from "./event-stream.js";
import type { CapturedApi, GatewayMatcher } from "./gateways.js";
import {
  emptyInline,
  type Inline,
  obj,
  readAiSdkPart,
  readAiSdkUsage,
  readHeaderCost,
  readOpenAI,
  readProviderMetadata,
} from "./inline.js";
import { observe } from "./observe.js";
import { readTagHeader, type Tags, tagHeader } from "./tags.js";
import type { CapturedCall } from "./types.js";

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A non-streamed body larger than this is passed on without being read for its id. */
export const maxJsonBytes = 16 * 1024 * 1024;
/** Decodes whole texts (a stream's parts use their own, stateful decoder). */
const utf8 = new TextDecoder();
/** How far into a stream its id is looked for. */
const maxHeadBytes = 64 * 1024;
/** How much of a stream's end is kept, and how many of its last events are read. */
const tailBytes = 64 * 1024;
const lastEvents = 6;

/** The last bytes of a stream: its newest chunks, at least `tailBytes` of them while there are. */
class Tail {
  private chunks: Uint8Array[] = [];
  private first = 0;
  private size = 0;

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    while (this.size - (this.chunks[this.first] as Uint8Array).byteLength >= tailBytes) {
      this.size -= (this.chunks[this.first] as Uint8Array).byteLength;
      this.first++;
    }
    if (this.first > 1024) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }

  /** The text of the last `n` events (or fewer, when the kept bytes hold fewer). */
  lastEvents(n: number): string {
    const bytes = new Uint8Array(this.size);
    let at = 0;
    for (let i = this.first; i < this.chunks.length; i++) {
      const chunk = this.chunks[i] as Uint8Array;
      bytes.set(chunk, at);
      at += chunk.byteLength;
    }
    const decoded = utf8.decode(bytes);
    const text = decoded.includes("\r") ? decoded.replace(/\r\n?/g, "\n") : decoded;
    // Back from the end, past n blank lines (the ends of events); a stream not closed by one counts too.
    let cut = text.endsWith("\n\n") ? text.length - 2 : text.length;
    for (let i = 0; i < n && cut > 0; i++) cut = text.lastIndexOf("\n\n", cut - 1);
    return cut <= 0 && this.first === 0 ? text : text.slice(cut + 2);
  }
}

// A cost a double may not hold as sent: more than 15 characters, or an exponent.
const costNumber = /"(?:cost|upstream_inference_cost|upstreamInferenceCost)"\s*:\s*(-?\d[\d.eE+-]*)/g;

/**
 * JSON whose cost keeps its exact digits. The exact parser walks every number in JS; the built-in parser
 * is many times faster on a body of thousands of numbers: used unless a cost is one a double cannot hold.
 */
function parse(text: string): unknown {
  for (const m of text.matchAll(costNumber)) {
    const digits = m[1] as string;
    if (digits.length > 15 || /[eE]/.test(digits)) return parseJsonExact(text);
  }
  return JSON.parse(text);
}

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

/** Headers of any form a caller may pass (a plain object, pairs, a Headers of any realm, a Map), as Headers. */
function asHeaders(headers: unknown): Headers | undefined {
  if (headers instanceof Headers) return headers;
  try {
    return new Headers(headers as HeadersInit);
  } catch {
    return undefined;
  }
}

function headerValue(headers: unknown): string | null {
  if (!headers) return null;
  // The common case, a plain object, without making a Headers.
  if (Object.getPrototypeOf(headers) === Object.prototype) {
    for (const name in headers) {
      if (name.toLowerCase() === tagHeader) return (headers as Record<string, string>)[name] ?? null;
    }
    return null;
  }
  return asHeaders(headers)?.get(tagHeader) ?? null;
}

/** The headers without the tag header; undefined when they are not headers fetch would send (CRLF in one). */
function withoutTagHeader(headers: unknown): Headers | undefined {
  const given = asHeaders(headers);
  if (!given) return undefined;
  const copy = new Headers(given);
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
  // A call shaped like a gateway's under a base URL capture cannot attribute: said once per base, not dropped
  // in silence (a mock's or a proxy's URL not given in `gateways`).
  const unattributed = new Set<string>();
  // The global fetch when capture was made: what it sends with once it is the global fetch itself
  // (`globalThis.fetch = capture.fetch`, for an SDK that ignores its `fetch` option), never itself.
  const before = globalThis.fetch;
  return async function fetch(input, init) {
    let send: Fetch = base ?? globalThis.fetch;
    if (send === fetch) send = before;
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
      // Headers fetch would refuse are passed on as they are, for fetch's own TypeError: never rewritten
      // into a request the caller did not make (one without its authorization).
      const own = init?.headers && headerValue(init.headers) !== null ? withoutTagHeader(init.headers) : undefined;
      if (own) init = { ...init, headers: own };
      if (request?.headers.has(tagHeader)) input = new Request(request, { headers: withoutTagHeader(request.headers) });
    }
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const target = method === "POST" ? matcher.match(url) : undefined;
    const shaped = method === "POST" && !target ? matcher.shape(url) : undefined;
    if (shaped !== undefined && !unattributed.has(shaped) && unattributed.size < 100) {
      unattributed.add(shaped);
      const at = shaped.replace(/\/\/[^/@]*@/, "//");
      const unknown = core.begin({
        provider: "unknown",
        api: "chat.completions",
        via: "fetch",
        streamed: false,
        tags,
        requestModel: null,
      });
      if (unknown) {
        core.warn(
          new CaptureError(
            "unknown-gateway",
            unknown,
            `capture: a POST to ${at}/… looks like a gateway's completion, but ${at} is no gateway capture knows: it is not booked. Name it: createCapture({ gateways: { "${at}": "<gateway>" } }), or set the gateway's *_BASE_URL variable`,
          ),
        );
      }
    }
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
    if (call && tagError) core.warn(new CaptureError("bad-tags", call, tagError));
    const response = await send(input, init);
    // A body that is not a web stream (a fetch of another kind) is passed on unread.
    if (!call || !response.ok || typeof response.body?.getReader !== "function") return response;
    return observed(core, call, response, init?.signal ?? request?.signal, headerId(target, response.headers));
  };
}

/** A text a header may carry as an id: printable, not empty, not a body. */
const idText = (v: string | null | undefined): string | null =>
  v && v.length <= 512 && /^[\x21-\x7e]+$/.test(v) ? v : null;

/**
 * The lookup id a gateway names in its response headers (`idHeaders`), read before any body byte; for
 * Cloudflare the ref `{account}/{gateway}/{log_id}`, the account and gateway from the URL's path after the
 * base (`/{account}/{gateway}/…`, or `/v1/{account}/{gateway}/…` under a base that stops before `/v1`).
 */
function headerId(
  target: { provider: string; rest: string },
  headers: Headers,
): { id: string | null; fallback: boolean; cost: { header: string; value: string } | null } | undefined {
  const spec = idHeaders[target.provider];
  if (!spec) return undefined;
  let id = idText(headers.get(spec.header));
  if (id && spec.ref === "cloudflare") {
    const m = /^(?:\/v1)?\/([^/]+)\/([^/]+)\//.exec(target.rest);
    const [account, gateway] = [idText(m?.[1]), idText(m?.[2])];
    id = account && gateway && !id.includes("/") ? `${account}/${gateway}/${id}` : null;
  }
  const cost = spec.cost ? headers.get(spec.cost) : null;
  return { id, fallback: spec.fallback === true, cost: spec.cost && cost ? { header: spec.cost, value: cost } : null };
}

function observed(
  core: CaptureCore,
  call: CapturedCall,
  response: Response,
  signal: AbortSignal | null | undefined,
  fromHeaders: ReturnType<typeof headerId>,
): Response {
  if (!core.responded(call)) return response;
  const inline = emptyInline();
  // The header's id is the lookup's, known before the body; where it is a fallback, the body's comes first.
  if (fromHeaders?.id && !fromHeaders.fallback) inline.id = fromHeaders.id;
  if (fromHeaders?.cost) readHeaderCost(inline, fromHeaders.cost.value, fromHeaders.cost.header);
  const api = call.api;
  call.streamed = /^\s*text\/event-stream/i.test(response.headers.get("content-type") ?? "");
  let see: (chunk: Uint8Array) => void;
  let finish: () => void;
  if (call.streamed) {
    // The id comes first (chat chunks, Responses' response.created); usage, cost, errors and the AI SDK
    // finish part come last. So the first events are read until the id is found, and only the stream's
    // last bytes are kept, to read its last events once it ends: nothing is parsed in between.
    const readEvent = (data: string) => {
      if (data === "[DONE]") return;
      try {
        read(api, inline, parse(data));
      } catch {
        // an event that is not JSON: the SDK will say so; capture reads on
      }
    };
    if (api === "responses") {
      // A Responses API stream names its events, and its last (response.completed) repeats the whole
      // output, which may outgrow any tail: every event is read, and only the lifecycle ones parsed.
      const lifecycle = (event: string) => /^(response\.(created|completed|failed|incomplete)|error)$/.test(event);
      const events = new EventStreamReader((data, event) => {
        if (!event || lifecycle(event)) readEvent(data);
      }, lifecycle);
      see = (chunk) => events.push(chunk);
      finish = () => events.end();
    } else {
      let head: EventStreamReader | undefined = api === "ai-sdk" ? undefined : new EventStreamReader(readEvent);
      let headBytes = 0;
      const tail = new Tail();
      see = (chunk) => {
        if (head) {
          // Never more than maxHeadBytes of a stream is read for its id.
          head.push(headBytes + chunk.byteLength > maxHeadBytes ? chunk.subarray(0, maxHeadBytes - headBytes) : chunk);
          headBytes += chunk.byteLength;
          if (inline.id || headBytes >= maxHeadBytes) head = undefined;
        }
        tail.push(chunk);
      };
      finish = () => {
        const events = new EventStreamReader((data) => {
          // Only the events that can carry usage, cost or an error are parsed.
          if (/"(usage|error|providerMetadata|response)"/.test(data)) readEvent(data);
        });
        events.pushText(tail.lastEvents(lastEvents));
        events.end();
      };
    }
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
        read(api, inline, parse(utf8.decode(bytes)));
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
    (outcome) => {
      finish();
      if (fromHeaders?.fallback) inline.id ??= fromHeaders.id;
      core.settle(call, inline, undefined, outcome === "cancelled");
    },
    signal,
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
