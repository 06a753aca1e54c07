import { inspect } from "node:util";
import { createCloudflareClient } from "@genledger/cloudflare";
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  GenledgerError,
  ResponseParseError,
  ResponseTooLargeError,
  ServerError,
  TimeoutError,
} from "@genledger/core";
import { createFastRouterClient } from "@genledger/fastrouter";
import { createHeliconeClient } from "@genledger/helicone";
import { createLiteLLMClient } from "@genledger/litellm";
import { createNanoGPTClient } from "@genledger/nanogpt";
import { createOpenRouterClient } from "@genledger/openrouter";
import { createOxenClient } from "@genledger/oxen";
import { type HostileBehaviour, type HostileGateway, startHostileGateway } from "@genledger/testing";
import { createVercelClient } from "@genledger/vercel";
import { createZenMuxClient } from "@genledger/zenmux";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const apiKey = "test-key-hostile-0001";
const gateways = [
  "openrouter",
  "zenmux",
  "fastrouter",
  "oxen",
  "vercel",
  "nanogpt",
  "cloudflare",
  "litellm",
  "helicone",
] as const;
type Name = (typeof gateways)[number];

let hostile: HostileGateway;
beforeAll(async () => {
  hostile = await startHostileGateway({ bombBytes: 32 * 1024 * 1024 });
});
afterAll(() => hostile.close());

function client(name: Name, behaviour: HostileBehaviour, options: Record<string, unknown> = {}) {
  const o = { apiKey, baseUrl: hostile.baseUrl(behaviour, name), maxRetries: 0, ...options };
  switch (name) {
    case "openrouter":
      return createOpenRouterClient(o);
    case "zenmux":
      return createZenMuxClient(o);
    case "fastrouter":
      return createFastRouterClient(o);
    case "oxen":
      return createOxenClient(o);
    case "vercel":
      return createVercelClient(o);
    case "nanogpt":
      return createNanoGPTClient(o);
    case "cloudflare":
      return createCloudflareClient(o);
    case "litellm":
      return createLiteLLMClient(o);
    case "helicone":
      return createHeliconeClient(o);
  }
}

// A Cloudflare ref names its account and gateway too.
const idOf = (name: Name) => (name === "cloudflare" ? "acc/gw/gen-hostile-1" : "gen-hostile-1");
const lookup = (name: Name, behaviour: HostileBehaviour, options?: Record<string, unknown>, id = idOf(name)) =>
  (client(name, behaviour, options).getGeneration(id) as Promise<unknown>).catch((e: unknown) => e);

/** Every way an error can be shown. */
function shown(error: unknown): string[] {
  const e = error as Error;
  return [e.message, String(e.stack), String(e), JSON.stringify(e), inspect(e, { depth: 20 })];
}

function logger() {
  const lines: string[] = [];
  const log = (m: string, d?: object) => lines.push(m, JSON.stringify(d ?? {}));
  return { lines, logger: { debug: log, warn: log } };
}

