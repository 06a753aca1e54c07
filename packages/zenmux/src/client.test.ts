import { checkLookupAnswer } from "@genledger/core/internal";
import {
  BadRequestError,
  createZenMuxClient,
  PermissionDeniedError,
  RateLimitError,
  zenMuxGateway,
} from "@genledger/zenmux";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const url = "https://zenmux.ai/api/v1/management/generation";
const envelope = (code: string, type: string, message: string) => ({ error: { code, type, message } });

describe("createZenMuxClient", () => {
  it("GETs /generation?id= with the key from ZENMUX_API_KEY and returns the flat body", async () => {
    vi.stubEnv("ZENMUX_API_KEY", "zm-test-key");
    const seen: Request[] = [];
    server.use(
      http.get(url, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(fixture);
      }),
    );
    const body = await createZenMuxClient().getGeneration("gen_01abc123def456");
    expect(new URL(seen[0]!.url).searchParams.get("id")).toBe("gen_01abc123def456");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer zm-test-key");
    expect(body).toEqual(fixture);
    expect(body.ratingResponses?.ratingDetails?.[0]?.feeItemCode).toBe("prompt");
  });

  it("maps 403 (a bad key) to PermissionDeniedError with ZenMux's words", async () => {
    server.use(
      http.get(url, () => HttpResponse.json(envelope("403", "invalid_api_key", "Invalid API key"), { status: 403 })),
    );
    const error = await createZenMuxClient({ apiKey: "bad-test-key" })
      .getGeneration("g")
      .catch((e) => e);
    expect(PermissionDeniedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: "invalid_api_key", message: "ZenMux 403 Forbidden: Invalid API key" });
  });

  it("maps 422 (management rate limit) to BadRequestError and does not retry it", async () => {
    let attempts = 0;
    server.use(
      http.get(url, () => {
        attempts++;
        return HttpResponse.json(envelope("422", "rate_limit_exceeded", "Too many management requests"), {
          status: 422,
        });
      }),
    );
    const error = await createZenMuxClient({ apiKey: "test-key-123" })
      .getGeneration("g")
      .catch((e) => e);
    expect(BadRequestError.isInstance(error)).toBe(true);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(attempts).toBe(1);
  });

  it("maps 429 with its string code and retries it", async () => {
    let attempts = 0;
    server.use(
      http.get(url, () => {
        attempts++;
        return HttpResponse.json(envelope("429", "rate_limit", "Slow down"), {
          status: 429,
          headers: { "retry-after-ms": "0" },
        });
      }),
    );
    const error = await createZenMuxClient({ apiKey: "test-key-123", maxRetries: 1 })
      .getGeneration("g")
      .catch((e) => e);
    expect(RateLimitError.isInstance(error)).toBe(true);
    expect(error.message).toBe("ZenMux 429 Too Many Requests: Slow down");
    expect(attempts).toBe(2);
  });

  it("rejects a body that is not a generation", async () => {
    server.use(http.get(url, () => HttpResponse.json([1, 2])));
    await expect(createZenMuxClient({ apiKey: "test-key-123" }).getGeneration("g")).rejects.toThrowError(
      /ZenMux answered 200 with a body that is not a JSON object/,
    );
  });
});

describe("ZenMux's id check", () => {
  const check = (body: unknown) => checkLookupAnswer(zenMuxGateway.lookup, "g", body);
  it("reads generationId, or generation_id (older docs) when generationId is missing, worded as generationId", () => {
    expect(check({ generationId: "g" })).toBeUndefined();
    expect(check({ generation_id: "g" })).toBeUndefined();
    expect(check({ generation_id: "h" })).toBe('generation "h" when "g" was asked');
    expect(check({ generation_id: 5 })).toBe("a `generationId` that is not a string");
    expect(check({ generation_id: null })).toBe("a `generationId` that is not a string");
    expect(check({ model: "m" })).toBe("a `generationId` that is not a string");
    // generationId wins when both are there.
    expect(check({ generationId: 5, generation_id: "g" })).toBe("a `generationId` that is not a string");
    expect(check({ generationId: "h", generation_id: "g" })).toBe('generation "h" when "g" was asked');
  });
});
