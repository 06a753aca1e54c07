// The caller's tags ride on the call itself, as a request header that capture reads and removes before
// the request leaves: no AsyncLocalStorage, so it works the same on Node, Bun, Deno and edge runtimes,
// and concurrent calls cannot see each other's tags.
import { InvalidArgumentError } from "@genledger/core";
import { checkTags, type Tags } from "@genledger/normalize";

export { checkTags, type Tags };

/** The header that carries a call's tags from the SDK to capture; never sent to the gateway. */
export const tagHeader = "x-genledger-tags";

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
