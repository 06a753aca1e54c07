import { type CallOptions, parseJsonExact, type RateLimitState } from "@genledger/core";
import type { Generation, ProviderName } from "./generation.js";

export interface WaitOptions {
  /** Give up after this long; default 60 s, or 6 minutes with `billing` (ZenMux bills 3-5 minutes late). */
  timeoutMs?: number | undefined;
  /** Between polls; default 1000. */
  intervalMs?: number | undefined;
  /** Also wait for late billing (ZenMux bills 3-5 minutes after the request). Default false. */
  billing?: boolean | undefined;
}

/** What the ledger needs from one gateway. Made by `openrouter()`, `zenmux()`, `fastrouter()`, `oxen()`. */
export interface Adapter<P extends ProviderName = ProviderName, ListQuery = never> {
  readonly provider: P;
  /** `deadline` (epoch ms) marks a lookup that is part of a job: see `getMany`'s `deadlineMs`. */
  get(id: string, options?: CallOptions): Promise<Generation<P>>;
  /** An error that means "not ready yet" rather than "no such generation" (OpenRouter's early 404). */
  isNotReadyError?(error: unknown): boolean;
  /**
   * How long after a call its record may still appear, where the gateway says (NanoGPT: 24 hours): a
   * background resolver gives a ref up as not found only past it. Default: the resolver's own.
   */
  readonly notFoundHorizonMs?: number;
  /** A record that is not final yet (Oxen in flight, ZenMux billing pending when `billing` is asked). */
  isReady?(generation: Generation<P>, wait: WaitOptions): boolean;
  list?(query: ListQuery, options?: CallOptions): AsyncIterable<Generation<P>>;
  /** What the client's rate limiter knows (one per gateway and key). */
  rateLimit?(): RateLimitState;
}

/** What an adapter needs of a gateway's client. */
interface LookupClientLike<Body> {
  rateLimit(): RateLimitState;
  getGeneration(id: string, init?: CallOptions): Promise<Body>;
}

/** A gateway's adapter, described once: its client, its mapper and when a record is not ready yet. */
export interface AdapterDefinition<P extends ProviderName, Options extends { parseJson?: unknown }, Client, Extra> {
  provider: P;
  /** The gateway's client factory; the adapter makes it read with `parseJsonExact` unless told otherwise. */
  client(options: Options): Client;
  /** The body as a Generation; `id` is the one asked, `options` the adapter's. */
  map(
    body: Client extends LookupClientLike<infer Body> ? Body : never,
    context: { id: string; options: Options },
  ): Generation<P>;
  isNotReadyError?(error: unknown): boolean;
  notFoundHorizonMs?: number;
  isReady?(generation: Generation<P>, wait: WaitOptions): boolean;
  /** What else this gateway's adapter can do (Oxen lists). */
  extend?(client: Client): Extra;
}

/** An adapter factory: same options as the gateway's client; amounts are read exactly (`parseJsonExact`). */
export function defineAdapter<
  P extends ProviderName,
  Options extends { parseJson?: ((text: string) => unknown) | undefined },
  Client extends LookupClientLike<unknown>,
  Extra extends object = object,
>(definition: AdapterDefinition<P, Options, Client, Extra>) {
  const { provider, map, isNotReadyError, notFoundHorizonMs, isReady, extend } = definition;
  return (options: Options = {} as Options): Adapter<P> & { readonly client: Client } & Extra => {
    const client = definition.client({ ...options, parseJson: options.parseJson ?? parseJsonExact });
    const adapter: Adapter<P> & { readonly client: Client } = {
      provider,
      client,
      rateLimit: client.rateLimit,
      get: async (id, init) =>
        map((await client.getGeneration(id, init)) as Parameters<typeof map>[0], { id, options }),
      ...(isNotReadyError && { isNotReadyError }),
      ...(notFoundHorizonMs !== undefined && { notFoundHorizonMs }),
      ...(isReady && { isReady }),
    };
    return Object.assign(adapter, extend?.(client));
  };
}
