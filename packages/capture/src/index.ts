// @genledger/capture: the billed cost of every AI call, captured at the call site.
import { maxTimeoutMs } from "@genledger/core";
import { aiSdkGateways, checkOptions } from "@genledger/normalize";

import { CaptureCore } from "./capture.js";
import { captureFetch } from "./fetch.js";
import { gatewayMatcher } from "./gateways.js";
import { type CaptureMiddleware, captureMiddleware, type MiddlewareProvider } from "./middleware.js";
import { checkTags, type Tags } from "./tags.js";
import type { CaptureOptions, CaptureStats } from "./types.js";

export { CaptureError } from "./capture-error.js";
export { builtInGateways, type CapturedApi } from "./gateways.js";
export type { CaptureMiddleware, MiddlewareProvider } from "./middleware.js";
export { type Tags, tagHeader, tagHeaders } from "./tags.js";
export type {
  CapturedCall,
  CapturedGeneration,
  CaptureLedger,
  CaptureOptions,
  CaptureRecord,
  CaptureStats,
  CaptureStore,
} from "./types.js";

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Where calls are captured from: a `fetch` for OpenAI-compatible SDKs, and an AI SDK middleware. */
export interface CaptureSite {
  /** Pass as an SDK's `fetch` (`new OpenAI({ baseURL, fetch: capture.fetch })`). */
  readonly fetch: Fetch;
  /** Pass to `wrapLanguageModel({ model, middleware: capture.middleware() })`. */
  middleware(options?: { provider?: MiddlewareProvider | undefined }): CaptureMiddleware;
  /** The same, with these tags on every call (under each call's own `tagHeaders`). */
  withTags(tags: Tags): CaptureSite;
}

export interface Capture extends CaptureSite {
  /**
   * Resolves when every captured call has its final record or has failed (and every `onGeneration`
   * promise has settled), or when `timeoutMs` (default 30 000) has passed; never rejects.
   */
  flush(options?: { timeoutMs?: number | undefined }): Promise<CaptureStats>;
  /**
   * Stops capturing (calls pass through untouched), aborts lookups in flight, drops what is held (with a
   * `store`, still queued there), and waits for the store's writes.
   */
  close(): Promise<CaptureStats>;
  stats(): CaptureStats;
}

/**
 * A capture: every model call made through its `fetch` or `middleware()` is booked with the gateway's
 * billed record, looked up in the background. Throws InvalidArgumentError for a misspelt option.
 */
export function createCapture(options: CaptureOptions): Capture {
  const core = new CaptureCore(options);
  const matcher = gatewayMatcher(options.gateways);
  const site = (tags: Tags): CaptureSite => ({
    fetch: captureFetch(core, matcher, tags, options.fetch),
    middleware: (middlewareOptions = {}) => {
      checkOptions("middleware", middlewareOptions, { provider: Object.keys(aiSdkGateways) });
      return captureMiddleware(core, tags, middlewareOptions);
    },
    withTags: (more) => site({ ...tags, ...checkTags(more, "withTags") }),
  });
  return {
    ...site(core.defaultTags),
    flush: async (flushOptions = {}) => {
      checkOptions("flush", flushOptions, { timeoutMs: [0, maxTimeoutMs, 1] });
      return core.flush(flushOptions.timeoutMs ?? 30_000);
    },
    close: () => core.close(),
    stats: () => core.stats(),
  };
}
