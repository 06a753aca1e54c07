import {
  AuthenticationError,
  createHeliconeClient,
  MissingApiKeyError,
  NotFoundError,
  ServerError,
} from "@genledger/helicone";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const url = "https://api.helicone.ai/v1/request/:id";
const id = fixture.data.request_id;

describe("createHeliconeClient", () => {
  it("GETs /v1/request/{id}?includeBody=false with HELICONE_API_KEY", async () => {
    vi.stubEnv("HELICONE_API_KEY", "sk-helicone-test-123");
    const seen: Request[] = [];
    server.use(
      http.get(url, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(fixture);
      }),
    );
    const body = await createHeliconeClient().getGeneration(id);
    expect(new URL(seen[0]!.url).pathname).toBe(`/v1/request/${id}`);
    expect(new URL(seen[0]!.url).searchParams.get("includeBody")).toBe("false");
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer sk-helicone-test-123");
    expect(body).toEqual(fixture);
  });

  it("a 500 with { data: null, error } is NotFoundError at once: no retry, no backoff", async () => {
    let calls = 0;
    server.use(
      http.get(url, () => {
        calls++;
        return HttpResponse.json({ data: null, error: "Request not found." }, { status: 500 });
      }),
    );
    const error = await createHeliconeClient({ apiKey: "sk-helicone-test-123", maxRetries: 5 })
      .getGeneration(id)
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ provider: "helicone", status: 404, retryable: false });
    expect(error.message).toMatch(/^Helicone answered 500: Request not found\.; Helicone answers 500 for a request/);
    expect(calls).toBe(1);
  });

  it("a 500 of another shape is still a server error, retried", async () => {
    let calls = 0;
    server.use(
      http.get(url, () => {
        calls++;
        return new HttpResponse("upstream connect error", { status: 500 });
      }),
    );
    const error = await createHeliconeClient({ apiKey: "sk-helicone-test-123", maxRetries: 1 })
      .getGeneration(id)
      .catch((e) => e);
    expect(ServerError.isInstance(error)).toBe(true);
    expect(calls).toBe(2);
  });

  it("a 401 Result error and an answer for another request are typed", async () => {
    server.use(
      http.get(url, ({ params }) =>
        params.id === "other"
          ? HttpResponse.json(fixture)
          : HttpResponse.json({ data: null, error: "Invalid API key" }, { status: 401 }),
      ),
    );
    const client = createHeliconeClient({ apiKey: "sk-helicone-test-123" });
    const denied = await client.getGeneration("x").catch((e) => e);
    expect(AuthenticationError.isInstance(denied)).toBe(true);
    expect(denied.message).toContain("Invalid API key");
    await expect(client.getGeneration("other")).rejects.toThrow(`generation "${id}" when "other" was asked`);
  });

  it("names HELICONE_API_KEY when there is no key", async () => {
    vi.stubEnv("HELICONE_API_KEY", "");
    const error = await createHeliconeClient()
      .getGeneration(id)
      .catch((e) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error.envVar).toBe("HELICONE_API_KEY");
  });
});
