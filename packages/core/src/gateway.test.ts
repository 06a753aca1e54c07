import { inspect } from "node:util";
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  createFetchClient,
  createGateway,
  type GatewayClientOptions,
  type GatewaySpec,
  GenledgerError,
  InvalidArgumentError,
  MissingApiKeyError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseParseError,
  requireId,
  ServerError,
  TimeoutError,
} from "@genledger/core";
import { delay, HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";

const base = "https://gateway.test/v1";
const key = "sk-test-0123456789abcdefSECRET";

const spec: GatewaySpec = {
  provider: "acme",
  displayName: "Acme",
  envPrefix: "ACME",
  defaultBaseUrl: base,
  authRequired: true,
  parseError: (body) => {
    const e = (body as { error?: { message?: string; code?: string } })?.error;
    return e ? { message: e.message, code: e.code } : undefined;
  },
};

interface Paths {
  "/thing": {
    get: {
      parameters: { query: { id: string } };
      responses: { 200: { content: { "application/json": { id: string } } } };
    };
  };
  "/things/{thing_id}": {
    get: {
      parameters: { path: { thing_id: string } };
      responses: { 200: { content: { "application/json": { id: string } } } };
    };
  };
}

const server = useMswServer();

function gateway(options: GatewayClientOptions = {}) {
  const g = createGateway(spec, { apiKey: key, baseUrl: base, ...options });
  return {
    client: createFetchClient<Paths>(g),
    get: (id: string, signal?: AbortSignal) =>
      g.request<{ id: string }>({ method: "GET", path: "/thing", query: { id }, signal }, (b) =>
        typeof (b as { id?: unknown })?.id === "string" ? undefined : "an `id` that is not a string",
      ),
  };
}

/** Answers each request with the next of `responses` (the last one repeats) and counts attempts. */
function sequence(...responses: Array<() => Response | Promise<Response>>) {
  const seen: Request[] = [];
  server.use(
    http.all(`${base}/*`, ({ request }) => {
      seen.push(request);
      return (responses[Math.min(seen.length, responses.length) - 1] as () => Response)();
    }),
  );
  return seen;
}

const ok = () => HttpResponse.json({ id: "gen-1" });
const status =
  (
    code: number,
    body: Record<string, unknown> = { error: { message: `boom ${code}`, code: `E${code}` } },
    headers = {},
  ) =>
  () =>
    HttpResponse.json(body, { status: code, headers: { "retry-after-ms": "0", ...headers } });

describe("auth and configuration", () => {
  it("sends the key as a bearer token", async () => {
    const seen = sequence(ok);
    await gateway().get("gen-1");
    expect(seen[0]?.headers.get("authorization")).toBe(`Bearer ${key}`);
  });

  it("reads the key and base URL from the environment when a request is made", async () => {
    const client = createFetchClient<Paths>(createGateway(spec));
    vi.stubEnv("ACME_API_KEY", "env-key-123");
    vi.stubEnv("ACME_BASE_URL", "https://other.test/api/");
    const seen: Request[] = [];
    server.use(
      http.get("https://other.test/api/thing", ({ request }) => {
        seen.push(request);
        return ok();
      }),
    );
    const { data } = await client.GET("/thing", { params: { query: { id: "x" } } });
    expect(data).toEqual({ id: "gen-1" });
    expect(seen[0]?.headers.get("authorization")).toBe("Bearer env-key-123");
  });

  it("fails before sending anything when there is no key, naming the option and the variable", async () => {
    const seen = sequence(ok);
    const client = createFetchClient<Paths>(createGateway(spec, { baseUrl: base }));
    const error = await client.GET("/thing", { params: { query: { id: "x" } } }).catch((e) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/`apiKey` option.*ACME_API_KEY/);
    expect(seen).toHaveLength(0);
  });

  it("sends extra headers and keeps the openapi-fetch middleware", async () => {
    const seen = sequence(ok);
    const { client, get } = gateway({ headers: { "x-team": "billing" } });
    client.use({ onRequest: ({ request }) => void request.headers.set("x-mw", "1") });
    await get("gen-1");
    await client.GET("/thing", { params: { query: { id: "gen-1" } } });
    expect(seen[0]?.headers.get("x-team")).toBe("billing");
    expect(seen[1]?.headers.get("x-team")).toBe("billing");
    expect(seen[1]?.headers.get("x-mw")).toBe("1");
  });

  it("rejects an empty id without a request", () => {
    expect(() => requireId("")).toThrowError(InvalidArgumentError);
    expect(() => requireId(undefined)).toThrowError(/non-empty generation id/);
  });
});

describe("retries", () => {
  it.each([408, 409, 429, 500, 502, 503, 524, 529])("retries %i and then succeeds", async (code) => {
    const seen = sequence(status(code), ok);
    await expect(gateway().get("gen-1")).resolves.toEqual({ id: "gen-1" });
    expect(seen).toHaveLength(2);
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [422, BadRequestError],
  ])("never retries %i", async (code, ErrorClass) => {
    const seen = sequence(status(code), ok);
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(ErrorClass.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: code, provider: "acme", code: `E${code}`, retryable: false });
    expect(seen).toHaveLength(1);
  });

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

  it("reports a retry-after longer than it will wait, without waiting for it", async () => {
    const seen = sequence(() => HttpResponse.json({}, { status: 429, headers: { "retry-after": "120" } }));
    const started = Date.now();
    const error = await gateway({ maxRetries: 1 })
      .get("gen-1")
      .catch((e) => e);
    expect(error.retryAfterMs).toBe(120_000);
    expect(Date.now() - started).toBeLessThan(5_000); // backed off ~0.5 s instead
    expect(seen).toHaveLength(2);
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

describe("bodies", () => {
  it("turns a 500 HTML page into a ServerError with the page's words", async () => {
    sequence(
      () =>
        new HttpResponse("<html><body><h1>502 Bad Gateway</h1></body></html>", {
          status: 500,
          headers: { "content-type": "text/html" },
        }),
    );
    const error = await gateway({ maxRetries: 0 })
      .get("gen-1")
      .catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(error.message).toBe("Acme 500 Internal Server Error: 502 Bad Gateway");
    expect(error.body).toContain("<h1>");
  });

  it("reports a 200 HTML maintenance page as a ResponseParseError", async () => {
    sequence(
      () =>
        new HttpResponse("<!DOCTYPE html><p>Down for maintenance</p>", { headers: { "content-type": "text/html" } }),
    );
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^Acme answered 200 with a body that is not JSON \(text\/html/);
    expect(error.bodySnippet).toContain("Down for maintenance");
  });

  it("reports a truncated JSON body", async () => {
    sequence(() => new HttpResponse('{"id": "gen-1", "cost', { headers: { "content-type": "application/json" } }));
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/not JSON/);
  });

  it("reports an empty body", async () => {
    sequence(() => new HttpResponse("", { status: 200 }));
    await expect(gateway().get("gen-1")).rejects.toThrowError(/Acme answered 200 with an empty body/);
  });

  it("reports JSON that is not the documented shape", async () => {
    sequence(() => HttpResponse.json({ unexpected: true }));
    await expect(gateway().get("gen-1")).rejects.toThrowError(/Acme answered 200 with an `id` that is not a string/);
  });

  it("keeps a __proto__ key as data and pollutes nothing", async () => {
    sequence(
      () =>
        new HttpResponse('{"id":"gen-1","__proto__":{"polluted":true}}', {
          headers: { "content-type": "application/json" },
        }),
    );
    const body = await gateway().get("gen-1");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(body, "__proto__")).toBe(true);
  });

  it("takes the request id from the response headers", async () => {
    sequence(() =>
      HttpResponse.json({ error: { message: "nope" } }, { status: 404, headers: { "x-request-id": "req-42" } }),
    );
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(error).toMatchObject({ requestId: "req-42", message: "Acme 404 Not Found: nope (request id req-42)" });
  });
});

describe("encoding", () => {
  const nasty = [
    "a/b",
    "q?x=1",
    "frag#ment",
    "100%",
    "..",
    ".",
    "a/../b",
    "..%2F",
    "with space",
    "a&b=c",
    "日本語-✓",
    "+plus",
  ];

  it.each(nasty)("sends the query value %j unchanged", async (id) => {
    const seen = sequence(ok);
    await gateway().get(id);
    expect(new URL(seen[0]!.url).searchParams.get("id")).toBe(id);
    expect([...new URL(seen[0]!.url).searchParams.keys()]).toEqual(["id"]);
  });

  it.each(["..", "."])("refuses the path value %j, which no URL can carry as a segment", async (id) => {
    const seen = sequence(ok);
    const error = await gateway()
      .client.GET("/things/{thing_id}", { params: { path: { thing_id: id } } })
      .catch((e) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/cannot be sent as a URL path segment/);
    expect(seen).toHaveLength(0);
  });

  it.each(nasty.filter((id) => !/^\.+$/.test(id)))("sends the path value %j as one segment", async (id) => {
    const seen = sequence(ok);
    const { client } = gateway();
    await client.GET("/things/{thing_id}", { params: { path: { thing_id: id } } });
    const path = new URL(seen[0]!.url).pathname;
    expect(path.startsWith("/v1/things/")).toBe(true);
    const segment = path.slice("/v1/things/".length);
    expect(segment).not.toContain("/");
    expect(decodeURIComponent(segment)).toBe(id);
  });
});

describe("errors and secrets", () => {
  it("recognises errors with isInstance, including from another copy of the module", async () => {
    // @ts-expect-error a second instance of the module, through Vite's query suffix (tsc cannot see it)
    const copy = (await import("./errors.ts?copy")) as typeof import("./errors.js");
    const foreign = new copy.NotFoundError({ provider: "x", status: 404, message: "m", body: null });
    expect(foreign instanceof NotFoundError).toBe(false);
    expect(NotFoundError.isInstance(foreign)).toBe(true);
    expect(ApiError.isInstance(foreign)).toBe(true);
    expect(GenledgerError.isInstance(foreign)).toBe(true);
    expect(RateLimitError.isInstance(foreign)).toBe(false);
    expect(ApiError.isInstance(new Error("plain"))).toBe(false);
    expect(foreign.name).toBe("NotFoundError");
  });

  it("never shows the key in an error, its stack, toString, JSON or inspect, nor in a log line", async () => {
    const echo = { error: { message: `Invalid key ${key}`, code: "invalid_api_key", key } };
    const lines: string[] = [];
    const logger = {
      debug: (m: string, d?: object) => lines.push(m, JSON.stringify(d ?? {})),
      warn: (m: string, d?: object) => lines.push(m, JSON.stringify(d ?? {})),
    };
    sequence(status(500, echo), status(401, echo));
    const error = await gateway({ logger })
      .get(key)
      .catch((e) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [
      error.message,
      error.stack,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 9 }),
      ...lines,
    ]) {
      expect(text).not.toContain(key);
    }
    expect(error.message).toBe("Acme 401 Unauthorized: Invalid key [redacted]");
    expect(lines.join("\n")).toContain('"authorization":"[redacted]"');
  });

  it("serialises an error with its fields", async () => {
    sequence(status(404));
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "NotFoundError",
      message: "Acme 404 Not Found: boom 404",
      provider: "acme",
      status: 404,
      code: "E404",
      retryable: false,
    });
  });
});
