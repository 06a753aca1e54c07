import { describe, expect, it } from "vitest";
import { type FetchContext, fetchFollowingRedirects, maxRedirects, readCapped } from "./capped-fetch.js";
import { ConnectionError, ResponseTooLargeError } from "./errors.js";

const key = "sk-test-capped-0123456789";

/** A fetch that answers from `answers` in turn and records what it was asked. */
function fetchOf(...answers: Array<() => Response>) {
  const asked: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (url: string, init: RequestInit) => {
    asked.push({ url, init });
    return (answers[Math.min(asked.length, answers.length) - 1] as () => Response)();
  };
  return { asked, fetch };
}

/** The headers of one recorded request. */
const sentHeaders = (asked: { init: RequestInit } | undefined) => (asked?.init.headers ?? {}) as Record<string, string>;

const context = (fetch: FetchContext["fetch"], maxBytes = 1024): FetchContext => ({
  provider: "acme",
  displayName: "Acme",
  maxBytes,
  fetch,
});

const request = (over: Partial<Parameters<typeof fetchFollowingRedirects>[0]> = {}) => ({
  method: "GET",
  url: "https://gateway.test/v1/thing?id=1",
  headers: { accept: "application/json", authorization: `Bearer ${key}` },
  body: undefined,
  signal: new AbortController().signal,
  ...over,
});

const redirect = (status: number, location: string) => () => new Response(null, { status, headers: { location } });

describe("fetchFollowingRedirects", () => {
  it("follows a redirect on the same origin with the key, and reads the final body", async () => {
    const { asked, fetch } = fetchOf(redirect(302, "/v1/other"), () => new Response('{"id":"1"}'));
    const r = await fetchFollowingRedirects(request(), context(fetch), key);
    expect(r).toMatchObject({ status: 200, text: '{"id":"1"}', keyWithheldAt: undefined });
    expect(asked.map((a) => a.url)).toEqual(["https://gateway.test/v1/thing?id=1", "https://gateway.test/v1/other"]);
    expect(sentHeaders(asked[1]).authorization).toBe(`Bearer ${key}`);
    expect(asked.every((a) => a.init.redirect === "manual")).toBe(true);
  });

  it("does not take the key to another origin, and says where it was withheld", async () => {
    const { asked, fetch } = fetchOf(redirect(307, "https://elsewhere.test/x"), () => new Response("{}"));
    const r = await fetchFollowingRedirects(request(), context(fetch), key);
    expect(r.keyWithheldAt).toBe("https://elsewhere.test");
    expect(sentHeaders(asked[1]).authorization).toBeUndefined();
  });

  it("re-sends a POST body on 307, and turns a POST into a bodiless GET on 303", async () => {
    const post = request({ method: "POST", body: '{"id":"1"}', headers: { "content-type": "application/json" } });
    const kept = fetchOf(redirect(307, "/v1/again"), () => new Response("{}"));
    await fetchFollowingRedirects(post, context(kept.fetch), key);
    expect(kept.asked[1]?.init).toMatchObject({ method: "POST", body: '{"id":"1"}' });
    const changed = fetchOf(redirect(303, "/v1/see"), () => new Response("{}"));
    await fetchFollowingRedirects(post, context(changed.fetch), key);
    expect(changed.asked[1]?.init).toMatchObject({ method: "GET", body: undefined });
    expect(sentHeaders(changed.asked[1])["content-type"]).toBeUndefined();
  });

  it(`stops after ${maxRedirects} redirects, and at a scheme that is not http(s), with a ConnectionError`, async () => {
    const loop = fetchOf(redirect(302, "/v1/loop"));
    const error = await fetchFollowingRedirects(request(), context(loop.fetch), key).catch((e) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toBe(`Acme: GET /v1/thing was redirected more than ${maxRedirects} times`);
    expect(loop.asked).toHaveLength(maxRedirects + 1);
    const file = fetchOf(redirect(301, "file:///etc/passwd"));
    await expect(fetchFollowingRedirects(request(), context(file.fetch), key)).rejects.toThrowError(
      "Acme: GET /v1/thing was redirected to file:",
    );
  });

  it("redacts the key from a redirect error's words", async () => {
    const { fetch } = fetchOf(redirect(302, "/v1/loop"));
    const error = await fetchFollowingRedirects(
      request({ url: `https://gateway.test/${key}` }),
      context(fetch),
      key,
    ).catch((e) => e);
    expect(error.message).not.toContain(key);
    expect(error.message).toContain("[redacted]");
  });
});

describe("readCapped", () => {
  const signal = () => new AbortController().signal;
  const streamed = (chunks: string[]) =>
    new Response(
      new ReadableStream({
        start(c) {
          for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
          c.close();
        },
      }),
    );

  it("trusts a declared length over the cap: refused before reading", async () => {
    const res = new Response("x".repeat(10), { headers: { "content-length": "2000" } });
    const error = await readCapped(res, signal(), context(fetch, 1024)).catch((e) => e);
    expect(ResponseTooLargeError.isInstance(error)).toBe(true);
    expect(error.message).toBe("Acme answered 200 with a body larger than 1024 bytes (maxResponseBytes)");
  });

  it("counts the bytes of a body with no length, and refuses one past the cap", async () => {
    expect(await readCapped(streamed(["ab", "cé"]), signal(), context(fetch, 5))).toBe("abcé");
    await expect(readCapped(streamed(["abc", "déf"]), signal(), context(fetch, 5))).rejects.toThrowError(
      /larger than 5 bytes/,
    );
  });

  it("decodes a character split across chunks", async () => {
    const bytes = new TextEncoder().encode("é");
    const res = new Response(
      new ReadableStream({
        start(c) {
          c.enqueue(bytes.slice(0, 1));
          c.enqueue(bytes.slice(1));
          c.close();
        },
      }),
    );
    expect(await readCapped(res, signal(), context(fetch))).toBe("é");
  });

  it("ends a body that never ends when the signal fires", async () => {
    const controller = new AbortController();
    const res = new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode("{")) }));
    const reading = readCapped(res, controller.signal, context(fetch));
    controller.abort(new Error("stop"));
    await expect(reading).rejects.toThrowError("stop");
  });
});
