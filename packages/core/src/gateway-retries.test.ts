import { AbortError, ConnectionError, RateLimitError, ServerError, TimeoutError } from "@genledger/core";
import { delay, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ok, status, useGatewayServer } from "./__fixtures__/gateway.js";

const { gateway, sequence } = useGatewayServer();

describe("retries", () => {
  it("makes maxRetries + 1 attempts, then throws the last error", async () => {
    const seen = sequence(status(503));
    const error = await gateway({ maxRetries: 3 })
      .get("gen-1")
      .catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error.retryable).toBe(true);
    expect(seen).toHaveLength(4);
  });

  it("makes one attempt with maxRetries: 0", async () => {
    const seen = sequence(status(500));
    await expect(gateway({ maxRetries: 0 }).get("gen-1")).rejects.toBeInstanceOf(ServerError);
    expect(seen).toHaveLength(1);
  });

  it("exposes retry-after on a RateLimitError", async () => {
    const seen = sequence(
      status(429, { error: { message: "slow down" } }, { "retry-after-ms": "0", "retry-after": "7" }),
    );
    const error = await gateway({ maxRetries: 1 })
      .get("gen-1")
      .catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBe(0);
    expect(error.message).toBe("Acme 429 Too Many Requests: slow down");
    expect(seen).toHaveLength(2);
  });

  it("never retries sooner than asked: a lone request asked to wait past 60 s fails at once with retryAfterMs", async () => {
    const seen = sequence(() => HttpResponse.json({}, { status: 429, headers: { "retry-after": "120" } }));
    const error = await gateway({ maxRetries: 1 })
      .get("gen-1")
      .catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.retryAfterMs).toBe(120_000);
    expect(seen).toHaveLength(1);
  });

  it("retries a lone 429 with backoff when the gateway asks for no wait, counting it as an attempt", async () => {
    const seen = sequence(() => HttpResponse.json({}, { status: 429 }), ok);
    const started = Date.now();
    expect(await gateway({ maxRetries: 1 }).get("gen-1")).toEqual({ id: "gen-1" });
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it("waits as long as retry-after says (seconds)", async () => {
    const seen = sequence(() => HttpResponse.json({}, { status: 429, headers: { "retry-after": "1" } }), ok);
    const started = Date.now();
    await gateway().get("gen-1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(seen).toHaveLength(2);
  });

  it("backs off when the gateway says nothing", async () => {
    const seen = sequence(() => HttpResponse.json({}, { status: 500 }), ok);
    const started = Date.now();
    await gateway().get("gen-1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(370); // 500 ms less at most 25% jitter
    expect(seen).toHaveLength(2);
  });

  it("retries connection errors, then throws ConnectionError", async () => {
    const seen = sequence(() => HttpResponse.error());
    const error = await gateway({ maxRetries: 1 })
      .get("gen-1")
      .catch((e) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^Acme: could not reach https:\/\/gateway\.test/);
    expect(seen).toHaveLength(2);
  });

  it("times out each attempt, retries, then throws TimeoutError", async () => {
    const seen = sequence(async () => {
      await delay(2_000);
      return ok();
    });
    const error = await gateway({ timeoutMs: 50, maxRetries: 1 })
      .get("gen-1")
      .catch((e) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ timeoutMs: 50 });
    expect(error.message).toBe("Acme: GET /v1/thing timed out after 50 ms");
    expect(seen).toHaveLength(2);
  });

  it("times out a server that stalls in the middle of the body", async () => {
    const encoder = new TextEncoder();
    sequence(
      () =>
        new HttpResponse(
          new ReadableStream({
            async start(controller) {
              controller.enqueue(encoder.encode('{"id":'));
              await delay(2_000);
              controller.close();
            },
          }),
          { headers: { "content-type": "application/json" } },
        ),
    );
    const error = await gateway({ timeoutMs: 100, maxRetries: 0 })
      .get("gen-1")
      .catch((e) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it("stops at once when the caller aborts mid-backoff", async () => {
    const seen = sequence(() => HttpResponse.json({}, { status: 503, headers: { "retry-after": "30" } }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("user gave up")), 100);
    const started = Date.now();
    const error = await gateway()
      .get("gen-1", controller.signal)
      .catch((e) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(seen).toHaveLength(1);
  });

  it("stops at once when the caller aborts mid-request, without retrying", async () => {
    const seen = sequence(async () => {
      await delay(5_000);
      return ok();
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(gateway().get("gen-1", controller.signal)).rejects.toSatisfy(AbortError.isInstance.bind(AbortError));
    expect(seen).toHaveLength(1);
  });

  it("does not send at all with an already-aborted signal", async () => {
    const seen = sequence(ok);
    await expect(gateway().get("gen-1", AbortSignal.abort())).rejects.toSatisfy((e) => AbortError.isInstance(e));
    expect(seen).toHaveLength(0);
  });
});
