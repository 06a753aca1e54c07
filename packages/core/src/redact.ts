// Secrets never leave the client: every string that reaches an error or a log passes through here.

export const redacted = "[redacted]";

/** A copy of `value` with every occurrence of each secret replaced. */
export function redact<T>(value: T, secrets: readonly string[]): T {
  // Real keys are long; redacting a toy key like "k" would only garble messages.
  const live = secrets.filter((s) => s.length >= 8);
  if (live.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return live.reduce((s, secret) => s.split(secret).join(redacted), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v)) {
        Object.defineProperty(out, walk(k) as string, {
          value: walk(child),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** Headers as a plain object for logging, with credentials hidden. */
export function loggableHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = /^(authorization|proxy-authorization|x-api-key|cookie)$/i.test(key) ? redacted : value;
  });
  return out;
}
