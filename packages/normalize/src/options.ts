// Options are checked when they are given: a misspelt name or a NaN must be an error, not a silent
// default (a `wait` without a usable timeout would poll the gateway with no end).
import { closest, InvalidArgumentError } from "@genledger/core";

/** Throws InvalidArgumentError for a name not in `known`, naming the closest known one. */
export function checkNames(what: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError(`${what} must be an object, got ${options === null ? "null" : typeof options}`);
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      const near = closest(name, known);
      throw new InvalidArgumentError(
        `unknown ${what} option \`${name}\`${near ? `: did you mean \`${near}\`?` : ` (known: ${known.join(", ")})`}`,
      );
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
