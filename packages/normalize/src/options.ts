// Options are checked when they are given: a misspelt name or a NaN must be an error, not a silent
// default (a `wait` without a usable timeout would poll the gateway with no end).
import { closest, InvalidArgumentError } from "@genledger/core/internal";

/**
 * What an option accepts: "an object" / "a boolean" / "a function" (ends in its `typeof`), a number
 * range `[min, max]` (`[min, max, 1]`: whole numbers), or a list of the strings it may be.
 */
export type OptionSpec = Record<
  string,
  "an object" | "a boolean" | "a function" | readonly [number, number, 1?] | readonly string[]
>;

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
    const choices =
      typeof accepts !== "string" && typeof accepts[0] === "string" ? (accepts as readonly string[]) : undefined;
    const [min, max, whole] = accepts as readonly [number, number, 1?];
    if (
      typeof accepts === "string"
        ? !accepts.endsWith(typeof value) || value === null
        : choices
          ? !choices.includes(value as string)
          : typeof value !== "number" || !(value >= min && value <= max) || (whole && value % 1)
    ) {
      const wanted =
        typeof accepts === "string"
          ? accepts
          : choices
            ? `one of ${choices.join(", ")}`
            : `a ${whole ? "whole " : ""}number from ${min} to ${max}`;
      throw new InvalidArgumentError(
        `${what} option \`${name}\` must be ${wanted}, got ${typeof value === "number" ? value : (JSON.stringify(value) ?? typeof value)}`,
      );
    }
  }
}
