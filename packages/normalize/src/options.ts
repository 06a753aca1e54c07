// Options are checked when they are given: a misspelt name or a NaN must be an error, not a silent
// default (a `wait` without a usable timeout would poll the gateway with no end).
import { closest, InvalidArgumentError } from "@genledger/core";

/** What an option accepts: "an object" / "a boolean" (ends in its `typeof`), or a number range `[min, max]` (`[min, max, 1]`: whole numbers). */
export type OptionSpec = Record<string, "an object" | "a boolean" | [number, number, 1?]>;

/**
 * Throws InvalidArgumentError for a name not in `spec` (naming the closest known one) or a value it
 * does not accept; undefined is always accepted. `what` names the options in messages: "get", "wait".
 */
export function checkOptions(what: string, options: unknown, spec: OptionSpec): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) {
    throw new InvalidArgumentError(
      `${what} options must be an object, got ${options === null ? "null" : typeof options}`,
    );
  }
  for (const [name, value] of Object.entries(options)) {
    const accepts = spec[name];
    if (!accepts) {
      const near = closest(name, Object.keys(spec));
      throw new InvalidArgumentError(
        `unknown ${what} option \`${name}\`${near ? `: did you mean \`${near}\`?` : ` (known: ${Object.keys(spec).join(", ")})`}`,
      );
    }
    if (value === undefined) continue;
    const [min, max, whole] = accepts;
    if (
      typeof accepts === "string"
        ? !accepts.endsWith(typeof value) || value === null
        : typeof value !== "number" || !(value >= (min as number) && value <= (max as number)) || (whole && value % 1)
    ) {
      throw new InvalidArgumentError(
        `${what} option \`${name}\` must be ${typeof accepts === "string" ? accepts : `a ${whole ? "whole " : ""}number from ${min} to ${max}`}, got ${typeof value === "number" ? value : (JSON.stringify(value) ?? typeof value)}`,
      );
    }
  }
}
