import {
  AuthenticationError,
  createLiteLLMClient,
  MissingApiKeyError,
  MissingBaseUrlError,
  NotFoundError,
  ResponseParseError,
} from "@genledger/litellm";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const base = "http://localhost:4000";
const id = fixture[0]!.request_id;

describe("createLiteLLMClient", () => {
  it("GETs /spend/logs?request_id= on LITELLM_BASE_URL with LITELLM_API_KEY", async () => {
    vi.stubEnv("LITELLM_BASE_URL", base);
    vi.stubEnv("LITELLM_API_KEY", "sk-test-key-123");
    const seen: Request[] = [];
    server.use(
      http.get(`${base}/spend/logs`, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(fixture);
      }),
    );
    const body = await createLiteLLMClient().getGeneration(id);
    expect(new URL(seen[0]!.url).searchParams.get("request_id")).toBe(id);
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer sk-test-key-123");
    expect(body).toEqual(fixture);
  });

  it("has no default server: without LITELLM_BASE_URL it says so, sending nothing", async () => {
    vi.stubEnv("LITELLM_BASE_URL", "");
    const error = await createLiteLLMClient({ apiKey: "sk-test-key-123" })
      .getGeneration(id)
      .catch((e) => e);
    expect(MissingBaseUrlError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: "litellm", envVar: "LITELLM_BASE_URL" });
    expect(error.message).toContain("self-hosted");
  });

  it("200 with [] (or [null]) is NotFoundError, not retried: the row is not written yet", async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/spend/logs`, ({ request }) => {
        calls++;
        return HttpResponse.json(new URL(request.url).searchParams.get("request_id") === "old" ? [null] : []);
      }),
    );
    const client = createLiteLLMClient({ apiKey: "sk-test-key-123", baseUrl: base });
    for (const wanted of ["new", "old"]) {
      const error = await client.getGeneration(wanted).catch((e) => e);
      expect(NotFoundError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 404, retryable: false });
      expect(error.message).toMatch(/^LiteLLM answered 200: no spend log row for this id yet/);
    }
    expect(calls).toBe(2);
  });

  it("a row for another id, or two rows, is a wrong answer", async () => {
    server.use(
      http.get(`${base}/spend/logs`, ({ request }) =>
        new URL(request.url).searchParams.get("request_id") === "two"
          ? HttpResponse.json([fixture[0], fixture[0]])
          : HttpResponse.json(fixture),
      ),
    );
    const client = createLiteLLMClient({ apiKey: "sk-test-key-123", baseUrl: base });
    const wrong = await client.getGeneration("chatcmpl-other").catch((e) => e);
    expect(ResponseParseError.isInstance(wrong)).toBe(true);
    expect(wrong.message).toContain(`generation "${id}" when "chatcmpl-other" was asked`);
    await expect(client.getGeneration("two")).rejects.toThrow(/2 rows, not the one asked/);
  });

  it("reads the ProxyException envelope", async () => {
    server.use(
      http.get(`${base}/spend/logs`, () =>
        HttpResponse.json(
          {
            error: {
              message: "Authentication Error, Invalid proxy server token passed",
              type: "auth_error",
              param: "None",
              code: "401",
            },
          },
          { status: 401 },
        ),
      ),
    );
    const error = await createLiteLLMClient({ apiKey: "sk-test-key-123", baseUrl: base })
      .getGeneration(id)
      .catch((e) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "auth_error", message: expect.stringContaining("Invalid proxy server token") });
  });

  it("names LITELLM_API_KEY when there is no key", async () => {
    vi.stubEnv("LITELLM_API_KEY", "");
    vi.stubEnv("LITELLM_MASTER_KEY", "");
    const error = await createLiteLLMClient({ baseUrl: base })
      .getGeneration(id)
      .catch((e) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error.envVar).toBe("LITELLM_API_KEY or LITELLM_MASTER_KEY");
  });
});
