// OpenAI-compatible completions as the gateways answer them: chat completions and the Responses API,
// streamed (SSE) or not. A completion made here is remembered by its gateway, so its lookup reports the
// same model, tokens and cost that the completion did.
import { base32, type Completion, type Gate, json, type MockResponse, parseJson, type Route, sse } from "./mock-kit.js";

export type { Completion };

/** What one completion made on a mocked gateway used and cost; its lookup reports the same. */

export const replyText = "Hello from the genledger mock gateway.";
const replyParts = replyText.split(/(?<= )/);

/** The prompt's size in tokens, roughly as a tokenizer would count it (4 characters a token). */
export function promptTokens(prompt: unknown): number {
  return Math.max(1, Math.ceil((JSON.stringify(prompt ?? "")?.length ?? 0) / 4));
}

/** Tokens and price of a completion for a prompt of `input` tokens: cached ≤ input, reasoning ≤ output. */
export function completionFor(model: string, input: number): Omit<Completion, "created"> {
  const cachedInputTokens = Math.floor(input / 4);
  const outputTokens = 9;
  const reasoningTokens = 3;
  const cost = Number(
    ((input - cachedInputTokens) * 0.0000005 + cachedInputTokens * 0.00000025 + outputTokens * 0.0000015).toFixed(10),
  );
  return { model, inputTokens: input, cachedInputTokens, outputTokens, reasoningTokens, cost };
}

/** A value that fits a JSON schema, built from its declared properties: what a mocked model answers for structured output. */
export function valueFor(schema: unknown): unknown {
  const s = schema as { type?: unknown; properties?: Record<string, unknown>; items?: unknown } | null;
  if (s?.type === "object" || s?.properties) {
    return Object.fromEntries(Object.entries(s?.properties ?? {}).map(([name, p]) => [name, valueFor(p)]));
  }
  if (s?.type === "array") return [valueFor(s.items)];
  if (s?.type === "number" || s?.type === "integer") return 1;
  if (s?.type === "boolean") return true;
  return "genledger";
}

/** A mocked model calls a tool this many times in a conversation before it answers with text. */
export const toolRounds = 2;

/** A tool call to make: the first tool, with an input built from its JSON schema. */
export interface ToolCall {
  id: string;
  name: string;
  /** JSON text. */
  input: string;
}

/**
 * The tool call the mocked model makes next, or undefined when it answers: it calls the first tool
 * while the conversation holds fewer than `toolRounds` tool results.
 */
export function nextToolCall(
  tools: readonly { name: string; schema: unknown }[],
  results: number,
  id: string,
): ToolCall | undefined {
  const tool = tools[0];
  if (!tool || results >= toolRounds) return undefined;
  return { id: `call_${results + 1}_${id.slice(-8)}`, name: tool.name, input: JSON.stringify(valueFor(tool.schema)) };
}

const array = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : []);

/** The tool call an OpenAI-style chat request leads to (`tools[].function`, `role: "tool"` messages). */
function chatToolCall(body: Record<string, unknown>, id: string): ToolCall | undefined {
  const tools = array(body.tools).flatMap((t) => {
    const f = t.function as { name?: unknown; parameters?: unknown } | undefined;
    return typeof f?.name === "string" ? [{ name: f.name, schema: f.parameters }] : [];
  });
  return nextToolCall(tools, array(body.messages).filter((m) => m.role === "tool").length, id);
}

/** How a gateway's OpenAI-compatible completions look: its ids, and whether it sends the cost inline. */
export interface CompletionStyle {
  /** The lookup id of a new completion; `at` is what the route's `:id` segments matched (Cloudflare's account/gateway). */
  newId: (n: number, salt: string, created: number, at: string) => string;
  /** OpenRouter sends `usage.cost` in every response and in the last chunk of every stream. */
  inlineCost?: boolean;
  /**
   * The response header that carries the lookup id (NanoGPT's `X-Request-ID`, `cf-aig-log-id`, `Helicone-Id`):
   * the body's `id` is then the upstream provider's own, which the lookup does not know.
   */
  idHeader?: string;
  /** The id header's value for a lookup id; default the id (Cloudflare's is the log id alone). */
  headerId?: (id: string) => string;
  /** More response headers (LiteLLM's `x-litellm-call-id`, `x-litellm-response-cost`). */
  headers?: (id: string, completion: Completion) => Record<string, string>;
}

