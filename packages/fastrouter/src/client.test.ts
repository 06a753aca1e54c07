import { AuthenticationError, createFastRouterClient, NotFoundError, ResponseParseError } from "@genledger/fastrouter";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const url = "https://api.fastrouter.ai/api/v1/generation";

describe("createFastRouterClient", () => {
  it("refuses a body with none of FastRouter's generation fields (never a succeeded generation)", async () => {
    for (const body of [{ data: {} }, { data: { id: "gen-x", totalCost: 5 } }]) {
      server.use(http.post(url, () => HttpResponse.json(body)));
      const error = await createFastRouterClient({ apiKey: "fr-test-key" })
        .getGeneration("gen-1")
        .catch((e) => e);
      expect(ResponseParseError.isInstance(error)).toBe(true);
      expect(error.message).toContain("none of FastRouter's generation fields");
    }
  });

  it("POSTs { generation_id } with the key from FASTROUTER_API_KEY", async () => {
    vi.stubEnv("FASTROUTER_API_KEY", "fr-test-key");
    const seen: { request: Request; body: unknown }[] = [];
    server.use(
      http.post(url, async ({ request }) => {
        const body = (await request.clone().json()) as { generation_id: string };
        seen.push({ request, body });
        return HttpResponse.json({ ...fixture, id: body.generation_id });
      }),
    );
    const id = 'gen/"quoted" & ünïcode';
    const body = await createFastRouterClient().getGeneration(id);
    expect(seen[0]!.body).toEqual({ generation_id: id });
    expect(seen[0]!.request.headers.get("content-type")).toBe("application/json");
    expect(seen[0]!.request.headers.get("authorization")).toBe("Bearer fr-test-key");
    expect(body).toEqual({ ...fixture, id });
  });

  it("sends the same body again on a retry", async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(url, async ({ request }) => {
        bodies.push(await request.json());
        return bodies.length === 1
          ? HttpResponse.json({ error: { message: "busy" } }, { status: 503, headers: { "retry-after-ms": "0" } })
          : HttpResponse.json(fixture);
      }),
    );
    await createFastRouterClient({ apiKey: "test-key-123" }).getGeneration(fixture.id);
    expect(bodies).toEqual([{ generation_id: fixture.id }, { generation_id: fixture.id }]);
  });

  it("maps FastRouter's error envelope", async () => {
    server.use(
      http.post(url, () =>
        HttpResponse.json(
          {
            error: {
              message: "Invalid Credentials",
              type: "authentication_error",
              code: "invalid_api_key",
              status: 401,
            },
          },
          { status: 401 },
        ),
      ),
    );
    const error = await createFastRouterClient({ apiKey: "test-key-123" })
      .getGeneration("g")
      .catch((e) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: "invalid_api_key",
      message: "FastRouter 401 Unauthorized: Invalid Credentials",
    });
  });

  it("maps a 404 without a body", async () => {
    server.use(http.post(url, () => new HttpResponse(null, { status: 404 })));
    const error = await createFastRouterClient({ apiKey: "test-key-123" })
      .getGeneration("g")
      .catch((e) => e);
    expect(NotFoundError.isInstance(error)).toBe(true);
    expect(error.message).toBe("FastRouter 404 Not Found: no error message");
  });
});
