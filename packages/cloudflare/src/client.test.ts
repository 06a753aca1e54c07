import {
  AuthenticationError,
  createCloudflareClient,
  InvalidArgumentError,
  MissingApiKeyError,
  NotFoundError,
  parseCloudflareRef,
} from "@genledger/cloudflare";
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { useMswServer } from "../../../test-utils/msw.js";
import fixture from "./__fixtures__/generation.json" with { type: "json" };

const server = useMswServer();

const url = "https://api.cloudflare.com/client/v4/accounts/:account/ai-gateway/gateways/:gateway/logs/:id";
const ref = `acc123/my-gateway/${fixture.result.id}`;

describe("createCloudflareClient", () => {
  it("GETs the log of account/gateway/log with CLOUDFLARE_API_TOKEN", async () => {
    vi.stubEnv("CLOUDFLARE_API_TOKEN", "cf-token-123456");
    const seen: Request[] = [];
    server.use(
      http.get(url, ({ request }) => {
        seen.push(request);
        return HttpResponse.json(fixture);
      }),
    );
    const body = await createCloudflareClient().getGeneration(ref);
    expect(new URL(seen[0]!.url).pathname).toBe(
      `/client/v4/accounts/acc123/ai-gateway/gateways/my-gateway/logs/${fixture.result.id}`,
    );
    expect(seen[0]!.headers.get("authorization")).toBe("Bearer cf-token-123456");
    expect(body).toEqual(fixture);
  });

  it("refuses a ref that is not account/gateway/log, sending nothing", async () => {
    let calls = 0;
    server.use(
      http.get(url, () => {
        calls++;
        return HttpResponse.json(fixture);
      }),
    );
    const client = createCloudflareClient({ apiKey: "cf-token-123456" });
    for (const bad of ["01JADMCQ", "a/b", "a//c", "a/b/c/d"]) {
      const error = await client.getGeneration(bad).catch((e) => e);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(error.message).toContain("{account_id}/{gateway_id}/{log_id}");
    }
    expect(calls).toBe(0);
    expect(parseCloudflareRef("a/b/c")).toEqual({ accountId: "a", gatewayId: "b", logId: "c" });
  });

  it("a 404 is NotFoundError saying logging may be off; the v4 envelope is read", async () => {
    server.use(
      http.get(url, ({ params }) =>
        params.id === "nolog"
          ? HttpResponse.json(
              { success: false, errors: [{ code: 7003, message: "Log not found" }], messages: [], result: null },
              { status: 404 },
            )
          : HttpResponse.json(
              { success: false, errors: [{ code: 10000, message: "Authentication error" }], messages: [] },
              { status: 401 },
            ),
      ),
    );
    const client = createCloudflareClient({ apiKey: "cf-token-123456" });
    const missing = await client.getGeneration("acc/gw/nolog").catch((e) => e);
    expect(NotFoundError.isInstance(missing)).toBe(true);
    expect(missing).toMatchObject({ provider: "cloudflare", status: 404, code: "7003" });
    expect(missing.message).toContain("Log not found");
    expect(missing.message).toContain("logging is off");
    const denied = await client.getGeneration("acc/gw/other").catch((e) => e);
    expect(AuthenticationError.isInstance(denied)).toBe(true);
    expect(denied).toMatchObject({ code: "10000", message: expect.stringContaining("Authentication error") });
  });

  it("an answer for another log, or a 200 whose envelope says it failed, is refused", async () => {
    server.use(
      http.get(url, ({ params }) =>
        params.id === "fail"
          ? HttpResponse.json({ success: false, errors: [{ code: 1, message: "nope" }], result: null })
          : HttpResponse.json({ ...fixture, result: { ...fixture.result, id: "01OTHER" } }),
      ),
    );
    const client = createCloudflareClient({ apiKey: "cf-token-123456" });
    await expect(client.getGeneration("acc/gw/wanted")).rejects.toThrow(/generation "01OTHER" when "wanted" was asked/);
    await expect(client.getGeneration("acc/gw/fail")).rejects.toThrow(/answered 200 with an error: nope/);
  });

  it("names CLOUDFLARE_API_TOKEN when there is no token", async () => {
    vi.stubEnv("CLOUDFLARE_API_TOKEN", "");
    const error = await createCloudflareClient()
      .getGeneration(ref)
      .catch((e) => e);
    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error.envVar).toBe("CLOUDFLARE_API_TOKEN");
  });
});
