import { createNanoGPTClient, MissingApiKeyError, NotFoundError, PermissionDeniedError } from "@genledger/nanogpt";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const url = "https://api.nano-gpt.com/api/v1/usage/requests/:id";

describe("createNanoGPTClient", () => {
  it("GETs /usage/requests/{id} with the key from NANOGPT_API_KEY, and keeps the cost's digits as sent", async () => {
    vi.stubEnv("NANOGPT_API_KEY", "test-key-123");
    const seen: Request[] = [];
    server.use(
      http.get(url, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(fixture);
      }),
    );
    const body = await createNanoGPTClient().getGeneration("req_example");
    expect(new URL(seen[0]!.url).pathname).toBe("/api/v1/usage/requests/req_example");
    expect(new URL(seen[0]!.url).search).toBe("");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer test-key-123");
    expect(body).toEqual(fixture);
    expect(body.cost).toBe("0.00123456");
  });

  it("a 404 is NotFoundError with the Retry-After it gave, not retried by the client", async () => {
    let calls = 0;
    server.use(
      http.get(url, () => {
        calls++;
        return HttpResponse.json(
          { error: { message: "No eligible charge", type: "not_found" } },
          { status: 404, headers: { "retry-after": "30" } },
        );
      }),
    );
    const error = await createNanoGPTClient({ apiKey: "test-key-123" })
      .getGeneration("req_x")
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: "nanogpt", status: 404, code: "not_found", retryAfterMs: 30_000 });
    expect(calls).toBe(1);
  });

  it("reads the string form of the envelope and an answer for another id is refused", async () => {
    server.use(
      http.get(url, ({ params }) =>
        params.id === "other"
          ? HttpResponse.json({ ...fixture, request_id: "req_someone_else" })
          : HttpResponse.json({ error: "Key may not read this charge", status: 403 }, { status: 403 }),
      ),
    );
    const client = createNanoGPTClient({ apiKey: "test-key-123" });
    const denied = await client.getGeneration("req_x").catch((e) => e);
    expect(PermissionDeniedError.isInstance(denied)).toBe(true);
    expect(denied.message).toContain("Key may not read this charge");
    await expect(client.getGeneration("other")).rejects.toThrow(/"req_someone_else" when "other" was asked/);
  });

  it("names NANOGPT_API_KEY when there is no key", async () => {
    vi.stubEnv("NANOGPT_API_KEY", "");
    const error = await createNanoGPTClient()
      .getGeneration("req_x")
      .catch((e) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error.envVar).toContain("NANOGPT_API_KEY");
  });
});
