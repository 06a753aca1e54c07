import { describe, expect, it } from "vitest";
import { decodeAnswer } from "./decode-answer.js";
import { readErrorObject } from "./error-envelope.js";
import { ApiError, NotFoundError, ResponseParseError } from "./errors.js";
import type { TextResponse } from "./types.js";

const key = "sk-test-decode-0123456789";
const context = {
  spec: { provider: "acme", displayName: "Acme", parseError: readErrorObject },
  key,
  parse: JSON.parse,
};
const answer = (status: number, text: string, contentType = "application/json"): TextResponse => ({
  status,
  statusText: "",
  headers: new Headers({ "content-type": contentType }),
  text,
});
const hasId = (b: unknown) => (typeof (b as { id?: unknown }).id === "string" ? undefined : "no `id`");
const decoded = (r: TextResponse) => {
  try {
    return decodeAnswer(r, context, hasId);
  } catch (e) {
    return e as Error;
  }
};

describe("decodeAnswer", () => {
  it("returns the checked body", () => {
    expect(decoded(answer(200, '{"id":"gen-1"}'))).toEqual({ id: "gen-1" });
  });

  it("throws the typed error of a status that is not 2xx", () => {
    expect(NotFoundError.isInstance(decoded(answer(404, '{"error":{"message":"gone"}}')))).toBe(true);
  });

  it("refuses an error envelope sent with a 200", () => {
    const e = decoded(answer(200, '{"error":{"message":"quota"}}'));
    expect(ApiError.isInstance(e)).toBe(true);
    expect(e).toMatchObject({ status: 200, message: "Acme answered 200 with an error: quota" });
  });

  it.each([
    ["", "Acme answered 200 with an empty body"],
    ["{}", "Acme answered 200 with an empty object"],
    ['{"id":1}', "Acme answered 200 with no `id`"],
    ["<html>", "Acme answered 200 with a body that is not JSON (text/html, 6 characters)"],
  ])("refuses %j with a ResponseParseError", (text, message) => {
    const e = decoded(answer(200, text, text.startsWith("<") ? "text/html" : "application/json")) as Error;
    expect(ResponseParseError.isInstance(e)).toBe(true);
    expect(e.message.startsWith(message)).toBe(true);
  });

  it("redacts an echoed key however it is escaped, in the body and in the snippet", () => {
    const escaped = key.replace("s", "\\u0073");
    const body = decoded(answer(200, `{"id":"gen-1","echo":"${escaped}"}`)) as Record<string, unknown>;
    expect(JSON.stringify(body)).not.toContain(key);
    const e = decoded(answer(200, `{"id":1,"echo":"${escaped}"}`)) as ResponseParseError;
    expect(JSON.stringify(e.bodySnippet)).not.toContain(key);
    expect(JSON.parse(e.bodySnippet as string).echo).toBe("[redacted]");
  });

  it("never quotes the key from the parser's message", () => {
    const e = decoded(answer(200, `{"id": ${key}}`)) as ResponseParseError;
    expect(`${e.message} ${e.bodySnippet} ${String((e as { cause?: unknown }).cause)}`).not.toContain(key);
  });
});
