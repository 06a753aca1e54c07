import { InvalidArgumentError, RateLimiter, type RateLimitState } from "@genledger/core/internal";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseReset, parseStatedLimit } from "./headers.js";
import { checkRateLimit, paceFromWindow } from "./rate-limit.js";

const h = (init: Record<string, string>) => new Headers(init);
const now = Date.parse("2026-12-02T10:00:00Z");

describe("parseReset", () => {
  it("reads epoch ms, epoch seconds, seconds from now and durations", () => {
    expect(parseReset(String(now + 1500), now)).toBe(now + 1500);
    expect(parseReset(String((now + 2000) / 1000), now)).toBe(now + 2000);
    expect(parseReset("3", now)).toBe(now + 3000);
    expect(parseReset("1s", now)).toBe(now + 1000);
    expect(parseReset("6m0s", now)).toBe(now + 360_000);
    expect(parseReset("20ms", now)).toBe(now + 20);
    expect(parseReset("1h2m3.5s", now)).toBe(now + 3_723_500);
  });
  it("ignores what it cannot read, and instants long past or more than a day away", () => {
    for (const value of ["soon", "-5", "NaN", "1e3", "", "0x10", String(now - 60_000), String(now + 2 * 86_400_000)]) {
      expect(parseReset(value, now)).toBeUndefined();
    }
  });
});

describe("parseStatedLimit", () => {
  it("reads x-ratelimit-*, OpenAI's *-requests and the IETF ratelimit-* headers", () => {
    expect(
      parseStatedLimit(
        h({ "x-ratelimit-limit": "100", "x-ratelimit-remaining": "7", "x-ratelimit-reset": String(now + 500) }),
        now,
      ),
    ).toEqual({ limit: 100, remaining: 7, resetAt: now + 500 });
    expect(
      parseStatedLimit(h({ "x-ratelimit-remaining-requests": "3", "x-ratelimit-reset-requests": "2s" }), now),
    ).toEqual({ limit: undefined, remaining: 3, resetAt: now + 2000 });
    expect(parseStatedLimit(h({ "ratelimit-remaining": "0", "ratelimit-reset": "4" }), now)).toMatchObject({
      remaining: 0,
      resetAt: now + 4000,
    });
    expect(parseStatedLimit(h({ "x-ratelimit-remaining": "-1" }), now)).toBeUndefined();
    expect(parseStatedLimit(h({}), now)).toBeUndefined();
  });
});

describe("checkRateLimit", () => {
  it("refuses a typo, NaN, a negative rate and a fractional burst, naming the option", () => {
    expect(() => checkRateLimit({ requestPerSecond: 5 })).toThrow(
      "unknown rateLimit option `requestPerSecond`: did you mean `requestsPerSecond`?",
    );
    expect(() => checkRateLimit({ requestsPerSecond: Number.NaN })).toThrow(
      "rateLimit option `requestsPerSecond` must be a number from 0.01 to 100000, got NaN",
    );
    for (const bad of [{ requestsPerSecond: Number.NaN }, { requestsPerSecond: -1 }, { burst: 1.5 }, 5, null]) {
      expect(() => checkRateLimit(bad)).toThrow(InvalidArgumentError);
    }
    expect(checkRateLimit({ requestsPerSecond: 10, burst: 2 })).toEqual({ requestsPerSecond: 10, burst: 2 });
  });
});

