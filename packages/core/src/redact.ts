// Secrets never leave the client: every string that reaches an error, a log line or a returned body
// passes through here. Keys shorter than `minKeyLength` are refused before use, so every key that
// is sent can be redacted without garbling ordinary words.

import { parseJson } from "./json.js";

export const redacted = "[redacted]";

/** `text` with every occurrence of `secret` replaced. */
export function redactText(text: string, secret: string | undefined): string {
  return secret && text.includes(secret) ? text.split(secret).join(redacted) : text;
}

/**
 * Replace every secret in every string of `value` (keys included), walking arrays and objects in
 * place and without recursion, so any depth is safe. Returns `value` (a string is returned redacted).
 * Symbol-keyed data (such as recorded number texts) is kept.
 */
export function redact<T>(value: T, secrets: readonly (string | undefined)[]): T {
  const live = secrets.filter((s): s is string => typeof s === "string" && s.length > 0);
  if (live.length === 0) return value;
  const clean = (s: string) => live.reduce(redactText, s);
  if (typeof value === "string") return clean(value) as T;
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const holder = stack.pop();
    if (!holder || typeof holder !== "object" || seen.has(holder)) continue;
    seen.add(holder);
    const h = holder as Record<string, unknown>;
    for (const key of Object.keys(h)) {
      const child = h[key];
      const safeKey = clean(key);
      const safe = typeof child === "string" ? clean(child) : child;
      if (safeKey !== key) delete h[key];
      if (safeKey !== key || safe !== child) {
        Object.defineProperty(h, safeKey, { value: safe, enumerable: true, writable: true, configurable: true });
      }
      if (safe && typeof safe === "object") stack.push(safe);
    }
  }
  return value;
}

/** Headers as a plain object for logging, with credentials hidden. */
export function loggableHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (value: string, key: string) => {
    out[key] = /^(authorization|proxy-authorization|x-api-key|cookie)$/i.test(key) ? redacted : value;
  };
  if (headers instanceof Headers) headers.forEach(add);
  else for (const [key, value] of Object.entries(headers)) add(value, key);
  return out;
}

/** An answer with the key replaced in its status text, headers and body (also behind JSON escapes). */
export function redactAnswer<R extends { status: number; statusText: string; headers: Headers; text: string }>(
  r: R,
  key: string,
): { status: number; statusText: string; headers: Headers; text: string } {
  const headers = new Headers();
  r.headers.forEach((value, name) => {
    headers.append(name, redactText(value, key));
  });
  let text = redactText(r.text, key);
  if (r.text.includes("\\")) {
    try {
      text = JSON.stringify(redact(parseJson(r.text), [key]));
    } catch {}
  }
  return { status: r.status, statusText: redactText(r.statusText, key), headers, text };
}

/**
 * `cause` as it may be kept on an error: unchanged unless the key shows in its message, stack or
 * its own causes, in which case a redacted copy.
 */
/** Whether any string in `value` (own properties, names included, of errors too; bounded) contains `key`. */
function mentions(value: unknown, key: string, depth = 0): boolean {
  if (typeof value === "string") return value.includes(key);
  if (typeof value !== "object" || value === null || depth > 8) return false;
  let n = 0;
  for (const name of Object.getOwnPropertyNames(value)) {
    if (++n > 1000) return true; // too wide to be sure: treat it as tainted, it is copied redacted
    if (name.includes(key)) return true;
    let child: unknown;
    try {
      child = (value as Record<string, unknown>)[name];
    } catch {
      continue;
    }
    if (mentions(child, key, depth + 1)) return true;
  }
  return false;
}

/**
 * A cause without the key anywhere: the cause itself when no string in it holds the key, else a copy
 * (an Error stays an Error, with its name) whose every string property, at every depth (bounded), is
 * redacted. A platform error can hold the key outside its message: Node's ERR_INVALID_URL has `input`.
 */
export function safeCause(cause: unknown, key: string | undefined, depth = 0): unknown {
  if (!key) return cause;
  if (depth > 8) return undefined;
  if (typeof cause === "string") return redactText(cause, key);
  if (typeof cause !== "object" || cause === null || !mentions(cause, key)) return cause;
  const source = cause as Record<string, unknown>;
  let copy: Record<string, unknown>;
  if (cause instanceof Error) {
    const inner = safeCause(cause.cause, key, depth + 1);
    const error = new Error(redactText(cause.message, key), inner === undefined ? undefined : { cause: inner });
    Object.defineProperty(error, "name", { value: cause.name, configurable: true });
    error.stack = redactText(cause.stack ?? "", key);
    copy = error as unknown as Record<string, unknown>;
  } else {
    copy = Array.isArray(cause) ? ([] as unknown as Record<string, unknown>) : {};
  }
  for (const name of Object.getOwnPropertyNames(source).slice(0, 1000)) {
    if (cause instanceof Error && (name === "message" || name === "stack" || name === "cause")) continue;
    let child: unknown;
    try {
      child = source[name];
    } catch {
      continue;
    }
    copy[redactText(name, key)] = safeCause(child, key, depth + 1);
  }
  return copy;
}

/** An error's message, with its cause's. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
