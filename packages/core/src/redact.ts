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
