import {
  AbortError,
  closest,
  GenledgerError,
  InvalidArgumentError,
  maxTimeoutMs,
  type RateLimitState,
  ResponseParseError,
  sleep,
} from "@genledger/core/internal";
import type { Adapter, WaitOptions } from "./adapter.js";
import type { Generation, GenerationRef, ProviderName } from "./generation.js";
import { checkOptions } from "./options.js";

// Any adapter, whatever its list query.
type AnyAdapter = Adapter<ProviderName, any>;

type NameOf<A extends AnyAdapter> = A["provider"];
type AdapterFor<A extends AnyAdapter, P> = Extract<A, { provider: P }>;
/** Providers whose adapter can list (Oxen today). */
type ListableOf<A extends AnyAdapter> = Extract<A, { list: (...args: never[]) => unknown }>["provider"];
type ListQueryOf<A> = A extends { list: (query: infer Q, ...rest: never[]) => unknown } ? Q : never;

export type GetManyResult<P extends string = ProviderName> =
  | { ref: GenerationRef<P>; generation: Generation<Extract<P, ProviderName>>; error?: undefined }
  | { ref: GenerationRef<P>; error: Error; generation?: undefined };

export interface GetOptions {
  signal?: AbortSignal | undefined;
  /** Poll until the record is ready (OpenRouter's early 404, Oxen in flight, ZenMux billing if asked). */
  wait?: WaitOptions | undefined;
}

/** No adapter is configured for this provider name. */
export class UnknownProviderError extends InvalidArgumentError {
  static override readonly kind: string = "UnknownProviderError";
  readonly provider: string;
  constructor(provider: string, configured: readonly string[]) {
    const near = typeof provider === "string" ? closest(provider, configured) : undefined;
    super(
      `no adapter for provider ${JSON.stringify(provider)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; configured: ${configured.length ? configured.join(", ") : "none"}`,
    );
    this.provider = provider;
  }
}

/**
 * One lookup that does not wait: `ready` when the record is final, else what the gateway has so far
 * (`generation`: Oxen in flight, ZenMux billing pending with `billing`) or the "not ready yet" error it
 * answered (`notReady`: OpenRouter's and Vercel's early 404). Any other failure rejects.
 */
export type GetOnceResult<P extends ProviderName = ProviderName> =
  | { ready: true; generation: Generation<P>; notReady?: undefined }
  | { ready: false; generation: Generation<P>; notReady?: undefined }
  | {
      ready: false;
      generation?: undefined;
      notReady: Error;
      /** How long after the call the record may still appear, where the gateway says (`Adapter.notFoundHorizonMs`). */
      horizonMs?: number | undefined;
    };

export interface Ledger<A extends AnyAdapter> {
  readonly providers: readonly NameOf<A>[];
  get<P extends NameOf<A>>(provider: P, id: string, options?: GetOptions): Promise<Generation<P>>;
  /**
   * One lookup, no polling: for a caller that re-checks later itself (a background resolver) rather
   * than holding a wait. `billing` counts late billing (ZenMux) as not ready, as `wait.billing` does.
   */
  getOnce<P extends NameOf<A>>(
    provider: P,
    id: string,
    options?: { signal?: AbortSignal | undefined; billing?: boolean | undefined },
  ): Promise<GetOnceResult<P>>;
  /**
   * Every generation of every page, for gateways that can list; asking another is a type error. A job:
   * a 429 waits as `getMany`'s do, up to `deadlineMs`.
   */
  list<P extends ListableOf<A>>(
    provider: P,
    query?: ListQueryOf<AdapterFor<A, P>>,
    options?: { signal?: AbortSignal; deadlineMs?: number | undefined },
  ): AsyncIterable<Generation<P>>;
  /**
   * One result per ref, in completion order, with at most `concurrency` (1 to 1000, default 8)
   * lookups in flight: a ceiling; the gateway's rate limiter decides the pace. A 429 is not a failure:
   * the lookup waits what the gateway asked and goes again, so a row fails because of the rate limit
   * only when its wait would pass `deadlineMs` (from the call; default none, though no single wait
   * longer than an hour is made). Failures are results, never thrown; after an abort the remaining
   * refs yield AbortError. Invalid options reject the first `next()`.
   */
  getMany<P extends NameOf<A>>(
    refs: Iterable<GenerationRef<P>> | AsyncIterable<GenerationRef<P>>,
    options?: { concurrency?: number; signal?: AbortSignal; wait?: WaitOptions; deadlineMs?: number | undefined },
  ): AsyncIterable<GetManyResult<P>>;
  /** Per gateway, what its rate limiter knows now: the pace, where it comes from, 429s met, a pause. */
  stats(): { [K in NameOf<A>]?: RateLimitState };
}

