// The retry loop on its own: a fake fetch, a real limiter, no network.
import { describe, expect, it } from "vitest";
import { AbortError, ConnectionError } from "./errors.js";
import { RateLimiter } from "./rate-limit.js";
import { type RetryContext, sendWithRetries } from "./retry.js";

const key = "sk-test-retry-0123456789";

function fetchOf(...answers: Array<() => Response | Promise<Response>>) {
  const asked: RequestInit[] = [];
  const fetch = async (_url: string, init: RequestInit) => {
    asked.push(init);
    return (answers[Math.min(asked.length, answers.length) - 1] as () => Response)();
  };
  return { asked, fetch };
}

const context = (fetch: RetryContext["fetch"], over: Partial<RetryContext> = {}): RetryContext => ({
  provider: "acme",
  displayName: "Acme",
  timeoutMs: 30_000,
  maxRetries: 1,
  maxBytes: 1024,
  fetch,
  logger: undefined,
  limiter: new RateLimiter(),
  ...over,
});

const request = (over = {}) => ({
  method: "GET",
  url: "https://gateway.test/v1/thing",
  headers: { authorization: `Bearer ${key}` },
  body: undefined,
  signal: undefined,
  deadline: undefined,
  ...over,
});

describe("sendWithRetries", () => {
  it("retries a 503 and resolves to the answer that follows, each attempt counted by the limiter", async () => {
    const { asked, fetch } = fetchOf(
      () => new Response("{}", { status: 503 }),
      () => new Response('{"id":"1"}'),
    );
    const ctx = context(fetch);
    const r = await sendWithRetries(request(), key, ctx);
    expect(r).toMatchObject({ status: 200, text: '{"id":"1"}' });
    expect(asked).toHaveLength(2);
    expect(ctx.limiter.state().requests).toBe(2);
  });

  it("resolves to the last answer when the attempts run out", async () => {
    const { asked, fetch } = fetchOf(() => new Response("{}", { status: 500 }));
    expect((await sendWithRetries(request(), key, context(fetch, { maxRetries: 0 }))).status).toBe(500);
    expect(asked).toHaveLength(1);
  });

  it("does not retry a POST that is not marked idempotent: it may have been done", async () => {
    const { asked, fetch } = fetchOf(() => new Response("{}", { status: 500 }));
    await sendWithRetries(request({ method: "POST", body: "{}" }), key, context(fetch));
    expect(asked).toHaveLength(1);
  });

  it("turns a failed fetch into a ConnectionError with the key out of its message and cause", async () => {
    const { fetch } = fetchOf(() => {
      throw new TypeError(`fetch failed for ${key}`);
    });
    const error = await sendWithRetries(request(), key, context(fetch, { maxRetries: 0 })).catch((e) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toBe("Acme: could not reach https://gateway.test: fetch failed for [redacted]");
    expect(String(error.cause?.message)).not.toContain(key);
  });

  it("sends nothing when the caller's signal has already fired", async () => {
    const { asked, fetch } = fetchOf(() => new Response("{}"));
    const error = await sendWithRetries(request({ signal: AbortSignal.abort() }), key, context(fetch)).catch((e) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(asked).toHaveLength(0);
  });

  it("in a job, returns a 429 at once when the wait it asks for passes the deadline", async () => {
    const { asked, fetch } = fetchOf(() => new Response("{}", { status: 429, headers: { "retry-after": "60" } }));
    const r = await sendWithRetries(request({ deadline: Date.now() + 1000 }), key, context(fetch));
    expect(r.status).toBe(429);
    expect(asked).toHaveLength(1);
  });
});
