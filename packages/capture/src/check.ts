// Options checked when given: a misspelt name or a NaN is an error, not a silent default.
import { closest, InvalidArgumentError } from "@genledger/core";

/** What an option accepts: a type name (`typeof`), a list of values, or a whole-number range `[min, max]`. */
export type OptionSpec = Record<string, "object" | "function" | readonly string[] | readonly [number, number]>;

export function checkOptions(what: string, options: unknown, spec: OptionSpec): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
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
    const range =
      Array.isArray(accepts) && typeof accepts[0] === "number"
        ? (accepts as unknown as readonly [number, number])
        : undefined;
    const ok = range
      ? typeof value === "number" && Number.isInteger(value) && value >= range[0] && value <= range[1]
      : Array.isArray(accepts)
        ? accepts.includes(value as string)
        : typeof value === accepts && value !== null;
    if (!ok) {
      const wanted = range
        ? `a whole number from ${range[0]} to ${range[1]}`
        : Array.isArray(accepts)
          ? `one of ${accepts.join(", ")}`
          : `${accepts === "object" ? "an" : "a"} ${accepts}`;
      throw new InvalidArgumentError(
        `${what} option \`${name}\` must be ${wanted}, got ${typeof value === "number" ? value : (JSON.stringify(value) ?? typeof value)}`,
      );
    }
  }
}
