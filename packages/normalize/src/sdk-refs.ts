// Generation refs from what an SDK call returned: the AI SDK (`ai`) result, or an OpenAI SDK
// completion from an OpenAI-compatible gateway. No SDK is imported: results are read structurally.
import { InvalidArgumentError } from "@genledger/core";
import type { Generation, ProviderName } from "./generation.js";
import type { GenerationRef, GetOptions } from "./ledger.js";

/** Gateways whose generation id an AI SDK result carries. */
export type AiSdkProvider = "vercel" | "openrouter";
/** OpenAI-compatible gateways whose completion `id` is their generation id. */
export type OpenAICompatibleProvider = "openrouter" | "zenmux" | "fastrouter" | "vercel";

/** The result holds no generation id where the SDK puts it. */
export class GenerationIdNotFoundError extends InvalidArgumentError {
  static override readonly kind: string = "GenerationIdNotFoundError";
  /** Where the id was expected, e.g. `providerMetadata.gateway.generationId`. */
  readonly expected: string;
  constructor(expected: string, found: string) {
    super(`no generation id: expected ${expected}; ${found}`);
    this.expected = expected;
  }
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** What a result does hold, for the error message (never values: they may be prompts). */
function described(result: unknown): string {
  const r = record(result);
  if (!r) return `got ${result === null ? "null" : Array.isArray(result) ? "an array" : typeof result}`;
  if (typeof r.then === "function") return "got a promise: await it first";
  const metadata = record(r.providerMetadata);
  const parts = [
    metadata ? `providerMetadata has ${Object.keys(metadata).join(", ") || "no keys"}` : "no providerMetadata",
    record(r.response) ? `response.id is ${text(record(r.response)?.id) ? "set" : "absent"}` : "no response",
  ];
  return `the result has ${parts.join("; ")}`;
}

const where = {
  vercel: "providerMetadata.gateway.generationId (Vercel AI Gateway)",
  openrouter: "response.id (OpenRouter's AI SDK provider, @openrouter/ai-sdk-provider)",
} as const;

/**
 * The generation ref of an AI SDK `generateText`/`generateObject` result (or of a `streamText`
 * result's awaited `{ providerMetadata, response }`, or a step). Vercel AI Gateway puts its id in
 * `providerMetadata.gateway.generationId`; OpenRouter's provider returns its generation id as
 * `response.id`. Without `provider`, the gateway is told from `providerMetadata`.
 */
export function refFromAiSdk<P extends AiSdkProvider = AiSdkProvider>(
  result: unknown,
  options: { provider?: P } = {},
): GenerationRef<P> {
  const r = record(result);
  const metadata = record(r?.providerMetadata);
  const provider = options.provider ?? (metadata?.gateway ? "vercel" : metadata?.openrouter ? "openrouter" : undefined);
  if (provider === "vercel") {
    const id = text(record(metadata?.gateway)?.generationId);
    if (id) return { provider: provider as P, id };
  } else if (provider === "openrouter") {
    const id = text(record(r?.response)?.id);
    if (id) return { provider: provider as P, id };
  } else if (provider !== undefined) {
    throw new InvalidArgumentError(
      `refFromAiSdk: unknown provider ${JSON.stringify(provider)}; expected vercel or openrouter`,
    );
  }
  const expected = provider ? where[provider] : `${where.vercel} or ${where.openrouter}`;
  throw new GenerationIdNotFoundError(expected, described(result));
}

/**
 * The generation ref of an OpenAI SDK chat completion (or stream chunk) from an OpenAI-compatible
 * gateway: its `id` is the gateway's generation id.
 */
export function refFromOpenAI<P extends OpenAICompatibleProvider>(completion: unknown, provider: P): GenerationRef<P> {
  const id = text(record(completion)?.id);
  if (id) return { provider, id };
  const r = record(completion);
  throw new GenerationIdNotFoundError(
    `the completion's \`id\` (OpenAI SDK pointed at ${provider})`,
    r
      ? typeof r.then === "function"
        ? "got a promise: await it first"
        : "its `id` is absent or empty"
      : described(completion),
  );
}

/** An OpenAI SDK completion or chunk (`object: "chat.completion"`, `"chat.completion.chunk"`, `"response"`). */
function isOpenAICompletion(value: Record<string, unknown> | undefined): boolean {
  return (
    typeof value?.object === "string" && /^(chat\.completion(\.chunk)?|text_completion|response)$/.test(value.object)
  );
}

/**
 * The ref of any supported SDK result: an AI SDK result, or (with `provider`) an OpenAI SDK completion.
 * What `getFor(ledger, result)` uses.
 */
export function refFromResult(result: unknown, provider?: string): GenerationRef {
  const r = record(result);
  if (isOpenAICompletion(r)) {
    if (!provider) {
      throw new InvalidArgumentError(
        "an OpenAI SDK completion does not say which gateway served it: pass { provider } (openrouter, zenmux, fastrouter, vercel)",
      );
    }
    return refFromOpenAI(result, provider as OpenAICompatibleProvider);
  }
  return refFromAiSdk(result, provider ? { provider: provider as AiSdkProvider } : {});
}

/**
 * The generation behind an SDK result: `getFor(ledger, result, { provider, signal, wait })` is
 * `ledger.get` of `refFromResult(result, provider)`. A function beside the ledger rather than a method
 * of it, so a bundle that never reads SDK results does not carry this module.
 */
export async function getFor<N extends ProviderName, P extends N = N>(
  ledger: { readonly providers: readonly N[]; get(provider: N, id: string, options?: GetOptions): Promise<Generation> },
  result: unknown,
  options: GetOptions & { provider?: P } = {},
): Promise<Generation<P>> {
  const { provider, ...rest } = options;
  const ref = refFromResult(result, provider);
  return ledger.get(ref.provider as N, ref.id, rest) as Promise<Generation<P>>;
}
