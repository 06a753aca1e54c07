// Generation refs from what an SDK call returned: the AI SDK (`ai`) result, or an OpenAI SDK
// completion from an OpenAI-compatible gateway. No SDK is imported: results are read structurally.
import { asObject, InvalidArgumentError } from "@genledger/core/internal";
import type { Generation, GenerationRef, ProviderName } from "./generation.js";
import type { GetOptions } from "./ledger.js";

// Its own, not convert's `obj`: this module is in the main entry, which must not pull in the mappers' helpers.

/** Gateways whose generation id an AI SDK result carries. */
/**
 * The gateways an AI SDK call can go through, told apart by the provider name their models carry
 * (`gateway`, `gateway.*`; `openrouter`, `openrouter.chat`) and by the key of their `providerMetadata`.
 * Vercel's id is `providerMetadata.gateway.generationId`; OpenRouter's the response's own `id`.
 */
export const aiSdkGateways = {
  vercel: { model: "gateway", metadata: "gateway" },
  openrouter: { model: "openrouter", metadata: "openrouter" },
} as const;
export type AiSdkProvider = keyof typeof aiSdkGateways;
const aiSdkProviders = Object.keys(aiSdkGateways) as AiSdkProvider[];

/** The gateway whose metadata a result or stream part carries, if any. */
export function aiSdkProviderOfMetadata(metadata: unknown): AiSdkProvider | undefined {
  const m = asObject(metadata);
  return aiSdkProviders.find((p) => Boolean(m?.[aiSdkGateways[p].metadata]));
}

/** The gateway of an AI SDK model, from its `provider` (`gateway`, `openrouter.chat`), if any. */
export function aiSdkProviderOfModel(provider: unknown): AiSdkProvider | undefined {
  const name = typeof provider === "string" ? provider : "";
  return aiSdkProviders.find((p) => name === aiSdkGateways[p].model || name.startsWith(`${aiSdkGateways[p].model}.`));
}
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

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** What a result does hold, for the error message (never values: they may be prompts). */
function described(result: unknown): string {
  const r = asObject(result);
  if (!r) return `got ${result === null ? "null" : Array.isArray(result) ? "an array" : typeof result}`;
  if (typeof r.then === "function") return "got a promise: await it first";
  const metadata = asObject(r.providerMetadata);
  const parts = [
    metadata ? `providerMetadata has ${Object.keys(metadata).join(", ") || "no keys"}` : "no providerMetadata",
    asObject(r.response) ? `response.id is ${text(asObject(r.response)?.id) ? "set" : "absent"}` : "no response",
  ];
  return `the result has ${parts.join("; ")}`;
}

const where = {
  vercel: "providerMetadata.gateway.generationId (Vercel AI Gateway)",
  openrouter: "response.id (OpenRouter's AI SDK provider, @openrouter/ai-sdk-provider)",
} as const;

/** The result holds more than one model call: one ref would book part of its cost as the whole. */
export class MultipleGenerationsError extends InvalidArgumentError {
  static override readonly kind: string = "MultipleGenerationsError";
  /** Every model call's ref, in step order: what `refsFromAiSdk` returns. */
  readonly refs: readonly GenerationRef[];
  constructor(refs: readonly GenerationRef[]) {
    super(
      `the result holds ${refs.length} generations (one per step); one ref would book part of the cost as the whole: use refsFromAiSdk(result) or getAllFor(ledger, result)`,
    );
    this.refs = refs;
  }
}

/** One step's ref: a step, a single-step result, or a `streamText` result's awaited parts. */
function stepRef<P extends AiSdkProvider>(step: unknown, options: { provider?: P }, which: string): GenerationRef<P> {
  const r = asObject(step);
  const metadata = asObject(r?.providerMetadata);
  const provider = options.provider ?? aiSdkProviderOfMetadata(metadata);
  if (provider === "vercel") {
    const id = text(asObject(metadata?.gateway)?.generationId);
    if (id) return { provider: provider as P, id };
  } else if (provider === "openrouter") {
    const id = text(asObject(r?.response)?.id);
    if (id) return { provider: provider as P, id };
  } else if (provider !== undefined) {
    throw new InvalidArgumentError(
      `refFromAiSdk: unknown provider ${JSON.stringify(provider)}; expected vercel or openrouter`,
    );
  }
  const expected = provider ? where[provider] : `${where.vercel} or ${where.openrouter}`;
  throw new GenerationIdNotFoundError(expected, `${which}${described(step)}`);
}

/** The steps of a result: its `steps`, the result itself when it is an array of steps, or the one step it is. */
function stepsOf(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  const steps = asObject(result)?.steps;
  if (typeof (steps as { then?: unknown } | undefined)?.then === "function") {
    throw new InvalidArgumentError(
      "the result's `steps` is a promise (a streamText result): pass `await result.steps`",
    );
  }
  return Array.isArray(steps) && steps.length > 0 ? steps : [result];
}

