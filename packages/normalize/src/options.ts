// Options are checked when they are given: a misspelt name or a NaN must be an error, not a silent
// default (a `wait` without a usable timeout would poll the gateway with no end).
import { InvalidArgumentError } from "@genledger/core";

/** The largest delay `setTimeout` honours; beyond it, timers fire at once. */
export const maxDelayMs = 2 ** 31 - 1;

/** Throws InvalidArgumentError for a name not in `known`, naming the closest known one. */
export function checkNames(what: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError(`${what} must be an object, got ${options === null ? "null" : typeof options}`);
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      const near = known.reduce((a, b) => (distance(name, b) < distance(name, a) ? b : a));
      throw new InvalidArgumentError(`unknown ${what} option \`${name}\`: did you mean \`${near}\`?`);
    }
  }
}

/** `value` when it is a number from `min` to `max` (whole if `whole`), `fallback` when undefined. */
export function numberOption(name: string, value: unknown, min: number, max: number, fallback: number, whole = false) {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= min && value <= max) || (whole && !Number.isInteger(value))) {
    throw new InvalidArgumentError(
      `\`${name}\` must be a ${whole ? "whole " : ""}number from ${min} to ${max}, got ${typeof value === "number" ? value : (JSON.stringify(value) ?? typeof value)}`,
    );
  }
  return value;
}

/** Levenshtein distance, case-insensitive (so `baseURL` is nearest `baseUrl`). */
function distance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + +(a[i - 1] !== b[j - 1]),
      );
    }
    row = next;
  }
  return row[b.length] as number;
}
