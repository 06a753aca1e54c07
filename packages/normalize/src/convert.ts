// Small total conversions shared by the mappers: anything unknown becomes null, never 0 or "".
import { ResponseParseError } from "@genledger/core";

export const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
export const int = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
export const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
export const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** ISO-8601 UTC from an ISO string with any offset, or null when it does not parse. */
export function isoFromString(v: unknown): string | null {
  if (typeof v !== "string" || v.trim() === "") return null;
  // Date.parse keeps milliseconds; cut longer fractions (OpenRouter sends microseconds) first.
  const ms = Date.parse(v.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** ISO-8601 UTC from unix seconds. */
export function isoFromUnixSeconds(v: unknown): string | null {
  const s = int(v);
  return s === null ? null : new Date(s * 1000).toISOString();
}

export function sum(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

/** The record cannot be built without this field. */
export function required(provider: string, body: unknown, field: string, value: unknown): string {
  const text = str(value);
  if (text === null) {
    throw new ResponseParseError(
      provider,
      `${provider}: the generation has no \`${field}\`; cannot build a Generation`,
      {
        bodySnippet: JSON.stringify(body)?.slice(0, 200),
      },
    );
  }
  return text;
}
