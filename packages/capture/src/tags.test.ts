import { InvalidArgumentError } from "@genledger/core";
import { maxTags } from "@genledger/normalize";
import { describe, expect, it } from "vitest";
import { readTagHeader, tagHeader, tagHeaders } from "./tags.js";

describe("tags", () => {
  it("round-trip through a header that is plain ASCII", () => {
    const tags = { customer: "acme GmbH", feature: "résumé ✓", "run id": "r=1;2" };
    const headers = tagHeaders(tags);
    const value = headers[tagHeader] as string;
    expect(/^[\x21-\x7e]+$/.test(value)).toBe(true);
    expect(new Headers(headers).get(tagHeader)).toBe(value);
    expect(readTagHeader(value)).toEqual(tags);
  });

  it("refuses what is not a tag, saying which", () => {
    expect(() => tagHeaders(null as never)).toThrow("tags: must be an object of strings, got null");
    expect(() => tagHeaders(["a"] as never)).toThrow("got an array");
    expect(() => tagHeaders({ n: Number.NaN } as never)).toThrow('tag "n" must be a string, got number');
    expect(() => tagHeaders({ "": "x" })).toThrow("a tag name must be 1 to 128 characters");
    expect(() => tagHeaders({ long: "x".repeat(2000) })).toThrow('tag "long" is longer than 1024 characters');
    const many = Object.fromEntries(Array.from({ length: maxTags + 1 }, (_, i) => [`t${i}`, "x"]));
    expect(() => tagHeaders(many)).toThrow(InvalidArgumentError);
    // The store's rule, where the tag is made: no NUL in a value, no control character in a name.
    expect(() => tagHeaders({ customer: "ac\u0000me" })).toThrow('tag "customer" contains a NUL character');
    expect(() => tagHeaders({ "cust\nomer": "acme" })).toThrow("no control character");
    expect(() => readTagHeader("not json")).toThrow("is not what tagHeaders() writes");
    expect(() => readTagHeader(encodeURIComponent('{"a":1}'))).toThrow('tag "a" must be a string');
  });
});
