// Tags: the caller's own labels on a record (customer, feature, run id). One rule for every place that takes
// them — capture's tagHeaders(), the store, report's grouping — so a tag one accepts, the others keep.
import { asObject, InvalidArgumentError } from "@genledger/core/internal";

/** The caller's own labels for a call: names to string values. */
export type Tags = Readonly<Record<string, string>>;

export const maxTags = 64;
export const maxTagNameLength = 128;
export const maxTagValueLength = 1024;

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;

/** A tag name: 1 to 128 characters, none of them a control character (a newline could not be grouped by). */
export function isTagName(name: string): boolean {
  return name.length >= 1 && name.length <= maxTagNameLength && !controlCharacter.test(name);
}

/** What is wrong with `tags` (an object of at most 64 names to strings of at most 1024, no NUL), or undefined. */
export function tagsProblem(tags: unknown): string | undefined {
  const object = asObject(tags);
  if (!object) {
    return `must be an object of strings, got ${tags === null ? "null" : Array.isArray(tags) ? "an array" : typeof tags}`;
  }
  const entries = Object.entries(object);
  if (entries.length > maxTags) return `at most ${maxTags} tags, got ${entries.length}`;
  for (const [name, value] of entries) {
    if (!isTagName(name)) {
      return `a tag name must be 1 to ${maxTagNameLength} characters and no control character, got ${JSON.stringify(name.slice(0, 200))}`;
    }
    if (typeof value !== "string") {
      return `tag ${JSON.stringify(name)} must be a string, got ${value === null ? "null" : typeof value}`;
    }
    if (value.length > maxTagValueLength) {
      return `tag ${JSON.stringify(name)} is longer than ${maxTagValueLength} characters`;
    }
    // Neither engine keeps a NUL (PostgreSQL's text cannot hold it).
    if (value.includes("\u0000")) return `tag ${JSON.stringify(name)} contains a NUL character`;
  }
  return undefined;
}

/** Checked tags, as a fresh object; InvalidArgumentError saying which tag is wrong. */
export function checkTags(tags: unknown, what = "tags"): Record<string, string> {
  const problem = tagsProblem(tags);
  if (problem) throw new InvalidArgumentError(`${what}: ${problem}`);
  return { ...(tags as Record<string, string>) };
}
