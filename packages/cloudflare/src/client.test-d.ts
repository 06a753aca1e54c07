import { describe, expectTypeOf, it } from "vitest";
import { createCloudflareFetchClient } from "./fetch.js";
import { type CloudflareLogEnvelope, type CloudflareLogPath, createCloudflareClient } from "./index.js";

describe("Cloudflare client types", () => {
  const client = createCloudflareClient({ apiKey: "k" });
  it("types getGeneration and its path", () => {
    expectTypeOf(client.getGeneration).returns.resolves.toEqualTypeOf<CloudflareLogEnvelope>();
    expectTypeOf<CloudflareLogPath>().toEqualTypeOf<{ account_id: string; gateway_id: string; id: string }>();
    // @ts-expect-error the ref is a string
    void client.getGeneration(123);
  });
  it("rejects wrong parameters on the raw client", () => {
    const raw = createCloudflareFetchClient({ apiKey: "k" });
    const path = "/accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}" as const;
    // @ts-expect-error gateway_id is required
    void raw.GET(path, { params: { path: { account_id: "a", id: "l" } } });
    // @ts-expect-error unknown option
    void createCloudflareClient({ apikey: "k" });
  });
});
