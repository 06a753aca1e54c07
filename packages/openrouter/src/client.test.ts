import {
  createOpenRouterClient,
  MissingApiKeyError,
  NotFoundError,
  RateLimitError,
  ServerError,
} from "@genledger/openrouter";
import { createOpenRouterFetchClient } from "@genledger/openrouter/fetch";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const url = "https://openrouter.ai/api/v1/generation";

describe("createOpenRouterClient", () => {
  it("GETs /generation?id= on the documented server with the key from OPENROUTER_API_KEY", async () => {
    vi.stubEnv("OPENROUTER_API_KEY", "sk-or-test-key");
    const seen: Request[] = [];
    server.use(
      http.get(url, ({ request }) => {
        seen.push(request);
        return HttpResponse.json({ ...fixture, data: { ...fixture.data, not_in_spec: { nested: 1 } } });
      }),
    );
    const body = await createOpenRouterClient().getGeneration("gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG");
    expect(new URL(seen[0]!.url).searchParams.get("id")).toBe("gen-3bhGkxlo4XFrqiabUM7NDtwDzWwG");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer sk-or-test-key");
    expect(body.data.total_cost).toBe(0.0015);
    expect(body.data.native_tokens_cached).toBe(3); // beyond the seed spec, kept
    expect(body.data.not_in_spec).toEqual({ nested: 1 });
  });

  it("maps OpenRouter's error envelope", async () => {
    server.use(
      http.get(url, () =>
        HttpResponse.json({ error: { code: 404, message: "Generation not found" } }, { status: 404 }),
      ),
    );
    const error = await createOpenRouterClient({ apiKey: "test-key-123" })
      .getGeneration("gen-x")
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      provider: "openrouter",
      status: 404,
      code: "404",
      message: "OpenRouter 404 Not Found: Generation not found",
    });
  });

  it("retries 429 and 529, then reports the last", async () => {
    let attempts = 0;
    server.use(
      http.get(url, () => {
        attempts++;
        const status = attempts === 1 ? 429 : 529;
        return HttpResponse.json(
          { error: { code: status, message: "Provider returned error" } },
          { status, headers: { "retry-after-ms": "0" } },
        );
      }),
    );
    const error = await createOpenRouterClient({ apiKey: "test-key-123" })
      .getGeneration("gen-x")
      .catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(RateLimitError.isInstance(error)).toBe(false);
    expect(error.status).toBe(529);
    expect(attempts).toBe(3);
  });

  it("names OPENROUTER_API_KEY when there is no key", async () => {
    vi.stubEnv("OPENROUTER_API_KEY", "");
    const error = await createOpenRouterClient()
      .getGeneration("gen-x")
      .catch((e) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      "OpenRouter: no API key. Pass the `apiKey` option or set the OPENROUTER_API_KEY environment variable.",
    );
  });

  it("honours OPENROUTER_BASE_URL", async () => {
    vi.stubEnv("OPENROUTER_BASE_URL", "http://127.0.0.1:9/openrouter/api/v1");
    server.use(http.get("http://127.0.0.1:9/openrouter/api/v1/generation", () => HttpResponse.json(fixture)));
    await expect(createOpenRouterClient({ apiKey: "test-key-123" }).getGeneration(fixture.data.id)).resolves.toEqual(
      fixture,
    );
  });

  it("has the full openapi-fetch client, with the same auth", async () => {
    const seen: Request[] = [];
    server.use(
      http.get(url, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(fixture);
      }),
    );
    const client = createOpenRouterFetchClient({ apiKey: "test-key-123" });
    const { data } = await client.GET("/generation", { params: { query: { id: "gen-1" } } });
    expect(data?.data.id).toBe(fixture.data.id);
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer test-key-123");
  });
});
