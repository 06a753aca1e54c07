// The caller's tags ride on the call itself, as a request header that capture reads and removes before
// the request leaves: no AsyncLocalStorage, so it works the same on Node, Bun, Deno and edge runtimes,
// and concurrent calls cannot see each other's tags.
import { InvalidArgumentError } from "@genledger/core";

/** The caller's own labels for a call (customer, feature, run id): string values. */
export type Tags = Readonly<Record<string, string>>;

/** The header that carries a call's tags from the SDK to capture; never sent to the gateway. */
export const tagHeader = "x-genledger-tags";

export const maxTags = 64;
export const maxTagKeyLength = 128;
export const maxTagValueLength = 1024;

/** Checked tags, as a fresh object: throws InvalidArgumentError saying which tag is wrong. */
export function checkTags(tags: unknown, what = "tags"): Record<string, string> {
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
    throw new InvalidArgumentError(
      `${what} must be an object of strings, got ${tags === null ? "null" : Array.isArray(tags) ? "an array" : typeof tags}`,
    );
  }
  const entries = Object.entries(tags);
  if (entries.length > maxTags)
    throw new InvalidArgumentError(`${what}: at most ${maxTags} tags, got ${entries.length}`);
  const checked: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (key === "" || key.length > maxTagKeyLength) {
      throw new InvalidArgumentError(
        `${what}: a tag name must be 1 to ${maxTagKeyLength} characters, got ${key.length}`,
      );
    }
    if (typeof value !== "string") {
      throw new InvalidArgumentError(
        `${what}: tag ${JSON.stringify(key)} must be a string, got ${value === null ? "null" : typeof value}`,
      );
    }
    if (value.length > maxTagValueLength) {
      throw new InvalidArgumentError(
        `${what}: tag ${JSON.stringify(key)} is longer than ${maxTagValueLength} characters`,
      );
    }
    checked[key] = value;
  }
  return checked;
}

/**
 * Headers that attach `tags` to one call: `headers: tagHeaders({ customer: "acme" })` in an AI SDK call or
 * in an OpenAI SDK call's request options. Throws InvalidArgumentError for tags that are not strings.
 */
export function tagHeaders(tags: Tags): Record<string, string> {
  return { [tagHeader]: encodeURIComponent(JSON.stringify(checkTags(tags))) };
}

/** The tags a header value carries; an unreadable value is an error, never silently no tags. */
export function readTagHeader(value: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(value));
  } catch {
    throw new InvalidArgumentError(`the ${tagHeader} header is not what tagHeaders() writes`);
  }
  return checkTags(parsed, `the ${tagHeader} header`);
}