type Usage = Record<string, unknown>;

function chatUsage(c: Completion, inlineCost: boolean): Usage {
  return {
    prompt_tokens: c.inputTokens,
    completion_tokens: c.outputTokens,
    total_tokens: c.inputTokens + c.outputTokens,
    prompt_tokens_details: { cached_tokens: c.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: c.reasoningTokens },
    ...(inlineCost
      ? {
          cost: c.cost,
          is_byok: false,
          cost_details: {
            upstream_inference_cost: null,
            upstream_inference_prompt_cost: 0,
            upstream_inference_completions_cost: 0,
          },
        }
      : {}),
  };
}

function responsesUsage(c: Completion, inlineCost: boolean): Usage {
  return {
    input_tokens: c.inputTokens,
    input_tokens_details: { cached_tokens: c.cachedInputTokens },
    output_tokens: c.outputTokens,
    output_tokens_details: { reasoning_tokens: c.reasoningTokens },
    total_tokens: c.inputTokens + c.outputTokens,
    ...(inlineCost ? { cost: c.cost } : {}),
  };
}

/** What a completion route is answering: the request's body, and the completion recorded for it. */
interface Made {
  body: Record<string, unknown>;
  model: string;
  id: string;
  completion: Completion;
  inlineCost: boolean;
}

/**
 * A `POST <path>` completion route: the request refused as the gateway would (auth, faults, no
 * `model`), else a completion recorded under a fresh id for a prompt of `prompt(body)`, then `answer`.
 */
function completionRoute(
  gate: Gate,
  path: string,
  style: CompletionStyle,
  prompt: (body: Record<string, unknown>) => unknown,
  answer: (made: Made) => MockResponse,
): Route {
  return {
    method: "POST",
    path,
    answer: async (request, at) => {
      const refused = await gate.refuse(request, "", true);
      if (refused) return refused;
      const body = parseJson(await request.text()) as Record<string, unknown> | null;
      if (typeof body?.model !== "string") return gate.error(400, "`model` is required");
      const { id, completion } = gate.complete(
        (n, salt, created) => style.newId(n, salt, created, at),
        completionFor(body.model, promptTokens(prompt(body))),
      );
      // Where the lookup id travels in a header, the body carries the upstream's own id.
      const bodyId = style.idHeader ? `chatcmpl-${base32(`upstream-${id}`, 24).toLowerCase()}` : id;
      const response = answer({
        body,
        model: body.model,
        id: bodyId,
        completion,
        inlineCost: style.inlineCost ?? false,
      });
      const headers = {
        ...response.headers,
        ...(style.idHeader && { [style.idHeader]: style.headerId?.(id) ?? id }),
        ...style.headers?.(id, completion),
      };
      return { ...response, headers };
    },
  };
}

/**
 * `POST <path>` as an OpenAI-compatible gateway answers a chat completion, streamed (`stream: true`:
 * SSE chunks, then `data: [DONE]`) or not. The completion's `id` is the gateway's generation id.
 */
