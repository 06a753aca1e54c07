import { describe, expect, it } from "vitest";
import { readErrorObject } from "./error-envelope.js";
import { apiErrorFrom, envelopeOf } from "./error-mapping.js";
import { ApiError, AuthenticationError, NotFoundError, RateLimitError, ServerError } from "./errors.js";
import type { TextResponse } from "./types.js";

const key = "sk-test-mapping-0123456789";
const spec = { provider: "acme", displayName: "Acme", parseError: readErrorObject };
const context = { spec, key, parse: JSON.parse };
const answer = (status: number, text: string, headers: Record<string, string> = {}, over = {}): TextResponse => ({
  status,
  statusText: "",
  headers: new Headers(headers),
  text,
  ...over,
});

describe("apiErrorFrom", () => {
  it("reads the gateway's envelope, its code and the request id, into the class of the status", () => {
    const e = apiErrorFrom(
      answer(404, '{"error":{"message":"no such generation","code":"not_found"}}', { "x-request-id": "req-1" }),
      context,
    );
    expect(NotFoundError.isInstance(e)).toBe(true);
    expect(e).toMatchObject({ status: 404, code: "not_found", requestId: "req-1", provider: "acme" });
    expect(e.message).toBe("Acme 404: no such generation (request id req-1)");
  });

  it("keeps what a 429 asked for, and says when there are no words", () => {
    const e = apiErrorFrom(answer(429, "", { "retry-after": "7" }), context);
    expect(RateLimitError.isInstance(e)).toBe(true);
    expect((e as RateLimitError).retryAfterMs).toBe(7000);
    expect(e.message).toBe("Acme 429: no error message");
  });

  it("squashes an HTML page to one short line", () => {
    const e = apiErrorFrom(answer(502, `<html><body><h1>Bad   gateway</h1>${"x".repeat(400)}</body></html>`), context);
    expect(ServerError.isInstance(e)).toBe(true);
    expect(e.message.startsWith("Acme 502: Bad gateway x")).toBe(true);
    expect(e.message.endsWith("…")).toBe(true);
  });

  it("redacts the key from the message, the code, the request id and the body", () => {
    const e = apiErrorFrom(
      answer(401, JSON.stringify({ error: { message: `bad key ${key}`, code: key } }), { "x-request-id": key }),
      context,
    );
    expect(AuthenticationError.isInstance(e)).toBe(true);
    expect(JSON.stringify([e.message, e.code, e.requestId, e.body])).not.toContain(key);
  });

  it("does not call a refusal from another origin a bad key", () => {
    const e = apiErrorFrom(answer(401, "{}", {}, { keyWithheldAt: "https://elsewhere.test" }), context);
    expect(AuthenticationError.isInstance(e)).toBe(false);
    expect(ApiError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(/^Acme redirected to another origin, https:\/\/elsewhere\.test, so the key was not sent/);
  });
});

describe("envelopeOf", () => {
  it("is undefined when the gateway's parseError throws", () => {
    expect(
      envelopeOf(
        {
          parseError: () => {
            throw new Error("broken");
          },
        },
        {},
      ),
    ).toBeUndefined();
  });
});