describe.each(gateways)("%s against a hostile gateway", (name) => {
  it("never shows a key echoed in the status text, a header or the error body", async () => {
    const { lines, logger: l } = logger();
    const error = await lookup(name, "echo-key-error", { logger: l });
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [...shown(error), ...lines]) expect(text).not.toContain(apiKey);
    expect((error as AuthenticationError).requestId).toBe("req-[redacted]");
    expect((error as Error).message).toContain("[redacted]");
  });

  it("never returns a key echoed in a success body, plainly or behind JSON escapes", async () => {
    const body = await lookup(name, "echo-key-success");
    expect(GenledgerError.isInstance(body)).toBe(false);
    const text = JSON.stringify(body);
    expect(text).not.toContain(apiKey);
    // (LiteLLM's answer is an array of its one row.)
    expect(Array.isArray(body) ? body[0] : body).toMatchObject({
      echo: "[redacted]",
      escaped: "[redacted]",
      "[redacted]": 1,
    });
  });

  it("never shows a key echoed in a redirect URL", async () => {
    const { lines, logger: l } = logger();
    const error = await lookup(name, "echo-key-redirect", { timeoutMs: 300, logger: l });
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(hostile.requests.some((r) => r.url.includes("/landing/"))).toBe(true);
    for (const text of [...shown(error), ...lines]) expect(text).not.toContain(apiKey);
  });

  it("stops a gzip bomb at the size cap, counted after decompression", async () => {
    const error = await lookup(name, "gzip-bomb", { maxResponseBytes: 1024 * 1024 });
    expect(ResponseTooLargeError.isInstance(error)).toBe(true);
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 200, maxResponseBytes: 1024 * 1024 });
  });

  it("stops a gzip bomb at the default cap too", async () => {
    expect(ResponseTooLargeError.isInstance(await lookup(name, "gzip-bomb"))).toBe(true);
  });

  it("refuses absurdly deep JSON in a success body", async () => {
    const error = await lookup(name, "deep-json");
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/nested deeper than 128 levels/);
    expect(() => JSON.stringify(error)).not.toThrow();
  });

  it("survives absurdly deep JSON in an error body", async () => {
    const error = await lookup(name, "deep-json-error");
    expect(ServerError.isInstance(error)).toBe(true);
    expect(typeof (error as ServerError).body).toBe("string");
    expect(() => JSON.stringify(error)).not.toThrow();
  });

  it("refuses an answer for another generation than the one asked", async () => {
    const error = await lookup(name, "wrong-id");
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /(generation|log) "gen-hostile-1-someone-else" when "gen-hostile-1" was asked/,
    );
  });

  it("treats a 200 carrying an error envelope as an error", async () => {
    const error = await lookup(name, "error-envelope-200");
    expect(ApiError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 200, retryable: false });
    expect((error as Error).message).toMatch(/answered 200 with an error: (Generation not found|resource_not_found)/);
  });

  it("treats a 200 with an empty object as an error", async () => {
    const error = await lookup(name, "empty-object");
    expect(ResponseParseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/answered 200 with an empty object/);
  });

  it("reports a body cut short as a connection error", async () => {
    expect(ConnectionError.isInstance(await lookup(name, "truncated-body"))).toBe(true);
  });

  it("times out a body that stalls halfway", async () => {
    const error = await lookup(name, "stalled-body", { timeoutMs: 300 });
    expect(TimeoutError.isInstance(error)).toBe(true);
  });

  it("reports huge headers as a connection error", async () => {
    expect(ConnectionError.isInstance(await lookup(name, "huge-headers"))).toBe(true);
  });

  it("follows a same-origin 307, sending the request (and its body) again", async () => {
    const before = hostile.requests.length;
    const body = await lookup(name, "redirect-same-origin");
    expect(GenledgerError.isInstance(body)).toBe(false);
    const [first, second] = hostile.requests.slice(before);
    expect(second).toMatchObject({ behaviour: "ok", method: first?.method, body: first?.body, authorized: true });
  });

  it("follows a 307 to another origin without the key", async () => {
    const before = hostile.requests.length;
    await lookup(name, "redirect-cross-origin");
    const [first, second] = hostile.requests.slice(before);
    expect(first).toMatchObject({ authorized: true });
    expect(second).toMatchObject({ behaviour: "ok", method: first?.method, body: first?.body, authorized: false });
    expect(second?.host).toMatch(/^localhost:/);
  });
});

describe.each(gateways)("%s client options and arguments", (name) => {
  it("names the closest option for a misspelt one, before anything is sent", () => {
    const before = hostile.requests.length;
    expect(() => client(name, "ok", { baseURL: "https://example.invalid" })).toThrowError(
      /unknown client option `baseURL`: did you mean `baseUrl`\?/,
    );
    expect(hostile.requests.length).toBe(before);
  });

  it("rejects, never throws, for an id that is not a string", async () => {
    const c = client(name, "ok");
    let pending: Promise<unknown> | undefined;
    expect(() => (pending = c.getGeneration(123 as any))).not.toThrow();
    await expect(pending).rejects.toThrowError(/expected a non-empty generation id, got number/);
    await expect(c.getGeneration(idOf(name), null as any)).resolves.toBeTruthy();
  });
});