export function chatCompletionsRoute(gate: Gate, path: string, style: CompletionStyle): Route {
  return completionRoute(
    gate,
    path,
    style,
    (body) => body.messages,
    ({ body, model, id, completion, inlineCost }) => {
      const created = completion.created;
      const call = chatToolCall(body, id);
      const format = body.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined;
      const content =
        format?.type === "json_schema"
          ? JSON.stringify(valueFor(format.json_schema?.schema))
          : format?.type === "json_object"
            ? "{}"
            : replyText;
      const contentParts = content === replyText ? replyParts : [content];
      const toolCalls = call && [
        { id: call.id, type: "function", function: { name: call.name, arguments: call.input } },
      ];
      const finish = call ? "tool_calls" : "stop";
      if (body.stream !== true) {
        return json({
          id,
          object: "chat.completion",
          created,
          model,
          system_fingerprint: "fp_genledger",
          choices: [
            {
              index: 0,
              message: call
                ? { role: "assistant", content: null, tool_calls: toolCalls }
                : { role: "assistant", content },
              finish_reason: finish,
              logprobs: null,
            },
          ],
          usage: chatUsage(completion, inlineCost),
        });
      }
      const includeUsage =
        inlineCost || (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
      const chunk = (fields: Record<string, unknown>) =>
        JSON.stringify({
          ...(gate.streamFault === "no-id" ? {} : { id }),
          object: "chat.completion.chunk",
          created,
          model,
          ...fields,
        });
      const choice = (delta: unknown, finish: string | null = null) => ({
        choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      });
      const events = [
        // OpenRouter keeps a slow stream open with SSE comments; a reader must skip them.
        ...(inlineCost ? [": OPENROUTER PROCESSING\n\n"] : []),
        `data: ${chunk(choice({ role: "assistant", content: "" }))}\n\n`,
        ...(toolCalls
          ? [`data: ${chunk(choice({ tool_calls: toolCalls.map((t, index) => ({ index, ...t })) }))}\n\n`]
          : contentParts.map((text) => `data: ${chunk(choice({ content: text }))}\n\n`)),
        `data: ${chunk(choice({}, finish))}\n\n`,
        ...(includeUsage ? [`data: ${chunk({ choices: [], usage: chatUsage(completion, inlineCost) })}\n\n`] : []),
        "data: [DONE]\n\n",
      ];
      return sse(gate, events, (at) =>
        at === 2
          ? `data: ${chunk({ error: { code: 502, message: "Provider returned error" }, ...choice({}, "error") })}\n\n`
          : undefined,
      );
    },
  );
}

/** `POST <path>`: the OpenAI Responses API (OpenRouter's and Vercel's), streamed as typed SSE events or not. */
export function responsesRoute(gate: Gate, path: string, style: CompletionStyle): Route {
  return completionRoute(
    gate,
    path,
    style,
    (body) => body.input,
    ({ body, model, id, completion, inlineCost }) => {
      const message = {
        type: "message",
        id: `msg_${id.slice(-12)}`,
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: replyText, annotations: [] }],
      };
      const response = (status: string, done: boolean) => ({
        ...(gate.streamFault === "no-id" ? {} : { id }),
        object: "response",
        created_at: completion.created,
        model,
        status,
        output: done ? [message] : [],
        usage: done ? responsesUsage(completion, inlineCost) : null,
      });
      if (body.stream !== true) return json(response("completed", true));
      let sequence = 0;
      const event = (type: string, fields: Record<string, unknown>) =>
        `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
      const item = { ...message, status: "in_progress", content: [] };
      const events = [
        event("response.created", { response: response("in_progress", false) }),
        event("response.output_item.added", { output_index: 0, item }),
        event("response.content_part.added", {
          output_index: 0,
          item_id: message.id,
          content_index: 0,
          part: { type: "output_text", text: "", annotations: [] },
        }),
        ...replyParts.map((delta) =>
          event("response.output_text.delta", { output_index: 0, item_id: message.id, content_index: 0, delta }),
        ),
        event("response.output_text.done", { output_index: 0, item_id: message.id, content_index: 0, text: replyText }),
        event("response.output_item.done", { output_index: 0, item: message }),
        event("response.completed", { response: response("completed", true) }),
      ];
      return sse(gate, events, (at) =>
        at === 3 ? event("error", { code: "server_error", message: "Provider returned error" }) : undefined,
      );
    },
  );
}

export type { MockResponse };