/** Internal, untyped by provider; the public `Ledger` type narrows it. */
type Settled = { ref: GenerationRef; generation?: Generation; error?: Error };

/** Makes the ledger; throws InvalidArgumentError for an unknown option name or something that is not an adapter. */
export function createLedger<const A extends AnyAdapter>(config: { providers: readonly A[] }): Ledger<A> {
  checkOptions("createLedger", config, { providers: "an object" });
  const adapters = new Map<string, AnyAdapter>();
  for (const adapter of Array.isArray(config?.providers) ? config.providers : [null]) {
    if (typeof adapter?.provider !== "string" || typeof adapter.get !== "function") {
      throw new InvalidArgumentError("createLedger needs `providers`: an array of adapters such as `openrouter()`");
    }
    if (adapters.has(adapter.provider)) {
      throw new InvalidArgumentError(`provider ${JSON.stringify(adapter.provider)} is configured twice`);
    }
    adapters.set(adapter.provider, adapter);
  }
  const names = [...adapters.keys()];
  const adapterFor = (provider: string): AnyAdapter => {
    const adapter = adapters.get(provider);
    if (!adapter) throw new UnknownProviderError(provider, names);
    return adapter;
  };

  /** One lookup whose options are checked already; rejects, never throws synchronously. */
  async function lookupChecked(
    provider: string,
    id: string,
    wait: Required<WaitOptions> | undefined,
    init: Init,
  ): Promise<Generation> {
    const adapter = adapterFor(provider);
    return wait ? poll(adapter, id, wait, init) : lookup(adapter, id, init);
  }

  async function get(provider: string, id: string, options: GetOptions = {}): Promise<Generation> {
    checkOptions("get", options, { signal: "an object", wait: "an object" });
    return lookupChecked(provider, id, waitOptions(options.wait), { signal: options.signal });
  }

  async function getOnce(
    provider: string,
    id: string,
    options: { signal?: AbortSignal; billing?: boolean } = {},
  ): Promise<GetOnceResult> {
    checkOptions("getOnce", options, { signal: "an object", billing: "a boolean" });
    const adapter = adapterFor(provider);
    let generation: Generation;
    try {
      generation = await lookup(adapter, id, { signal: options.signal });
    } catch (error) {
      if (adapter.isNotReadyError?.(error)) {
        return { ready: false, notReady: error as Error, horizonMs: adapter.notFoundHorizonMs };
      }
      throw error;
    }
    const ready = !adapter.isReady || adapter.isReady(generation as never, { billing: options.billing ?? false });
    return { ready, generation };
  }

  async function* list(
    provider: string,
    query?: unknown,
    options: { signal?: AbortSignal; deadlineMs?: number | undefined } = {},
  ) {
    checkOptions("list", options, { signal: "an object", deadlineMs: [0, maxTimeoutMs] });
    const adapter = adapterFor(provider);
    if (!adapter.list) throw new InvalidArgumentError(`provider ${JSON.stringify(provider)} cannot list generations`);
    yield* adapter.list(query, { signal: options.signal, deadline: jobDeadline(options.deadlineMs) });
  }

  function stats() {
    const all: Record<string, RateLimitState> = {};
    for (const [name, adapter] of adapters) if (adapter.rateLimit) all[name] = adapter.rateLimit();
    return all;
  }

  async function* getMany(
    refs: Iterable<GenerationRef> | AsyncIterable<GenerationRef>,
    options: { concurrency?: number; signal?: AbortSignal; wait?: WaitOptions; deadlineMs?: number | undefined } = {},
  ): AsyncGenerator<Settled> {
    checkOptions("getMany", options, {
      concurrency: [1, 1000, 1],
      signal: "an object",
      wait: "an object",
      deadlineMs: [0, maxTimeoutMs],
    });
    const concurrency = options.concurrency ?? 8;
    const { signal } = options;
    const wait = waitOptions(options.wait);
    const init: Init = { signal, deadline: jobDeadline(options.deadlineMs) };
    // An async iterable is pulled as it is (a wrapping generator would add promise hops to every ref);
    // a sync one is wrapped, so its values and errors arrive as an async iterator's would.
    const source: AsyncIterator<GenerationRef> =
      typeof (refs as Partial<AsyncIterable<GenerationRef>>)?.[Symbol.asyncIterator] === "function"
        ? (refs as AsyncIterable<GenerationRef>)[Symbol.asyncIterator]()
        : (async function* () {
            yield* refs;
          })();
    const done: Settled[] = [];
    let wake: (() => void) | undefined;
    let running = 0;
    let exhausted = false;
    // One pull from the source at a time, never awaited by the loop itself: a slow source (stdin) does not
    // hold back the results that are already in.
    let pulling = false;
    let sourceFailure: { error: unknown } | undefined;

    const settle = (result: Settled) => {
      done.push(result);
      running--;
      wake?.();
    };
    const failed = (ref: GenerationRef, error: unknown) =>
      settle({ ref, error: error instanceof Error ? error : new GenledgerError(String(error)) });
    const start = (ref: GenerationRef) => {
      running++;
      // An unknown provider or an abort is a result too. The options were checked once, above.
      lookupChecked(ref.provider, ref.id, wait, init).then(
        (generation) => settle({ ref, generation }),
        (error: unknown) => failed(ref, error),
      );
    };
    // A source whose next() throws instead of rejecting fails the same way.
    const nextRef = (): Promise<IteratorResult<GenerationRef>> => {
      try {
        return Promise.resolve(source.next());
      } catch (error) {
        return Promise.reject(error);
      }
    };
    const pull = () => {
      pulling = true;
      nextRef().then(
        (next) => {
          pulling = false;
          if (next.done) exhausted = true;
          else start(next.value);
          wake?.();
        },
        (error: unknown) => {
          pulling = false;
          exhausted = true;
          sourceFailure = { error };
          wake?.();
        },
      );
    };

    while (true) {
      if (!pulling && !exhausted && running < concurrency) pull();
      if (done.length > 0) {
        while (done.length > 0) yield done.shift() as Settled;
        continue;
      }
      if (sourceFailure) throw sourceFailure.error;
      if (exhausted && !pulling && running === 0) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  }

  return { providers: names, get, getOnce, list, getMany, stats } as unknown as Ledger<A>;
}

type Init = { signal?: AbortSignal | undefined; deadline?: number | undefined };

/** The instant a job's 429 waits must end by (`Infinity`: none; core then caps each wait at `maxJobWaitMs`). */
function jobDeadline(deadlineMs: number | undefined): number {
  return deadlineMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + deadlineMs;
}

/** Checked wait options with their defaults; a wait always ends. */
function waitOptions(wait: WaitOptions | undefined): Required<WaitOptions> | undefined {
  if (wait === undefined) return undefined;
  checkOptions("wait", wait, { timeoutMs: [0, maxTimeoutMs], intervalMs: [1, maxTimeoutMs], billing: "a boolean" });
  const billing = wait.billing ?? false;
  return { timeoutMs: wait.timeoutMs ?? (billing ? 360_000 : 60_000), intervalMs: wait.intervalMs ?? 1000, billing };
}

/** One lookup; an answer for another id is an error, so a cost is never booked to the wrong id. */
async function lookup(adapter: AnyAdapter, id: string, init: Init): Promise<Generation> {
  const record = await adapter.get(id, init);
  if (record.id !== id) {
    throw new ResponseParseError(
      adapter.provider,
      `${adapter.provider}: generation ${JSON.stringify(record.id)} when ${JSON.stringify(id)} was asked`,
    );
  }
  return record;
}

async function poll(adapter: AnyAdapter, id: string, wait: Required<WaitOptions>, init: Init) {
  const { signal } = init;
  const deadline = Date.now() + wait.timeoutMs;
  const interval = wait.intervalMs;
  for (;;) {
    let record: Generation | undefined;
    // The gateway's own "come back in" (NanoGPT's 404 says 30 s), never sooner than asked.
    let asked = 0;
    try {
      record = await lookup(adapter, id, init);
      if (!adapter.isReady || adapter.isReady(record as never, wait)) return record;
    } catch (error) {
      // Give up at the deadline with the last error, or now when the gateway asks to wait past it.
      asked = (error as { retryAfterMs?: unknown }).retryAfterMs as number;
      asked = Number.isFinite(asked) && asked > 0 ? asked : 0;
      if (!adapter.isNotReadyError?.(error) || Date.now() + asked > deadline || Date.now() >= deadline) throw error;
    }
    // Still in flight at the deadline: returned as it is; its status says it is not final.
    if (record && Date.now() >= deadline) return record;
    const pause = Math.max(asked, Math.min(interval, deadline - Date.now()));
    await sleep(pause, signal, () => new AbortError("wait aborted by the caller"));
  }
}
