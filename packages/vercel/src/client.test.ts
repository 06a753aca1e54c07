import {
  AuthenticationError,
  createVercelClient,
  MissingApiKeyError,
  NotFoundError,
  RateLimitError,
  ResponseParseError,
} from "@genledger/vercel";
import { createVercelFetchClient } from "@genledger/vercel/fetch";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const url = "https://ai-gateway.vercel.sh/v1/generation";
const id = fixture.data.id;
const envelope = (type: string, message: string) => ({ error: { message, type }, generationId: null });

describe("createVercelClient", () => {
  it("GETs /v1/generation?id= on ai-gateway.vercel.sh with the key from AI_GATEWAY_API_KEY", async () => {
    vi.stubEnv("AI_GATEWAY_API_KEY", "test-key-123");
    vi.stubEnv("VERCEL_OIDC_TOKEN", "oidc-test-token");
    const seen: Request[] = [];
    server.use(
      http.get(url, ({ request }) => {
        seen.push(request);
        return HttpResponse.json({ data: { ...fixture.data, not_in_spec: { nested: 1 } } });
      }),
    );
    const body = await createVercelClient().getGeneration(id);
    expect(new URL(seen[0]!.url).searchParams.get("id")).toBe(id);
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer test-key-123");
    expect(body.data.total_cost).toBe(0.00231);
    expect(body.data.not_in_spec).toEqual({ nested: 1 });
  });

  it("falls back to VERCEL_OIDC_TOKEN when AI_GATEWAY_API_KEY is not set", async () => {
    vi.stubEnv("AI_GATEWAY_API_KEY", "");
    vi.stubEnv("VERCEL_OIDC_TOKEN", "oidc-test-token");
    let auth: string | null = null;
    server.use(
      http.get(url, ({ request }) => {
        auth = request.headers.get("authorization");
        return HttpResponse.json(fixture);
      }),
    );
    await createVercelClient().getGeneration(id);
    expect(auth).toBe("Bearer oidc-test-token");
  });

  it("names both variables when there is no key", async () => {
    vi.stubEnv("AI_GATEWAY_API_KEY", "");
    vi.stubEnv("VERCEL_OIDC_TOKEN", "");
    const error = await createVercelClient()
      .getGeneration(id)
      .catch((e) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "Vercel AI Gateway: no API key. Pass the `apiKey` option or set the AI_GATEWAY_API_KEY or VERCEL_OIDC_TOKEN environment variable.",
    );
  });

  it("maps the gateway's error envelope: the type is the code", async () => {
    server.use(http.get(url, () => HttpResponse.json(envelope("not_found", "Generation not found"), { status: 404 })));
    const error = await createVercelClient({ apiKey: "test-key-123" })
      .getGeneration("gen_missing")
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      provider: "vercel",
      status: 404,
      code: "not_found",
      message: "Vercel AI Gateway 404 Not Found: Generation not found",
    });
  });

  it("does not retry 401, retries 429", async () => {
    let attempts = 0;
    server.use(
      http.get(url, ({ request }) => {
        attempts++;
        return new URL(request.url).searchParams.get("id") === "gen_auth"
          ? HttpResponse.json(envelope("authentication_error", "Invalid API key"), { status: 401 })
          : HttpResponse.json(envelope("rate_limit_exceeded", "Slow down"), {
              status: 429,
              headers: { "retry-after-ms": "0" },
            });
      }),
    );
    const client = createVercelClient({ apiKey: "test-key-123" });
    const auth = await client.getGeneration("gen_auth").catch((e) => e);
    expect(AuthenticationError.isInstance(auth)).toBe(true);
    expect(attempts).toBe(1);
    const limited = await client.getGeneration("gen_busy").catch((e) => e);
    expect(RateLimitError.isInstance(limited)).toBe(true);
    expect(attempts).toBe(4);
  });

  it("refuses a 200 without `data`, or for another generation", async () => {
    server.use(
      http.get(url, ({ request }) =>
        new URL(request.url).searchParams.get("id") === "gen_other"
          ? HttpResponse.json(fixture)
          : HttpResponse.json({ generation: fixture.data }),
      ),
    );
    const client = createVercelClient({ apiKey: "test-key-123" });
    const shapeless = await client.getGeneration(id).catch((e) => e);
    expect(ResponseParseError.isInstance(shapeless)).toBe(true);
    expect(shapeless.message).toContain("no `data` object");
    const other = await client.getGeneration("gen_other").catch((e) => e);
    expect(ResponseParseError.isInstance(other)).toBe(true);
    expect(other.message).toContain(`generation "${id}" when "gen_other" was asked`);
  });

  it("honours AI_GATEWAY_BASE_URL", async () => {
    vi.stubEnv("AI_GATEWAY_BASE_URL", "http://127.0.0.1:9/vercel/v1");
    server.use(http.get("http://127.0.0.1:9/vercel/v1/generation", () => HttpResponse.json(fixture)));
    await expect(createVercelClient({ apiKey: "test-key-123" }).getGeneration(id)).resolves.toEqual(fixture);
  });

  it("has the full typed openapi-fetch client beside it", async () => {
    server.use(http.get(url, () => HttpResponse.json(fixture)));
    const { data } = await createVercelFetchClient({ apiKey: "test-key-123" }).GET("/generation", {
      params: { query: { id } },
    });
    expect(data?.data.native_tokens_cache_creation).toBe(120);
  });
});