/**
 * Every model call's ref, in step order: a `generateText`/`generateObject` result (`result.steps`), a
 * `streamText` result's `await result.steps`, or a single step. Vercel AI Gateway puts each id in the
 * step's `providerMetadata.gateway.generationId`; OpenRouter's provider returns it as `response.id`.
 * Without `provider`, each step's gateway is told from its `providerMetadata`.
 */
export function refsFromAiSdk<P extends AiSdkProvider = AiSdkProvider>(
  result: unknown,
  options: { provider?: P } = {},
): GenerationRef<P>[] {
  const steps = stepsOf(result);
  if (steps.length === 0) {
    throw new GenerationIdNotFoundError("at least one step (the result's `steps` is empty)", "got an empty array");
  }
  return steps.map((step, i) => stepRef(step, options, steps.length > 1 ? `step ${i + 1} of ${steps.length}: ` : ""));
}

/**
 * The generation ref of an AI SDK result with one model call (or of one step). A result of a
 * multi-step run (tools, `stopWhen`) throws MultipleGenerationsError: its top-level
 * `providerMetadata` is the last step's only; use `refsFromAiSdk`.
 */
export function refFromAiSdk<P extends AiSdkProvider = AiSdkProvider>(
  result: unknown,
  options: { provider?: P } = {},
): GenerationRef<P> {
  const refs = refsFromAiSdk(result, options);
  if (refs.length > 1) throw new MultipleGenerationsError(refs);
  return refs[0] as GenerationRef<P>;
}

/**
 * The generation ref of an OpenAI SDK chat completion (or stream chunk) from an OpenAI-compatible
 * gateway: its `id` is the gateway's generation id.
 */
export function refFromOpenAI<P extends OpenAICompatibleProvider>(completion: unknown, provider: P): GenerationRef<P> {
  const id = text(asObject(completion)?.id);
  if (id) return { provider, id };
  const r = asObject(completion);
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
 * Every ref of any supported SDK result: each step of an AI SDK result, or (with `provider`) the one
 * of an OpenAI SDK completion. What `getAllFor(ledger, result)` uses.
 */
export function refsFromResult(result: unknown, provider?: string): GenerationRef[] {
  const r = asObject(result);
  if (isOpenAICompletion(r)) {
    if (!provider) {
      throw new InvalidArgumentError(
        "an OpenAI SDK completion does not say which gateway served it: pass { provider } (openrouter, zenmux, fastrouter, vercel)",
      );
    }
    return [refFromOpenAI(result, provider as OpenAICompatibleProvider)];
  }
  return refsFromAiSdk(result, provider ? { provider: provider as AiSdkProvider } : {});
}

/**
 * The ref of an SDK result with one model call: an AI SDK result, or (with `provider`) an OpenAI SDK
 * completion; a multi-step result throws MultipleGenerationsError. What `getFor(ledger, result)` uses.
 */
export function refFromResult(result: unknown, provider?: string): GenerationRef {
  const refs = refsFromResult(result, provider);
  if (refs.length > 1) throw new MultipleGenerationsError(refs);
  return refs[0] as GenerationRef;
}

/**
 * The generation behind an SDK result with one model call: `getFor(ledger, result, { provider, signal,
 * wait })` is `ledger.get` of `refFromResult(result, provider)`. A multi-step result rejects with
 * MultipleGenerationsError: use `getAllFor`. A function beside the ledger rather than a method of it,
 * so a bundle that never reads SDK results does not carry this module.
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

/**
 * Every generation behind an SDK result, in step order: one per model call of a multi-step run.
 * Lookups run through `ledger.getMany` (at most `concurrency` in flight, default 8); when any fails,
 * the promise rejects with the error of the earliest step that failed, once all have settled.
 */
export async function getAllFor<N extends ProviderName, P extends N = N>(
  ledger: {
    readonly providers: readonly N[];
    getMany(
      refs: Iterable<GenerationRef<N>>,
      options?: GetOptions & { concurrency?: number },
    ): AsyncIterable<{ ref: GenerationRef<N>; generation?: Generation; error?: Error }>;
  },
  result: unknown,
  options: GetOptions & { provider?: P; concurrency?: number } = {},
): Promise<Generation<P>[]> {
  const { provider, ...rest } = options;
  const refs = refsFromResult(result, provider) as GenerationRef<N>[];
  const order = new Map(refs.map((ref, i) => [ref, i]));
  const settled: { generation?: Generation; error?: Error }[] = [];
  for await (const one of ledger.getMany(refs, rest)) settled[order.get(one.ref) as number] = one;
  const failed = settled.find((one) => one.error);
  if (failed) throw failed.error;
  return settled.map((one) => one.generation) as Generation<P>[];
}
