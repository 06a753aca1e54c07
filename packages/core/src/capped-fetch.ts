// One fetch as a gateway needs it: redirects followed by hand, without taking the key to another origin,
// and the body read as text, never more than a cap. Timeouts are the caller's `signal`.
import { ConnectionError, ResponseTooLargeError } from "./errors.js";
import { redactText } from "./redact.js";
import type { FetchFunction, TextResponse } from "./types.js";

export const maxRedirects = 5;

/** Who is asking, for the words of an error, what a body may weigh, and the fetch (default `globalThis.fetch`). */
export interface FetchContext {
  provider: string;
  displayName: string;
  maxBytes: number;
  fetch?: FetchFunction | undefined;
}

export interface OneRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
}

/**
 * One fetch, following redirects by hand (the body re-sent on 307/308, the key not forwarded to
 * another origin), and its body read as text, never more than `maxBytes`.
 */
export async function fetchFollowingRedirects(
  request: OneRequest,
  context: FetchContext,
  /** Redacted from every message. */
  key: string | undefined,
): Promise<TextResponse> {
  let { method, headers, body } = request;
  const { url, signal } = request;
  const { provider, displayName } = context;
  // Looked up per request: msw and tests replace `globalThis.fetch` after a client is made.
  const fetch = context.fetch ?? globalThis.fetch;
  let keyWithheldAt: string | undefined;
  for (let hop = 0, at = url; ; hop++) {
    let res = await fetch(at, { method, headers, body, signal, redirect: "manual" });
    // Browsers hide manual redirects; there the browser follows, and drops credentials across origins.
    if (res.type === "opaqueredirect") res = await fetch(at, { method, headers, body, signal });
    const { status } = res;
    const location =
      (status > 300 && status < 304) || status === 307 || status === 308 ? res.headers.get("location") : null;
    if (location === null) {
      const text = await readCapped(res, signal, context);
      return { status, statusText: res.statusText, headers: res.headers, text, keyWithheldAt };
    }
    res.body?.cancel().catch(() => {});
    const next = new URL(location, at);
    if (hop >= maxRedirects || !/^https?:$/.test(next.protocol)) {
      const why = hop >= maxRedirects ? `more than ${maxRedirects} times` : `to ${next.protocol}`;
      throw new ConnectionError(
        provider,
        redactText(`${displayName}: ${method} ${pathOf(url)} was redirected ${why}`, key),
      );
    }
    headers = { ...headers };
    if (next.origin !== new URL(at).origin && headers.authorization) {
      delete headers.authorization;
      keyWithheldAt = next.origin;
    }
    if (status === 303 || (status < 303 && method === "POST")) {
      method = "GET";
      body = undefined;
      delete headers["content-type"];
    }
    at = next.href;
  }
}

/**
 * `res`'s body as text, refused past `maxBytes` with ResponseTooLargeError. A declared length of a body
 * that is not compressed is trusted (the fast path); else bytes are counted as they come.
 */
export async function readCapped(
  res: Response,
  signal: AbortSignal,
  { provider, displayName, maxBytes }: Pick<FetchContext, "provider" | "displayName" | "maxBytes">,
): Promise<string> {
  const tooLarge = () => {
    res.body?.cancel().catch(() => {});
    return new ResponseTooLargeError(
      provider,
      `${displayName} answered ${res.status} with a body larger than ${maxBytes} bytes (maxResponseBytes)`,
      { status: res.status, maxResponseBytes: maxBytes },
    );
  };
  if (!res.body) return "";
  const length = res.headers.get("content-length");
  if (length !== null && !res.headers.has("content-encoding")) {
    if (Number(length) > maxBytes) throw tooLarge();
    return res.text();
  }
  const reader = res.body.getReader();
  // Not every fetch (nor every mock) ends a body read when its signal fires; cancelling does.
  const cancel = () => reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener("abort", cancel);
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > maxBytes) {
        cancel();
        throw tooLarge();
      }
      text += decoder.decode(chunk.value, { stream: true });
    }
  } finally {
    signal.removeEventListener("abort", cancel);
  }
  if (signal.aborted) throw signal.reason;
  return text + decoder.decode();
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
