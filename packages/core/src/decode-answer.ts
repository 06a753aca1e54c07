// A 2xx answer as the JSON it must be: parsed (exactly, by the gateway's parser), the key redacted however
// it is escaped, the envelope of an error sent with a success status refused, and the caller's check applied.
import { apiErrorFrom, type ErrorContext, envelopeOf } from "./error-mapping.js";
import { ResponseParseError } from "./errors.js";
import { describeError, redact, redactText, safeCause } from "./redact.js";
import type { TextResponse } from "./types.js";

/**
 * The body of `r`, checked by `check` (which returns what is wrong, read after "answered 200 with ...", or
 * undefined). Throws the typed error of a non-2xx status, ResponseParseError for a body that is not right.
 */
export function decodeAnswer<T>(
  r: TextResponse,
  context: ErrorContext,
  check: (body: unknown) => string | undefined,
): T {
  const { spec, key, parse } = context;
  const { status, text } = r;
  if (status < 200 || status > 299) throw apiErrorFrom(r, context);
  // Once parsed and redacted, the snippet is made from the body itself: a key hidden behind JSON
  // escapes in the text would survive a plain-text redaction.
  let snippet = () => redactText(text, key);
  const problem = (what: string, cause?: unknown) =>
    new ResponseParseError(spec.provider, redactText(`${spec.displayName} answered ${status} with ${what}`, key), {
      status,
      // Redacted before it is cut, so a key across the edge cannot show in part.
      bodySnippet: snippet().slice(0, 200),
      cause: safeCause(cause, key),
    });
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (cause) {
    if (!text.trim()) throw problem("an empty body");
    // The parser's message quotes a few characters where it failed, which may be part of the key (too
    // short to redact): with a key, say what the redacted text's failure is instead.
    let error: unknown = cause;
    if (key) {
      error = undefined;
      try {
        parse(redactText(text, key));
      } catch (e) {
        error = e;
      }
    }
    const type = r.headers.get("content-type") ?? "no content-type";
    const why = error === undefined ? "" : `: ${describeError(error)}`;
    throw problem(`a body that is not JSON (${type}, ${text.length} characters)${why}`, error);
  }
  // An echoed key can hide behind JSON escapes, so any backslash means a full walk.
  if (key && (text.includes(key) || text.includes("\\"))) redact(parsed, [key]);
  if (key && text.includes("\\")) snippet = () => JSON.stringify(parsed);
  if (envelopeOf(spec, parsed)) throw apiErrorFrom(r, context, parsed);
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && Object.keys(parsed).length === 0) {
    throw problem("an empty object");
  }
  const wrong = check(parsed);
  if (wrong) throw problem(wrong);
  return parsed as T;
}
