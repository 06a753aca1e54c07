import { inspect } from "node:util";
import { createFetchClient } from "@genledger/core/fetch-client";
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  createGateway,
  exactNumberText,
  type GatewayClientOptions,
  GenledgerError,
  InvalidArgumentError,
  MissingApiKeyError,
  NotFoundError,
  parseJsonExact,
  RateLimitError,
  ResponseParseError,
  ResponseTooLargeError,
  readErrorObject,
  requireId,
  ServerError,
} from "@genledger/core/internal";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { base, key, ok, type Paths, spec, status, useGatewayServer } from "./__fixtures__/gateway.js";

const { server, gateway, sequence } = useGatewayServer();

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

  it("says why a body is not JSON without quoting any part of the key", async () => {
    sequence(() => new HttpResponse(`${key} is not a valid key`, { headers: { "content-type": "text/plain" } }));
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^Acme answered 200 with a body that is not JSON \(text\/plain, \d+ characters\): /);
    const shown = `${error.message} ${error.cause?.message} ${error.bodySnippet} ${JSON.stringify(error)}`;
    expect(shown).not.toContain(key.slice(0, 8));
    expect(shown).toContain("[redacted]");
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

describe("options are checked when the client is made", () => {
  const make = (options: Record<string, unknown>) => () => createGateway(spec, options as GatewayClientOptions);

  it("names the closest known option for an unknown one", () => {
    expect(make({ baseURL: "https://x.test" })).toThrowError(
      /unknown client option `baseURL`: did you mean `baseUrl`\?/,
    );
    expect(make({ timeout: 5 })).toThrowError(/did you mean `timeoutMs`/);
    expect(make({ apikey: "x" })).toThrowError(/did you mean `apiKey`/);
    expect(make({ somethingElse: 1 })).toThrowError(
      /^unknown client option `somethingElse` \(known: apiKey, baseUrl, /,
    );
    expect(InvalidArgumentError.isInstance(catchError(make({ baseURL: "x" })))).toBe(true);
  });

  it.each([
    ["a relative URL", "/api/v1"],
    ["another scheme", "ftp://x.test/api"],
    ["a query string", "https://x.test/api?team=1"],
    ["a fragment", "https://x.test/api#x"],
    ["credentials", "https://user:pw@x.test/api"],
  ])("refuses a baseUrl with %s, without showing it", (_, baseUrl) => {
    const error = catchError(make({ baseUrl }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "option `baseUrl` must be an absolute http(s) URL without query string, fragment or credentials",
    );
  });

  it("refuses to send a key over plain http to a host that is not loopback, unless allowed", async () => {
    expect(make({ apiKey: key, baseUrl: "http://gateway.test/v1" })).toThrowError(
      /plain http:\/\/ to a host that is not loopback.*allowInsecureHttp: true/,
    );
    expect(make({ apiKey: key, baseUrl: "http://gateway.test/v1", allowInsecureHttp: true })).not.toThrow();
    for (const host of ["127.0.0.1:9", "localhost:9", "[::1]:9", "api.localhost"]) {
      expect(make({ apiKey: key, baseUrl: `http://${host}/v1` })).not.toThrow();
    }
    // From the environment, checked per request: the promise rejects and nothing is sent.
    const seen = sequence(ok);
    vi.stubEnv("ACME_BASE_URL", "http://gateway.test/v1");
    const g = createGateway(spec, { apiKey: key });
    const error = await g.request({ method: "GET", path: "/thing" }, () => undefined).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/ACME_BASE_URL is plain http:\/\//);
    expect(seen).toHaveLength(0);
  });

  it.each([
    ["timeoutMs", Number.NaN],
    ["timeoutMs", -1],
    ["timeoutMs", 0],
    ["timeoutMs", Number.POSITIVE_INFINITY],
    ["timeoutMs", 2 ** 31],
    ["maxRetries", Number.NaN],
    ["maxRetries", -1],
    ["maxRetries", 1.5],
    ["maxRetries", 11],
    ["maxResponseBytes", 0],
    ["maxResponseBytes", "8MB"],
  ])("refuses %s: %s", (name, value) => {
    expect(make({ [name]: value })).toThrowError(new RegExp(`option \`${name}\` must be`));
  });

  it("accepts the limits themselves", () => {
    expect(make({ timeoutMs: 2 ** 31 - 1, maxRetries: 10, maxResponseBytes: 1 })).not.toThrow();
    expect(make({ maxRetries: 0, timeoutMs: undefined })).not.toThrow();
  });

  it("refuses options of the wrong type", () => {
    expect(make({ fetch: "fetch" })).toThrowError(/client option `fetch` must be a function, got "fetch"/);
    expect(make({ headers: { "x-n": 1 } })).toThrowError(/header `x-n` must be a string/);
    expect(make({ allowInsecureHttp: "yes" })).toThrowError(/must be a boolean/);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("the key", () => {
  it("is trimmed, and the trimmed value is what is sent and redacted", async () => {
    const seen = sequence(() => HttpResponse.json({ error: { message: `bad key ${key}` } }, { status: 401 }));
    const error = await gateway({ apiKey: `  ${key}\n` })
      .get("gen-1")
      .catch((e) => e);
    expect(seen[0]?.headers.get("authorization")).toBe(`Bearer ${key}`);
    expect(error.message).toBe("Acme 401 Unauthorized: bad key [redacted]");
  });

  it("is refused up front when it holds a control character, without showing it", () => {
    const error = catchError(() => createGateway(spec, { apiKey: `${key}\u0007x` }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "option `apiKey` has a control or non-ASCII character at position 30; it was not sent",
    );
    for (const text of [String(error), inspect(error), JSON.stringify(error)]) expect(text).not.toContain(key);
  });

  it("is refused when shorter than 8 characters, so every key sent can be redacted", () => {
    expect(() => createGateway(spec, { apiKey: "short" })).toThrowError(/5 characters long; keys shorter than 8/);
  });

  it("from the environment gets the same checks, and the promise rejects", async () => {
    const seen = sequence(ok);
    vi.stubEnv("ACME_API_KEY", `${key}\u0007tail`);
    vi.stubEnv("ACME_BASE_URL", base);
    const g = createGateway(spec);
    const pending = g.request({ method: "GET", path: "/thing" }, () => undefined);
    const error = await pending.catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^ACME_API_KEY has a control or non-ASCII character/);
    expect(seen).toHaveLength(0);
  });

  it("never shows in a snippet, also when it straddles the snippet's edge", async () => {
    sequence(
      () => new HttpResponse(`${"x".repeat(195)}${key} and more`, { headers: { "content-type": "text/plain" } }),
    );
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.bodySnippet).not.toContain(key.slice(0, 5));
  });

  it("never shows in the cause of a parse error (V8 quotes the text in its message)", async () => {
    sequence(() => new HttpResponse(`{"id": ${key}}`, { headers: { "content-type": "application/json" } }));
    const error = await gateway()
      .get("gen-1")
      .catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
    for (const text of [inspect(error, { depth: 9 }), JSON.stringify(error), String(error.cause.stack)]) {
      expect(text).not.toContain(key);
    }
  });

  it("never shows in the cause of a connection error raised by a custom fetch", async () => {
    const fetch = async (_: unknown, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string> | undefined)?.authorization;
      throw new TypeError("fetch failed", { cause: new Error(`socket hang up sending ${auth}`) });
    };
    const error = await gateway({ fetch, maxRetries: 0 })
      .get("gen-1")
      .catch((e) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "Acme: could not reach https://gateway.test: fetch failed: socket hang up sending Bearer [redacted]",
    );
    expect(error.cause.cause.message).toBe("socket hang up sending Bearer [redacted]");
    expect(inspect(error, { depth: 9 })).not.toContain(key);
  });
});

describe("promises reject, never throw", () => {
  it("rejects for a missing key instead of throwing", () => {
    const g = createGateway(spec, { baseUrl: base });
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = g.request({ method: "GET", path: "/thing" }, () => undefined);
    }).not.toThrow();
    return expect(pending).rejects.toSatisfy((e) => MissingApiKeyError.isInstance(e));
  });
});

describe("the transport", () => {
  it("works where AbortSignal.any does not exist (edge runtimes, older Node)", async () => {
    const any = AbortSignal.any;
    (AbortSignal as any).any = undefined;
    try {
      sequence(ok);
      await expect(gateway().get("gen-1", new AbortController().signal)).resolves.toEqual({ id: "gen-1" });
    } finally {
      AbortSignal.any = any;
    }
  });

  it("refuses a body over maxResponseBytes by its declared length", async () => {
    sequence(() => HttpResponse.json({ id: "gen-1", pad: "x".repeat(2_000) }));
    const error = await gateway({ maxResponseBytes: 1_000 })
      .get("gen-1")
      .catch((e) => e);
    expect(ResponseTooLargeError.isInstance(error)).toBe(true);
    expect(error.message).toBe("Acme answered 200 with a body larger than 1000 bytes (maxResponseBytes)");
  });

  it("refuses a streamed body over maxResponseBytes as it arrives", async () => {
    const chunk = new TextEncoder().encode("x".repeat(600));
    sequence(
      () =>
        new HttpResponse(
          new ReadableStream({
            pull(controller) {
              controller.enqueue(chunk);
            },
          }),
          { headers: { "content-type": "application/json" } },
        ),
    );
    const error = await gateway({ maxResponseBytes: 1_000 })
      .get("gen-1")
      .catch((e) => e);
    expect(ResponseTooLargeError.isInstance(error)).toBe(true);
  });

  it("reads no body where there is none, whatever length it declares", async () => {
    sequence(() => new HttpResponse(null, { status: 204, headers: { "content-length": "99999999" } }));
    const error = await gateway({ maxResponseBytes: 1_000 })
      .get("gen-1")
      .catch((e) => e);
    expect(ResponseParseError.isInstance(error) && !ResponseTooLargeError.isInstance(error)).toBe(true);
    expect(error.message).toBe("Acme answered 204 with an empty body");
  });

  it("keeps every digit of a number a double cannot hold, and only those, with parseJsonExact", async () => {
    sequence(
      () =>
        new HttpResponse('{"id":"gen-1","cost":0.123456789012345678901,"rows":[{"c":12345678901234567890}],"n":0.5}', {
          headers: { "content-type": "application/json" },
        }),
    );
    const body = (await gateway({ parseJson: parseJsonExact }).get("gen-1")) as unknown as {
      cost: number;
      rows: [{ c: number }];
      n: number;
    };
    expect(body.cost).toBe(0.12345678901234568);
    expect(exactNumberText(body, "cost")).toBe("0.123456789012345678901");
    expect(exactNumberText(body.rows[0], "c")).toBe("12345678901234567890");
    expect(exactNumberText(body, "n")).toBeUndefined();
    expect(JSON.stringify(body)).toBe(
      '{"id":"gen-1","cost":0.12345678901234568,"rows":[{"c":12345678901234567000}],"n":0.5}',
    );
  });

  it("records nothing when every number fits, and long digit runs inside strings are not numbers", async () => {
    sequence(() => HttpResponse.json({ id: "gen-1234567890123456789012", cost: 0.0015, big: 9007199254740991 }));
    const body = await gateway({ parseJson: parseJsonExact }).get("gen-1");
    expect(Object.getOwnPropertySymbols(body)).toEqual([]);
  });

  it("reads bodies with the parseJson option, for errors too", async () => {
    const texts: string[] = [];
    const parseJson = (text: string) => {
      texts.push(text);
      return JSON.parse(text);
    };
    sequence(
      () => HttpResponse.json({ error: { message: "nope" } }, { status: 400 }),
      () => HttpResponse.json({ id: "gen-1" }),
    );
    await expect(gateway({ parseJson }).get("gen-1")).rejects.toThrow(/Acme 400 Bad Request: nope/);
    await expect(gateway({ parseJson }).get("gen-1")).resolves.toEqual({ id: "gen-1" });
    expect(texts).toEqual(['{"error":{"message":"nope"}}', '{"id":"gen-1"}']);
  });

  it("follows a 308 for a POST, sending the body again", async () => {
    const seen: Array<{ url: string; body: string; auth: string | null }> = [];
    server.use(
      http.post(`${base}/old`, async ({ request }) => {
        seen.push({ url: request.url, body: await request.text(), auth: request.headers.get("authorization") });
        return new HttpResponse(null, { status: 308, headers: { location: `${base}/new` } });
      }),
      http.post(`${base}/new`, async ({ request }) => {
        seen.push({ url: request.url, body: await request.text(), auth: request.headers.get("authorization") });
        return HttpResponse.json({ id: "gen-1" });
      }),
    );
    const g = createGateway(spec, { apiKey: key, baseUrl: base });
    await expect(
      g.request({ method: "POST", path: "/old", body: { generation_id: "gen-1" } }, () => undefined),
    ).resolves.toEqual({ id: "gen-1" });
    expect(seen.map((s) => s.body)).toEqual(['{"generation_id":"gen-1"}', '{"generation_id":"gen-1"}']);
    expect(seen[1]?.auth).toBe(`Bearer ${key}`);
  });

  it("a redirect to a Location that is not a URL and holds the key: no string of the cause shows the key", async () => {
    const fetch = async () => new Response(null, { status: 302, headers: { location: `http://[${key}]/x` } });
    const error = await createGateway(spec, { apiKey: key, baseUrl: base, fetch, maxRetries: 0 })
      .request({ method: "GET", path: "/x" }, () => undefined)
      .catch((e: Error) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    const cause = (error as Error).cause as Record<string, unknown>;
    // Node's ERR_INVALID_URL keeps the text it could not parse in `input`.
    expect(cause.code).toBe("ERR_INVALID_URL");
    expect(cause.input).toBe("http://[[redacted]]/x");
    for (const shown of [inspect(error, { depth: 10 }), JSON.stringify(error), String(cause.stack)]) {
      expect(shown).not.toContain(key);
    }
  });

  it("a cross-origin redirect answered 401 says the key was withheld, naming the origin, and is not an AuthenticationError", async () => {
    server.use(
      http.get(
        `${base}/moved`,
        () => new HttpResponse(null, { status: 307, headers: { location: "https://elsewhere.test/v1/x" } }),
      ),
      http.get("https://elsewhere.test/v1/x", ({ request }) =>
        request.headers.get("authorization")
          ? HttpResponse.json({ error: { message: "key was sent" } }, { status: 500 })
          : HttpResponse.json({ error: { message: "Unauthorized" } }, { status: 401 }),
      ),
    );
    const error = await createGateway(spec, { apiKey: key, baseUrl: base })
      .request({ method: "GET", path: "/moved" }, () => undefined)
      .catch((e: Error) => e);
    expect(ApiError.isInstance(error)).toBe(true);
    expect(AuthenticationError.isInstance(error)).toBe(false);
    expect((error as ApiError).status).toBe(401);
    expect((error as Error).message).toBe(
      "Acme redirected to another origin, https://elsewhere.test, so the key was not sent (it never leaves the gateway's origin); that server answered 401 Unauthorized: Unauthorized",
    );
  });

  it("stops after 5 redirects", async () => {
    let hops = 0;
    server.use(
      http.get(`${base}/loop`, () => {
        hops++;
        return new HttpResponse(null, { status: 307, headers: { location: `${base}/loop` } });
      }),
    );
    const g = createGateway(spec, { apiKey: key, baseUrl: base });
    const error = await g.request({ method: "GET", path: "/loop" }, () => undefined).catch((e: Error) => e);
    expect(ConnectionError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe("Acme: GET /v1/loop was redirected more than 5 times");
    expect(hops).toBe(6);
  });
});

describe("the openapi-fetch client", () => {
  it("never hands back a key the gateway echoed in the status text, a header or the body", async () => {
    sequence(
      () =>
        new HttpResponse(JSON.stringify({ id: "gen-1", echo: key }), {
          status: 200,
          statusText: `OK ${key}`,
          headers: { "content-type": "application/json", "x-request-id": `req-${key}` },
        }),
    );
    const { data, response } = await gateway().client.GET("/thing", { params: { query: { id: "gen-1" } } });
    expect(data).toEqual({ id: "gen-1", echo: "[redacted]" });
    expect(response.statusText).toBe("OK [redacted]");
    expect(response.headers.get("x-request-id")).toBe("req-[redacted]");
  });
});

describe("a key echoed behind JSON escapes", () => {
  // The key with its first character written as a \u escape: plain-text redaction cannot see it.
  const escaped = `\\u${key.charCodeAt(0).toString(16).padStart(4, "0")}${key.slice(1)}`;
  const body = (id: string) =>
    new HttpResponse(`{"id":"${id}","model":"${escaped}"}`, { headers: { "content-type": "application/json" } });

  it("never shows in a ResponseParseError's snippet, even once the snippet is parsed", async () => {
    sequence(() => new HttpResponse(`{"other":"x","model":"${escaped}"}`));
    const error = await gateway()
      .get("a")
      .catch((e) => e);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error.bodySnippet).not.toContain(escaped);
    expect(JSON.stringify(JSON.parse(error.bodySnippet))).not.toContain(key);
  });

  it("never reaches a body returned by the full typed client", async () => {
    sequence(() => body("a"));
    const { data } = await gateway().client.GET("/thing", { params: { query: { id: "a" } } });
    expect(JSON.stringify(data)).not.toContain(key);
    expect(data).toEqual({ id: "a", model: "[redacted]" });
  });
});

describe("readErrorObject", () => {
  it("reads {error:{message, code, type}}, naming the error by code or by type as the gateway means it", () => {
    const body = { error: { message: "slow down", code: 429, type: "rate_limit_exceeded" } };
    expect(readErrorObject(body)).toEqual({ message: "slow down", code: "429" });
    expect(readErrorObject(body, "type")).toEqual({ message: "slow down", code: "rate_limit_exceeded" });
    expect(readErrorObject({ error: { type: "server_error" } })).toEqual({
      message: "server_error",
      code: "server_error",
    });
    expect(readErrorObject({ error: "nope" })).toBeUndefined();
    expect(readErrorObject(null)).toBeUndefined();
  });
});