describe("RateLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const turn = (deadline?: number, signal?: AbortSignal) => ({
    deadline,
    signal,
    aborted: () => new Error("aborted"),
    tooLate: (until: number) => Object.assign(new Error("too late"), { until }),
  });

  /** Acquires `n` turns (each settled as a 200 at once) and resolves to the instant each went. */
  async function times(limiter: RateLimiter, n: number): Promise<number[]> {
    const went: number[] = [];
    await Promise.all(
      Array.from({ length: n }, async () => {
        await limiter.acquire(turn());
        went.push(Date.now());
        limiter.settle(Date.now(), { status: 200, headers: h({}) });
      }),
    );
    return went;
  }

  it("lets everything through at once while no limit is known", async () => {
    const limiter = new RateLimiter();
    expect(limiter.acquire(turn())).toBeUndefined();
    expect(limiter.state()).toMatchObject({ requests: 1, rate: undefined, source: "none", rateLimited: 0 });
  });

  it("paces to requestsPerSecond from the first request", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 10 });
    const done = times(limiter, 21);
    await vi.runAllTimersAsync();
    const went = await done;
    expect(Math.max(...went) - now).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...went) - now).toBeLessThan(2200);
    expect(limiter.state()).toMatchObject({ source: "option", rate: 10, requests: 21 });
  });

  it("pauses every request until the instant a 429 asked for, then goes on at a learned pace", async () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 10; i++) {
      limiter.acquire(turn());
      limiter.settle(now, { status: 200, headers: h({}) });
    }
    limiter.acquire(turn());
    const until = limiter.settle(now, { status: 429, headers: h({ "retry-after": "2" }) });
    expect(until).toBe(now + 2000);
    const state: RateLimitState = limiter.state();
    // Ten sent at once got through: that is the gateway's burst; slow start begins at four times it.
    expect(state).toMatchObject({ rateLimited: 1, pausedUntil: now + 2000, source: "learned", rate: 40 });
    let went: number | undefined;
    void (limiter.acquire(turn()) as Promise<void>).then(() => (went = Date.now()));
    await vi.advanceTimersByTimeAsync(1999);
    expect(went).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10);
    expect(went).toBeGreaterThanOrEqual(now + 2000);
  });

  it("does not grow its pace over the time a pause lasted", async () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 10; i++) {
      limiter.acquire(turn());
      limiter.settle(now, { status: 200, headers: h({}) });
    }
    limiter.acquire(turn());
    limiter.settle(now, { status: 429, headers: h({ "retry-after": "2" }) });
    // Requests queue through the pause; slow start doubles every 250 ms, but only of time after it.
    for (let i = 0; i < 30; i++) void (limiter.acquire(turn()) as Promise<void>).catch(() => {});
    await vi.advanceTimersByTimeAsync(2010);
    expect(limiter.state().rate).toBeLessThan(48);
  });

  it("cuts once per burst of 429s: answers to requests sent before the cut do not cut again", () => {
    const limiter = new RateLimiter();
    for (let i = 0; i < 40; i++) limiter.acquire(turn());
    for (let i = 0; i < 20; i++) limiter.settle(now, { status: 200, headers: h({}) });
    for (let i = 0; i < 20; i++) limiter.settle(now - 1, { status: 429, headers: h({ "retry-after-ms": "100" }) });
    expect(limiter.state()).toMatchObject({ rate: 80, rateLimited: 20 });
  });

  it("waits its own growing pause when the gateway asks for nothing, or for nonsense", () => {
    const limiter = new RateLimiter();
    const pause = (headers: Record<string, string>) => {
      vi.advanceTimersByTime(1);
      return limiter.settle(Date.now(), { status: 429, headers: h(headers) }) - Date.now();
    };
    expect(pause({})).toBe(250);
    // More 429s of the same burst (sent before the cut) do not grow it.
    expect(limiter.settle(now, { status: 429, headers: h({}) }) - Date.now()).toBe(500);
    expect(pause({ "retry-after": "-3" })).toBe(500);
    expect(pause({ "retry-after": "NaN" })).toBe(1000);
    expect(pause({ "retry-after": "Thu, 01 Jan 1970 00:00:00 GMT" })).toBe(0);
  });

  it("rejects at once a request whose wait would pass its deadline", async () => {
    const limiter = new RateLimiter();
    limiter.settle(now, { status: 429, headers: h({ "retry-after": "1800" }) });
    await expect(limiter.acquire(turn(now + 60_000))).rejects.toMatchObject({
      message: "too late",
      until: now + 1_800_000,
    });
  });

  it("is not paused by a wait no job could sit out: those waiting fail at once, the next caller goes", async () => {
    const limiter = new RateLimiter();
    limiter.acquire(turn());
    limiter.acquire(turn());
    // Requests wait behind a short pause, then the gateway asks for 10^12 seconds.
    limiter.settle(now, { status: 429, headers: h({ "retry-after": "1" }) });
    const waiting = Array.from({ length: 3 }, () => (limiter.acquire(turn()) as Promise<void>).catch((e: Error) => e));
    const until = limiter.settle(now, { status: 429, headers: h({ "retry-after": "1000000000000" }) });
    expect(until).toBe(now + 1e15);
    for (const error of await Promise.all(waiting)) expect(error).toMatchObject({ message: "too late", until });
    await vi.advanceTimersByTimeAsync(1000);
    expect(limiter.state()).toMatchObject({ pausedUntil: undefined, waiting: 0 });
    expect(await limiter.acquire(turn())).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects a paced request when its deadline comes before its turn, and leaves no timer behind", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1 });
    expect(limiter.acquire(turn())).toBeUndefined();
    const late = limiter.acquire(turn(now + 300)) as Promise<void>;
    const caught = late.catch((error: Error) => error);
    await vi.advanceTimersByTimeAsync(0);
    expect(await caught).toMatchObject({ message: "too late" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("paces to what the gateway says is left before any 429, and stops trusting headers that lie", async () => {
    const limiter = new RateLimiter();
    limiter.acquire(turn());
    limiter.settle(now, {
      status: 200,
      headers: h({ "x-ratelimit-limit": "100", "x-ratelimit-remaining": "4", "x-ratelimit-reset": String(now + 1000) }),
    });
    expect(limiter.state()).toMatchObject({ source: "headers", rate: 4 });
    const done = times(limiter, 4);
    await vi.runAllTimersAsync();
    expect(Math.max(...(await done)) - now).toBeGreaterThanOrEqual(750);
    // Says there is room, answers 429: its headers are a lie from now on.
    limiter.acquire(turn());
    const lie = h({
      "x-ratelimit-remaining": "900",
      "x-ratelimit-reset": String(Date.now() + 1000),
      "retry-after": "1",
    });
    limiter.settle(Date.now(), { status: 429, headers: lie });
    limiter.acquire(turn());
    await vi.advanceTimersByTimeAsync(1000);
    limiter.settle(Date.now(), { status: 200, headers: lie });
    expect(limiter.state().source).toBe("learned");
  });

  it("waits until the stated reset when the window is spent", () => {
    const limiter = new RateLimiter();
    const until = limiter.settle(now, {
      status: 429,
      headers: h({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now + 1234) }),
    });
    expect(until).toBe(now + 1234);
  });

  it("drops an aborted request from the queue", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1 });
    limiter.acquire(turn());
    const controller = new AbortController();
    const waiting = (limiter.acquire(turn(undefined, controller.signal)) as Promise<void>).catch((e: Error) => e);
    expect(limiter.state().waiting).toBe(1);
    controller.abort();
    expect(await waiting).toMatchObject({ message: "aborted" });
    expect(limiter.state().waiting).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("RateLimiter against a token-bucket gateway (fake time)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // The gateway of the bench: burst 10, 100 requests a second, 50 ms to answer, `retry-after: 1`.
  it("learns the gateway's pace from its refusals and stays near it, with 429s rare", async () => {
    const limiter = new RateLimiter();
    let level = 10;
    let at = now;
    const turn = { aborted: () => new Error("aborted"), tooLate: () => new Error("too late") };
    const rates: number[] = [];
    const sampler = setInterval(() => rates.push(limiter.state().rate ?? 0), 10);
    let left = 2500;
    const worker = async () => {
      while (left-- > 0) {
        await limiter.acquire(turn);
        const sentAt = Date.now();
        level = Math.min(10, level + ((sentAt - at) * 100) / 1000);
        at = sentAt;
        const ok = level >= 1;
        if (ok) level -= 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
        const until = limiter.settle(sentAt, { status: ok ? 200 : 429, headers: h(ok ? {} : { "retry-after": "1" }) });
        if (!ok) {
          left++;
          await new Promise((resolve) => setTimeout(resolve, until - Date.now()));
        }
      }
    };
    const done = Promise.all(Array.from({ length: 16 }, worker)).finally(() => clearInterval(sampler));
    await vi.runAllTimersAsync();
    await done;
    const state = limiter.state();
    // Paced within 10 % under the gateway's 100/s, with 429s rare (each costs a pause).
    expect(state.rate).toBeGreaterThan(90);
    expect(state.rate).toBeLessThan(101);
    expect(state.rateLimited).toBeLessThan(2500 * 0.05);
    // Once measured, the pace stays near it.
    expect(Math.max(...rates.slice(rates.length / 2))).toBeLessThan(110);
  });
});

describe("a job against the bench's gateway, on a fake clock", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** N lookups by 32 workers against a token bucket of burst 10 and 100/s, 50 ms to answer: wall time over N / R. */
  async function job(retryAfter: string | undefined): Promise<{ wall: number; refused: number }> {
    const limiter = new RateLimiter();
    const start = Date.now();
    let level = 10;
    let at = start;
    const turn = { aborted: () => new Error("aborted"), tooLate: () => new Error("too late") };
    const n = 2000;
    let left = n;
    let refused = 0;
    const worker = async () => {
      while (left-- > 0) {
        await limiter.acquire(turn);
        const sentAt = Date.now();
        level = Math.min(10, level + ((sentAt - at) * 100) / 1000);
        at = sentAt;
        const ok = level >= 1;
        if (ok) level -= 1;
        await new Promise((resolve) => setTimeout(resolve, 50));
        const headers = h(ok || retryAfter === undefined ? {} : { "retry-after": retryAfter });
        const until = limiter.settle(sentAt, { status: ok ? 200 : 429, headers });
        if (!ok) {
          refused++;
          left++;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())));
        }
      }
    };
    const done = Promise.all(Array.from({ length: 32 }, worker));
    await vi.runAllTimersAsync();
    await done;
    return { wall: (Date.now() - start) / ((n / 100) * 1000), refused: refused / n };
  }

  // Each 429 with `retry-after: 1` pauses every request a second, as the gateway asks: the first contact and
  // the end of slow start are two of them, 10 % of a 20 s job. Without retry-after the limiter's own pause is 250 ms.
  it("finds the pace in two pauses, measured at the end of slow start, and holds it under the gateway's", async () => {
    const asked = await job("1");
    expect(asked.wall).toBeLessThan(1.13);
    expect(asked.refused).toBeLessThan(0.03);
    const unasked = await job(undefined);
    expect(unasked.wall).toBeLessThan(1.08);
    expect(unasked.refused).toBeLessThan(0.03);
  });
});

describe("paceFromWindow", () => {
  // A gateway of burst 10 and 100/s, sent to at 200/s from a full bucket: it refuses the 20th request.
  const sent = Array.from({ length: 30 }, (_, i) => 1000 + i * 5);
  it("reads the gateway's pace from the sends before its first refusal", () => {
    const pace = paceFromWindow(sent, sent[19] as number, 10);
    expect(pace).toBeGreaterThan(99);
    expect(pace).toBeLessThanOrEqual(101);
  });
  it("says nothing when every send fits in the burst", () => {
    expect(paceFromWindow(sent, sent[8] as number, 10)).toBeUndefined();
  });
});
