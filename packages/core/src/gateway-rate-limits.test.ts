import { InvalidArgumentError, RateLimitError } from "@genledger/core";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { base, ok, useGatewayServer } from "./__fixtures__/gateway.js";

const { server, gateway, sequence } = useGatewayServer();

describe("rate limits in a job (a request with a deadline)", () => {
  const refused = (headers: Record<string, string> = { "retry-after-ms": "20" }) =>
    HttpResponse.json({ error: { message: "slow down" } }, { status: 429, headers });

  it("does not count a 429 as an attempt: it goes again for as long as the gateway asks", async () => {
    const seen = sequence(refused, refused, refused, refused, refused, ok);
    const { get, rateLimit } = gateway({ maxRetries: 0 });
    expect(await get("gen-1", undefined, Number.POSITIVE_INFINITY)).toEqual({ id: "gen-1" });
    expect(seen).toHaveLength(6);
    expect(rateLimit()).toMatchObject({ rateLimited: 5, requests: 6, source: "learned" });
  });

  it("never goes again sooner than asked (jitter only lengthens the wait)", async () => {
    const sentAt: number[] = [];
    sequence(
      () => {
        sentAt.push(Date.now());
        return refused({ "retry-after-ms": "300" });
      },
      () => {
        sentAt.push(Date.now());
        return ok();
      },
    );
    await gateway().get("gen-1", undefined, Number.POSITIVE_INFINITY);
    expect((sentAt[1] as number) - (sentAt[0] as number)).toBeGreaterThanOrEqual(299);
  });

  it("pauses every request of the client, not only the refused one", async () => {
    const sentAt: number[] = [];
    let n = 0;
    server.use(
      http.get(`${base}/thing`, () => {
        sentAt.push(Date.now());
        return ++n === 1 ? refused({ "retry-after-ms": "300" }) : ok();
      }),
    );
    const { get } = gateway();
    const first = get("gen-1", undefined, Number.POSITIVE_INFINITY);
    while (n === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const refusedAt = sentAt[0] as number;
    await Promise.all([first, get("gen-1", undefined, Number.POSITIVE_INFINITY), get("gen-1")]);
    expect(sentAt).toHaveLength(4);
    for (const at of sentAt.slice(1)) expect(at - refusedAt).toBeGreaterThanOrEqual(299);
  });

  it("fails at once, not sent again, when the asked wait passes the deadline", async () => {
    const seen = sequence(() => refused({ "retry-after": "10" }));
    const started = Date.now();
    const error = await gateway()
      .get("gen-1", undefined, Date.now() + 1000)
      .catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBe(10_000);
    expect(seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("fails the next request at once, unsent, while the gateway's pause outlasts its deadline", async () => {
    const seen = sequence(() => refused({ "retry-after": "30" }));
    const { get } = gateway();
    await get("gen-1", undefined, Date.now() + 1000).catch(() => {});
    const error = await get("gen-2", undefined, Date.now() + 1000).catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^Acme is rate limited: the next request may go in \d+ ms, past the deadline/);
    expect(error.retryAfterMs).toBeGreaterThan(28_000);
    expect(seen).toHaveLength(1);
  });

  it("does not wait ten days without a deadline either: a wait past an hour fails at once", async () => {
    const seen = sequence(() => refused({ "retry-after": String(10 * 86_400) }));
    const error = await gateway()
      .get("gen-1", undefined, Number.POSITIVE_INFINITY)
      .catch((e) => e);
    expect(error.retryAfterMs).toBe(864_000_000);
    expect(seen).toHaveLength(1);
  });

  it("fails every job waiting at once on a wait of 10^12 s, and sends the next caller's request", async () => {
    let quota = true;
    const seen = sequence(() => (quota ? refused({ "retry-after": "1000000000000" }) : ok()));
    const { get, rateLimit } = gateway();
    const jobs = Array.from({ length: 5 }, (_, i) =>
      get(`gen-${i}`, undefined, Number.POSITIVE_INFINITY).catch((e: unknown) => e),
    );
    for (const error of await Promise.all(jobs)) {
      expect(RateLimitError.isInstance(error)).toBe(true);
      expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(1e14);
    }
    expect(rateLimit().pausedUntil).toBeUndefined();
    quota = false;
    const sent = seen.length;
    expect(await get("gen-9", undefined, Number.POSITIVE_INFINITY)).toEqual({ id: "gen-1" });
    expect(seen.length).toBe(sent + 1);
  });

  it("paces to the gateway's x-ratelimit-* headers before any 429", async () => {
    // A window of 5 requests per 400 ms, stated on every answer, enforced with 429.
    let windowStart = Date.now();
    let used = 0;
    let refusals = 0;
    server.use(
      http.get(`${base}/thing`, () => {
        const t = Date.now();
        if (t - windowStart >= 400) [windowStart, used] = [t, 0];
        const headers = {
          "x-ratelimit-limit": "5",
          "x-ratelimit-remaining": String(Math.max(0, 5 - used - 1)),
          "x-ratelimit-reset": String(windowStart + 400),
        };
        if (used >= 5) {
          refusals++;
          return HttpResponse.json({}, { status: 429, headers: { ...headers, "x-ratelimit-remaining": "0" } });
        }
        used++;
        return HttpResponse.json({ id: "gen-1" }, { headers });
      }),
    );
    const { get, rateLimit } = gateway();
    await get("gen-1");
    await Promise.all(Array.from({ length: 12 }, () => get("gen-1", undefined, Number.POSITIVE_INFINITY)));
    expect(refusals).toBe(0);
    expect(rateLimit().source).toBe("headers");
  });

  it("checks the rateLimit option when the client is made", () => {
    expect(() => gateway({ rateLimit: { requestsPerSecond: Number.NaN } })).toThrow(InvalidArgumentError);
    expect(() => gateway({ rateLimit: { rps: 5 } as never })).toThrow(
      "unknown rateLimit option `rps` (known: requestsPerSecond, burst)",
    );
  });
});
