import { createVercelClient, MissingApiKeyError, NotFoundError } from "@genledger/vercel";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const url = "https://ai-gateway.vercel.sh/v1/generation";

describe("createVercelClient", () => {
  it("GETs /generation?id= with the key from AI_GATEWAY_API_KEY", async () => {
    vi.stubEnv("AI_GATEWAY_API_KEY", "test-key-123");
    const seen: Request[] = [];
    server.use(
      http.get(url, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(fixture);
      }),
    );
    const body = await createVercelClient().getGeneration(fixture.id);
    expect(new URL(seen[0]!.url).searchParams.get("id")).toBe(fixture.id);
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer test-key-123");
    expect(body).toEqual(fixture);
  });

  it("maps the error envelope", async () => {
    server.use(
      http.get(url, () =>
        HttpResponse.json({ error: { code: 404, message: "Generation not found" } }, { status: 404 }),
      ),
    );
    const error = await createVercelClient({ apiKey: "test-key-123" })
      .getGeneration("gen-x")
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      provider: "vercel",
      status: 404,
      message: "Vercel AI Gateway 404 Not Found: Generation not found",
    });
  });

  it("names AI_GATEWAY_API_KEY when there is no key", async () => {
    vi.stubEnv("AI_GATEWAY_API_KEY", "");
    const error = await createVercelClient()
      .getGeneration("gen-x")
      .catch((e) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error.envVar).toContain("AI_GATEWAY_API_KEY");
  });
});
